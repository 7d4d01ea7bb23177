"""The visit calendar's rules: frequency by grade, rotation, the market report, greetings, unsuitable times."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from app import settings
from app.domain import visit_rules as R

RULES = {k: o.default for k, o in settings.OPTIONS.items()}
A, B, C, D = (uuid.uuid4() for _ in range(4))


def test_a_customers_are_overdue_after_a_quarter_and_never_contacted_ones_come_first():
    today = date(2026, 11, 29)
    rows = [(A, "A", date(2026, 8, 1)), (B, "A", date(2026, 9, 15)), (C, "B", None), (D, "D", date(2020, 1, 1))]
    due = R.overdue(rows, today, RULES)
    assert [d.customer_id for d in due] == [C, A]  # D has no minimum by default; B was seen 75 days ago
    assert due[1].due_on == date(2026, 10, 30) and due[1].days_overdue == 30
    assert R.overdue(rows, today, RULES | {"visits.interval_days.D": 365})[1].customer_id == D


def test_rotation_lists_who_nobody_contacted_this_quarter_longest_unseen_first():
    today = date(2026, 11, 29)  # Q4 starts 2026-10-01
    rows = [(A, date(2026, 10, 1)), (B, date(2026, 9, 30)), (C, None), (D, date(2025, 1, 1))]
    assert R.rotation(rows, today) == [C, D, B]
    assert (R.quarter_start(today), R.quarter_end(today)) == (date(2026, 10, 1), date(2026, 12, 31))


def test_the_market_report_is_due_the_first_monday_of_the_month():
    assert R.market_report_due(date(2026, 11, 1)) == date(2026, 11, 2)
    assert R.market_report_due(date(2026, 11, 2)) == date(2026, 11, 2)
    assert R.market_report_due(date(2026, 11, 3)) == date(2026, 12, 7)
    assert R.market_report_due(date(2026, 12, 20)) == date(2027, 1, 4)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 1)))
def test_the_market_report_day_is_always_a_monday_in_the_first_week_and_not_past(today):
    due = R.market_report_due(today)
    assert due.isoweekday() == 1 and due.day <= 7 and due >= today and (due - today).days < 40


def test_birthdays_coming_up_with_the_age_and_29_february_in_other_years():
    p, q, r = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    rows = [(p, date(1980, 12, 5)), (q, date(1992, 2, 29)), (r, date(1975, 11, 28)), (uuid.uuid4(), None)]
    assert R.birthdays_within(rows, date(2026, 11, 29), 14) == [(p, date(2026, 12, 5), 46)]
    assert R.birthdays_within(rows, date(2027, 2, 20), 14) == [(q, date(2027, 2, 28), 35)]


def test_holidays_parse_from_the_setting_and_come_up_across_the_new_year():
    hols, bad = R.parse_holidays(RULES["visits.holidays"])
    assert bad == [] and R.Holiday(1, 1, "元旦") in hols
    assert R.holidays_within(hols, date(2026, 12, 25), 14) == [(date(2027, 1, 1), "元旦")]
    assert R.holidays_on(hols, date(2026, 2, 17)) == ["春节"] and R.holidays_on(hols, date(2027, 2, 17)) == []
    assert R.parse_holidays("13-45 错; 05-01 劳动节; 春节")[1] == ["13-45 错", "春节"]


def test_unsuitable_times_are_read_from_the_usual_ways_of_writing_them():
    rules, unknown = R.parse_unsuitable("周一上午，12:00-14:00；周末、月底 / 周二至周四 下午，看心情")
    assert unknown == ["看心情"]
    assert [(r.weekdays, r.times, r.month_days) for r in rules] == [
        (frozenset({0}), ((time(8), time(12)),), None),
        (None, ((time(12), time(14)),), None),
        (frozenset({5, 6}), (), None),
        (None, (), frozenset({-1, -2, -3, -4, -5})),
        (frozenset({1, 2, 3}), ((time(14), time(18)),), None),
    ]
    assert R.parse_unsuitable("9点-11点")[0][0].times == ((time(9), time(11)),)
    assert R.parse_unsuitable("每月25日")[0][0].month_days == frozenset({25})
    assert R.parse_unsuitable("")[0] == []


def test_a_plan_in_an_unsuitable_time_or_on_a_holiday_is_warned_about():
    hols, _ = R.parse_holidays(RULES["visits.holidays"])
    text = "周一上午、12:00-14:00、月底"
    monday = datetime(2026, 11, 23, 9, 0)  # a Monday
    assert R.plan_warnings(start=monday, end=monday.replace(hour=10), unsuitable_text=text, holidays=hols,
                           customer_name="张三公司") == ["“张三公司”不宜拜访时间:周一上午"]
    tue = datetime(2026, 11, 24, 14, 0)
    assert R.plan_warnings(start=tue, end=tue.replace(hour=15), unsuitable_text=text, holidays=hols) == []
    lunch = datetime(2026, 11, 24, 11, 30)  # ends inside 12:00-14:00
    assert R.plan_warnings(start=lunch, end=lunch.replace(hour=12, minute=30), unsuitable_text=text,
                           holidays=hols) == ["客户不宜拜访时间:12:00-14:00"]
    edge = datetime(2026, 11, 24, 11, 0)  # ends exactly when lunch starts: fine
    assert R.plan_warnings(start=edge, end=edge.replace(hour=12), unsuitable_text=text, holidays=hols) == []
    national = datetime(2026, 10, 1, 9, 0)
    assert R.plan_warnings(start=national, end=national.replace(hour=10), unsuitable_text="", holidays=hols) == [
        "2026-10-01 是节日(国庆节)"]
    month_end = datetime(2026, 11, 28, 15, 0)
    assert "月底" in R.plan_warnings(start=month_end, end=month_end.replace(hour=16), unsuitable_text=text,
                                    holidays=hols)[0]


def test_plan_fields_are_checked_in_place():
    start = datetime(2026, 11, 25, 10)
    errors = R.validate_plan({"starts_at": start, "ends_at": start, "contact_way": "pigeon"})
    assert errors == {"customer_id": "请选择客户", "staff_id": "请选择拜访人员", "ends_at": "结束时间应晚于开始时间",
                      "contact_way": "请选择联络方式"}
    assert R.parse_local_datetime("2026/11/25 9:30") == datetime(2026, 11, 25, 9, 30)
    assert R.parse_local_datetime("2026年11月25日14点") == datetime(2026, 11, 25, 14)


def test_the_rules_dialog_refuses_a_holiday_list_or_time_zone_it_cannot_read():
    import pytest

    assert settings.parse("visits.holidays", "10-01 国庆节; 2027-02-06 春节") == "10-01 国庆节; 2027-02-06 春节"
    with pytest.raises(ValueError, match="看不懂:国庆"):
        settings.parse("visits.holidays", "10-01 国庆节; 国庆")
    with pytest.raises(ValueError, match="时区"):
        settings.parse("visits.timezone", "Mars/Olympus")


def test_spaced_ranges_and_described_times_are_read_too():
    rules, unknown = R.parse_unsuitable("9:00 - 11:00；星期日休息；季度末结账；看心情")
    assert unknown == ["看心情"]
    assert rules[0].times == ((time(9), time(11)),)
    assert (rules[1].text, rules[1].weekdays) == ("星期日休息", frozenset({6}))
    assert rules[2].months == frozenset({3, 6, 9, 12}) and R.falls_on(rules[2], date(2026, 12, 25))
    assert not R.falls_on(rules[2], date(2026, 12, 20))
