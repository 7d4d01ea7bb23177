"""Grading runs (客户分级计算) on SQLite and PostgreSQL: the aggregate, changes, overrides, commit, history."""
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from app.errors import UserError, ValidationFailed
from app.services import audit, customers, grading_runs, grading_schemes, users
from app.services.users import PermissionDenied, Principal
from models import AuditRecord, GradingAttribute, GradingScheme, PaymentRecord, SalesRecord

GM = Principal(uuid.uuid4(), "gm", "总经理甲", "marketing_gm", "营销中心总经理",
               frozenset({"grading.view", "grading.run", "grading.override", "archive.read.department.all",
                          "archive.read.company"}))
VIEWER = Principal(uuid.uuid4(), "audit", "审计乙", "auditor", "审计",
                   frozenset({"grading.view", "archive.read.department.all", "archive.read.company"}))
OUTSIDER = Principal(uuid.uuid4(), "mgr", "经理丙", "branch_manager", "销售分公司经理", frozenset({"grading.view"}))


def _sales(db, rows):
    with db.write() as s:
        s.execute(insert(SalesRecord), [{"id": uuid.uuid4(), "customer_id": cid, "product": "PE管", "year": y,
                                         "month": m, "amount": Decimal(a), "profit": Decimal(a) / 5, "orders": 1}
                                        for cid, y, m, a in rows])


@pytest.fixture
def shop(db):
    ids = [customers.create_customer(db, actor="建档", values={"name": f"测试客户{i}有限公司", "industry": "manufacturing"})
           for i in range(10)]
    # customer i sells (10 - i) × 100,000 in 2025 over two months; the last one sells nothing
    _sales(db, [(cid, 2025, m, (10 - i) * 50_000) for i, cid in enumerate(ids[:9]) for m in (3, 4)])
    _sales(db, [(ids[0], 2023, 1, 1000)])  # dealing since 2023
    with db.write() as s:
        s.execute(insert(PaymentRecord), [
            {"id": uuid.uuid4(), "customer_id": ids[1], "amount": Decimal(100), "due_on": date(2025, 2, d),
             "paid_on": date(2025, 3, 1) if d < 3 else None, "entered_by": "t"} for d in (1, 2, 3)])
    schemes = {s.kind: s for s in grading_schemes.ensure_default_schemes(db, user=GM)}
    return db, ids, schemes


def test_a_run_grades_every_customer_from_the_sales_tables_and_commits_a_snapshot(shop):
    db, ids, schemes = shop
    scoring = schemes["scoring"]
    assert scoring.is_customer_grade and len(schemes) == 5
    run_id = grading_runs.compute_run(db, user=GM, scheme_id=scoring.id, year=2025, today=date(2026, 1, 10))
    info = grading_runs.get_run(db, user=VIEWER, run_id=run_id)
    assert info.status == "draft" and info.customer_count == 10
    # nine customers with sales share the quotas (2/3/3/1); the one who bought nothing is D besides them
    assert info.counts == {"A": 2, "B": 3, "C": 3, "D": 2} and info.changes == {"new": 10}
    rows = grading_runs.run_rows(db, user=VIEWER, run_id=run_id)
    by_id = {r.customer_id: r for r in rows}
    assert by_id[ids[0]].sales == Decimal("1000000.00") and by_id[ids[0]].grade == "A"
    assert by_id[ids[1]].late == 3  # two paid late, one unpaid past due
    assert by_id[ids[9]].sales == 0 and by_id[ids[9]].grade == "D"
    assert [r.rank for r in rows] == list(range(1, 11))
    assert rows[0].items["sales"] == 20.0 and rows[0].industry == "制造业"

    changed = grading_runs.commit_run(db, user=GM, run_id=run_id)
    assert changed == 9  # the one without sales keeps its (empty) grade, marked 无销售, not made D
    assert customers.get_card(db, customer_id=ids[0]).values["grade"] == "A"
    assert customers.get_card(db, customer_id=ids[9]).values["grade"] == ""
    history = audit.history(db, user=None, customer_id=ids[0])
    assert [(h.old_value, h.new_value) for h in history if h.action == "分级确认"] == [("", "A(百分制评分分级 2025年)")]
    with db.read() as s:  # one row per changed card, each with its own id, all in the commit's transaction
        rows = s.execute(select(AuditRecord.id, AuditRecord.customer_id, AuditRecord.actor)
                         .where(AuditRecord.action == "grade")).all()
    assert sorted(r.customer_id for r in rows) == sorted(ids[:9]) and len({r.id for r in rows}) == 9
    assert {r.actor for r in rows} == {"总经理甲"} and all(r.id.version == 4 for r in rows)
    with pytest.raises(UserError, match="已确认"):
        grading_runs.override(db, user=GM, run_id=run_id, customer_id=ids[0], grade="B", reason="试试")


def test_the_next_run_shows_changes_against_the_last_committed_one_and_keeps_history(shop):
    db, ids, schemes = shop
    share = schemes["sales_share"]
    first = grading_runs.compute_run(db, user=GM, scheme_id=share.id, year=2025)
    grading_runs.commit_run(db, user=GM, run_id=first)
    assert customers.get_card(db, customer_id=ids[0]).values["grade"] == ""  # not the customer-grade scheme
    _sales(db, [(ids[8], 2025, 5, 3_000_000)])  # the smallest seller becomes the biggest
    second = grading_runs.compute_run(db, user=GM, scheme_id=share.id, year=2025)
    rows = {r.customer_id: r for r in grading_runs.run_rows(db, user=GM, run_id=second)}
    assert rows[ids[8]].previous_grade == "E" and rows[ids[8]].grade == "A" and rows[ids[8]].change == "up"
    assert rows[ids[0]].change == "down"
    ups = grading_runs.run_rows(db, user=GM, run_id=second, change_filter="up")
    assert [r.customer_id for r in ups] == [ids[8]]
    grading_runs.commit_run(db, user=GM, run_id=second)
    runs = grading_runs.list_runs(db, user=VIEWER, scheme_id=share.id)
    assert [r.id for r in runs] == [second, first] and all(r.status == "committed" for r in runs)
    old = {r.customer_id: r.grade for r in grading_runs.run_rows(db, user=VIEWER, run_id=first)}
    assert old[ids[8]] == "E"  # the past snapshot stays as it was


def test_an_override_needs_a_reason_is_audited_and_kept_next_to_the_computed_grade(shop):
    db, ids, schemes = shop
    run_id = grading_runs.compute_run(db, user=GM, scheme_id=schemes["scoring"].id, year=2025)
    with pytest.raises(ValidationFailed) as exc:
        grading_runs.override(db, user=GM, run_id=run_id, customer_id=ids[9], grade="A", reason="  ")
    assert exc.value.errors == {"reason": "请填写调整原因"}
    with pytest.raises(ValidationFailed):
        grading_runs.override(db, user=GM, run_id=run_id, customer_id=ids[9], grade="E", reason="理由")
    grading_runs.override(db, user=GM, run_id=run_id, customer_id=ids[9], grade="B", reason="新签战略合同")
    grading_runs.commit_run(db, user=GM, run_id=run_id)
    row = next(r for r in grading_runs.run_rows(db, user=GM, run_id=run_id) if r.customer_id == ids[9])
    assert (row.computed_grade, row.grade, row.override_reason, row.overridden_by) == ("D", "B", "新签战略合同", "总经理甲")
    assert customers.get_card(db, customer_id=ids[9]).values["grade"] == "B"
    history = audit.history(db, user=None, customer_id=ids[9])
    assert any(h.action == "调整等级" and "新签战略合同" in h.new_value for h in history)


def test_permissions_offline_replicas_and_a_stale_commit_are_refused(shop):
    db, ids, schemes = shop
    sid = schemes["scoring"].id
    with pytest.raises(PermissionDenied):
        grading_runs.compute_run(db, user=VIEWER, scheme_id=sid, year=2025)
    first = grading_runs.compute_run(db, user=GM, scheme_id=sid, year=2025)
    with pytest.raises(PermissionDenied):
        grading_runs.override(db, user=VIEWER, run_id=first, customer_id=ids[0], grade="B", reason="x")
    # another desk commits a run of the same scheme in between
    grading_runs.commit_run(db, user=GM, run_id=first)
    stale = grading_runs.compute_run(db, user=GM, scheme_id=sid, year=2025)
    older = grading_runs.compute_run(db, user=GM, scheme_id=sid, year=2024)  # replaces the draft
    with pytest.raises(UserError, match="不存在"):
        grading_runs.commit_run(db, user=GM, run_id=stale)
    with pytest.raises(UserError, match="已确认了2025年度"):  # old grades would go back on the cards
        grading_runs.commit_run(db, user=GM, run_id=older)
    grading_runs.commit_run(db, user=GM, run_id=grading_runs.compute_run(db, user=GM, scheme_id=sid, year=2026))
    db.offline = True
    try:
        with pytest.raises(UserError, match="离线"):
            grading_runs.compute_run(db, user=GM, scheme_id=sid, year=2025)
    finally:
        del db.offline


def test_the_system_principal_can_run_every_scheme(shop):
    db, _ids, schemes = shop
    for scheme in schemes.values():
        run_id = grading_runs.compute_run(db, user=users.system_principal(), scheme_id=scheme.id, year=2025)
        assert grading_runs.get_run(db, user=None, run_id=run_id).customer_count == 10


def test_the_sales_share_run_in_sql_grades_exactly_as_the_pure_rule(db, monkeypatch):
    """grading_runs grades the sales-share scheme inside the database; the pure rule is the reference."""
    import random

    rng = random.Random(7)
    ids = [customers.create_customer(db, actor="建档", values={"name": f"对照客户{i:02d}有限公司"}) for i in range(40)]
    amounts = [0, 0, -500, 1234.56, 1234.56, 1234.56, 99, 99, 5_000_000, 5_000_000]  # zeros, a return, ties
    amounts += [round(rng.uniform(1, 2_000_000), 2) for _ in range(30)]
    _sales(db, [(cid, 2025, 1 + i % 12, a) for i, (cid, a) in enumerate(zip(ids, amounts, strict=True)) if a])
    share = {s.kind: s for s in grading_schemes.ensure_default_schemes(db, user=GM)}["sales_share"]
    grading_runs.commit_run(db, user=GM, run_id=grading_runs.compute_run(db, user=GM, scheme_id=share.id, year=2025))
    _sales(db, [(cid, 2025, 6, round(rng.uniform(1, 3_000_000), 2)) for cid in ids[10:25]])  # changes

    def rows():
        run_id = grading_runs.compute_run(db, user=GM, scheme_id=share.id, year=2025, today=date(2026, 1, 5))
        got = grading_runs.run_rows(db, user=GM, run_id=run_id)
        return [(r.customer_id, r.grade, r.rank, r.previous_grade, r.change, r.sales) for r in got]

    in_sql = rows()
    monkeypatch.setattr(grading_runs, "IN_SQL", set())
    in_python = rows()
    assert in_sql == in_python
    assert {r[4] for r in in_sql} >= {"up", "down", "same"} and {r[1] for r in in_sql} >= {"A", "E"}


def _random_shop(db, seed: int, count: int):
    """A seeded dataset with every edge the scoring meets: no sales, returns, equal sales and order counts,
    entered items (some partial, some out of range), years dealing, late payments whose on-time share
    lands an item exactly on half a hundredth (1 or 3 late of 32: 1937.5 and 1812.5 points)."""
    import random

    rng = random.Random(seed)
    ids = [customers.create_customer(db, actor="建档", values={"name": f"评分对照{seed}客户{i:03d}有限公司"})
           for i in range(count)]
    sales, pays, attrs = [], [], []
    tie = [round(rng.uniform(100, 90_000), 2) for _ in range(4)]
    for i, cid in enumerate(ids):
        kind = i % 9
        if kind == 0:
            pass  # nothing sold
        elif kind == 1:
            sales.append((cid, 2025, 2, -round(rng.uniform(1, 900), 2), 0))  # a return only
        elif kind == 2:
            sales.append((cid, 2025, 5, tie[i % 4], 3))  # equal sales and orders
        else:
            for m in rng.sample(range(1, 13), rng.randint(1, 6)):
                sales.append((cid, 2025, m, round(rng.uniform(-200, 400_000), 2), rng.randint(0, 4)))
        if rng.random() < 0.5:
            sales.append((cid, rng.randint(2016, 2024), 1, round(rng.uniform(1, 9000), 2), 1))  # dealing since
        due = 32 if kind in (3, 4) else rng.choice((0, 0, 1, 3, 4, 7))
        late = {3: 1, 4: 3}.get(kind, rng.randint(0, due))
        for d in range(due):
            day = date(2025, 1 + d % 12, 1 + d // 12)
            pays.append({"id": uuid.uuid4(), "customer_id": cid, "amount": Decimal(10), "due_on": day,
                         "paid_on": date(2025, 12, 31) if d < late else day, "entered_by": "t"})
        if rng.random() < 0.3:
            attrs.append({"customer_id": cid, "sales_model": rng.choice((None, 0, 37, 100, 130)),
                          "their_share": rng.choice((None, 5, 64, -3)), "reputation": rng.choice((None, 99, 42))})
    with db.write() as s:
        s.execute(insert(SalesRecord), [
            {"id": uuid.uuid4(), "customer_id": cid, "product": "PE管", "year": y, "month": m, "amount": Decimal(str(a)),
             "profit": (Decimal(str(a)) * Decimal(rng.choice((-5, 0, 7, 13, 25, 30, 41))) / 100).quantize(Decimal("0.01")),
             "orders": o} for cid, y, m, a, o in sales])
        s.execute(insert(PaymentRecord), pays)
        if attrs:
            s.execute(insert(GradingAttribute), attrs)
    return ids


@pytest.mark.parametrize("params", [
    {},  # the regulation's defaults
    {**{f"grading.weight.{k}": v for k, v in zip(
        ("sales", "payment", "margin", "orders", "sales_model", "their_share", "years", "reputation"),
        (17, 23, 9, 11, 7, 13, 15, 5), strict=True)},
     "grading.quota.a": 15, "grading.quota.b": 35, "grading.quota.c": 35, "grading.quota.d": 15,
     "grading.margin_full": 7, "grading.years_full": 3, "grading.attribute_default": 61},
], ids=["defaults", "other-weights"])
def test_the_scoring_run_in_sql_grades_exactly_as_the_pure_rule(db, monkeypatch, params):
    """grading_runs scores the 100-point scheme inside the database; the pure rule (scoring.py, run in
    Python) is the reference: every grade, rank, score, item score and change the same, on both databases."""
    import json

    ids = _random_shop(db, seed=11 if params else 5, count=170)
    scoring = {s.kind: s for s in grading_schemes.ensure_default_schemes(db, user=GM)}["scoring"]
    if params:
        with db.write() as s:
            row = s.get(GradingScheme, scoring.id)
            row.params = json.dumps({**json.loads(row.params), **params})
    grading_runs.commit_run(db, user=GM, run_id=grading_runs.compute_run(db, user=GM, scheme_id=scoring.id,
                                                                         year=2025, today=date(2026, 1, 5)))
    _sales(db, [(cid, 2025, 12, 250_000 + 1000 * i) for i, cid in enumerate(ids[5:40:3])])  # changes

    def rows():
        run_id = grading_runs.compute_run(db, user=GM, scheme_id=scoring.id, year=2025, today=date(2026, 1, 5))
        return [(r.customer_id, r.grade, r.computed_grade, r.rank, r.score, r.previous_grade, r.change, r.sales,
                 r.profit, r.orders, r.late, r.items) for r in grading_runs.run_rows(db, user=GM, run_id=run_id)]

    in_sql = rows()
    monkeypatch.setattr(grading_runs, "IN_SQL", {})
    in_python = rows()
    assert in_sql == in_python
    assert {r[1] for r in in_sql} == {"A", "B", "C", "D"} and {r[6] for r in in_sql} >= {"up", "down", "same"}
    halves = {r[11]["payment"] for r in in_sql if r[10] in (1, 3) and r[11]["payment"] * 100 % 100 != 0}
    weight = params.get("grading.weight.payment", 20)
    assert round(weight * 100 * 31 / 32) / 100 in halves  # the exact half went to the even hundredth


def test_a_viewer_who_may_not_read_an_archive_sees_its_grade_but_not_its_name_or_figures(shop):
    db, ids, schemes = shop
    run_id = grading_runs.compute_run(db, user=GM, scheme_id=schemes["scoring"].id, year=2025, today=date(2026, 1, 10))
    seen = {r.customer_id: r for r in grading_runs.run_rows(db, user=OUTSIDER, run_id=run_id)}
    top = seen[ids[0]]
    assert (top.name, top.code, top.sales, top.score, top.readable, top.grade) == ("保密客户", "", None, None, False, "A")
    assert grading_runs.run_rows(db, user=VIEWER, run_id=run_id)[0].name == "测试客户0有限公司"


def test_only_an_a_to_e_scheme_can_be_the_customer_grade(shop):
    db, _ids, schemes = shop
    with pytest.raises(ValidationFailed) as exc:
        grading_schemes.set_customer_grade_scheme(db, user=GM, scheme_id=schemes["key_account"].id)
    assert "A–E" in exc.value.errors["scheme"]
    with pytest.raises(ValidationFailed):
        grading_schemes.create_scheme(db, user=GM, name="会员", kind="membership", is_customer_grade=True)
    grading_schemes.set_customer_grade_scheme(db, user=GM, scheme_id=schemes["credit"].id)
    assert {s.kind for s in grading_schemes.list_schemes(db, user=GM) if s.is_customer_grade} == {"credit"}
