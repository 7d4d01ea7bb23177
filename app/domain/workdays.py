"""Working days (工作日): China's statutory holidays and make-up working days (法定节假日与调休上班), with the
business's own overrides — pure; the service (app.services.workdays) fills it from the maintained `holidays`
package and the settings.

A day is a working day when it is named as one (调休上班日, or an override), else not when it is a rest day (a
statutory holiday or an override), else when it is Monday–Friday. Every due date counted in working days uses
this one calendar: the 关系房 paperwork, the complaint and inquiry clocks, the tour notice, the market report.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class WorkCalendar:
    rest: Mapping[date, str] = field(default_factory=dict)  # rest days with their names (春节, 国庆节, 公司休息日)
    work: frozenset[date] = frozenset()  # weekend (or holiday) days worked: 调休上班

    def is_working_day(self, day: date) -> bool:
        if day in self.work:
            return True
        if day in self.rest:
            return False
        return day.weekday() < 5

    def name(self, day: date) -> str:
        """'春节' for a rest day, '调休上班' for a make-up working day, '' otherwise (weekends unnamed)."""
        if day in self.work:
            return "调休上班"
        return self.rest.get(day, "")

    def next_working_day(self, day: date) -> date:
        """The day itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n ≥ 1; the day itself does not count)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            counted += self.is_working_day(day)
        return day

    def subtract_working_days(self, day: date, n: int) -> date:
        """The n-th working day before `day` (n ≥ 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        counted = 0
        while counted < n:
            day -= timedelta(days=1)
            counted += self.is_working_day(day)
        return day

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """`start` (local, aware) plus `hours` counted on working days only: a 24-hour clock started on a
        Friday afternoon runs out on Monday afternoon; one started on a holiday starts at the next working
        day's midnight."""
        left = timedelta(hours=hours)
        at = start
        for _ in range(3660):  # ten years of days: a calendar cannot hold the clock longer
            day = at.date()
            midnight = datetime.combine(day + timedelta(days=1), time.min, at.tzinfo)
            if not self.is_working_day(day):
                at = midnight
                continue
            if at + left <= midnight:
                return at + left
            left -= midnight - at
            at = midnight
        raise ValueError("no working days in ten years")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count
