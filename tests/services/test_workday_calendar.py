"""The working-day calendar from the `holidays` package with the settings as overrides; the due dates using it."""
from __future__ import annotations

from datetime import date

from app import settings
from app.domain import visit_rules
from app.services import workdays


def test_statutory_holidays_and_make_up_days_come_from_the_package(sqlite_db):
    cal = workdays.for_db(sqlite_db, date(2026, 10, 1))
    assert not cal.is_working_day(date(2026, 10, 1)) and "国庆" in cal.name(date(2026, 10, 1))
    assert not cal.is_working_day(date(2026, 2, 17)) and "春节" in cal.name(date(2026, 2, 17))
    assert cal.is_working_day(date(2026, 2, 14)) and cal.name(date(2026, 2, 14)) == "调休上班"  # a Saturday
    assert not cal.is_working_day(date(2027, 10, 1))  # the next year is there too


def test_the_settings_override_the_package(sqlite_db):
    settings.put(sqlite_db, "workdays.rest_days", "2026-12-07 公司年会; 06-01 儿童节")
    settings.put(sqlite_db, "workdays.extra_workdays", "2026-10-08")
    cal = workdays.for_db(sqlite_db, date(2026, 12, 1))
    assert not cal.is_working_day(date(2026, 12, 7)) and cal.name(date(2026, 12, 7)) == "公司年会"
    assert not cal.is_working_day(date(2027, 6, 1))  # a yearly rest day
    assert cal.is_working_day(date(2026, 10, 8))
    assert cal.add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 8)  # Fri → Tue: weekend and 年会 skipped


def test_the_market_report_moves_off_a_holiday_monday(sqlite_db):
    settings.put(sqlite_db, "workdays.rest_days", "2026-12-07 公司休息日")  # the first Monday of December
    cal = workdays.for_db(sqlite_db, date(2026, 12, 1))
    assert visit_rules.market_report_due(date(2026, 12, 1)) == date(2026, 12, 7)
    assert visit_rules.market_report_due(date(2026, 12, 1), calendar=cal) == date(2026, 12, 8)
    assert visit_rules.market_report_due(date(2026, 12, 9), calendar=cal) == date(2027, 1, 4)
