"""The working-day calendar (工作日历) every due date counts with: China's statutory holidays and make-up working
days from the maintained `holidays` package (holidays.China, names in Chinese; a new year's schedule arrives
with a package update — docs/routes.md § Working days says why a library and not a typed list), with the
business's overrides from the settings: `workdays.rest_days` (extra rest days, "2026-12-07 公司休息日" or
"月-日 名称" every year) and `workdays.extra_workdays` (days worked: a weekend 调休上班 the package lacks, or a
statutory day the company works).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

import holidays

from app import settings
from app.db import Database
from app.domain.selection_relationship import parse_days
from app.domain.visit_rules import _occurs, parse_holidays
from app.domain.workdays import WorkCalendar

SPAN = 2  # years either side of the day asked about: enough for every clock and notice


@lru_cache(maxsize=16)
def _statutory(years: tuple[int, ...]) -> tuple[dict[date, str], frozenset[date]]:
    cn = holidays.China(years=years, language="zh_CN")
    work = frozenset(d for d in cn.weekend_workdays if d.year in years)
    return {d: _short(name) for d, name in cn.items()}, work


def _short(name: str) -> str:
    """'休息日(由 2026-10-10 调休)' → '调休', '国庆节(补假)' kept: a calendar cell has room for a few characters."""
    if name.startswith("休息日"):
        return "调休"
    return name


def calendar(values: Mapping[str, Any], around: date) -> WorkCalendar:
    """The calendar of the years around `around`, overrides from `values` (settings.get_all)."""
    years = tuple(range(around.year - SPAN, around.year + SPAN + 1))
    rest, work = _statutory(years)
    rest = dict(rest)
    for h in parse_holidays(values.get("workdays.rest_days", ""))[0]:
        for year in years:
            if h.year in (None, year):
                rest[_occurs(h.month, h.day, year)] = h.name
    extra = frozenset(parse_days(values.get("workdays.extra_workdays", ""))[0])
    return WorkCalendar(rest, work | extra)


def for_db(db: Database, around: date) -> WorkCalendar:
    return calendar(settings.get_all(db), around)


def day_marks(db: Database, first: date, last: date) -> dict[date, tuple[str, bool]]:
    """The named days between first and last for the visit calendar: date → (name, is a rest day) — statutory
    holidays and the business's rest days (rest), 调休上班 Saturdays and Sundays (not rest)."""
    cal = for_db(db, first)
    out, day = {}, first
    while day <= last:
        if name := cal.name(day):
            out[day] = (name, not cal.is_working_day(day))
        day = date.fromordinal(day.toordinal() + 1)
    return out
