"""Working days (工作日): rest days, make-up working days (调休), the clocks that run on working days only."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from app.domain.workdays import WorkCalendar

BEIJING = timezone(timedelta(hours=8))
# 2026 National Day as the package has it: 1–7 October off, Sunday 20 September and Saturday 10 October worked
NATIONAL = WorkCalendar({date(2026, 10, d): "国庆节" for d in range(1, 8)},
                        frozenset({date(2026, 9, 20), date(2026, 10, 10)}))


def test_a_make_up_saturday_is_a_working_day_and_a_holiday_weekday_is_not():
    assert NATIONAL.is_working_day(date(2026, 10, 10)) and NATIONAL.name(date(2026, 10, 10)) == "调休上班"
    assert not NATIONAL.is_working_day(date(2026, 10, 5)) and NATIONAL.name(date(2026, 10, 5)) == "国庆节"
    assert not NATIONAL.is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert NATIONAL.next_working_day(date(2026, 10, 1)) == date(2026, 10, 8)
    assert NATIONAL.next_working_day(date(2026, 10, 8)) == date(2026, 10, 8)


@pytest.mark.parametrize(("start", "n", "due"), [
    (date(2026, 9, 30), 1, date(2026, 10, 8)),  # the day itself does not count; the holiday is skipped
    (date(2026, 9, 30), 3, date(2026, 10, 10)),  # Thu, Fri, and the make-up Saturday
    (date(2026, 9, 30), 4, date(2026, 10, 12)),
    (date(2026, 9, 18), 1, date(2026, 9, 20)),  # a worked Sunday counts
])
def test_working_days_after_a_day(start, n, due):
    assert NATIONAL.add_working_days(start, n) == due
    assert NATIONAL.working_days_between(start, due) == n
    assert NATIONAL.subtract_working_days(due, n) == start  # every start here is a working day


def test_a_24_hour_clock_runs_on_working_days_only():
    friday = datetime(2026, 11, 6, 15, 0, tzinfo=BEIJING)
    assert NATIONAL.add_working_hours(friday, 24) == datetime(2026, 11, 9, 15, 0, tzinfo=BEIJING)  # Monday
    tuesday = datetime(2026, 11, 3, 9, 0, tzinfo=BEIJING)
    assert NATIONAL.add_working_hours(tuesday, 24) == datetime(2026, 11, 4, 9, 0, tzinfo=BEIJING)
    in_the_holiday = datetime(2026, 10, 2, 10, 0, tzinfo=BEIJING)  # starts when work starts again
    assert NATIONAL.add_working_hours(in_the_holiday, 24) == datetime(2026, 10, 9, 0, 0, tzinfo=BEIJING)
    before = datetime(2026, 9, 30, 23, 0, tzinfo=BEIJING)  # one hour before the holiday, 23 after it
    assert NATIONAL.add_working_hours(before, 24) == datetime(2026, 10, 8, 23, 0, tzinfo=BEIJING)


def test_zero_days_is_refused():
    with pytest.raises(ValueError):
        NATIONAL.add_working_days(date(2026, 9, 30), 0)
