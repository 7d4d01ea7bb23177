"""Money rules of the house-selection desk (选房): payment ratio, deposit (封户费), receipts, fees.

Every number of the regulations is a parameter; the constants below are the regulation's defaults,
which the settings start from. Amounts are Decimal to the fen (ROUND_HALF_UP); refusals are Chinese.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.domain.pricing import CENT, dec

MIN_PAYMENT_RATIO = Decimal("0.5")  # 付款比例不低于 50%
RENAME_SHARE = Decimal("0.5")  # 更名费:(市场价 − 合同价) × 50%
LOAN_SWITCH_FEE_LOW = Decimal("1000")  # 一次性付款改按揭:1,000–3,000 元
LOAN_SWITCH_FEE_HIGH = Decimal("3000")
PAPERWORK_WORKING_DAYS = 5  # 关系房电话审批后 5 个工作日内补办书面手续


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


def check_payment_ratio(ratio, *, minimum=MIN_PAYMENT_RATIO, approved_exception: bool = False) -> str | None:
    """Why the payment ratio (付款比例, 0–1) cannot be accepted, or None.

    Below the minimum is allowed only with an approved exception (特批).
    """
    ratio, minimum = dec(ratio), dec(minimum)
    if ratio <= 0 or ratio > 1:
        return f"付款比例 {_percent(ratio)} 不在 0 与 100% 之间:请重新填写。"
    if ratio < minimum and not approved_exception:
        return (f"付款比例 {_percent(ratio)} 低于规定的 {_percent(minimum)}:"
                "请提高付款比例,或先取得特批后再开票。")
    return None


def amount_now(total, ratio) -> Decimal:
    """本次应付 = 总价 × 付款比例, to the fen."""
    return _money(dec(total) * dec(ratio))


def deposit_due(total, ratio, *, deposit_amount) -> Decimal | None:
    """封户费 stated on the ticket; None (omitted) for full payment (ratio 1).

    The deposit is part of the first payment, so it never exceeds the amount due now.
    """
    if dec(ratio) >= 1:
        return None
    return min(_money(dec(deposit_amount)), amount_now(total, ratio))


def receipts_cover(amount_due, receipts: Iterable) -> tuple[bool, Decimal]:
    """(covered, outstanding): receipts add up to the amount due? Reversal receipts (红字) are negative.

    outstanding = due − received; negative means overpaid, which the desk settles by a reversal.
    """
    received = sum((dec(r) for r in receipts), Decimal("0"))
    outstanding = _money(dec(amount_due) - received)
    return outstanding <= 0, outstanding


def rename_fee(*, market_price_total, contract_total, share=RENAME_SHARE, between_listed_names: bool = False
               ) -> Decimal:
    """更名费 = (comparable market price − contract price) × share, never negative.

    Renaming between names on the approved list is free (between_listed_names=True).
    """
    if between_listed_names:
        return Decimal("0.00")
    gain = dec(market_price_total) - dec(contract_total)
    return _money(max(gain, Decimal("0")) * dec(share))


def loan_switch_fee_problem(fee, *, low=LOAN_SWITCH_FEE_LOW, high=LOAN_SWITCH_FEE_HIGH) -> str | None:
    """Why the fee for switching from lump sum to a loan (改按揭手续费) is out of range, or None."""
    fee, low, high = dec(fee), dec(low), dec(high)
    if not low <= fee <= high:
        return f"改按揭手续费应在 {low:,.0f} 至 {high:,.0f} 元之间,现为 {fee:,.2f} 元:请按规定收取。"
    return None


def relationship_unit_deadline(phone_approved_on: date, holidays: Iterable[date] = (), *,
                               working_days: int = PAPERWORK_WORKING_DAYS,
                               extra_workdays: Iterable[date] = ()) -> date:
    """Last day for the paperwork of a 关系房 approved by the GM on the phone (电话审批).

    Counts `working_days` working days after the approval day: weekends and `holidays` are skipped;
    `extra_workdays` are weekend days worked in exchange for a holiday (调休上班日).
    """
    if working_days < 1:
        raise ValueError("working_days must be at least 1")
    holidays, extra = set(holidays), set(extra_workdays)
    day, counted = phone_approved_on, 0
    while counted < working_days:
        day += timedelta(days=1)
        if day in extra or (day.weekday() < 5 and day not in holidays):
            counted += 1
    return day
