"""Relationship flats (关系房, DOMAIN.md §5): the rules over plain values.

A relationship flat is sold on an approval naming the average price, the payment ratio and the payment
deadline: a paper approval (书面审批), or in urgency the general manager's phone approval (总经理电话审批)
whose paperwork is due within `selection.relationship_paperwork_days` working days (weekends, the rest days
of `selection.rest_days` skipped, the make-up working days of `selection.extra_workdays` counted). A
handler (经办人) whose paperwork is overdue gets no further flats (不予发放再次申请房源). A buyer who has not
paid the approved ratio by the deadline moves to the new price policy (转新价格政策): the approval lapses and
the flat goes back to the normal price list.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.pricing import CENT, dec
from app.domain.selection_money import relationship_unit_deadline
from app.domain.visit_rules import Holiday, _occurs

KINDS = {"paper": "书面审批", "phone": "总经理电话审批"}
STATES = {"active": "有效", "withdrawn": "已撤销", "lapsed": "已转新价格政策"}
NEW_PRICE_POLICY = "转新价格政策"

_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def percent(ratio) -> str:
    return f"{(dec(ratio) * 100).normalize():f}%"


def parse_days(text: str) -> tuple[list[date], list[str]]:
    """'2026-02-14; 2026-02-28' → dates, and the parts that are not such a date."""
    out, bad = [], []
    for part in re.split(r"[;；,，\s]+", text or ""):
        if not part:
            continue
        m = _DAY.fullmatch(part)
        try:
            if not m:
                raise ValueError(part)
            out.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            bad.append(part)
    return out, bad


def rest_dates(holidays: Iterable[Holiday], years: Iterable[int]) -> set[date]:
    """The rest days of the given years: yearly entries in each year, dated entries in theirs."""
    holidays, out = list(holidays), set()
    for year in years:
        out |= {_occurs(h.month, h.day, year) for h in holidays if h.year in (None, year)}
    return out


def paperwork_due(phoned_on: date, *, working_days: int, holidays: Iterable[Holiday] = (),
                  extra_workdays: Iterable[date] = ()) -> date:
    """The last day for the paper approval after a phone approval on `phoned_on`."""
    years = range(phoned_on.year, phoned_on.year + 2)  # 60 working days never reach two years on
    return relationship_unit_deadline(phoned_on, rest_dates(holidays, years), working_days=working_days,
                                      extra_workdays=extra_workdays)


def paperwork_status(due: date, today: date) -> str:
    """'还有 3 天' / '今天到期' / '逾期 2 天' for the 补办书面手续 list."""
    days = (due - today).days
    if days > 0:
        return f"还有 {days} 天"
    return "今天到期" if days == 0 else f"逾期 {-days} 天"


def first_payment(total, ratio) -> Decimal:
    """What the approved ratio asks first: total × ratio, to the fen."""
    return (dec(total) * dec(ratio)).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio_problem(ratio, approved) -> str | None:
    """Why a ticket's payment ratio does not meet the approved one, or None."""
    if dec(ratio) < dec(approved):
        return (f"关系房审批的交款比例为 {percent(approved)},本票付款比例 {percent(ratio)} 低于审批比例,"
                f"不能开票:请按不低于 {percent(approved)} 的比例开票。")
    return None


def is_late(*, today: date, pay_deadline: date, paid, required) -> bool:
    """Past the approved deadline without the approved first payment (required is None: no ticket yet)."""
    if today <= pay_deadline:
        return False
    return required is None or dec(paid) < dec(required)
