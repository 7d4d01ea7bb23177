"""Complaints (客户投诉): channels, causes, the response clock and the steps to a satisfied close.

DOMAIN.md §4: received through any channel, answered within 24 hours (setting `complaints.response_hours`),
investigated, handled, fed back until the customer is satisfied; causes analysed periodically.
Steps: received → (answered) investigating → handling → feedback → closed; feedback the customer is not
satisfied with goes back to handling.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CHANNELS = {"phone": "电话", "visit": "来访", "letter": "信函", "email": "电子邮件", "web": "网站", "fax": "传真",
            "other": "其他"}
CAUSES = {"quality": "产品质量", "service": "服务态度", "delivery": "交付延误", "price": "价格", "contract": "合同履约",
          "billing": "账务", "other": "其他"}
STATUS = {"received": "已受理", "investigating": "调查中", "handling": "处理中", "feedback": "待客户反馈",
          "closed": "已结案"}

DEFAULTS: dict[str, Any] = {"complaints.response_hours": 24}

# action → (states it may start from, state it leads to)
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "answer": (("received",), "investigating"),
    "investigate": (("investigating",), "handling"),
    "handle": (("handling",), "feedback"),
    "satisfied": (("feedback",), "closed"),
    "not_satisfied": (("feedback",), "handling"),
}
STEP_LABELS = {"receive": "受理", "answer": "答复客户", "investigate": "调查结论", "handle": "处理结果",
               "satisfied": "客户满意,结案", "not_satisfied": "客户不满意,重新处理"}


def respond_by(rules: Mapping[str, Any], received_at: datetime, calendar=None, zone=None) -> datetime:
    """The answer deadline: `complaints.response_hours` (24) after receipt — counted on working days when a
    working-day calendar (app.domain.workdays, with the business's zone) is given: a complaint taken on a
    Friday afternoon is due on Monday afternoon, one taken during 国庆节 a day after the holiday begins to end."""
    hours = int({**DEFAULTS, **rules}["complaints.response_hours"])
    if calendar is None:
        return received_at + timedelta(hours=hours)
    local = received_at.astimezone(zone) if zone is not None else received_at
    return calendar.add_working_hours(local, hours).astimezone(received_at.tzinfo)


def next_status(status: str, action: str) -> str | None:
    """The state after the action, or None when it is not allowed from this state."""
    starts, to = STEPS.get(action, ((), ""))
    return to if status in starts else None


def is_overdue(*, respond_by: datetime, answered_at: datetime | None, now: datetime) -> bool:
    """Not answered in time: still unanswered after the deadline, or answered late."""
    return (answered_at or now) > respond_by


@dataclass(frozen=True)
class ServiceFigures:
    """投诉处理指标 of a list of complaints (DOMAIN.md §6: resolution rate, satisfaction, response and
    resolution times). Rates are None when there is nothing to divide by."""

    count: int
    overdue: int  # not answered within the clock: answered late, or still unanswered past it (超时)
    waiting_overdue: int  # of which still unanswered
    closed: int
    resolution_rate: Decimal | None  # closed / all (结案率)
    satisfaction: Decimal | None  # feedback the customer was satisfied with / all feedback given (满意率)
    response_hours: Decimal | None  # mean hours from receipt to the answer, answered ones
    resolution_hours: Decimal | None  # mean hours from receipt to the close, closed ones


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP) if whole else None


def _mean_hours(spans: list[timedelta]) -> Decimal | None:
    if not spans:
        return None
    seconds = sum(s.total_seconds() for s in spans) / len(spans)
    return (Decimal(str(seconds)) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)


def service_figures(rows: Iterable, *, satisfied: int, not_satisfied: int) -> ServiceFigures:
    """From rows with received_at, answered_at, closed_at, overdue (as listed) and the feedback counts."""
    rows = list(rows)
    overdue = [r for r in rows if r.overdue]
    closed = [r for r in rows if r.closed_at is not None]
    return ServiceFigures(
        len(rows), len(overdue), sum(1 for r in overdue if r.answered_at is None), len(closed),
        _rate(len(closed), len(rows)), _rate(satisfied, satisfied + not_satisfied),
        _mean_hours([r.answered_at - r.received_at for r in rows if r.answered_at is not None]),
        _mean_hours([r.closed_at - r.received_at for r in closed]))


def cause_table(rows: Iterable[tuple[str, date]]) -> tuple[list[str], list[tuple[str, list[int], int]]]:
    """(months 'YYYY-MM' ascending, [(cause label, counts per month, total)] most frequent first)."""
    counts: dict[str, dict[str, int]] = {}
    months: set[str] = set()
    for cause, day in rows:
        m = f"{day.year:04d}-{day.month:02d}"
        months.add(m)
        counts.setdefault(cause, {})[m] = counts.get(cause, {}).get(m, 0) + 1
    order = sorted(months)
    table = [(CAUSES.get(c, c), [per.get(m, 0) for m in order], sum(per.values())) for c, per in counts.items()]
    table.sort(key=lambda t: (-t[2], t[0]))
    return order, table
