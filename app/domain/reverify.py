"""Quarterly re-verification of archives (每季度重新核定): when a card is due or overdue."""
from __future__ import annotations

from datetime import date, timedelta

OK, DUE, OVERDUE = "ok", "due", "overdue"
LABELS = {OK: "正常", DUE: "即将到期", OVERDUE: "已逾期"}  # as documents print them


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def next_due(last_verified: date, interval_months: int = 3) -> date:
    return add_months(last_verified, interval_months)


def status(last_verified: date | None, today: date, *, interval_months: int = 3, warn_days: int = 14) -> str:
    """overdue once the interval has passed; due within warn_days before; a never-verified card is overdue."""
    if last_verified is None:
        return OVERDUE
    due = next_due(last_verified, interval_months)
    if today > due:
        return OVERDUE
    if today >= due - timedelta(days=warn_days):
        return DUE
    return OK


def cutoffs(today: date, *, interval_months: int = 3, warn_days: int = 14) -> tuple[date, date]:
    """(overdue_before, due_before): last_verified < overdue_before is overdue; < due_before is due or worse."""
    overdue_before = add_months(today, -interval_months)
    due_before = add_months(today + timedelta(days=warn_days), -interval_months) + timedelta(days=1)
    return overdue_before, due_before
