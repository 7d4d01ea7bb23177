"""A rep leaves (员工调离): every customer, visit plan still to make and open follow-up goes to the successor
in one step, and the leaver's login stops in the same step."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.services import customers, staff, users, visit_records, visits
from app.services.demo_users import DEMO_PASSWORD
from app.services.visit_records import Promise
from tests.services.demo_office import logins  # noqa: F401  (fixture)

MONDAY = datetime(2026, 12, 14, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def _plan(db, rep, cid, start):
    return visits.create_plan(db, user=rep, actor=rep.display_name, values={
        "customer_id": cid, "staff_id": rep.staff_id, "starts_at": start, "ends_at": start + timedelta(hours=1),
        "purpose": "季度回访"}).id


def test_a_leavers_customers_plans_and_follow_ups_move_and_the_login_stops(logins):  # noqa: F811
    db, who = logins
    rep, manager, director = who["rep"], who["manager"], who["director"]
    successor = staff.add_staff(db, name="孙接手", department_id=rep.department_id, position="营销人员")
    cid = customers.create_customer(db, actor=rep.display_name, user=rep, values={"name": "汉阳钢构有限公司"})
    done_plan = _plan(db, rep, cid, MONDAY - timedelta(days=14))
    visit_records.file_record(db, user=rep, actor=rep.display_name, plan_id=done_plan, values={
        "visited_on": "2026-11-30", "person_met": "刘总", "notes": "客户有扩产计划"},
        promises=[Promise("寄送报价单", "2026-12-20")])
    future = [_plan(db, rep, cid, MONDAY + timedelta(days=d)) for d in (0, 7)]

    moved = staff.hand_over(db, actor="钱总监", leaver_id=rep.staff_id, successor_id=successor,
                            disable_login=True, user=director)

    assert moved == 1
    assert customers.get_card(db, customer_id=cid, user=manager).owner_name == "孙接手"
    start, end = MONDAY - timedelta(days=30), MONDAY + timedelta(days=30)
    by_plan = {p.id: p for p in visits.list_plans(db, user=manager, start=start.date(), end=end.date())}
    assert {by_plan[p].staff_name for p in future} == {"孙接手"}
    assert by_plan[done_plan].staff_name == "李业务"  # a visit made stays the leaver's history
    [task] = visit_records.follow_ups(db, user=manager)
    assert (task.text, task.owner_name) == ("寄送报价单", "孙接手")
    with pytest.raises(users.LoginFailed):
        users.authenticate(db, username="rep", password=DEMO_PASSWORD)


def test_the_login_stays_unless_asked(logins):  # noqa: F811
    db, who = logins
    rep2, director = who["rep2"], who["director"]
    staff.hand_over(db, actor="钱总监", leaver_id=rep2.staff_id, successor_id=who["rep"].staff_id, user=director)
    assert users.authenticate(db, username="rep2", password=DEMO_PASSWORD).username == "rep2"
