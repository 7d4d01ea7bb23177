"""Daily reconciliation (每日对账) and deadlines (选房截止 / 交款截止) of the house-selection desk.

Pure rules over plain values; the service reads the documents and hands them in.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TicketDue:
    """A ticket issued that day (not cancelled) and what it asks to be paid now (本次应付)."""

    number: str
    buyer: str
    due: Decimal


@dataclass(frozen=True)
class ReceiptLine:
    """A receipt issued that day; red-letter receipts carry a negative amount."""

    number: str
    ticket_number: str
    buyer: str
    method: str  # 现金 / 转账 / 刷卡 / 结转
    purpose: str  # deposit / payment / extra / transfer / rename_fee / loan_fee
    amount: Decimal


@dataclass(frozen=True)
class Difference:
    ticket_number: str
    buyer: str
    due: Decimal
    received: Decimal
    note: str

    @property
    def gap(self) -> Decimal:
        """received − due: negative when money is still outstanding."""
        return self.received - self.due


@dataclass(frozen=True)
class Reconciliation:
    by_method: dict[str, Decimal]
    by_purpose: dict[str, Decimal]
    received: Decimal  # every receipt of the day, fees included
    due: Decimal  # the day's tickets
    house_received: Decimal  # the house payments matched against the day's tickets
    differences: tuple[Difference, ...]


def _add(totals: dict[str, Decimal], key: str, amount: Decimal) -> None:
    totals[key] = totals.get(key, ZERO) + amount


def reconcile(tickets: Iterable[TicketDue], receipts: Iterable[ReceiptLine], *,
              house_purposes: Collection[str]) -> Reconciliation:
    """Receipts by method and purpose against the amounts due of the day's tickets.

    A difference is listed for every ticket of the day whose house payments that day are not exactly what
    it asks now (少收 / 多收), and for house payments that day on tickets issued earlier (前期票款), which the
    cashier explains from the earlier day's list.
    """
    tickets, receipts = list(tickets), list(receipts)
    by_method: dict[str, Decimal] = {}
    by_purpose: dict[str, Decimal] = {}
    per_ticket: dict[str, Decimal] = {}
    earlier: dict[str, tuple[str, Decimal]] = {}
    day_numbers = {t.number for t in tickets}
    for r in receipts:
        _add(by_method, r.method, r.amount)
        _add(by_purpose, r.purpose, r.amount)
        if r.purpose not in house_purposes:
            continue
        if r.ticket_number in day_numbers:
            _add(per_ticket, r.ticket_number, r.amount)
        else:
            buyer, total = earlier.get(r.ticket_number, (r.buyer, ZERO))
            earlier[r.ticket_number] = (buyer, total + r.amount)
    differences = []
    for t in tickets:
        got = per_ticket.get(t.number, ZERO)
        if got != t.due:
            note = "未收款" if got == 0 else ("少收" if got < t.due else "多收")
            differences.append(Difference(t.number, t.buyer, t.due, got, note))
    differences += [Difference(n, buyer, ZERO, got, "前期票款") for n, (buyer, got) in earlier.items() if got]
    return Reconciliation(by_method, by_purpose, sum((r.amount for r in receipts), ZERO),
                          sum((t.due for t in tickets), ZERO), sum(per_ticket.values(), ZERO), tuple(differences))


@dataclass(frozen=True)
class BuyerState:
    list_no: int
    name: str
    draw_order: int | None
    called: bool
    has_flat: bool


@dataclass(frozen=True)
class TicketState:
    number: str
    buyer: str
    due: Decimal
    paid: Decimal


@dataclass(frozen=True)
class Late:
    """One line of the 逾期名单."""

    what: str  # 逾期未选房 / 逾期未交足房款
    name: str
    reference: str  # 序号 n or the ticket number
    detail: str
    short: Decimal = ZERO


def deadline_problem(choose: datetime | None, pay: datetime | None) -> str | None:
    if choose and pay and pay < choose:
        return "交款截止时间不能早于选房截止时间:请重新填写。"
    return None


def late(*, now: datetime, choose_deadline: datetime | None, pay_deadline: datetime | None,
         buyers: Iterable[BuyerState], tickets: Iterable[TicketState]) -> list[Late]:
    """After the choose deadline: eligible buyers without a flat (called or not); after the pay deadline:
    tickets whose house payments do not cover what they ask now."""
    out = []
    if choose_deadline is not None and now > choose_deadline:
        waiting = sorted((b for b in buyers if not b.has_flat),
                         key=lambda b: (b.draw_order is None, b.draw_order or 0, b.list_no))
        out += [Late("逾期未选房", b.name, f"序号 {b.list_no}",
                     ("已叫号未选房" if b.called else "未到场/未叫号")
                     + (f",顺序号 {b.draw_order}" if b.draw_order else "")) for b in waiting]
    if pay_deadline is not None and now > pay_deadline:
        out += [Late("逾期未交足房款", t.buyer, t.number, f"应付 {t.due:,.2f} 元,已付 {t.paid:,.2f} 元",
                     t.due - t.paid) for t in tickets if t.paid < t.due]
    return out
