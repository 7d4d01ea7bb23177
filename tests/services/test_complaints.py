"""Complaints: the 24-hour clock, the steps to a satisfied close, the customer's archive, cause statistics."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest

from app.domain.permissions import DEFAULT_ROLES
from app.errors import UserError, ValidationFailed
from app.services import archive, complaints, customers, staff
from app.services.users import PermissionDenied, Principal


def who(role: str, name: str) -> Principal:
    label, perms = DEFAULT_ROLES[role]
    return Principal(None, role, name, role, label, frozenset(perms))


DESK, MGR = who("front_desk", "小陈"), who("branch_manager", "周经理")
NOW = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)


def test_received_answered_late_is_overdue_and_numbers_run_per_year(db):
    a = complaints.receive(db, user=DESK, values={"complainant": "李先生", "channel": "phone", "cause": "service",
                                                  "subject": "售楼处接待态度差"}, now=NOW)
    complaints.receive(db, user=DESK, values={"complainant": "王女士", "channel": "web", "cause": "quality",
                                              "subject": "样板间漏水"}, now=NOW)
    rows = {r.id: r for r in complaints.list_complaints(db, user=DESK, now=NOW + timedelta(hours=24))}
    assert sorted(r.number for r in rows.values()) == ["TS-2026-0001", "TS-2026-0002"]
    assert not any(r.overdue for r in rows.values())
    late = complaints.list_complaints(db, user=DESK, now=NOW + timedelta(hours=24, minutes=1))
    assert all(r.overdue for r in late)
    complaints.advance(db, user=DESK, complaint_id=a, action="answer", note="已电话致歉,安排调查",
                       now=NOW + timedelta(hours=2))
    rows = {r.id: r for r in complaints.list_complaints(db, user=DESK, now=NOW + timedelta(days=5))}
    assert not rows[a].overdue and rows[a].status == "investigating"


def test_steps_to_closed_and_back_to_handling_when_not_satisfied(db):
    cid = complaints.receive(db, user=DESK, values={"complainant": "李先生", "channel": "visit",
                                                    "cause": "delivery", "subject": "交房延期"}, now=NOW)
    with pytest.raises(PermissionDenied):
        complaints.advance(db, user=DESK, complaint_id=cid, action="investigate", note="x")
    with pytest.raises(UserError, match="不能"):
        complaints.advance(db, user=MGR, complaint_id=cid, action="handle", note="x")
    with pytest.raises(ValidationFailed):
        complaints.advance(db, user=MGR, complaint_id=cid, action="answer", note="  ")
    for action in ("answer", "investigate", "handle", "not_satisfied", "handle", "satisfied"):
        complaints.advance(db, user=MGR, complaint_id=cid, action=action, note=f"{action} 说明")
    row = complaints.list_complaints(db, user=MGR)[0]
    assert row.status == "closed" and row.closed_at is not None
    labels = [s.action for s in complaints.steps(db, user=MGR, complaint_id=cid)]
    assert labels[0] == "受理" and labels[-1] == "客户满意,结案" and "客户不满意,重新处理" in labels


def test_a_linked_complaint_lands_in_the_customers_archive(db):
    dept = staff.add_department(db, name="华北销售部")
    card = customers.create_customer(db, actor="测试", values={"name": "华盛建筑有限公司", "phone": "010-62345678",
                                                              "status": "deal", "department_id": dept})
    mgr = Principal(None, "mgr", "周经理", "branch_manager", "销售分公司经理", MGR.permissions, None, dept)
    cid = complaints.receive(db, user=DESK, values={"customer_id": card, "channel": "letter", "cause": "contract",
                                                    "subject": "合同付款条款争议", "content": "来函要求延期"},
                             now=NOW)
    entries = archive.entries(db, customer_id=card, user=None, section="complaint")
    assert len(entries) == 1
    assert entries[0].reference == "TS-2026-0001" and entries[0].subject == "合同付款条款争议"
    complaints.advance(db, user=mgr, complaint_id=cid, action="answer", note="已回函")
    entry = archive.entries(db, customer_id=card, user=None, section="complaint")[0]
    assert "答复客户(周经理):已回函" in entry.content
    mine = complaints.list_complaints(db, user=mgr)[0]
    assert (mine.customer_name, mine.subject) == ("华盛建筑有限公司", "合同付款条款争议")
    # the front desk took it, but may not read this department's archive: the clock, not the customer
    desk = complaints.list_complaints(db, user=DESK)[0]
    assert (desk.number, desk.customer_name, desk.complainant, desk.subject) == ("TS-2026-0001", "保密客户", "", "(保密)")
    assert complaints.steps(db, user=DESK, complaint_id=cid) == []
    assert len(complaints.steps(db, user=mgr, complaint_id=cid)) == 2


def test_a_receipt_cannot_be_dated_ahead_of_now(db):
    with pytest.raises(ValidationFailed) as exc:
        complaints.receive(db, user=DESK, values={"complainant": "李先生", "channel": "phone", "cause": "service",
                                                  "subject": "态度差", "received_at": NOW + timedelta(hours=3)},
                           now=NOW)
    assert exc.value.errors == {"received_at": "受理时间不能晚于现在"}


def test_cause_statistics_and_excel(db, tmp_path):
    for day, cause in ((NOW, "quality"), (NOW + timedelta(days=30), "quality"), (NOW + timedelta(days=31), "price")):
        complaints.receive(db, user=DESK, values={"complainant": "客户", "channel": "email", "cause": cause,
                                                  "subject": "问题"}, now=day)
    months, table = complaints.cause_statistics(db, user=MGR)
    assert months == ["2026-11", "2026-12"]
    assert table == [("产品质量", [1, 1], 2), ("价格", [0, 1], 1)]
    path = tmp_path / "c.xlsx"
    assert complaints.export_statistics(db, user=MGR, path=path, now=NOW + timedelta(days=40)) == 3
    wb = openpyxl.load_workbook(path)
    sheet = [list(r) for r in wb["按原因与月份"].iter_rows(values_only=True)]
    assert sheet[0] == ["投诉原因", "2026-11", "2026-12", "合计"] and sheet[-1] == ["合计", 1, 2, 3]
    assert [r[-1] for r in wb["投诉清单"].iter_rows(min_row=2, values_only=True)] == ["超时"] * 3


def test_missing_fields_are_named(db):
    with pytest.raises(ValidationFailed) as e:
        complaints.receive(db, user=DESK, values={"channel": "", "cause": "x", "subject": ""})
    assert set(e.value.errors) == {"complainant", "channel", "cause", "subject"}


def test_on_a_desk_set_to_utc_the_number_archive_and_statistics_follow_beijing(db, desk_on_utc, tmp_path):
    dept = staff.add_department(db, name="华北销售部")
    card = customers.create_customer(db, actor="测试", values={"name": "华盛建筑有限公司", "phone": "010-62345678",
                                                              "status": "deal", "department_id": dept})
    received = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 2027-01-01 00:30 in Beijing
    cid = complaints.receive(db, user=DESK, values={"customer_id": card, "channel": "phone", "cause": "service",
                                                    "subject": "元旦值班无人接听"}, now=received)
    complaints.advance(db, user=MGR, complaint_id=cid, action="answer", note="已致电道歉",
                       now=received + timedelta(minutes=40))
    entry = archive.entries(db, customer_id=card, user=None, section="complaint")[0]
    assert entry.reference == "TS-2027-0001" and entry.entry_date == date(2027, 1, 1)
    assert "2027-01-01 01:10 答复客户(周经理):已致电道歉" in entry.content
    assert complaints.cause_statistics(db, user=MGR)[0] == ["2027-01"]
    path = tmp_path / "c.xlsx"
    complaints.export_statistics(db, user=MGR, path=path, now=received + timedelta(hours=1))
    listing = list(openpyxl.load_workbook(path)["投诉清单"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[7]) for r in listing] == [("TS-2027-0001", "2027-01-01 00:30", "2027-01-01 01:10")]


def test_the_figures_agree_with_the_rows_overdue_resolution_satisfaction_and_times(db):
    def new(name):
        return complaints.receive(db, user=DESK, values={"complainant": name, "channel": "phone",
                                                         "cause": "service", "subject": "接待"}, now=NOW)

    a, b, _c = new("甲"), new("乙"), new("丙")
    steps = (("answer", 2), ("investigate", 3), ("handle", 10), ("not_satisfied", 20), ("handle", 30),
             ("satisfied", 50))
    for action, hours in steps:
        complaints.advance(db, user=MGR, complaint_id=a, action=action, note=action, now=NOW + timedelta(hours=hours))
    complaints.advance(db, user=MGR, complaint_id=b, action="answer", note="迟复", now=NOW + timedelta(hours=30))
    rows = complaints.list_complaints(db, user=MGR, now=NOW + timedelta(days=5))
    f = complaints.service_figures(db, user=MGR, rows=rows)
    assert f.overdue == sum(r.overdue for r in rows) == 2  # 乙 answered late, 丙 not at all: both 超时
    assert f.waiting_overdue == 1 and f.count == 3 and f.closed == 1
    assert f.resolution_rate == Decimal("0.3333") and f.satisfaction == Decimal("0.5000")
    assert f.response_hours == Decimal("16.0") and f.resolution_hours == Decimal("50.0")
    assert complaints.service_figures(db, user=MGR, rows=[]).satisfaction is None
