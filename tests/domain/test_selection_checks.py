"""每日对账 and 逾期名单 as pure rules."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from app.domain.selection_checks import (
    BuyerState,
    ReceiptLine,
    TicketDue,
    TicketState,
    deadline_problem,
    late,
    reconcile,
)

HOUSE = {"deposit", "payment", "extra", "transfer"}


def test_reconcile_totals_and_lists_the_differences():
    tickets = [TicketDue("XP-1", "张伟", D("100")), TicketDue("XP-2", "王芳", D("200")),
               TicketDue("XP-3", "李娜", D("50"))]
    receipts = [ReceiptLine("SJ-1", "XP-1", "张伟", "现金", "deposit", D("20")),
                ReceiptLine("SJ-2", "XP-1", "张伟", "转账", "payment", D("80")),
                ReceiptLine("SJ-3", "XP-2", "王芳", "刷卡", "payment", D("150")),
                ReceiptLine("SJ-4", "XP-2", "王芳", "现金", "rename_fee", D("9")),
                ReceiptLine("SJ-5", "XP-0", "刘洋", "转账", "extra", D("30")),
                ReceiptLine("SJ-6", "XP-0", "刘洋", "转账", "extra", D("-30")),
                ReceiptLine("SJ-7", "XP-9", "陈静", "转账", "payment", D("5"))]
    r = reconcile(tickets, receipts, house_purposes=HOUSE)
    assert r.by_method == {"现金": D("29"), "转账": D("85"), "刷卡": D("150")}
    assert r.by_purpose["payment"] == D("235") and r.by_purpose["rename_fee"] == D("9")
    assert (r.received, r.due, r.house_received) == (D("264"), D("350"), D("250"))
    got = {(d.ticket_number, d.note, d.gap) for d in r.differences}
    # XP-1 is exact; a fee never pays for a flat; an earlier ticket's payment reversed the same day nets out
    assert got == {("XP-2", "少收", D("-50")), ("XP-3", "未收款", D("-50")), ("XP-9", "前期票款", D("5"))}


def test_late_only_after_each_deadline():
    now = datetime(2026, 5, 10, 12, tzinfo=UTC)
    buyers = [BuyerState(1, "张伟", 2, True, False), BuyerState(2, "王芳", 1, False, True),
              BuyerState(3, "李娜", None, False, False)]
    tickets = [TicketState("XP-2", "王芳", D("100"), D("40")), TicketState("XP-3", "刘洋", D("100"), D("100"))]
    assert late(now=now, choose_deadline=None, pay_deadline=now + timedelta(hours=1), buyers=buyers,
                tickets=tickets) == []
    rows = late(now=now, choose_deadline=now - timedelta(days=1), pay_deadline=now - timedelta(hours=1),
                buyers=buyers, tickets=tickets)
    assert [(r.what, r.name) for r in rows] == [("逾期未选房", "张伟"), ("逾期未选房", "李娜"),
                                                ("逾期未交足房款", "王芳")]
    assert "已叫号未选房" in rows[0].detail and rows[2].short == D("60")
    assert deadline_problem(now, now - timedelta(days=1)) and deadline_problem(now, now) is None
