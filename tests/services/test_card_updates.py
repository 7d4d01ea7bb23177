"""The 24-hour rule: what a visit report says changed is a task on the card until the card is updated."""
from __future__ import annotations

from datetime import timedelta

from app import settings
from app.services import card_updates, customers, visit_records
from models.base import utcnow
from tests.services.demo_office import logins  # noqa: F401  (fixture)


def _report(db, rep, cid, **values):
    return visit_records.file_record(db, user=rep, actor=rep.display_name, values={
        "customer_id": cid, "staff_id": rep.staff_id, "visited_on": "2026-12-07", "person_met": "刘总",
        "notes": "例行拜访", **values})


def test_a_reported_change_is_due_within_24_hours_until_the_card_is_updated(logins):  # noqa: F811
    db, who = logins
    rep, manager, rep2 = who["rep"], who["manager"], who["rep2"]
    cid = customers.create_customer(db, actor="李业务", user=rep, values={"name": "新洲粮油有限公司"})
    quiet = customers.create_customer(db, actor="李业务", user=rep, values={"name": "黄陂粮油有限公司"})
    _report(db, rep, cid, credit_changes="银行授信下调,要求账期延长至60天")
    _report(db, rep, quiet)  # nothing changed: no task
    now = utcnow()
    [due] = card_updates.due_updates(db, user=manager, now=now)
    assert (due.name, due.owner, due.overdue) == ("新洲粮油有限公司", "李业务", False)
    assert "账期延长" in due.reported and timedelta(hours=23) < due.due_at - now <= timedelta(hours=24)
    assert card_updates.due_updates(db, user=rep2, now=now) == []  # another department's card
    [late] = card_updates.due_updates(db, user=manager, now=now + timedelta(hours=25))
    assert late.overdue
    settings.put(db, "archive.update_hours", 48)  # the rule's number is a setting
    assert not card_updates.due_updates(db, user=manager, now=now + timedelta(hours=25))[0].overdue
    card = customers.get_card(db, customer_id=cid, user=rep)
    customers.update_customer(db, actor="李业务", customer_id=cid, user=rep, expected_version=card.version,
                              values={"note": "授信下调,账期待定"})
    assert card_updates.due_updates(db, user=manager, now=now + timedelta(hours=25)) == []
