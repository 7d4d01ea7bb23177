"""Inquiries and correspondence (询价与函电, DOMAIN.md §3.2): every customer inquiry answered within 24 hours.

客户分级管理制度: "营销部对所有客户询价及其他函电,必须在24小时内予以答复" — the clock is the setting
`inquiries.response_hours` (24) counted on working days (app.domain.workdays), like the complaint clock.
An inquiry is overdue when it was answered after the deadline or is still unanswered past it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.domain.complaints import CHANNELS, is_overdue

KINDS = {"price": "询价", "delivery": "交期", "terms": "付款与合同条款", "product": "产品与技术", "other": "其他函电"}
DEFAULTS: dict[str, Any] = {"inquiries.response_hours": 24}
__all__ = ["CHANNELS", "KINDS", "DEFAULTS", "respond_by", "is_overdue", "Figures", "figures"]


def respond_by(rules: Mapping[str, Any], received_at: datetime, calendar=None, zone=None) -> datetime:
    """`inquiries.response_hours` after receipt, counted on working days when a calendar is given."""
    hours = int({**DEFAULTS, **rules}["inquiries.response_hours"])
    if calendar is None:
        return received_at + timedelta(hours=hours)
    local = received_at.astimezone(zone) if zone is not None else received_at
    return calendar.add_working_hours(local, hours).astimezone(received_at.tzinfo)


@dataclass(frozen=True)
class Figures:
    count: int
    answered: int
    overdue: int  # answered late or unanswered past the clock
    waiting_overdue: int
    on_time_rate: Decimal | None  # answered in time / all whose clock has run out or that were answered
    answer_hours: Decimal | None  # mean hours to the answer


def figures(rows: Iterable) -> Figures:
    """From rows with received_at, answered_at, overdue (as listed)."""
    rows = list(rows)
    answered = [r for r in rows if r.answered_at is not None]
    overdue = [r for r in rows if r.overdue]
    decided = len(answered) + sum(1 for r in overdue if r.answered_at is None)
    on_time = sum(1 for r in answered if not r.overdue)
    rate = (Decimal(on_time) / Decimal(decided)).quantize(Decimal("0.0001"), ROUND_HALF_UP) if decided else None
    hours = None
    if answered:
        seconds = sum((r.answered_at - r.received_at).total_seconds() for r in answered) / len(answered)
        hours = (Decimal(str(seconds)) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Figures(len(rows), len(answered), len(overdue), sum(1 for r in overdue if r.answered_at is None),
                   rate, hours)
