"""Where advancement and the yearly grading meet: an approved advancement to A stands for its year, and a
customer without sales keeps the card's grade — both shown before the commit, both on SQLite and PostgreSQL.

Default roles: the rep files, the branch manager reviews (销售主管), the regional director approves (销售经理),
the marketing GM computes and commits."""
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert

from app.services import advancement, customers, grading_holds, grading_runs, grading_schemes, staff, users
from models import SalesRecord

THIS_YEAR = date.today().year  # the advancement is approved today


@pytest.fixture
def office(db):
    dept = staff.add_department(db, name="销售一部")
    rep_staff = staff.add_staff(db, name="王丽", department_id=dept)
    admin = users.system_principal()
    people = {}
    for username, name, role, staff_id in (("rep", "王丽", "sales_rep", rep_staff),
                                           ("manager", "赵经理", "branch_manager", None),
                                           ("director", "钱总监", "regional_director", None),
                                           ("gm", "孙总", "marketing_gm", None)):
        users.create_user(db, username=username, display_name=name, role=role, password="pass-2026",
                          staff_id=staff_id or staff.add_staff(db, name=name, department_id=dept),
                          department_id=dept, by=admin)
        people[username] = users.authenticate(db, username=username, password="pass-2026")
    ids = [customers.create_customer(db, actor="建档", values={
        "name": f"进阶测试{i}有限公司", "status": "deal", "owner_id": rep_staff, "department_id": dept})
        for i in range(10)]
    idle = customers.create_customer(db, actor="建档", values={
        "name": "无销售有限公司", "status": "deal", "grade": "B", "owner_id": rep_staff, "department_id": dept})
    with db.write() as s:  # customer i sells (10 - i) × 10,000 this year and next; ids[9] is the smallest
        s.execute(insert(SalesRecord), [{"id": uuid.uuid4(), "customer_id": cid, "product": "PE管", "year": y,
                                         "month": 3, "amount": Decimal((10 - i) * 10_000),
                                         "profit": Decimal((10 - i) * 1_000), "orders": 1}
                                        for i, cid in enumerate(ids) for y in (THIS_YEAR, THIS_YEAR + 1)])
    scoring = {s.kind: s for s in grading_schemes.ensure_default_schemes(db, user=people["gm"])}["scoring"]
    return db, people, ids, idle, scoring


def _advance_to_a(db, p, cid) -> str:
    crit = advancement.criteria_for(db, step="deal_to_a", user=p["rep"])
    app_id = advancement.file_application(db, user=p["rep"], customer_id=cid, step="deal_to_a",
                                          reasons="年采购额持续增长,推荐了两家新客户", criteria_met=crit)
    advancement.review(db, user=p["manager"], application_id=app_id, agree=True)
    advancement.decide(db, user=p["director"], application_id=app_id, approve=True, comment="同意进阶")
    advancement.record_notified(db, user=p["rep"], application_id=app_id, comment="电话通知客户")
    return advancement.get_application(db, user=p["rep"], application_id=app_id).number


def test_an_approved_advancement_to_a_stands_when_the_year_is_committed(office):
    db, p, ids, idle, scoring = office
    small = ids[9]
    number = _advance_to_a(db, p, small)
    assert customers.get_card(db, customer_id=small).values["grade"] == "A"

    run_id = grading_runs.compute_run(db, user=p["gm"], scheme_id=scoring.id, year=THIS_YEAR)
    computed = {r.customer_id: r for r in grading_runs.run_rows(db, user=p["gm"], run_id=run_id)}
    assert computed[small].computed_grade == "D"  # the smallest seller, by the numbers

    before = grading_holds.preview(db, user=p["gm"], run_id=run_id)  # what the commit question lists
    assert [(k.number, k.grade, k.computed, k.approver) for k in before.advancements] == [(number, "A", "D", "钱总监")]
    assert before.no_sales == 1

    grading_runs.commit_run(db, user=p["gm"], run_id=run_id)
    assert customers.get_card(db, customer_id=small).values["grade"] == "A"  # not undone
    row = {r.customer_id: r for r in grading_runs.run_rows(db, user=p["gm"], run_id=run_id)}[small]
    assert (row.grade, row.computed_grade) == ("A", "D") and number in row.override_reason
    assert row.overridden_by == "钱总监"
    # the customer without sales kept its B, marked, not made D
    assert customers.get_card(db, customer_id=idle).values["grade"] == "B"
    kept = {r.customer_id: r for r in grading_runs.run_rows(db, user=p["gm"], run_id=run_id)}[idle]
    assert (kept.grade, kept.computed_grade, kept.override_reason) == ("B", "D", grading_holds.NO_SALES)

    # next year's run is decided by next year's figures: the advancement was for its own year
    later = grading_runs.compute_run(db, user=p["gm"], scheme_id=scoring.id, year=THIS_YEAR + 1)
    assert grading_holds.preview(db, user=p["gm"], run_id=later).advancements == []
    grading_runs.commit_run(db, user=p["gm"], run_id=later)
    assert customers.get_card(db, customer_id=small).values["grade"] == "D"


def test_a_hand_override_by_the_gm_wins_over_the_advancement(office):
    db, p, ids, _idle, scoring = office
    small = ids[9]
    _advance_to_a(db, p, small)
    run_id = grading_runs.compute_run(db, user=p["gm"], scheme_id=scoring.id, year=THIS_YEAR)
    grading_runs.override(db, user=p["gm"], run_id=run_id, customer_id=small, grade="C",
                          reason="进阶后两次逾期付款,经研究定为C级")
    assert grading_holds.preview(db, user=p["gm"], run_id=run_id).advancements == []
    grading_runs.commit_run(db, user=p["gm"], run_id=run_id)
    assert customers.get_card(db, customer_id=small).values["grade"] == "C"


def test_an_override_to_d_of_a_customer_without_sales_is_committed(office):
    db, p, _ids, idle, scoring = office
    run_id = grading_runs.compute_run(db, user=p["gm"], scheme_id=scoring.id, year=THIS_YEAR)
    grading_runs.override(db, user=p["gm"], run_id=run_id, customer_id=idle, grade="D", reason="全年无订单")
    assert grading_holds.preview(db, user=p["gm"], run_id=run_id).no_sales == 0
    grading_runs.commit_run(db, user=p["gm"], run_id=run_id)
    assert customers.get_card(db, customer_id=idle).values["grade"] == "D"
