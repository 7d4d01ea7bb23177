"""Monthly backup schedule (每月定期备份): when the next scheduled backup is due.

A day beyond the month's length (31 in April) means the month's last day.
"""
from __future__ import annotations

import calendar
from datetime import date, datetime


def scheduled_day(year: int, month: int, day_of_month: int) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(max(day_of_month, 1), last))


def most_recent_scheduled(now: datetime, day_of_month: int) -> datetime:
    """Midnight of the latest scheduled day on or before now."""
    this_month = scheduled_day(now.year, now.month, day_of_month)
    if now.date() < this_month:
        year, month = (now.year - 1, 12) if now.month == 1 else (now.year, now.month - 1)
        this_month = scheduled_day(year, month, day_of_month)
    return datetime.combine(this_month, datetime.min.time())


def due(last_backup_at: datetime | None, now: datetime, day_of_month: int) -> bool:
    """Due when no backup was made since the most recent scheduled day (never backed up: due)."""
    if last_backup_at is None:
        return True
    return last_backup_at < most_recent_scheduled(now, day_of_month)
