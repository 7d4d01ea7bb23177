"""The parts of a card (关键人, 档案记录, 黑名单, 修改记录) follow the card's confidentiality rule (保密),
checked in the services themselves and without a read-log row per part."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.services import archive, audit, blacklist, borrowing, customers, key_persons, staff, users
from app.services.users import PermissionDenied
from models import ReadLog


@pytest.fixture
def office(db):
    """A personal-level customer of a department-B rep; a rep and a manager in A, a manager in B."""
    a = staff.add_department(db, name="销售一部")
    b = staff.add_department(db, name="销售二部")
    owner = staff.add_staff(db, name="乙部业务员", department_id=b)
    cid = customers.create_customer(db, actor="建档", values={
        "name": "个人级测试有限公司", "confidentiality": "personal", "owner_id": owner, "department_id": b})
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    people = {}
    for username, role, dept, sid in (("owner", "sales_rep", b, owner), ("rep", "sales_rep", a, None),
                                      ("manager_b", "branch_manager", b, None),
                                      ("manager_a", "branch_manager", a, None), ("auditor", "auditor", b, None)):
        sid = sid or staff.add_staff(db, name=username, department_id=dept)
        users.create_user(db, username=username, display_name=f"{username}-员工", role=role, password="pass-2026",
                          staff_id=sid, department_id=dept, by=admin)
        people[username] = users.authenticate(db, username=username, password="pass-2026")
    person = key_persons.add_person(db, actor="建档", customer_id=cid, values={"name": "刘建国"}, user=None)
    other = key_persons.add_person(db, actor="建档", customer_id=cid, values={"name": "陈静"}, user=None)
    entry = archive.add_entry(db, actor="建档", customer_id=cid, user=None, values={
        "section": "contract", "kind": "contract", "entry_date": date(2026, 3, 1), "subject": "年度采购合同"})
    blacklist.add(db, actor="建档", customer_id=cid, criterion="严重违约", reason="逾期未付", user=None)
    return db, cid, people, {"person": person, "other": other, "entry": entry}


def _log_count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(ReadLog))


def _reads(db, cid, user) -> list:
    return [key_persons.list_persons(db, customer_id=cid, user=user),
            key_persons.list_relations(db, customer_id=cid, user=user),
            archive.entries(db, customer_id=cid, user=user),
            blacklist.entries(db, customer_id=cid, user=user),
            audit.history(db, customer_id=cid, user=user)]


def _edits(db, cid, ids, user) -> list:
    """Every change of a card's parts, each as a thunk (the first one that is refused stops nothing else)."""
    return [
        lambda: key_persons.add_person(db, actor=user.display_name, customer_id=cid, values={"name": "赵六"},
                                       user=user),
        lambda: key_persons.update_person(db, actor=user.display_name, person_id=ids["person"],
                                          values={"position": "总经理"}, user=user),
        lambda: key_persons.add_relation(db, actor=user.display_name, from_id=ids["person"], to_id=ids["other"],
                                         relation="上下级", user=user),
        lambda: archive.add_entry(db, actor=user.display_name, customer_id=cid, user=user, values={
            "section": "contact", "kind": "call", "entry_date": date(2026, 4, 1), "subject": "回访"}),
        lambda: archive.update_entry(db, actor=user.display_name, entry_id=ids["entry"],
                                     values={"subject": "年度采购合同(补充)"}, user=user),
    ]


def _refused(thunk) -> str:
    with pytest.raises(PermissionDenied) as exc:
        thunk()
    return exc.value.message


def test_a_rep_of_another_department_can_neither_read_nor_change_the_parts(office):
    db, cid, people, ids = office
    rep = people["rep"]
    before_log, before = _log_count(db), _reads(db, cid, None)
    messages = [_refused(lambda f=f: f(db, customer_id=cid, user=rep))
                for f in (key_persons.list_persons, key_persons.list_relations, archive.entries,
                          blacklist.entries, audit.history)]
    messages += [_refused(edit) for edit in _edits(db, cid, ids, rep)]
    assert all("个人级保密" in m and "查阅档案审批表" in m for m in messages), messages
    assert _log_count(db) == before_log  # the card's refusal is logged when it is opened, not per part
    assert _reads(db, cid, None) == before  # nothing changed


@pytest.mark.parametrize("who", ["owner", "manager_b"])
def test_the_owning_rep_and_the_department_manager_read_and_change_them_without_extra_log_rows(office, who):
    db, cid, people, ids = office
    user = people[who]
    before = _log_count(db)
    persons, relations, entries, listed, history = _reads(db, cid, user)
    assert [p.name for p in persons] == ["刘建国", "陈静"] and relations == []
    assert [e.subject for e in entries] == ["年度采购合同"] and listed[0].criterion == "严重违约" and history
    for edit in _edits(db, cid, ids, user):
        edit()
    assert _log_count(db) == before  # opening the card writes the one read-log row; its parts add none
    persons = key_persons.list_persons(db, customer_id=cid, user=user)
    assert {p.name: p.values["position"] for p in persons}["刘建国"] == "总经理" and len(persons) == 3
    assert audit.history(db, customer_id=cid, user=user)[0].actor == user.display_name


def test_the_manager_of_another_department_is_refused_too(office):
    db, cid, people, _ids = office
    assert "个人级保密" in _refused(lambda: key_persons.list_persons(db, customer_id=cid, user=people["manager_a"]))


def test_a_borrowed_archive_opens_its_parts_and_editing_them_still_needs_the_edit_permission(office):
    db, cid, people, ids = office
    rep, auditor, manager = people["rep"], people["auditor"], people["manager_b"]
    # a loan lends exactly what was asked: the rep first asked to read only, then to edit
    read = borrowing.request_access(db, user=rep, customer_id=cid, reason="核对合同", days=3)
    borrowing.decide(db, user=manager, request_id=read, approve=True)
    assert [p.name for p in key_persons.list_persons(db, customer_id=cid, user=rep)] == ["刘建国", "陈静"]
    assert "查阅" in _refused(lambda: key_persons.update_person(db, actor="rep", person_id=ids["person"],
                                                              values={"position": "董事长"}, user=rep))
    for user, mode in ((rep, "edit"), (auditor, "read")):
        req = borrowing.request_access(db, user=user, customer_id=cid, reason="核对合同", days=3, mode=mode)
        borrowing.decide(db, user=manager, request_id=req, approve=True)
    key_persons.update_person(db, actor="rep", person_id=ids["person"], values={"position": "董事长"}, user=rep)
    assert archive.entries(db, customer_id=cid, user=auditor)[0].subject == "年度采购合同"
    message = _refused(lambda: key_persons.update_person(db, actor="auditor", person_id=ids["person"],
                                                         values={"position": "监事"}, user=auditor))
    assert message == "您的角色“审计”不能修改客户档案。"
