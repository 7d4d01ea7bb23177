"""Money rules of the selection desk: ratio, deposit, receipts, fees, the 关系房 paperwork deadline."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import selection_money as m

money = st.decimals(min_value=D("0"), max_value=D("99999999.99"), places=2)
ratios = st.decimals(min_value=D("0.01"), max_value=D("1"), places=2)


@pytest.mark.parametrize(("ratio", "exception", "fragment"), [
    (D("0.5"), False, None),
    (D("1"), False, None),
    ("0.3", False, "低于规定的 50%"),
    ("0.3", True, None),
    (D("0"), True, "不在 0 与 100% 之间"),
    (D("1.2"), True, "120%"),
])
def test_payment_ratio(ratio, exception, fragment):
    problem = m.check_payment_ratio(ratio, approved_exception=exception)
    assert problem is None if fragment is None else fragment in problem


def test_payment_ratio_minimum_is_a_parameter():
    assert "60%" in m.check_payment_ratio(D("0.55"), minimum=D("0.6"))
    assert m.check_payment_ratio(D("0.45"), minimum=D("0.4")) is None


def test_amounts_due_and_deposit():
    assert m.amount_now(D("782517.50"), D("0.7")) == D("547762.25")
    assert m.deposit_due(D("782517.50"), D("1"), deposit_amount=D("20000")) is None  # full payment: omitted
    assert m.deposit_due(D("782517.50"), D("0.5"), deposit_amount=20000) == D("20000.00")
    assert m.deposit_due(D("10000"), D("0.5"), deposit_amount=D("20000")) == D("5000.00")  # capped


@given(total=money, ratio=ratios)
def test_amount_now_never_exceeds_total_and_is_to_the_fen(total, ratio):
    now = m.amount_now(total, ratio)
    assert D("0") <= now <= total
    assert now == now.quantize(D("0.01"))


def test_receipts_with_a_reversal():
    covered, outstanding = m.receipts_cover(D("100000"), [D("60000"), D("-60000"), D("60000"), D("40000")])
    assert covered and outstanding == D("0.00")
    assert m.receipts_cover(D("100000"), [D("60000")]) == (False, D("40000.00"))
    assert m.receipts_cover(D("100000"), [D("100000.01")]) == (True, D("-0.01"))  # overpaid
    assert m.receipts_cover(D("0"), []) == (True, D("0.00"))


@given(due=money, receipts=st.lists(money, max_size=6))
def test_covered_exactly_when_the_sum_reaches_the_amount(due, receipts):
    covered, outstanding = m.receipts_cover(due, receipts)
    assert covered == (sum(receipts, D("0")) >= due)
    assert outstanding == due - sum(receipts, D("0"))
    # a receipt and its reversal change nothing
    assert m.receipts_cover(due, [*receipts, D("123.45"), D("-123.45")]) == (covered, outstanding)


def test_rename_fee():
    assert m.rename_fee(market_price_total=D("1000000"), contract_total=D("800000")) == D("100000.00")
    assert m.rename_fee(market_price_total=D("700000"), contract_total=D("800000")) == D("0.00")
    assert m.rename_fee(market_price_total=D("1000000"), contract_total=D("800000"),
                        between_listed_names=True) == D("0.00")
    assert m.rename_fee(market_price_total=D("1000000"), contract_total=D("800000"), share=D("0.3")) == D("60000.00")


@given(market=money, contract=money, share=st.decimals(min_value=D("0"), max_value=D("1"), places=2))
def test_rename_fee_is_never_negative_nor_more_than_the_gain(market, contract, share):
    fee = m.rename_fee(market_price_total=market, contract_total=contract, share=share)
    assert D("0") <= fee <= max(market - contract, D("0")) + D("0.005")


def test_loan_switch_fee_range():
    assert m.loan_switch_fee_problem(D("1000")) is None and m.loan_switch_fee_problem(3000) is None
    assert "1,000 至 3,000 元" in m.loan_switch_fee_problem(D("999.99"))
    assert "3,500.00 元" in m.loan_switch_fee_problem(D("3500"))
    assert m.loan_switch_fee_problem(D("500"), low=D("500"), high=D("800")) is None


def test_relationship_unit_deadline_skips_weekends_and_holidays():
    thursday = date(2026, 3, 5)
    assert m.relationship_unit_deadline(thursday) == date(2026, 3, 12)  # Fri, Mon–Thu
    # 国庆 2026: 1–7 October off, Saturday 10 October worked (调休)
    holidays = [date(2026, 10, d) for d in range(1, 8)]
    deadline = m.relationship_unit_deadline(date(2026, 9, 30), holidays, extra_workdays=[date(2026, 10, 10)])
    assert deadline == date(2026, 10, 13)  # 8, 9, 10 (Sat, worked), 12, 13
    assert m.relationship_unit_deadline(date(2026, 9, 30), holidays) == date(2026, 10, 14)


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 1, 1)), n=st.integers(1, 20),
       holidays=st.sets(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 3, 1)), max_size=10))
def test_deadline_is_a_working_day_with_exactly_n_working_days(start, n, holidays):
    deadline = m.relationship_unit_deadline(start, holidays, working_days=n)
    assert deadline.weekday() < 5 and deadline not in holidays
    days = [start + timedelta(days=i) for i in range(1, (deadline - start).days + 1)]
    assert sum(d.weekday() < 5 and d not in holidays for d in days) == n
