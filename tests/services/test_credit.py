"""信用额度 on both databases: the position from the committed credit run, the order check, and the
部长 → 总经理 approval of credit over the limit (self-approval refused, steps in order, lapse, audit)."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, update

from app.errors import UserError, ValidationFailed
from app.services import audit, credit, customers, grading_runs, grading_schemes, staff, users
from app.services.users import PermissionDenied
from models import CreditRequest, PaymentRecord, SalesRecord
from models.base import utcnow


@pytest.fixture
def office(db):
    dept = staff.add_department(db, name="销售一部")
    rep_staff = staff.add_staff(db, name="王丽", department_id=dept)
    cid = customers.create_customer(db, actor="建档", values={
        "name": "张三贸易有限公司", "status": "deal", "owner_id": rep_staff, "department_id": dept})
    admin = users.system_principal()
    people = {}
    for username, name, role, staff_id in (("rep", "王丽", "sales_rep", rep_staff),
                                           ("bm", "赵部长", "branch_manager", None),
                                           ("rd", "孙总监", "regional_director", None),
                                           ("gm", "钱总", "marketing_gm", None)):
        users.create_user(db, username=username, display_name=name, role=role, password="pass-2026",
                          staff_id=staff_id or staff.add_staff(db, name=name, department_id=dept),
                          department_id=dept, by=admin)
        people[username] = users.authenticate(db, username=username, password="pass-2026")
    return db, cid, people


def _credit_run(db, cid, override: str | None = None):
    """2025: 100,000 of sales and two payments on time → A, limit 100,000; 30,000 still unpaid now."""
    with db.write() as s:
        s.execute(insert(SalesRecord), [{"id": uuid.uuid4(), "customer_id": cid, "product": "PE管", "year": 2025,
                                         "month": m, "amount": Decimal(50_000), "profit": Decimal(0), "orders": 1}
                                        for m in (3, 4)])
        s.execute(insert(PaymentRecord), [
            {"id": uuid.uuid4(), "customer_id": cid, "amount": Decimal(a), "due_on": due, "paid_on": paid,
             "entered_by": "t"} for a, due, paid in ((50_000, date(2025, 4, 1), date(2025, 3, 30)),
                                                     (50_000, date(2025, 5, 1), date(2025, 5, 1)),
                                                     (30_000, date(2026, 12, 20), None))])
    sysp = users.system_principal()
    scheme = {s.kind: s for s in grading_schemes.ensure_default_schemes(db, user=sysp)}["credit"]
    run = grading_runs.compute_run(db, user=sysp, scheme_id=scheme.id, year=2025, today=date(2026, 1, 10))
    if override:
        grading_runs.override(db, user=sysp, run_id=run, customer_id=cid, grade=override, reason="拖欠货款已起诉")
    grading_runs.commit_run(db, user=sysp, run_id=run)


def test_position_from_the_committed_credit_run_and_who_must_approve(office):
    db, cid, p = office
    pos = credit.credit_position(db, user=p["rep"], customer_id=cid)
    assert (pos.grade, pos.limit, pos.exposure) == ("C", Decimal("20000.00"), Decimal("0.00"))  # no run yet
    _credit_run(db, cid)
    pos = credit.credit_position(db, user=p["rep"], customer_id=cid)
    assert (pos.grade, pos.limit, pos.exposure, pos.headroom) == (
        "A", Decimal("100000.00"), Decimal("30000.00"), Decimal("70000.00"))
    assert "2025" in pos.source

    def who(amount):
        return credit.check_order(db, user=p["rep"], customer_id=cid, amount=amount).approvers

    assert who("70000") == ()
    assert who("70000.01") == ("部长",)
    assert who("90,000") == ("部长",)  # exactly 20% over
    assert who("90000.01") == ("部长", "总经理")
    with pytest.raises(ValidationFailed) as exc:
        who("五万")
    assert "订单金额" in exc.value.errors["amount"]


def test_filed_the_minister_then_the_gm_approve_and_the_card_shows_it(office):
    db, cid, p = office
    _credit_run(db, cid)
    with pytest.raises(UserError, match="无需审批"):
        credit.request_approval(db, user=p["rep"], customer_id=cid, amount="1000", reason="小单")
    with pytest.raises(ValidationFailed):
        credit.request_approval(db, user=p["rep"], customer_id=cid, amount="100000", reason=" ")
    rid = credit.request_approval(db, user=p["rep"], customer_id=cid, amount="100000", reason="年底备货大单")
    assert [r.id for r in credit.list_requests(db, user=p["bm"])] == [rid]
    assert credit.list_requests(db, user=p["gm"]) == []  # not the GM's turn yet
    assert credit.list_requests(db, user=p["rep"]) == []  # not my step, and my own
    # the GM may not take the 部长's step
    with pytest.raises(PermissionDenied, match="待部长审批"):
        credit.decide(db, user=p["gm"], request_id=rid, approve=True)
    assert credit.decide(db, user=p["bm"], request_id=rid, approve=True, comment="客户信誉好") == "待总经理审批"
    assert credit.list_requests(db, user=p["bm"]) == []
    assert [r.id for r in credit.list_requests(db, user=p["gm"])] == [rid]
    assert credit.decide(db, user=p["gm"], request_id=rid, approve=True) == "已批准"
    info = credit.list_requests(db, user=p["rep"], scope="mine")[0]
    assert (info.state_label, info.minister, info.gm, info.approvers) == ("已批准", "赵部长", "钱总", ("部长", "总经理"))
    assert (info.amount, info.exposure, info.limit) == (Decimal("100000.00"), Decimal("30000.00"),
                                                       Decimal("100000.00"))
    history = [h for h in audit.history(db, customer_id=cid, user=None) if h.entity == "信用超限审批"]
    assert sorted(h.action for h in history) == ["批准", "批准", "新建"]
    assert any("年底备货大单" in (h.new_value or "") + (h.field or "") for h in history)
    with pytest.raises(PermissionDenied, match="已批准"):
        credit.decide(db, user=p["gm"], request_id=rid, approve=True)


def test_nobody_approves_their_own_request_and_a_refusal_says_why(office):
    db, cid, p = office
    rid = credit.request_approval(db, user=p["bm"], customer_id=cid, amount="21000", reason="急单")
    assert credit.list_requests(db, user=p["bm"]) == []
    with pytest.raises(PermissionDenied, match="自己"):
        credit.decide(db, user=p["bm"], request_id=rid, approve=True)
    with pytest.raises(PermissionDenied):
        credit.decide(db, user=p["rep"], request_id=rid, approve=True)
    with pytest.raises(ValidationFailed) as exc:
        credit.decide(db, user=p["rd"], request_id=rid, approve=False)
    assert "原因" in exc.value.errors["comment"]
    assert credit.decide(db, user=p["rd"], request_id=rid, approve=False, comment="先收回欠款") == "未批准"
    info = credit.list_requests(db, user=p["bm"], scope="mine")[0]
    assert info.state_label == "未批准" and "先收回欠款" in info.comment and info.approvers == ("部长",)


def test_the_minister_step_done_by_a_person_with_both_rights_needs_another_for_the_gm_step(office):
    db, cid, p = office
    rid = credit.request_approval(db, user=p["rep"], customer_id=cid, amount="30000", reason="大单")
    both = users.Principal(uuid.uuid4(), "boss", "李总", "marketing_gm", "营销中心总经理",
                           p["gm"].permissions | {"credit.approve.minister"})
    credit.decide(db, user=both, request_id=rid, approve=True)
    assert credit.list_requests(db, user=both) == []
    with pytest.raises(PermissionDenied, match="同一人"):
        credit.decide(db, user=both, request_id=rid, approve=True)
    assert credit.decide(db, user=p["gm"], request_id=rid, approve=True) == "已批准"


def test_a_request_lapses_after_the_set_days(office):
    db, cid, p = office
    rid = credit.request_approval(db, user=p["rep"], customer_id=cid, amount="30000", reason="大单")
    with db.write() as s:
        s.execute(update(CreditRequest).where(CreditRequest.id == rid)
                  .values(expires_at=utcnow() - timedelta(minutes=1)))
    assert credit.list_requests(db, user=p["bm"]) == []
    assert credit.list_requests(db, user=p["rep"], scope="mine")[0].state_label == "已过期失效"
    with pytest.raises(UserError, match="过期"):
        credit.decide(db, user=p["bm"], request_id=rid, approve=True)
    # a new request may be filed once the old one lapsed
    credit.request_approval(db, user=p["rep"], customer_id=cid, amount="30000", reason="大单,重新申请")


def test_refused_on_an_offline_replica_and_without_the_permission(office):
    db, cid, p = office
    db.offline = True
    try:
        with pytest.raises(UserError, match="离线"):
            credit.request_approval(db, user=p["rep"], customer_id=cid, amount="30000", reason="大单")
    finally:
        db.offline = False
    front = users.Principal(uuid.uuid4(), "fd", "前台", "front_desk", "前台", frozenset({"customer.open"}))
    with pytest.raises(PermissionDenied):
        credit.credit_position(db, user=front, customer_id=cid)


def test_a_rep_sees_no_credit_position_of_a_customer_they_may_not_read(office):
    db, cid, _p = office
    dept = staff.add_department(db, name="销售二部")
    users.create_user(db, username="other", display_name="李强", role="sales_rep", password="pass-2026",
                      staff_id=staff.add_staff(db, name="李强", department_id=dept), department_id=dept,
                      by=users.system_principal())
    other = users.authenticate(db, username="other", password="pass-2026")
    with pytest.raises(PermissionDenied):
        credit.credit_position(db, user=other, customer_id=cid)
    with pytest.raises(PermissionDenied):
        credit.request_approval(db, user=other, customer_id=cid, amount="30000", reason="大单")


def test_a_grade_adjusted_by_hand_to_d_has_no_limit_so_any_order_goes_to_the_gm(office):
    db, cid, p = office
    _credit_run(db, cid, override="D")
    pos = credit.credit_position(db, user=p["rep"], customer_id=cid)
    assert (pos.grade, pos.limit, pos.headroom) == ("D", Decimal("0.00"), Decimal("-30000.00"))
    assert credit.check_order(db, user=p["rep"], customer_id=cid, amount="1").approvers == ("部长", "总经理")


def test_my_requests_leave_out_a_customer_i_may_no_longer_read(office):
    """After the card goes to another rep, its name and figures are not in the former rep's own list."""
    db, cid, p = office
    rid = credit.request_approval(db, user=p["rep"], customer_id=cid, amount="30000", reason="年底备货")
    assert [r.id for r in credit.list_requests(db, user=p["rep"], scope="mine")] == [rid]
    successor = staff.add_staff(db, name="李强")
    customers.update_customer(db, actor="建档", customer_id=cid, values={"owner_id": successor, "department_id": None})
    assert credit.list_requests(db, user=p["rep"], scope="mine") == []
    assert [r.id for r in credit.list_requests(db, user=p["gm"], scope="all")] == [rid]  # still there for others
