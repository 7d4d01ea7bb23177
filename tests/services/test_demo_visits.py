"""Demo visits: a quarter of plans, reports and follow-ups for the demo reps, usable by the calendar."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.services import demo, demo_visits, users, visit_lists, visit_records, visits
from models import ArchiveEntry, Customer, Staff, VisitPlan, VisitRecord

TODAY = date(2026, 11, 25)


def _plans(db):
    with db.read() as s:
        return list(s.execute(select(Customer.code, VisitPlan.starts_at, VisitPlan.status, Staff.name)
                              .join(Customer, Customer.id == VisitPlan.customer_id)
                              .join(Staff, Staff.id == VisitPlan.staff_id)
                              .order_by(VisitPlan.starts_at, Customer.code)))


def test_a_quarter_of_visits_for_the_reps_once_per_database(db):
    counts = demo.generate(db, customers=60, seed=4, today=TODAY)
    plans = _plans(db)
    assert counts["拜访计划"] == len(plans) > 300 and counts["拜访记录"] > 100 and counts["跟进事项"] > 20
    zone = visits.calendar_zone(db)
    days = {p.starts_at.astimezone(zone).date() for p in plans}
    assert min(days) >= TODAY - timedelta(days=60) and max(days) <= TODAY + timedelta(days=30)
    assert all(d.weekday() < 5 for d in days)
    assert {p.status for p in plans if p.starts_at.astimezone(zone).date() >= TODAY} == {"planned"}
    assert {p.status for p in plans if p.starts_at.astimezone(zone).date() < TODAY} == {"done", "cancelled"}
    with db.read() as s:
        linked = s.scalars(select(ArchiveEntry.section).join(VisitRecord, VisitRecord.archive_entry_id == ArchiveEntry.id))
        assert set(linked) == {"contact"}
    assert demo_visits.generate_visits(db, seed=4, today=TODAY) == demo_visits.EMPTY  # once per database

    rep = users.authenticate(db, username="rep", password="demo1234")  # the demo rep's calendar has something in it
    week = visits.list_plans(db, user=rep, start=TODAY - timedelta(days=7), end=TODAY + timedelta(days=7))
    assert week and all(p.staff_id == rep.staff_id or p.department_id == rep.department_id for p in week)
    tasks = visit_records.follow_ups(db, user=rep, today=TODAY, open_only=False)
    assert tasks and any(t.overdue for t in visit_records.follow_ups(db, user=None, today=TODAY))
    assert visit_lists.rotation_list(db, user=rep, today=TODAY) is not None


def test_the_demo_visits_are_the_same_for_the_same_seed(tmp_path):
    from app.bootstrap import open_database

    runs = []
    for name in ("a", "b"):
        db = open_database(f"sqlite:///{(tmp_path / f'{name}.sqlite3').as_posix()}")
        demo.generate(db, customers=30, seed=9, today=TODAY)
        runs.append([(c, t, st) for c, t, st, _n in _plans(db)])
        db.dispose()
    assert runs[0] == runs[1]
