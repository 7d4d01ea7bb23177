"""共管账户对账: the bank's balance against the receipts, and the difference explained."""
from datetime import date
from decimal import Decimal as D

from app.domain.bank_reconciliation import reconcile_bank

DAY1, DAY2 = date(2026, 12, 8), date(2026, 12, 9)
RECEIPTS = [(DAY1, "转账", D("300000")), (DAY1, "现金", D("20000")), (DAY1, "刷卡", D("50000")),
            (DAY1, "转账", D("-9850")), (DAY1, "结转", D("-100")), (DAY1, "结转", D("100")),
            (DAY2, "刷卡", D("40000")), (DAY2, "转账", D("1000"))]


def test_lines_by_day_and_method_with_a_running_total_and_carry_overs_left_out():
    r = reconcile_bank(receipts=RECEIPTS, balance=D("360150"), as_of=DAY1)
    assert [(x.method, x.count, x.amount, x.running) for x in r.lines] == [
        ("刷卡", 1, D("50000"), D("50000")), ("现金", 1, D("20000"), D("70000")),
        ("转账", 2, D("290150"), D("360150"))]
    assert r.received == D("360150") and r.difference == 0 and r.explanation == "银行余额与收款合计相符。"


def test_cash_not_paid_in_and_card_arriving_next_day_explain_a_shortfall():
    assert "现金收款 20,000.00 元尚未存入" in reconcile_bank(receipts=RECEIPTS, balance=D("340150"),
                                                            as_of=DAY1).explanation
    r = reconcile_bank(receipts=RECEIPTS, balance=D("341150"), as_of=DAY2)
    assert r.card_on_day == D("40000") and r.difference == D("-60000")
    assert "现金 20,000.00 元未存入且当日刷卡 40,000.00 元次日到账" in r.explanation


def test_an_unexplained_difference_says_what_to_check():
    r = reconcile_bank(receipts=RECEIPTS, balance=D("360000"), as_of=DAY1)
    assert r.difference == D("-150") and "少 150.00 元,不能由现金未存或刷卡未到账解释" in r.explanation
