"""The monthly backup rule: due once the scheduled day has come and no backup was made since."""
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.backup_schedule import due, most_recent_scheduled, scheduled_day

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))
days = st.integers(min_value=1, max_value=31)


def test_the_first_of_the_month_by_default():
    assert due(datetime(2025, 3, 1, 9), datetime(2025, 3, 20), 1) is False
    assert due(datetime(2025, 2, 28, 23), datetime(2025, 3, 1, 0, 5), 1) is True
    assert due(None, datetime(2025, 3, 20), 1) is True  # never backed up


def test_day_31_in_a_short_month_is_its_last_day():
    assert most_recent_scheduled(datetime(2025, 2, 28, 8), 31) == datetime(2025, 2, 28)
    assert most_recent_scheduled(datetime(2024, 2, 29, 8), 31) == datetime(2024, 2, 29)
    assert most_recent_scheduled(datetime(2025, 4, 29), 31) == datetime(2025, 3, 31)
    assert due(datetime(2025, 3, 31, 10), datetime(2025, 4, 30, 1), 31) is True


@given(now=moments, day=days)
def test_a_backup_made_now_is_not_due_again_before_the_next_scheduled_day(now, day):
    assert not due(now, now, day)
    scheduled = most_recent_scheduled(now, day)
    assert scheduled <= now < scheduled + timedelta(days=32)
    assert scheduled.day == day or scheduled.day >= 28  # clipped only at the end of a short month


def _scheduled_days_between(last, now, day):
    """Oracle: walk the months and list scheduled midnights in (last, now]."""
    found, year, month = [], last.year, last.month
    while (year, month) <= (now.year, now.month):
        midnight = datetime.combine(scheduled_day(year, month, day), datetime.min.time())
        if last < midnight <= now:
            found.append(midnight)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


@given(now=moments, day=days, gap=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=400)))
def test_due_exactly_when_a_scheduled_day_has_passed_since_the_last_backup(now, day, gap):
    last = now - gap
    assert due(last, now, day) == bool(_scheduled_days_between(last, now, day))
    assert due(now - timedelta(days=62), now, day)  # never more than a month without a backup
