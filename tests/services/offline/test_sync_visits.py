"""Visits planned and reported on a field laptop reach the central calendar, archive and follow-ups."""
from __future__ import annotations

from datetime import date, datetime

from app.services import archive, staff, visit_records, visits
from app.services.offline import sync
from app.services.visit_records import Promise
from tests.services.offline.conftest import new_customer


def test_a_visit_planned_and_reported_offline_lands_centrally_once(db, field, laptops):
    dept = staff.add_department(db, name="华东销售部")
    rep = staff.add_staff(db, name="王丽", department_id=dept)
    cid = new_customer(db, "杭州恒远纺织有限公司", region="华东", owner_id=rep, department_id=dept)
    laptop = laptops()

    made = visits.create_plan(laptop, user=field, actor="张经理", values={
        "customer_id": cid, "staff_id": rep, "starts_at": datetime(2026, 11, 20, 10, 0),
        "ends_at": datetime(2026, 11, 20, 11, 0), "purpose": "年底回访"})
    visit_records.file_record(laptop, user=field, actor="张经理", plan_id=made.id, values={
        "visited_on": "2026-11-20", "person_met": "采购部李经理", "notes": "明年增加订货"},
        promises=[Promise("寄送新品样册", "2026-11-25")])
    assert visits.list_plans(db, user=field, start=date(2026, 11, 20), end=date(2026, 11, 21)) == []  # not yet

    sync.sync(laptop, db, user=field)
    plans = visits.list_plans(db, user=field, start=date(2026, 11, 20), end=date(2026, 11, 21))
    assert [(p.id, p.status, p.purpose) for p in plans] == [(made.id, "done", "年底回访")]
    tasks = visit_records.follow_ups(db, user=field, today=date(2026, 11, 27))
    assert [(t.text, t.due_on, t.overdue) for t in tasks] == [("寄送新品样册", date(2026, 11, 25), True)]
    contacts = archive.entries(db, customer_id=cid, user=field, section="contact")
    assert [(e.entry_date, e.subject) for e in contacts] == [(date(2026, 11, 20), "拜访:会见采购部李经理")]

    sync.sync(laptop, db, user=field)  # nothing left to send: still one of each
    assert len(visits.list_plans(db, user=field, start=date(2026, 11, 20), end=date(2026, 11, 21))) == 1
    assert len(archive.entries(db, customer_id=cid, user=field, section="contact")) == 1


def test_work_that_never_happens_offline_is_refused_in_words_not_a_crash(db, field, laptops):
    from datetime import UTC, timedelta

    import pytest

    from app.errors import UserError
    from app.services import complaints, meals

    laptop = laptops()
    with pytest.raises(UserError, match="离线状态下不能受理投诉"):
        complaints.receive(laptop, user=field, values={"complainant": "李先生", "channel": "phone",
                                                        "cause": "service", "subject": "态度差"})
    with pytest.raises(UserError, match="离线状态下不能申请或审批招待用餐"):
        meals.request_meal(laptop, user=field, values={
            "unit": "华盛建筑", "customer_kind": "key", "host_level": "gm", "meal_type": "formal",
            "meal_at": datetime.now(UTC) + timedelta(days=2), "per_person": "180", "guests": "4", "hosts": "3",
            "restaurant": "锦江饭店", "purpose": "洽谈"})


def test_a_lent_archive_leaves_the_laptop_when_its_approval_runs_out(db, field, laptops):
    from datetime import UTC, timedelta

    from sqlalchemy import update

    from app.services import borrowing, customer_search, key_persons, users
    from app.services.customer_search import CustomerFilter
    from models import AccessRequest

    # a rep outside the department borrows its archive, checks out, then the loan expires
    dept = staff.add_department(db, name="华南销售部")
    admin = users.authenticate(db, username="admin", password="Admin-pass-2026")
    users.create_user(db, username="li", display_name="李强", role="sales_rep", password="Field-pass-2026",
                      by=admin)
    rep = users.authenticate(db, username="li", password="Field-pass-2026")
    cid = new_customer(db, "深圳宏达电子有限公司", confidentiality="department", department_id=dept)
    key_persons.add_person(db, actor="中心", customer_id=cid, values={"name": "陈总"}, user=None)
    req = borrowing.request_access(db, user=rep, customer_id=cid, reason="外出拜访", days=3)
    borrowing.decide(db, user=field, request_id=req, approve=True)
    laptop = laptops("李强的笔记本", user=rep, password="Field-pass-2026")
    assert customer_search.search_ids(laptop, CustomerFilter(), user=None) == [cid]
    assert customer_search.search_ids(laptop, CustomerFilter(), user=rep) == [cid]  # the loan opens it offline

    with db.write() as s:
        s.execute(update(AccessRequest).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    sync.sync(laptop, db, user=rep)
    assert customer_search.search_ids(laptop, CustomerFilter(), user=None) == []
    assert key_persons.list_persons(laptop, customer_id=cid, user=None) == []


def test_what_a_laptop_sends_is_checked_like_a_desk_edit(db, field, laptops):
    from sqlalchemy import text

    from app.services import customers, users
    from app.services.offline import conflicts

    dept = staff.add_department(db, name="华东销售部")
    wang = staff.add_staff(db, name="王丽", department_id=dept)
    admin = users.authenticate(db, username="admin", password="Admin-pass-2026")
    users.create_user(db, username="wang", display_name="王丽", role="sales_rep", password="Field-pass-2026",
                      staff_id=wang, department_id=dept, by=admin)
    rep = users.authenticate(db, username="wang", password="Field-pass-2026")
    cid = new_customer(db, "杭州恒远纺织有限公司", owner_id=wang, department_id=dept, status="intent")
    laptop = laptops("王丽的笔记本", user=rep, password="Field-pass-2026")
    # the replica's key is in the rep's hands: edits may arrive that no service on the laptop allowed
    with laptop.write() as s:
        s.execute(text("UPDATE customer SET phone = '电话号码', grade = 'A', fax = '0571-88886666' WHERE id = :id"),
                  {"id": cid.hex})
    sync.sync(laptop, db, user=rep)
    card = customers.get_card(db, customer_id=cid)
    assert (card.values["phone"], card.values["grade"], card.values["fax"]) == ("", "", "")  # nothing taken
    refused = [c for c in conflicts.list_conflicts(db, user=field) if c.kind == "refused"]
    assert len(refused) == 1 and "电话号码格式不正确" in refused[0].reason
