"""No lost edit (已被他人修改): two desks save the same row from the same version at the same moment on
PostgreSQL — both pass the services' own version check (a barrier holds them right after it), and the
database's compare-and-set lets exactly one win; the other is told, with both versions shown."""
from __future__ import annotations

import threading
from datetime import date

import pytest

from app.errors import StaleEdit, UserError
from app.services import archive, audit, complaints, customer_contacts, customers, key_persons, visits
from tests.services.demo_office import build

pytestmark = pytest.mark.pg


def _race(monkeypatch, first, second) -> list:
    """Run both saves in threads that meet after their checks; returns [(result or exception)] in order."""
    barrier, waited, record = threading.Barrier(2, timeout=3), set(), audit.record

    def held(*args, **kwargs):
        me = threading.current_thread().name
        if me.startswith("desk") and me not in waited:
            waited.add(me)
            try:
                barrier.wait()  # both desks have read and checked the same version before either writes
            except threading.BrokenBarrierError:
                pass  # a service that locks the row first: the other desk waits on the lock, not here
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", held)
    out: list = [None, None]

    def run(i, fn):
        try:
            out[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the loser's exception is the result under test
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn), name=f"desk{i}") for i, fn in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


def _one_wins(out, exc_type=StaleEdit):
    losers = [r for r in out if isinstance(r, Exception)]
    assert len(losers) == 1, out
    assert isinstance(losers[0], exc_type), losers[0]
    return losers[0]


@pytest.fixture
def office(pg_db):
    who = build(pg_db)
    rep = who["rep"]
    cid = customers.create_customer(pg_db, actor=rep.display_name, user=rep,
                                    values={"name": "武汉并发测试有限公司", "phone": "027-1111111"})
    return pg_db, who, cid


def test_two_desks_save_one_card(office, monkeypatch):
    db, who, cid = office
    rep, manager = who["rep"], who["manager"]
    version = customers.get_card(db, customer_id=cid).version
    for round_ in range(3):  # exactly one wins each time
        out = _race(monkeypatch, *(lambda u=u, p=p, v=version: customers.update_customer(
            db, actor=u.display_name, customer_id=cid, values={"phone": p}, expected_version=v, user=u)
            for u, p in ((rep, f"027-2222{round_}"), (manager, f"027-3333{round_}"))))
        loser = _one_wins(out)
        won = next(r for r in out if isinstance(r, int))
        stored = customers.get_card(db, customer_id=cid)
        assert stored.version == won == version + 1
        mine = f"027-3333{round_}" if out[1] is loser else f"027-2222{round_}"
        assert "已被他人修改" in loser.message and mine in loser.message and stored.values["phone"] in loser.message
        version = stored.version


def test_two_desks_save_one_key_person(office, monkeypatch):
    db, who, cid = office
    rep, manager = who["rep"], who["manager"]
    pid = key_persons.add_person(db, actor="李业务", customer_id=cid, values={"name": "刘总", "position": "总经理"},
                                 user=rep)
    out = _race(monkeypatch, *(lambda u=u, pos=pos: key_persons.update_person(
        db, actor=u.display_name, person_id=pid, values={"position": pos}, expected_version=1, user=u)
        for u, pos in ((rep, "董事长"), (manager, "副总经理"))))
    loser = _one_wins(out)
    [person] = key_persons.list_persons(db, customer_id=cid, user=rep)
    assert person.version == 2 and person.values["position"] in ("董事长", "副总经理")
    assert person.values["position"] in loser.message and "关键人“刘总”已被他人修改" in loser.message


def test_two_desks_save_one_archive_entry(office, monkeypatch):
    db, who, cid = office
    rep, manager = who["rep"], who["manager"]
    eid = archive.add_entry(db, actor="李业务", customer_id=cid, user=rep, values={
        "section": "contract", "kind": "contract", "entry_date": date(2026, 12, 1), "subject": "年度供货合同",
        "amount": "500万"})
    out = _race(monkeypatch, *(lambda u=u, amount=amount: archive.update_entry(
        db, actor=u.display_name, entry_id=eid, values={"amount": amount}, expected_version=1, user=u)
        for u, amount in ((rep, "480万"), (manager, "520万"))))
    loser = _one_wins(out)
    [entry] = archive.entries(db, customer_id=cid, user=rep)
    assert entry.version == 2 and "已被他人修改" in loser.message


def test_two_desks_assign_the_same_contact(office, monkeypatch):
    db, who, cid = office
    rep, manager, director = who["rep"], who["manager"], who["director"]
    out = _race(monkeypatch, *(lambda u=u: customer_contacts.assign(
        db, actor=u.display_name, customer_id=cid, staff_id=director.staff_id, user=u) for u in (rep, manager)))
    loser = _one_wins(out, UserError)
    assert "刚被他人分配" in loser.message
    team = customer_contacts.team(db, customer_id=cid, user=rep)
    assert [p.name for p in team.contacts if p.role != "owner"] == ["钱总监"]


def test_two_desks_move_one_visit_plan(office, monkeypatch):
    from datetime import UTC, datetime, timedelta

    db, who, cid = office
    rep, manager = who["rep"], who["manager"]
    start = datetime(2026, 12, 14, 2, 0, tzinfo=UTC)
    plan = visits.create_plan(db, user=rep, actor="李业务", values={
        "customer_id": cid, "staff_id": rep.staff_id, "starts_at": start, "ends_at": start + timedelta(hours=1),
        "purpose": "季度回访"})
    out = _race(monkeypatch, *(lambda u=u, purpose=purpose: visits.update_plan(
        db, user=u, actor=u.display_name, plan_id=plan.id, values={"purpose": purpose}, expected_version=1)
        for u, purpose in ((rep, "送样品"), (manager, "谈合同"))))
    _one_wins(out)
    assert visits.get_plan(db, user=rep, plan_id=plan.id).version == 2


def test_two_desks_step_one_complaint(office, monkeypatch):
    db, who, cid = office
    front, manager = who["front"], who["manager"]
    number = complaints.receive(db, user=front, values={"complainant": "刘先生", "channel": "phone",
                                                         "cause": "service", "subject": "送货延误", "customer_id": cid})
    out = _race(monkeypatch, *(lambda u=u: complaints.advance(
        db, user=u, complaint_id=number, action="answer", note=f"{u.display_name}已电话答复", expected_version=1)
        for u in (front, manager)))
    loser = _one_wins(out, UserError)
    assert "已被他人修改" in loser.message


def test_two_desks_save_the_business_rules(office, monkeypatch):
    from app import settings

    db, _who, _cid = office
    shown = settings.get_all(db)
    # no audit row to hold the desks at: they race freely (the UPDATE ... WHERE value = :read decides)
    out = _race(monkeypatch, lambda: settings.put_many(db, {**shown, "archive.update_hours": 12}, expected=shown),
                lambda: settings.put_many(db, {**shown, "archive.update_hours": 48}, expected=shown))
    loser = _one_wins(out)
    assert settings.get(db, "archive.update_hours") in (12, 48)
    assert "业务规则已被他人修改" in loser.message and "拜访报告所报变化" in loser.message
