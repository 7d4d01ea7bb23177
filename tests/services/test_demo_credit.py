"""Demo 信用额度超限审批: one request in each place (待部长, 待总经理, 已批准, 未批准, 已过期失效) on the demo rep's
customers, each over the limit by as much as its approvers say; the demo manager and GM find theirs waiting
and can print them."""
from __future__ import annotations

from datetime import date

from app.services import credit, demo, users
from app.services.demo_credit import generate_credit_requests
from app.services.demo_users import DEMO_PASSWORD
from tests import pdfcheck


def _login(db, name):
    return users.authenticate(db, username=name, password=DEMO_PASSWORD)


def test_demo_requests_stand_in_every_state_and_wait_at_the_right_desk(db):
    counts = demo.generate(db, customers=300, seed=3, today=date(2026, 11, 25))
    assert counts["信用审批"] == 5
    rep, manager, gm = (_login(db, n) for n in ("rep", "manager", "gm"))
    mine = credit.list_requests(db, user=rep, scope="mine")
    assert sorted(r.state_label for r in mine) == sorted(["待部长审批", "待总经理审批", "已批准", "未批准", "已过期失效"])
    for r in mine:
        over = (r.exposure + r.amount - r.limit) / r.limit * 100
        assert r.limit > 0 and over > 0
        assert (len(r.approvers) == 2) == (over > 20), (r.state_label, over)  # credit.minister_pct = 20
    assert [r.state_label for r in credit.list_requests(db, user=manager)] == ["待部长审批"]
    assert [r.state_label for r in credit.list_requests(db, user=gm)] == ["待总经理审批"]
    approved = next(r for r in mine if r.state_label == "已批准")
    text = pdfcheck.text(credit.request_pdf(db, user=gm, request_id=approved.id))
    assert approved.customer_name in text and approved.minister in text and approved.gm in text
    assert generate_credit_requests(db, seed=3) == {"信用审批": 0}  # once per database
