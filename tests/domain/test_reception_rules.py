"""Meals, tours and complaints: every limit of the regulation at its boundary, and read from the settings."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app import settings
from app.domain import complaints, meals, tours

RULES = {k: o.default for k, o in settings.OPTIONS.items()}


def codes(violations):
    return [v.code for v in violations]


def request(per_person, *, kind="key", host="gm", meal="formal", guests=4, hosts=2, rules=RULES):
    return meals.check_request(rules, customer_kind=kind, host_level=host, meal_type=meal,
                               per_person=Decimal(str(per_person)), guests=guests, hosts=hosts)


@pytest.mark.parametrize(("kind", "host", "meal", "limit"), [
    ("key", "gm", "formal", 200), ("key", "staff", "formal", 100),
    ("key", "gm", "cold_buffet", 100), ("key", "staff", "cocktail", 85), ("key", "gm", "tea", 60),
    ("key", "staff", "outing", 75), ("key", "gm", "outing", 75),
    ("ordinary", "gm", "formal", 100), ("ordinary", "staff", "formal", 55), ("ordinary", "staff", "outing", 75),
    ("ordinary", "gm", "tea", 60),
])
def test_each_standard_holds_at_its_limit_and_breaks_one_fen_above(kind, host, meal, limit):
    assert request(limit, kind=kind, host=host, meal=meal) == []
    broken = request(Decimal(limit) + Decimal("0.01"), kind=kind, host=host, meal=meal)
    assert codes(broken) == ["standard"]
    assert f"不得超过 {limit} 元" in broken[0].message


def test_the_standard_follows_the_setting():
    assert request(220) != []
    assert request(220, rules=RULES | {"meals.key.gm_max": 250}) == []


def test_standard_text_shows_the_range():
    assert meals.standard(RULES, customer_kind="key", host_level="gm", meal_type="formal").text() == "150–200 元/人"
    assert meals.standard(RULES, customer_kind="ordinary", host_level="staff",
                          meal_type="formal").text() == "50–55 元/人"
    assert meals.standard(RULES, customer_kind="ordinary", host_level="staff",
                          meal_type="outing").text() == "60–75 元/人"


# 五人以下 includes 5 (at most 3 hosts), 10人以内 includes 10 (at most 5): 以下/以内 inclusive
@pytest.mark.parametrize(("guests", "allowed"), [(1, 1), (2, 2), (3, 3), (4, 3), (5, 3), (6, 5), (9, 5), (10, 5),
                                                  (11, 11), (20, 20)])
def test_hosts_limits_at_every_boundary(guests, allowed):
    assert meals.host_limit(RULES, guests) == allowed
    assert request(100, guests=guests, hosts=allowed) == []
    broken = request(100, guests=guests, hosts=allowed + 1)
    assert codes(broken) == ["hosts"]
    assert broken[0].message == f"陪同人数超过规定：客人 {guests} 人时陪同不得超过 {allowed} 人"


@pytest.mark.parametrize(("status", "issues", "excess", "expected"), [
    ("approved", "", False, (True, "")),
    ("approved", "人均费用超过标准", False, (False, "超标准,未经审批不予报销")),
    ("approved", "人均费用超过标准", True, (True, "")),
    ("requested", "", False, (False, "未审批,不予报销")),
    ("verbal", "", False, (False, "未审批,不予报销")),
    ("rejected", "人均费用超过标准", True, (False, "未审批,不予报销")),
])
def test_a_bill_over_the_standard_is_reimbursed_only_once_the_excess_is_approved(status, issues, excess, expected):
    assert meals.reimbursement(status=status, bill_issues=issues, excess_approved=excess) == expected


@pytest.mark.parametrize(("total", "over"), [("1000.00", False), ("1000.02", False), ("1000.03", True)])
def test_the_bill_per_head_at_the_standard_is_within_it(total, over):
    # 重要客户, GM hosting: ≤ 200 元 per head; 5 heads: 1,000.00 is exactly the standard (以内 inclusive);
    # the cost per head is rounded to the fen: 1,000.02 / 5 = 200.00, 1,000.03 / 5 = 200.01 is over
    broken = meals.check_bill(RULES, customer_kind="key", host_level="gm", meal_type="formal", guests=3, hosts=2,
                              total=Decimal(total), drinks=Decimal("0"))
    assert (codes(broken) == ["bill_per_head"]) is over


def test_host_limits_follow_the_settings():
    rules = RULES | {"meals.hosts.small_max": 2, "meals.hosts.medium_upto": 12}
    assert meals.host_limit(rules, 4) == 2
    assert meals.host_limit(rules, 12) == 5


def test_ordinary_customers_host_rule_can_be_relaxed():
    assert codes(request(50, kind="ordinary", host="staff", guests=4, hosts=4)) == ["hosts"]
    assert request(50, kind="ordinary", host="staff", guests=4, hosts=4,
                   rules=RULES | {"meals.ordinary.strict": 0}) == []


def test_several_broken_rules_are_all_named():
    broken = request(300, guests=4, hosts=4)
    assert codes(broken) == ["standard", "hosts"]


def test_no_guests_is_refused():
    assert "headcount" in codes(request(100, guests=0, hosts=0))


def bill(total, drinks, *, guests=3, hosts=2, rules=RULES, kind="key"):
    return meals.check_bill(rules, customer_kind=kind, host_level="gm", meal_type="formal", guests=guests,
                            hosts=hosts, total=Decimal(str(total)), drinks=Decimal(str(drinks)))


def test_drinks_at_one_third_pass_and_a_fen_more_breaks():
    assert bill("900.00", "300.00") == []
    broken = bill("900.00", "300.01")
    assert codes(broken) == ["drinks"]
    assert "1/3" in broken[0].message
    assert bill("900.00", "300.01", rules=RULES | {"meals.drinks_divisor": 2}) == []


def test_bill_per_head_against_the_standard():
    assert bill("1000.00", "0") == []  # 5 people × 200
    assert codes(bill("1000.05", "0")) == ["bill_per_head"]


def at(day, hour=9, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(("kind", "need"), [("key", timedelta(days=3)), ("group", timedelta(days=3)),
                                            ("ordinary", timedelta(days=1)), ("temporary", timedelta(hours=1))])
def test_notice_periods_at_the_boundary(kind, need):
    applied = at(1)
    assert tours.check_notice(RULES, kind=kind, applied_at=applied, visit_at=applied + need) is None
    reason = tours.check_notice(RULES, kind=kind, applied_at=applied, visit_at=applied + need - timedelta(minutes=1))
    assert reason and tours.KINDS[kind] in reason


def test_notice_message_and_setting():
    reason = tours.check_notice(RULES, kind="key", applied_at=at(1), visit_at=at(3))
    assert reason == "重点客户参观须提前 3 天申请:参观时间距现在不足 3 天"
    assert "1 小时以电话通知" in tours.check_notice(RULES, kind="temporary", applied_at=at(1), visit_at=at(1, 9, 30))
    assert tours.check_notice(RULES | {"tours.notice.key_days": 2}, kind="key", applied_at=at(1),
                              visit_at=at(3)) is None


def test_approval_chain():
    assert tours.next_step("key", "applied") == "gm"
    assert tours.next_step("key", "reviewed") == "chairman"
    assert tours.next_step("group", "reviewed") == "chairman"
    assert tours.next_step("ordinary", "applied") == "gm"
    assert tours.next_step("temporary", "reviewed") is None
    assert tours.next_step("key", "approved") is None
    assert tours.permit_number(2026, 7) == "CG-2026-0007"


def test_complaint_clock_and_steps():
    received = at(1, 10)
    due = complaints.respond_by(RULES, received)
    assert due == at(2, 10)
    assert complaints.respond_by(RULES | {"complaints.response_hours": 8}, received) == at(1, 18)
    assert not complaints.is_overdue(respond_by=due, answered_at=None, now=due)
    assert complaints.is_overdue(respond_by=due, answered_at=None, now=due + timedelta(seconds=1))
    assert not complaints.is_overdue(respond_by=due, answered_at=due, now=due + timedelta(days=9))
    assert complaints.next_status("received", "answer") == "investigating"
    assert complaints.next_status("feedback", "not_satisfied") == "handling"
    assert complaints.next_status("feedback", "satisfied") == "closed"
    assert complaints.next_status("received", "satisfied") is None
    assert complaints.next_status("closed", "handle") is None


def test_cause_table_by_month():
    months, table = complaints.cause_table([("quality", date(2026, 10, 3)), ("quality", date(2026, 11, 1)),
                                            ("service", date(2026, 11, 2)), ("quality", date(2026, 11, 5))])
    assert months == ["2026-10", "2026-11"]
    assert table == [("产品质量", [1, 2], 3), ("服务态度", [0, 1], 1)]
