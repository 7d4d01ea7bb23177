"""Key-customer rankings from sales records, the editable tables and evaluations, on both databases."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal as D

import pytest

from app.errors import ValidationFailed
from app.services import audit, customers, grading_tables, grading_tables_eval, staff, users
from app.services.users import PermissionDenied
from models import SalesRecord


def _sales(db, rows):
    def work(s):
        for cid, year, month, amount, profit in rows:
            s.add(SalesRecord(id=uuid.uuid4(), customer_id=cid, year=year, month=month, amount=D(amount),
                              profit=D(profit), orders=1))
    db.transact(work)


@pytest.fixture
def office(db):
    dept = staff.add_department(db, name="销售一部")
    rep_staff = staff.add_staff(db, name="王丽", department_id=dept)
    admin = users.system_principal()
    ids = {}
    for i, name in enumerate(("甲公司", "乙公司", "丙公司", "丁公司"), start=1):
        ids[name] = customers.create_customer(db, actor="建档", values={
            "name": f"{name}有限公司", "code": f"KH{i:04d}", "owner_id": rep_staff, "department_id": dept,
            "confidentiality": "department", "region": "华北"})
    other = customers.create_customer(db, actor="建档", values={
        "name": "别部门个人级公司", "code": "KH0099", "confidentiality": "personal"})
    users.create_user(db, username="gm", display_name="孙总", role="marketing_gm", password="pass-2026",
                      staff_id=staff.add_staff(db, name="孙总", department_id=dept), department_id=dept, by=admin)
    users.create_user(db, username="aud", display_name="审计员", role="auditor", password="pass-2026", by=admin)
    gm = users.authenticate(db, username="gm", password="pass-2026")
    aud = users.authenticate(db, username="aud", password="pass-2026")
    _sales(db, [
        (ids["甲公司"], 2026, 1, "600000", "60000"), (ids["甲公司"], 2026, 2, "400000", "40000"),  # 1,000,000 10%
        (ids["甲公司"], 2025, 0, "500000", "0"),  # growth 100%
        (ids["乙公司"], 2026, 0, "2000000", "-100000"), (ids["乙公司"], 2025, 0, "2000000", "0"),  # 0%, −5%
        (ids["丙公司"], 2026, 3, "300000", "90000"),  # no last year: no growth; margin 30%
        (ids["丁公司"], 2025, 0, "900000", "1"),  # nothing this year: not ranked
        (other, 2026, 0, "9000000", "900000"),  # the GM may not read it: not ranked for them
    ])
    return db, ids, gm, aud


def test_the_three_rankings_come_from_the_sales_records(office):
    db, ids, gm, _aud = office
    t = grading_tables.key_table(db, user=gm, year=2026)
    r = t.rankings
    assert [(x.name, x.value) for x in r.by_sales] == [("乙公司有限公司", D("2000000.00")),
                                                       ("甲公司有限公司", D("1000000.00")),
                                                       ("丙公司有限公司", D("300000.00"))]
    assert [(x.name, x.value) for x in r.by_growth] == [("甲公司有限公司", D(1)), ("乙公司有限公司", D(0))]
    assert [x.name for x in r.by_margin] == ["丙公司有限公司", "甲公司有限公司", "乙公司有限公司"]
    assert r.by_margin[-1].value == D("-0.05")


def test_key_plans_are_stored_per_year_and_audited(office):
    db, ids, gm, aud = office
    grading_tables.save_key_plan(db, user=gm, year=2026, customer_id=ids["甲公司"],
                                 values={"sales_target": "150万", "reason": "增长最快", "actions": "季度拜访"})
    users.create_user(db, username="chair", display_name="钱董", role="chairman", password="pass-2026",
                      by=users.system_principal())
    chairman = users.authenticate(db, username="chair", password="pass-2026")
    grading_tables.save_key_plan(db, user=chairman, year=2026, customer_id=ids["甲公司"],
                                 values={"chairman_opinion": "同意"})
    plans = grading_tables.key_table(db, user=gm, year=2026).plans
    assert [(p.name, p.sales_target, p.reason, p.chairman_opinion, p.sales) for p in plans] == [
        ("甲公司有限公司", D("1500000.00"), "增长最快", "同意", D("1000000.00"))]
    assert grading_tables.key_table(db, user=gm, year=2025).plans == []
    assert grading_tables.key_table(db, user=aud, year=2026).plans == []  # the auditor reads no archive
    with pytest.raises(PermissionDenied):
        grading_tables.save_key_plan(db, user=aud, year=2026, customer_id=ids["甲公司"], values={"reason": "x"})
    with pytest.raises(ValidationFailed):
        grading_tables.save_key_plan(db, user=gm, year=2026, customer_id=ids["甲公司"],
                                     values={"sales_target": "很多"})
    history = audit.history(db, customer_id=ids["甲公司"], user=None)
    assert any(h.entity == "重点客户管理表" and h.new_value == "同意" for h in history)
    grading_tables.remove_key_plan(db, user=gm, year=2026, customer_id=ids["甲公司"])
    assert grading_tables.key_table(db, user=gm, year=2026).plans == []


def test_the_opinions_are_written_by_their_authors_only(office):
    """营销总经理建议 by the marketing GM, 董事长意见 by the chairman; the table's editors write neither."""
    db, ids, gm, _aud = office
    admin = users.system_principal()
    users.create_user(db, username="dir", display_name="周总监", role="regional_director", password="pass-2026",
                      by=admin)
    users.create_user(db, username="chair", display_name="钱董", role="chairman", password="pass-2026", by=admin)
    director = users.authenticate(db, username="dir", password="pass-2026")
    chairman = users.authenticate(db, username="chair", password="pass-2026")
    grading_tables.save_key_plan(db, user=gm, year=2026, customer_id=ids["甲公司"],
                                 values={"reason": "增长最快", "gm_suggestion": "加大投入"})
    with pytest.raises(PermissionDenied, match="董事长意见"):
        grading_tables.save_key_plan(db, user=gm, year=2026, customer_id=ids["甲公司"],
                                     values={"chairman_opinion": "同意"})
    with pytest.raises(PermissionDenied, match="营销总经理建议"):
        grading_tables.save_key_plan(db, user=director, year=2026, customer_id=ids["甲公司"],
                                     values={"gm_suggestion": "由我来写"})
    with pytest.raises(PermissionDenied):  # the chairman writes his opinion, not the table
        grading_tables.save_key_plan(db, user=chairman, year=2026, customer_id=ids["甲公司"],
                                     values={"reason": "改一下"})
    grading_tables.save_key_plan(db, user=chairman, year=2026, customer_id=ids["甲公司"],
                                 values={"chairman_opinion": "同意,年底复盘"})
    (plan,) = grading_tables.key_table(db, user=gm, year=2026).plans
    assert (plan.reason, plan.gm_suggestion, plan.chairman_opinion) == ("增长最快", "加大投入", "同意,年底复盘")
    assert [grading_tables.may_write(chairman, k) for k in ("reason", "gm_suggestion", "chairman_opinion")] == [
        False, False, True]


def test_strategy_tables_per_kind_and_period(office):
    db, ids, gm, _aud = office
    grading_tables.save_strategy_row(db, user=gm, kind="problem", period="2026-q4", customer_id=ids["乙公司"],
                                     values={"trend": "毛利连续两季为负", "problem": "压价", "strategy": "调整价格"})
    grading_tables.save_strategy_note(db, user=gm, kind="problem", period="2026-Q4", policy="", note="月度复查")
    t = grading_tables.strategy_table(db, user=gm, kind="problem", period="2026-Q4")
    assert [(r.name, r.responsible, r.location, r.trend) for r in t.rows] == [
        ("乙公司有限公司", "王丽", "华北", "毛利连续两季为负")]  # the owner and region filled in
    assert t.note == "月度复查"
    assert grading_tables.strategy_table(db, user=gm, kind="important", period="2026-Q4").rows == []
    with pytest.raises(ValidationFailed):
        grading_tables.strategy_table(db, user=gm, kind="problem", period="四季度")


def test_an_evaluation_is_scored_stored_and_audited(office):
    db, ids, gm, _aud = office
    rules = grading_tables_eval.evaluation_rules(db, user=gm)
    scores = {i.name: D(90) for i in rules.indicators}
    scores["信用度"] = D(40)
    info = grading_tables_eval.save_evaluation(db, user=gm, customer_id=ids["甲公司"], on=date(2026, 11, 29),
                                               scores=scores, basis={"信用度": "两次逾期"}, suggestion="跟进回款")
    assert info.total == D("80.00") and info.result_label == "发展关系" and info.grade == "B"
    stored = grading_tables_eval.evaluations_of(db, user=gm, customer_id=ids["甲公司"])
    assert len(stored) == 1 and stored[0].items[3].basis == "两次逾期" and stored[0].items[3].grade == "D"
    with pytest.raises(ValidationFailed, match="销售额"):
        grading_tables_eval.save_evaluation(db, user=gm, customer_id=ids["甲公司"], on=date(2026, 11, 29),
                                            scores={})
    assert any(h.entity == "关系评估" for h in audit.history(db, customer_id=ids["甲公司"], user=None))
