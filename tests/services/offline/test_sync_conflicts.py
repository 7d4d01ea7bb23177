"""Edits made offline come back: different fields both survive, the same field keeps the first to sync and
lists the other side by side; replays change nothing; deletes are tombstones."""
from __future__ import annotations

from sqlalchemy import func, select

from app.services import customers, key_persons
from app.services.offline import conflicts, journal, push, sync
from models import Customer, KeyPerson, SyncChange
from tests.services.offline.conftest import new_customer


def _card(db, cid):
    return customers.get_card(db, customer_id=cid).values


def test_checkout_copies_the_customers_and_an_offline_edit_reaches_central(db, field, laptops):
    cid = new_customer(db, "华东机械有限公司", region="华东")
    laptop = laptops()
    assert _card(laptop, cid)["name"] == "华东机械有限公司"
    customers.update_customer(laptop, actor="张经理", customer_id=cid, values={"region": "华南"}, user=field)
    assert sync.status(laptop, user=field).pending == 1
    result = sync.sync(laptop, db, user=field)
    assert result.sent == 1 and result.conflicts == 0
    assert _card(db, cid)["region"] == "华南"
    assert sync.status(laptop, user=field).pending == 0
    assert sync.status(laptop, user=field).last_sync is not None


def test_edits_to_different_fields_of_one_card_both_survive(db, field, laptops):
    cid = new_customer(db, "长江电子", region="华东", address="旧地址")
    a, b = laptops("A"), laptops("B")
    customers.update_customer(a, actor="张", customer_id=cid, values={"region": "西南"}, user=field)
    customers.update_customer(b, actor="张", customer_id=cid, values={"address": "新地址 8 号"}, user=field)
    customers.update_customer(db, actor="中心", customer_id=cid, values={"fax": "021-1234567"})
    for laptop in (a, b, a):
        sync.sync(laptop, db, user=field)
    for where in (db, a, b):
        card = _card(where, cid)
        assert (card["region"], card["address"], card["fax"]) == ("西南", "新地址 8 号", "021-1234567")
    assert conflicts.list_conflicts(db, user=field) == []


def test_the_same_field_keeps_the_first_to_sync_and_lists_the_other_side_by_side(db, field, laptops):
    cid = new_customer(db, "黄河物流", region="华北")
    a, b = laptops("A"), laptops("B")
    customers.update_customer(a, actor="张", customer_id=cid, values={"region": "东北"}, user=field)
    customers.update_customer(b, actor="张", customer_id=cid, values={"region": "西北"}, user=field)
    sync.sync(a, db, user=field)
    sync.sync(b, db, user=field)
    assert _card(db, cid)["region"] == "东北" == _card(b, cid)["region"]  # B's replica takes the winner back
    [c] = conflicts.list_conflicts(db, user=field)
    assert (c.field, c.central, c.mine, c.device, c.kind) == ("region", "东北", "西北", "B", "field")
    assert c.field_label != "region"  # shown with the card's own label
    conflicts.resolve(db, conflict_id=c.id, take="mine", user=field)
    assert _card(db, cid)["region"] == "西北"
    sync.sync(a, db, user=field)
    assert _card(a, cid)["region"] == "西北"
    assert conflicts.list_conflicts(db, user=field) == []


def test_replaying_a_batch_changes_nothing(db, field, laptops):
    cid = new_customer(db, "珠江食品", region="华南")
    laptop = laptops()
    customers.update_customer(laptop, actor="张", customer_id=cid, values={"region": "华中"}, user=field)
    key_persons.add_person(laptop, actor="张", customer_id=cid, values={"name": "李总"}, user=field)
    ops = journal.pending(laptop, user=field)
    with laptop.read() as s:
        device = __import__("uuid").UUID(journal.get_state(s, "device_id"))
    first = push.apply_batch(db, device_id=device, ops=ops, user=field)
    with db.read() as s:
        feed = s.scalar(select(func.count()).select_from(SyncChange))
    customers.update_customer(db, actor="中心", customer_id=cid, values={"region": "华东"})
    again = push.apply_batch(db, device_id=device, ops=ops, user=field)
    assert all(r.replay for r in again) and [r.applied for r in again] == [r.applied for r in first]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncChange)) == feed + 1  # only the desk's edit
        assert s.scalar(select(Customer.region).where(Customer.id == cid)) == "华东"
        assert s.scalar(select(func.count()).select_from(KeyPerson)) == 1


def test_a_sync_cut_off_before_the_acknowledgement_resumes_without_doubling(db, field, laptops):
    cid = new_customer(db, "东海船舶")
    laptop = laptops()
    key_persons.add_person(laptop, actor="张", customer_id=cid, values={"name": "王工"}, user=field)

    def drop():
        raise ConnectionError("网络中断")

    try:
        push.push(laptop, db, user=field, fail_after_commit=drop)
    except ConnectionError:
        pass
    assert sync.status(laptop, user=field).pending == 1  # not acknowledged: it stays queued
    sync.sync(laptop, db, user=field)
    assert [p.name for p in key_persons.list_persons(db, customer_id=cid, user=None)] == ["王工"]
    assert sync.status(laptop, user=field).pending == 0


def test_a_delete_is_a_tombstone_both_ways(db, field, laptops):
    cid = new_customer(db, "南山科技")
    pid = key_persons.add_person(db, actor="中心", customer_id=cid, values={"name": "赵总"}, user=None)
    qid = key_persons.add_person(db, actor="中心", customer_id=cid, values={"name": "钱总"}, user=None)
    laptop = laptops()
    key_persons.remove_person(laptop, actor="张", person_id=pid, user=field)
    key_persons.remove_person(db, actor="中心", person_id=qid, user=None)
    sync.sync(laptop, db, user=field)
    for where in (db, laptop):
        assert key_persons.list_persons(where, customer_id=cid, user=None) == []


def test_every_syncable_table_feeds_the_central_change_feed(db):
    from sqlalchemy import text

    from app.services.offline.registry import SYNCABLE

    with db.read() as s:
        if db.dialect == "postgresql":
            fed = set(s.scalars(text("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                     "WHERE t.tgname LIKE 'sync_feed_%'")))
        else:
            fed = {n.removeprefix("sync_feed_").rsplit("_", 1)[0] for n in s.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_feed_%'"))}
    assert fed == set(SYNCABLE), "a syncable table needs app.db.sync_feed.install_feed in its migration"


def test_a_central_change_made_round_the_services_reaches_the_laptop(db, field, laptops):
    from sqlalchemy import update

    cid = new_customer(db, "批量修改测试")
    laptop = laptops()
    with db.write() as s:  # a Core statement, as imports and merges write
        s.execute(update(Customer).where(Customer.id == cid).values(region="批量区域"))
    sync.sync(laptop, db, user=field)
    assert _card(laptop, cid)["region"] == "批量区域"


def test_an_offline_insert_the_central_database_cannot_take_is_listed_and_the_rest_of_the_batch_goes_through(
        db, field, laptops):
    cid = new_customer(db, "同一关系测试", region="华北")
    p1 = key_persons.add_person(db, actor="中心", customer_id=cid, values={"name": "甲"}, user=None)
    p2 = key_persons.add_person(db, actor="中心", customer_id=cid, values={"name": "乙"}, user=None)
    a, b = laptops("A"), laptops("B")
    key_persons.add_relation(a, actor="张", from_id=p1, to_id=p2, relation="上下级", user=field)
    key_persons.add_relation(b, actor="张", from_id=p1, to_id=p2, relation="上下级", user=field)
    customers.update_customer(b, actor="张", customer_id=cid, values={"region": "华中"}, user=field)
    sync.sync(a, db, user=field)
    sync.sync(b, db, user=field)
    assert _card(db, cid)["region"] == "华中"  # the batch went on after the refused insert
    [c] = conflicts.list_conflicts(db, user=field)
    assert (c.kind, c.device, c.table) == ("insert", "B", "key_person_relation")
    assert "上下级" in c.mine
    for where in (db, a, b):
        assert len(key_persons.list_relations(where, customer_id=cid, user=None)) == 1
