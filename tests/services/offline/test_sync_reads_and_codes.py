"""What the laptop used to drop: its read log (借阅卡) reaches the central read_log once, with the device
named; customer codes made offline never clash — each laptop numbers temporary codes of its own and the
central database gives the real ones on push; the list of changes still waiting says what will be sent."""
from __future__ import annotations

import pytest

from app.errors import UserError
from app.services import access, customers, key_persons
from app.services.access import ReadLogFilter
from app.services.offline import checkout, codes, conflicts, journal, pending, readlog, sync
from tests.services.offline.conftest import PASSWORD, new_customer


def _reads(db, field, cid, action="open"):
    return [r for r in access.read_log(db, user=_admin(db), customer_id=cid, flt=ReadLogFilter())
            if r.username == field.username and r.action == action]


def _admin(db):
    from app.services import users

    return users.authenticate(db, username="admin", password="Admin-pass-2026")


def test_a_card_opened_on_the_laptop_reaches_the_central_read_log_once_with_the_device_named(db, field, laptops):
    cid = new_customer(db, "保密读取测试有限公司", region="华北")
    laptop = laptops("张经理的笔记本")
    customers.get_card(laptop, customer_id=cid, user=field)  # read offline: logged on the laptop
    assert _reads(db, field, cid) == []

    assert sync.sync(laptop, db, user=field).reads == 1
    assert sync.sync(laptop, db, user=field).reads == 0
    [row] = _reads(db, field, cid)
    assert "离线·张经理的笔记本" in row.note and row.allowed


def test_a_read_log_upload_cut_off_before_the_acknowledgement_is_not_doubled(db, field, laptops):
    cid = new_customer(db, "断线读取测试", region="华北")
    laptop = laptops()
    customers.get_card(laptop, customer_id=cid, user=field)
    customers.get_card(laptop, customer_id=cid, user=field, action="print")

    def drop():
        raise ConnectionError("网络中断")

    with pytest.raises(ConnectionError):
        readlog.upload(laptop, db, user=field, fail_after_commit=drop)
    assert len(_reads(db, field, cid)) == 1 and len(_reads(db, field, cid, "print")) == 1  # committed centrally
    assert readlog.upload(laptop, db, user=field) == 0  # resent, skipped by id
    sync.sync(laptop, db, user=field)
    assert len(_reads(db, field, cid)) == 1 and len(_reads(db, field, cid, "print")) == 1


def test_two_laptops_creating_customers_offline_get_distinct_central_codes(db, field, laptops):
    first = new_customer(db, "中心已有客户", region="华北")
    assert customers.get_card(db, customer_id=first).values["code"] == "KH000001"
    a, b = laptops("A"), laptops("B")
    made_a = [customers.create_customer(a, actor="张", values={"name": f"离线甲{i}", "region": "华东"}, user=field)
              for i in range(2)]
    made_b = customers.create_customer(b, actor="张", values={"name": "离线乙", "region": "华南"}, user=field)
    key_persons.add_person(a, actor="张", customer_id=made_a[0], values={"name": "王总"}, user=field)
    temp_a = [customers.get_card(a, customer_id=c).values["code"] for c in made_a]
    temp_b = customers.get_card(b, customer_id=made_b).values["code"]
    with a.read() as s:
        device_a = journal.get_state(s, "device_id")
    assert temp_a[0].startswith("TMP") and codes.is_temporary(temp_a[0], __import__("uuid").UUID(device_a))
    assert len({*temp_a, temp_b}) == 3 and temp_a[0][:10] != temp_b[:10]  # laptops never share a code
    desk = new_customer(db, "同时在前台新建", region="华北")  # central goes on numbering meanwhile

    sync.sync(a, db, user=field)
    sync.sync(b, db, user=field)
    central = {c: customers.get_card(db, customer_id=c).values["code"] for c in [first, desk, *made_a, made_b]}
    assert sorted(central.values()) == [f"KH{n:06d}" for n in range(1, 6)]
    assert conflicts.list_conflicts(db, user=field) == []
    for laptop, ids in ((a, made_a), (b, [made_b])):  # each laptop took its cards back with the real code
        assert [customers.get_card(laptop, customer_id=c).values["code"] for c in ids] == [central[c] for c in ids]
    from app.services.customer_search import CustomerFilter, search_ids

    assert search_ids(db, CustomerFilter(text=central[made_b].lower())) == [made_b]  # search text recomputed
    assert len(key_persons.list_persons(db, customer_id=made_a[0], user=None)) == 1
    sync.sync(a, db, user=field)  # nothing new
    assert customers.get_card(db, customer_id=made_a[0]).values["code"] == central[made_a[0]]


def test_the_waiting_list_names_record_customer_field_and_old_and_new_and_empties_on_sync(db, field, laptops):
    cid = new_customer(db, "待同步列表测试", region="华北")
    laptop = laptops()
    customers.update_customer(laptop, actor="张", customer_id=cid, values={"region": "西南"}, user=field)
    key_persons.add_person(laptop, actor="张", customer_id=cid, values={"name": "李经理"}, user=field)
    items = pending.waiting(laptop, user=field)
    assert [(i.table_label, i.customer, i.kind_label, i.field_label, i.old, i.new) for i in items] == [
        ("客户", "KH000001 待同步列表测试", "修改", "区域", "华北", "西南"),
        ("关键人", "KH000001 待同步列表测试", "新建", "", "", "李经理")]
    sync.sync(laptop, db, user=field)
    assert pending.waiting(laptop, user=field) == []


def test_checkout_asks_for_the_users_own_password(db, field, tmp_path):
    with pytest.raises(UserError, match="密码"):
        checkout.checkout(db, path=tmp_path / "x.kedesk", password="not-my-password", device_name="甲", user=field)
    assert not (tmp_path / "x.kedesk").exists()
    made = checkout.checkout(db, path=tmp_path / "y.kedesk", password=PASSWORD, device_name="甲", user=field)
    assert made.customers == 0
