"""Borrowing an archive (查阅档案审批表): request, approval by the named role, reading under it, expiry."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.services import borrowing, customers, staff, users
from app.services.customer_search import CustomerFilter, search_ids
from app.services.users import PermissionDenied
from models import ReadLog
from models.base import utcnow


@pytest.fixture
def office(db):
    a = staff.add_department(db, name="销售一部")
    b = staff.add_department(db, name="销售二部")
    owner = staff.add_staff(db, name="业务员甲", department_id=a)
    cid = customers.create_customer(db, actor="建档", values={
        "name": "借阅测试有限公司", "confidentiality": "department", "owner_id": owner, "department_id": a})
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    people = {}
    for username, role, dept in (("rep", "sales_rep", b), ("manager", "branch_manager", a),
                                 ("other_manager", "branch_manager", b)):
        sid = staff.add_staff(db, name=username, department_id=dept)
        users.create_user(db, username=username, display_name=username, role=role, password="pass-2026",
                          staff_id=sid, department_id=dept, by=admin)
        people[username] = users.authenticate(db, username=username, password="pass-2026")
    return db, cid, people


def test_request_approve_read_and_expire(office):
    db, cid, p = office
    with pytest.raises(PermissionDenied):
        customers.get_card(db, customer_id=cid, user=p["rep"])
    with pytest.raises(ValidationFailed) as exc:
        borrowing.request_access(db, user=p["rep"], customer_id=cid, reason=" ", days=30)
    assert exc.value.errors == {"reason": "请填写查阅原因", "days": "借阅天数应为1至7天"}
    rid = borrowing.request_access(db, user=p["rep"], customer_id=cid, reason="接手跟进该客户", days=3)
    with pytest.raises(PermissionDenied):  # a rep cannot approve
        borrowing.decide(db, user=p["rep"], request_id=rid, approve=True)
    with pytest.raises(PermissionDenied) as exc:  # a manager of another department cannot either
        borrowing.decide(db, user=p["other_manager"], request_id=rid, approve=True)
    assert "转交上级" in exc.value.message
    assert [r.customer_name for r in borrowing.requests(db, user=p["manager"])] == ["借阅测试有限公司"]
    now = utcnow()
    borrowing.decide(db, user=p["manager"], request_id=rid, approve=True, note="同意", now=now)
    card = customers.get_card(db, customer_id=cid, user=p["rep"])
    assert card.values["name"] == "借阅测试有限公司"
    assert search_ids(db, CustomerFilter(), user=p["rep"]) == [cid]
    with db.read() as s:
        last = s.execute(select(ReadLog.allowed, ReadLog.approval_id, ReadLog.username)
                         .order_by(ReadLog.at.desc())).first()
    assert tuple(last) == (True, rid, "rep")
    # the approval expires after its days
    with db.write() as s:
        from models import AccessRequest

        s.get(AccessRequest, rid).expires_at = now - timedelta(seconds=1)
    with pytest.raises(PermissionDenied):
        customers.get_card(db, customer_id=cid, user=p["rep"])
    assert search_ids(db, CustomerFilter(), user=p["rep"]) == []


def test_a_rejected_request_lends_nothing(office):
    db, cid, p = office
    rid = borrowing.request_access(db, user=p["rep"], customer_id=cid, reason="了解情况", days=1)
    borrowing.decide(db, user=p["manager"], request_id=rid, approve=False, note="无业务需要")
    with pytest.raises(PermissionDenied):
        customers.get_card(db, customer_id=cid, user=p["rep"])
    mine = borrowing.requests(db, user=p["rep"], pending_only=False)
    assert [(r.status, r.reason) for r in mine] == [("rejected", "了解情况")]
