"""Key persons, relations, archive sections, blacklist, hand-over and merge — on SQLite and PostgreSQL."""
from datetime import date
from decimal import Decimal

import pytest

from app.errors import ValidationFailed
from app.services import archive, audit, blacklist, customers, key_persons, staff
from app.services.customer_search import CustomerFilter, fetch_rows, search_ids


def _customer(db, name="上海宏达机械制造有限公司", **values):
    return customers.create_customer(db, actor="王丽", values={"name": name, **values})


def test_key_persons_with_relations_and_validation(db):
    cid = _customer(db)
    boss = key_persons.add_person(db, user=None, actor="王丽", customer_id=cid, values={
        "name": "刘建国", "position": "总经理", "mobile": "13912345678", "decision_role": "decider",
        "birthday": date(1970, 5, 1), "hobbies": "钓鱼", "is_key": True})
    buyer = key_persons.add_person(db, user=None, actor="王丽", customer_id=cid, values={"name": "陈静", "position": "采购部经理"})
    with pytest.raises(ValidationFailed) as exc:
        key_persons.add_person(db, user=None, actor="王丽", customer_id=cid, values={"name": "赵六", "mobile": "1234",
                                                                           "id_number": "110101199003070000"})
    assert exc.value.errors["mobile"] == "手机号码应为11位,以1开头"
    assert "身份证" in exc.value.errors["id_number"]
    key_persons.add_relation(db, user=None, actor="王丽", from_id=boss, to_id=buyer, relation="上下级")
    persons = key_persons.list_persons(db, user=None, customer_id=cid)
    assert [p.name for p in persons] == ["刘建国", "陈静"]  # key person card first
    rels = key_persons.list_relations(db, user=None, customer_id=cid)
    assert [(r.from_name, r.relation, r.to_name) for r in rels] == [("刘建国", "上下级", "陈静")]
    assert key_persons.age_on(date(1970, 5, 1), date(2026, 4, 30)) == 55
    key_persons.update_person(db, user=None, actor="李强", person_id=buyer, values={"position": "采购总监"})
    change = audit.history(db, user=None, customer_id=cid)[0]
    assert (change.entity, change.field, change.old_value, change.new_value) == (
        "关键人", "职位", "采购部经理", "采购总监")


def test_archive_sections_in_date_order_with_amounts(db):
    cid = _customer(db)
    archive.add_entry(db, user=None, actor="王丽", customer_id=cid, values={
        "section": "contract", "kind": "contract", "entry_date": date(2026, 3, 1),
        "subject": "年度供货合同", "amount": "120万", "reference": "HT-2026-0007"})
    archive.add_entry(db, user=None, actor="王丽", customer_id=cid, values={
        "section": "contract", "kind": "agreement", "entry_date": date(2025, 12, 1), "subject": "框架协议"})
    archive.add_entry(db, user=None, actor="王丽", customer_id=cid, values={
        "section": "contact", "kind": "call", "entry_date": date(2026, 4, 2), "subject": "电话回访"})
    contracts = archive.entries(db, user=None, customer_id=cid, section="contract")
    assert [e.subject for e in contracts] == ["框架协议", "年度供货合同"]
    assert contracts[1].amount == Decimal("1200000.00") and contracts[1].recorded_by == "王丽"
    assert len(archive.entries(db, user=None, customer_id=cid)) == 3
    with pytest.raises(ValidationFailed) as exc:
        archive.add_entry(db, user=None, actor="王丽", customer_id=cid, values={"section": "contact", "kind": "fax",
                                                                     "entry_date": None, "subject": ""})
    assert set(exc.value.errors) == {"entry_date", "subject"}


def test_blacklist_admission_and_elimination_keep_history(db):
    cid = _customer(db)
    with pytest.raises(ValidationFailed):
        blacklist.add(db, user=None, actor="王丽", customer_id=cid, criterion="恶意拖欠货款", reason=" ")
    blacklist.add(db, user=None, actor="王丽", customer_id=cid, criterion="恶意拖欠货款", reason="欠款180天未还",
                  on=date(2026, 6, 1))
    assert customers.get_card(db, customer_id=cid).blacklist[0].reason == "欠款180天未还"
    blacklist.remove(db, user=None, actor="张经理", customer_id=cid, reason="已结清欠款", on=date(2026, 9, 1))
    assert customers.get_card(db, customer_id=cid).blacklist == []
    history = blacklist.entries(db, user=None, customer_id=cid)
    assert len(history) == 1 and history[0].removed_on == date(2026, 9, 1)
    assert fetch_rows(db, [cid])[0].blacklisted is False


def test_hand_over_moves_every_customer_of_the_leaver_in_one_step(db):
    dept = staff.add_department(db, name="销售二部")
    leaver = staff.add_staff(db, name="周涛", department_id=dept)
    successor = staff.add_staff(db, name="吴敏", department_id=dept)
    ids = [_customer(db, name=f"客户{i}号有限公司", owner_id=leaver) for i in range(5)]
    other = _customer(db, name="别人的客户有限公司", owner_id=successor)
    moved = staff.hand_over(db, actor="经理", leaver_id=leaver, successor_id=successor)
    assert moved == 5
    assert search_ids(db, CustomerFilter(owner_id=leaver)) == []
    assert set(search_ids(db, CustomerFilter(owner_id=successor))) == set(ids) | {other}
    assert not [s for s in staff.list_staff(db, active_only=True) if s.name == "周涛"]
    change = audit.history(db, user=None, customer_id=ids[0])[0]
    assert (change.action, change.old_value, change.new_value) == ("移交", "周涛", "吴敏")
    with pytest.raises(ValidationFailed):
        staff.hand_over(db, actor="经理", leaver_id=successor, successor_id=leaver)  # leaver is inactive now


def test_merge_moves_key_persons_and_archive_and_hides_the_duplicate(db):
    keep = _customer(db, name="广州恒通物流有限公司", phone="020-88886666")
    dup = customers.create_customer(db, actor="王丽", allow_duplicate=True, values={
        "name": "广州恒通物流有限公司", "uscc": "91110000600037341L", "fax": "020-88886667"})
    key_persons.add_person(db, user=None, actor="王丽", customer_id=dup, values={"name": "黄磊"})
    archive.add_entry(db, user=None, actor="王丽", customer_id=dup, values={
        "section": "contact", "kind": "visit", "entry_date": date(2026, 5, 5), "subject": "上门拜访"})
    customers.merge_customers(db, actor="王丽", keep_id=keep, merge_id=dup)
    card = customers.get_card(db, customer_id=keep)
    assert card.values["uscc"] == "91110000600037341L" and card.values["fax"] == "020-88886667"
    assert [p.name for p in key_persons.list_persons(db, user=None, customer_id=keep)] == ["黄磊"]
    assert len(archive.entries(db, user=None, customer_id=keep)) == 1
    assert search_ids(db, CustomerFilter(text="恒通")) == [keep]


def test_a_merged_duplicate_points_to_the_kept_card(db):
    from app.errors import NotFound

    keep = _customer(db, name="合并保留有限公司")
    dup = customers.create_customer(db, actor="王丽", allow_duplicate=True, values={"name": "合并保留有限公司"})
    customers.merge_customers(db, actor="王丽", keep_id=keep, merge_id=dup)
    with pytest.raises(NotFound) as exc:
        customers.get_card(db, customer_id=dup)
    assert customers.get_card(db, customer_id=keep).values["code"] in exc.value.message
