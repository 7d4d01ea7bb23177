"""共管账户对账 — the joint account's bank balance against the money the desks received, with the difference
explained. Pure: the service hands in the receipts (day, method, amount) and the balance the bank stated.

Money through 结转 (a rename's carry-over pair) never touches the bank and nets to zero; 现金 is taken at the
desk and reaches the account when it is paid in; 刷卡 usually arrives the next working day (T+1).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
NOT_BANKED = "结转"


@dataclass(frozen=True)
class DayLine:
    """One day and payment method: receipts net of refunds and reversals."""

    day: date
    method: str
    count: int
    amount: Decimal
    running: Decimal  # money received up to and including this line


@dataclass(frozen=True)
class BankReconciliation:
    as_of: date
    balance: Decimal  # as stated by the bank for the end of as_of
    received: Decimal  # everything the desks received up to as_of, net of refunds (结转 excluded)
    cash: Decimal  # of which in cash
    card_on_day: Decimal  # of which by card on as_of itself (T+1)
    lines: tuple[DayLine, ...]
    difference: Decimal  # balance − received
    explanation: str


def reconcile_bank(*, receipts: Iterable[tuple[date, str, Decimal]], balance: Decimal, as_of: date,
                   opening: Decimal = ZERO) -> BankReconciliation:
    """`receipts` are (business day, method, amount) of every receipt; those after as_of are left out."""
    totals: dict[tuple[date, str], tuple[int, Decimal]] = {}
    for day, method, amount in receipts:
        if day > as_of or method == NOT_BANKED:
            continue
        count, total = totals.get((day, method), (0, ZERO))
        totals[(day, method)] = (count + 1, total + Decimal(amount))
    lines, running = [], Decimal(opening)
    for (day, method), (count, amount) in sorted(totals.items()):
        running += amount
        lines.append(DayLine(day, method, count, amount, running))
    received = sum((line.amount for line in lines), ZERO)
    cash = sum((line.amount for line in lines if line.method == "现金"), ZERO)
    card_today = sum((line.amount for line in lines if line.method == "刷卡" and line.day == as_of), ZERO)
    difference = Decimal(balance) - Decimal(opening) - received
    return BankReconciliation(as_of, Decimal(balance), received, cash, card_today, tuple(lines), difference,
                              explain(difference, cash=cash, card_on_day=card_today))


def explain(difference: Decimal, *, cash: Decimal, card_on_day: Decimal) -> str:
    """The usual reasons a joint account differs from the receipts, in the cashier's words."""
    if difference == 0:
        return "银行余额与收款合计相符。"
    candidates = [(cash, f"现金收款 {cash:,.2f} 元尚未存入共管账户"),
                  (card_on_day, f"当日刷卡 {card_on_day:,.2f} 元次日(T+1)到账"),
                  (cash + card_on_day, f"现金 {cash:,.2f} 元未存入且当日刷卡 {card_on_day:,.2f} 元次日到账")]
    for amount, why in candidates:
        if amount and difference == -amount:
            return f"银行余额比收款合计少 {amount:,.2f} 元:{why}。"
    side = "多" if difference > 0 else "少"
    return (f"银行余额比收款合计{side} {abs(difference):,.2f} 元,不能由现金未存或刷卡未到账解释:"
            "请核对银行流水与收据(漏开收据、错记付款方式或银行费用)。")
