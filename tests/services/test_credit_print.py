"""信用额度超限审批单 on both databases: the printed form shows the customer, the position kept when filed, how
far the order goes over, the reason and each step (decided or to be signed); the printing is logged; a reader
who may not read the customer's archive gets neither the form nor a name or a figure."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.services import credit, staff, users
from app.services.users import PermissionDenied
from models import CreditRequest, ReadLog
from models.base import utcnow
from tests import pdfcheck
from tests.services.test_credit import _credit_run, office  # noqa: F401 (the fixture)


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return pdfcheck.text(pdf)


def test_a_request_waiting_for_the_gm_prints_the_minister_s_decision_and_a_line_for_the_gm(office):  # noqa: F811
    db, cid, p = office
    _credit_run(db, cid)  # A, limit 100,000; 30,000 unpaid
    rid = credit.request_approval(db, user=p["rep"], customer_id=cid, amount="100000", reason="年底备货大单")
    credit.decide(db, user=p["bm"], request_id=rid, approve=True, comment="客户信誉好")
    text = pdf_text(credit.request_pdf(db, user=p["rep"], request_id=rid, company="华东营销中心"))
    for shown in ("信用额度超限审批单", "华东营销中心", "张三贸易有限公司", "A级", "100,000.00", "30,000.00",
                  "年底备货大单", "王丽", "待总经理审批", "客户信誉好", "赵部长", "30,000.00 元(30.0%)",
                  "打印人:王丽", "保密级别:部门级"):
        assert shown in text, shown
    gm_line = text[text.index("总经理", text.index("二、审批")):]
    assert "□ 同意" in gm_line  # the 总经理 has not decided: a blank to tick and sign
    with db.read() as s:
        log = s.execute(select(ReadLog.action, ReadLog.allowed).where(ReadLog.customer_id == cid,
                                                                      ReadLog.username == "rep")).all()
    assert ("print", True) in log


def test_refused_and_lapsed_requests_print_their_end(office):  # noqa: F811
    db, cid, p = office
    rid = credit.request_approval(db, user=p["rep"], customer_id=cid, amount="30000", reason="急单")
    credit.decide(db, user=p["bm"], request_id=rid, approve=False, comment="先收回欠款")
    text = pdf_text(credit.request_pdf(db, user=p["gm"], request_id=rid))
    assert "未批准" in text and "先收回欠款" in text and "C级" in text and "□ 同意" not in text
    other = credit.request_approval(db, user=p["bm"], customer_id=cid, amount="21000", reason="补货")
    with db.write() as s:
        s.execute(update(CreditRequest).where(CreditRequest.id == other)
                  .values(expires_at=utcnow() - timedelta(minutes=1)))
    text = pdf_text(credit.request_pdf(db, user=p["bm"], request_id=other))
    assert "已过期失效" in text and "补货" in text and "□ 同意" not in text


def test_a_reader_who_may_not_read_the_archive_gets_no_form_and_the_refusal_is_logged(office):  # noqa: F811
    db, cid, p = office
    rid = credit.request_approval(db, user=p["rep"], customer_id=cid, amount="30000", reason="大单")
    dept = staff.add_department(db, name="销售二部")
    users.create_user(db, username="other", display_name="李强", role="branch_manager", password="pass-2026",
                      staff_id=staff.add_staff(db, name="李强", department_id=dept), department_id=dept,
                      by=users.system_principal())
    other = users.authenticate(db, username="other", password="pass-2026")
    assert credit.list_requests(db, user=other, scope="all") == []  # the list hides it, so does the print
    with pytest.raises(PermissionDenied) as exc:
        credit.request_pdf(db, user=other, request_id=rid)
    assert "30,000" not in str(exc.value) and "大单" not in str(exc.value)
    with db.read() as s:
        log = s.execute(select(ReadLog.action, ReadLog.allowed).where(ReadLog.username == "other")).all()
    assert log == [("print", False)]
    front = users.Principal(p["rep"].user_id, "fd", "前台", "front_desk", "前台", frozenset({"customer.open"}))
    with pytest.raises(PermissionDenied):
        credit.request_pdf(db, user=front, request_id=rid)
