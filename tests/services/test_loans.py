"""Loans (借阅) grant exactly what was asked — 查阅 (read) or 修改 (edit) — for exactly the days approved."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.services import access, borrowing, customers
from app.services.users import PermissionDenied
from models import AccessRequest, ReadLog
from models.base import utcnow
from tests.services.demo_office import logins  # noqa: F401  (fixture)


def _card_of_rep(db, who):
    rep = who["rep"]
    return customers.create_customer(db, actor=rep.display_name, user=rep,
                                     values={"name": "江汉机电设备有限公司", "confidentiality": "department"})


def _edit(db, user, cid, **values):
    version = customers.get_card(db, customer_id=cid).version
    return customers.update_customer(db, actor=user.display_name, customer_id=cid, values=values,
                                     expected_version=version, user=user)


def test_an_approved_read_loan_reads_only(logins):  # noqa: F811
    db, who = logins
    cid, rep2, manager = _card_of_rep(db, who), who["rep2"], who["manager"]
    rid = borrowing.request_access(db, user=rep2, customer_id=cid, reason="协助跟进", days=3)
    now = utcnow()
    borrowing.decide(db, user=manager, request_id=rid, approve=True, now=now)
    assert customers.get_card(db, customer_id=cid, user=rep2).values["name"] == "江汉机电设备有限公司"
    for values in ({"note": "借阅人修改"}, {"confidentiality": "company"}, {"grade": "A"}):
        with pytest.raises(PermissionDenied) as exc:
            _edit(db, rep2, cid, **values)
        assert "查阅" in exc.value.message
    card = customers.get_card(db, customer_id=cid)
    assert (card.values["note"], card.values["confidentiality"], card.values["grade"]) == ("", "department", "")
    with db.read() as s:
        refused = s.execute(select(ReadLog.action, ReadLog.allowed, ReadLog.note)
                            .where(ReadLog.username == "rep2", ReadLog.action == "edit")).all()
    assert len(refused) == 3 and all(not ok and note == "借阅仅限查阅" for _a, ok, note in refused)
    [info] = borrowing.requests(db, user=rep2, pending_only=False)
    assert info.expires_at == now + timedelta(days=3) and info.decided_by == "王经理" and info.mode == "read"


def test_an_edit_loan_edits_but_never_refiles_the_archive(logins):  # noqa: F811
    db, who = logins
    cid, rep2, manager = _card_of_rep(db, who), who["rep2"], who["manager"]
    rid = borrowing.request_access(db, user=rep2, customer_id=cid, reason="代为更新联系方式", days=5, mode="edit")
    with pytest.raises(ValidationFailed) as exc:  # never more days than asked
        borrowing.decide(db, user=manager, request_id=rid, approve=True, days=6)
    assert "不超过申请的天数" in exc.value.errors["days"]
    now = utcnow()
    borrowing.decide(db, user=manager, request_id=rid, approve=True, days=2, now=now)
    _edit(db, rep2, cid, phone="027-75807524")
    assert customers.get_card(db, customer_id=cid).values["phone"] == "027-75807524"
    for values in ({"confidentiality": "company"}, {"owner_id": rep2.staff_id}):
        with pytest.raises(ValidationFailed) as exc:
            _edit(db, rep2, cid, **values)
        assert "借阅的档案不能更改" in exc.value.message
    with pytest.raises(ValidationFailed):  # grade: still the grading procedure's
        _edit(db, rep2, cid, grade="A")
    # the loan ends exactly at the approved time: two days, not the five asked
    with db.read() as s:
        assert s.get(AccessRequest, rid).expires_at == now + timedelta(days=2)
    with db.write() as s:
        s.get(AccessRequest, rid).expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(PermissionDenied):
        _edit(db, rep2, cid, phone="027-1")
    with pytest.raises(PermissionDenied):
        customers.get_card(db, customer_id=cid, user=rep2)


def test_the_owner_is_not_on_loan(logins):  # noqa: F811
    db, who = logins
    cid = _card_of_rep(db, who)
    with db.read() as s:
        assert not access.on_loan(s, who["rep"], cid) and access.on_loan(s, who["rep2"], cid)


def test_the_read_log_names_the_approver_and_refused_exports(logins, tmp_path):  # noqa: F811
    from app.services import customer_export, read_log_export
    from app.services.customer_search import CustomerFilter

    db, who = logins
    cid, rep2, manager, auditor = _card_of_rep(db, who), who["rep2"], who["manager"], who["auditor"]
    rid = borrowing.request_access(db, user=rep2, customer_id=cid, reason="核对合同", days=1)
    borrowing.decide(db, user=manager, request_id=rid, approve=True)
    customers.get_card(db, customer_id=cid, user=rep2)
    for attempt in (lambda: customer_export.export_customers(db, path=tmp_path / "x.xlsx", flt=CustomerFilter(),
                                                             user=rep2),
                    lambda: read_log_export.export_read_log(db, user=rep2, path=tmp_path / "log.xlsx")):
        with pytest.raises(PermissionDenied):
            attempt()
    assert not (tmp_path / "x.xlsx").exists()
    rows = access.read_log(db, user=auditor, flt=access.ReadLogFilter(user="rep2"))
    lent = next(r for r in rows if r.action == "open")
    assert lent.allowed and lent.approved_by == "王经理"
    assert "审批人:王经理" in read_log_export.as_cells(lent)[-1]
    refused = [r.note for r in rows if r.action == "export" and not r.allowed]
    assert refused == ["角色无此权限:导出借阅记录", "角色无此权限:导出客户资料"]
