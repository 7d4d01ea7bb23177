"""Grading runs (客户分级计算): schemes side by side, a run per scheme and year, overrides, commit, history.

A run aggregates the sales tables in the database (one statement of grouped sub-queries: the year's sales,
profit and orders, the first year with sales, the payments due and late), grades — inside the database for
the sales-share and 100-point schemes (one INSERT … SELECT, the pure rule step by step), in Python with the
pure scheme (app.domain.grading) for the others — and stores one row per customer as a draft. Overrides (with a reason) are
written on the draft next to the computed grade and audited. Committing makes the snapshot immutable;
when the scheme is "the customer grade", committing also sets customer.grade where it changed (audited,
in the same transaction). Changes are against the previous committed run of the same scheme.

`user=None` is the system at work (demo data, benchmarks, tests of the rules); the window passes its user.
The grading table names every customer graded, whatever the archive's confidentiality: it shows grade,
industry, name and code only (the regulation's 客户分级表), and needs grading.view.
"""
from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Float,
    Numeric,
    String,
    Uuid,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.db.bulk import bulk_insert
from app.domain.grading import Figures, change, schemes
from app.domain.vocab import INDUSTRY
from app.errors import NotFound, UserError, ValidationFailed
from app.services import access
from app.services.users import Principal
from app.services.visits import HIDDEN_NAME
from models import (
    AuditRecord,
    Customer,
    GradingAttribute,
    GradingResult,
    GradingRun,
    GradingScheme,
    PaymentRecord,
    SalesRecord,
)
from models.base import utcnow

CHUNK = 5000
_JSON = json.JSONDecoder()  # raw_decode: the stored JSON has no surrounding blanks (loads' checks cost 2×)
# kinds whose per-customer items are kept in the snapshot (the eight item scores, the credit limit); a
# sales-share position is recomputed from the stored sales, which keeps a 100,000-row run lean
ITEMS_KEPT = {"scoring", "credit"}


@dataclass(frozen=True)
class SchemeInfo:
    id: uuid.UUID
    name: str
    kind: str
    kind_label: str
    is_customer_grade: bool
    params: dict


@dataclass(frozen=True)
class RunInfo:
    id: uuid.UUID
    scheme_id: uuid.UUID
    scheme_name: str
    kind: str
    year: int
    status: str  # draft / committed
    customer_count: int
    created_by: str
    created_at: datetime
    committed_by: str
    committed_at: datetime | None
    counts: dict  # grade → customers
    changes: dict  # new / up / down / same → customers


class ItemScores(Mapping):
    """A row's item scores (or share position, credit limit) from its stored JSON, parsed when first read:
    the tab lists 100,000 rows and shows none of them."""

    __slots__ = ("_text", "_data")

    def __init__(self, text: str) -> None:
        self._text, self._data = text, None

    def _parsed(self) -> dict:
        if self._data is None:
            self._data = _JSON.raw_decode(self._text)[0] if self._text else {}
        return self._data

    def __getitem__(self, key):
        return self._parsed()[key]

    def __iter__(self):
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def __repr__(self) -> str:
        return repr(self._parsed())


@dataclass(frozen=True, slots=True)
class ResultRow:
    customer_id: uuid.UUID
    code: str
    name: str
    industry: str  # Chinese label
    grade: str
    computed_grade: str
    score: Decimal | None
    rank: int
    previous_grade: str
    change: str
    sales: Decimal
    profit: Decimal
    orders: int
    late: int
    override_reason: str
    overridden_by: str
    items: Mapping  # ItemScores: read like a dict
    readable: bool = True  # False: the user may not read this archive — name, code and figures hidden


def _actor(user: Principal | None) -> str:
    return user.display_name if user is not None else "系统"


def _require(user: Principal | None, permission: str, what: str) -> None:
    if user is not None:
        user.require(permission, what)


def _online(db: Database) -> None:
    if getattr(db, "offline", False):
        raise UserError("这是离线副本,不能计算或确认客户分级;请连接公司数据库后再操作。")


# ---------------------------------------------------------------- schemes


def _scheme_info(row: GradingScheme) -> SchemeInfo:
    return SchemeInfo(row.id, row.name, row.kind, schemes.KINDS.get(row.kind, row.kind), row.is_customer_grade,
                      json.loads(row.params or "{}"))


def list_schemes(db: Database, *, user: Principal | None) -> list[SchemeInfo]:
    _require(user, "grading.view", "查看客户分级")
    with db.read() as s:
        rows = s.scalars(select(GradingScheme).order_by(GradingScheme.created_at, GradingScheme.name)).all()
        return [_scheme_info(r) for r in rows]


# the card's 客户等级 is A–E: only schemes grading in those letters may set it
CUSTOMER_GRADE_KINDS = frozenset({"scoring", "sales_share", "credit"})
NOT_A_CUSTOMER_GRADE = "只有按A–E分级的方案(百分制评分、销售额占比、信用等级)可以作为客户等级"


def create_scheme(db: Database, *, user: Principal | None, name: str, kind: str,
                  is_customer_grade: bool = False) -> uuid.UUID:
    """A scheme with its parameters taken from the current settings (a snapshot: later setting changes
    need a new scheme or `refresh_parameters`)."""
    _require(user, "grading.run", "设置分级方案")
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写方案名称"
    if kind not in schemes.KINDS:
        errors["kind"] = "请选择分级方案类型"
    elif is_customer_grade and kind not in CUSTOMER_GRADE_KINDS:
        errors["kind"] = NOT_A_CUSTOMER_GRADE
    if errors:
        raise ValidationFailed(errors)

    def work(s: Session) -> uuid.UUID:
        if s.scalar(select(GradingScheme.id).where(GradingScheme.name == name)):
            raise ValidationFailed({"name": f"已有名为“{name}”的分级方案"})
        params = schemes.parameters(kind, settings.get_all(db, session=s))
        if is_customer_grade:
            s.execute(update(GradingScheme).values(is_customer_grade=False))
        sid = uuid.uuid4()
        s.add(GradingScheme(id=sid, name=name, kind=kind, params=json.dumps(params), created_by=_actor(user),
                            is_customer_grade=is_customer_grade))
        return sid

    return db.transact(work)


DEFAULT_SCHEMES = (("百分制评分分级", "scoring", True), ("销售额占比分级", "sales_share", False),
                   ("信用等级", "credit", False), ("大客户分层", "key_account", False), ("会员等级", "membership", False))


def ensure_default_schemes(db: Database, *, user: Principal | None) -> list[SchemeInfo]:
    """One scheme of each kind on a database without any (the 100-point scoring is the customer grade)."""
    existing = list_schemes(db, user=user)
    if not existing and (user is None or user.can("grading.run")) and not getattr(db, "offline", False):
        # a field laptop's replica refuses grading tables: its window opens without schemes
        for name, kind, main in DEFAULT_SCHEMES:
            create_scheme(db, user=user, name=name, kind=kind, is_customer_grade=main)
        existing = list_schemes(db, user=user)
    return existing


def refresh_parameters(db: Database, *, user: Principal | None, scheme_id: uuid.UUID) -> dict:
    """Take the scheme's parameters again from the settings (committed runs keep their own copy)."""
    _require(user, "grading.run", "设置分级方案")

    def work(s: Session) -> dict:
        row = s.get(GradingScheme, scheme_id)
        if row is None:
            raise NotFound("分级方案不存在")
        params = schemes.parameters(row.kind, settings.get_all(db, session=s))
        row.params = json.dumps(params)
        return params

    return db.transact(work)


def set_customer_grade_scheme(db: Database, *, user: Principal | None, scheme_id: uuid.UUID) -> None:
    _require(user, "grading.run", "设置分级方案")

    def work(s: Session) -> None:
        scheme = s.get(GradingScheme, scheme_id)
        if scheme is None:
            raise NotFound("分级方案不存在")
        if scheme.kind not in CUSTOMER_GRADE_KINDS:
            raise ValidationFailed({"scheme": NOT_A_CUSTOMER_GRADE})
        s.execute(update(GradingScheme).values(is_customer_grade=GradingScheme.id == scheme_id))

    db.transact(work)


# ---------------------------------------------------------------- the aggregate


def _key(column, dialect: str):
    """A customer id as the database stores it on SQLite (hex text): 100,000 UUID objects parsed and
    formatted back cost more than the grading; PostgreSQL's driver hands out UUIDs natively."""
    return type_coerce(column, String) if dialect == "sqlite" else column


def _input_subqueries(year: int, today: date):
    """The grouped sub-queries every run reads: the year's sales, the first year with sales, the payments."""
    sales = (select(SalesRecord.customer_id.label("cid"), func.sum(SalesRecord.amount).label("amount"),
                    func.sum(SalesRecord.profit).label("profit"), func.sum(SalesRecord.orders).label("orders"))
             .where(SalesRecord.year == year).group_by(SalesRecord.customer_id).subquery())
    first = (select(SalesRecord.customer_id.label("cid"), func.min(SalesRecord.year).label("first_year"))
             .where(SalesRecord.year <= year, SalesRecord.amount > 0).group_by(SalesRecord.customer_id).subquery())
    late = (PaymentRecord.paid_on > PaymentRecord.due_on) | (PaymentRecord.paid_on.is_(None)
                                                             & (PaymentRecord.due_on < today))
    pays = (select(PaymentRecord.customer_id.label("cid"), func.count().label("payments"),
                   func.sum(case((late, 1), else_=0)).label("late"))
            .where(PaymentRecord.due_on >= date(year, 1, 1), PaymentRecord.due_on <= date(year, 12, 31))
            .group_by(PaymentRecord.customer_id).subquery())
    return sales, first, pays


def figures_query(year: int, today: date, dialect: str = ""):
    """Every (unmerged) customer with its figures for the year, in one statement of grouped sub-queries."""
    sales, first, pays = _input_subqueries(year, today)
    return (select(_key(Customer.id, dialect), Customer.code, sales.c.amount, sales.c.profit, sales.c.orders,
                   first.c.first_year, pays.c.payments, pays.c.late, GradingAttribute.sales_model,
                   GradingAttribute.their_share, GradingAttribute.reputation)
            .outerjoin(sales, sales.c.cid == Customer.id).outerjoin(first, first.c.cid == Customer.id)
            .outerjoin(pays, pays.c.cid == Customer.id)
            .outerjoin(GradingAttribute, GradingAttribute.customer_id == Customer.id)
            .where(Customer.merged_into_id.is_(None)))


def _share_insert(year: int, today: date, params: dict, run_id: uuid.UUID, previous_id: uuid.UUID | None,
                  dialect: str):
    """The sales-share scheme as one INSERT … SELECT: the same rule as domain.grading.sales_share, in whole
    cents with window functions (tests/services/test_grading_runs.py compares both on both databases)."""
    sales, first, pays = _input_subqueries(year, today)
    amount = func.coalesce(sales.c.amount, 0)
    base = (select(Customer.id.label("cid"), Customer.code.label("code"), amount.label("sales"),
                   func.coalesce(sales.c.profit, 0).label("profit"), func.coalesce(sales.c.orders, 0).label("orders"),
                   first.c.first_year, func.coalesce(pays.c.payments, 0).label("payments"),
                   func.coalesce(pays.c.late, 0).label("late"),
                   case((amount > 0, cast(func.round(amount * 100), BigInteger)), else_=0).label("cents"))
            .outerjoin(sales, sales.c.cid == Customer.id).outerjoin(first, first.c.cid == Customer.id)
            .outerjoin(pays, pays.c.cid == Customer.id)
            .where(Customer.merged_into_id.is_(None))).cte("base")
    code = base.c.code.collate("C") if dialect == "postgresql" else base.c.code  # Python's order of codes
    ranked = select(
        base, func.row_number().over(order_by=(base.c.cents.desc(), code)).label("rnk"),
        func.sum(base.c.cents).over().label("total"),
        # sales of the customers strictly above the first of a tie (the peers share its grade)
        (func.sum(base.c.cents).over(order_by=base.c.cents.desc())
         - base.c.cents * func.count().over(partition_by=base.c.cents)).label("above")).cte("ranked")
    rest = (ranked.c.total - ranked.c.above) * 100
    bands = [(rest >= params[f"grading.share.{g.lower()}"] * ranked.c.total, g) for g in "ABCD"]
    grade = case((or_(ranked.c.cents <= 0, ranked.c.total <= 0), "E"), *bands, else_="E").label("g")
    graded = select(ranked, grade).cte("graded")
    return _graded_insert(graded, run_id, previous_id)


def _real(value):
    """A number as a double on both databases (PostgreSQL's FLOAT is double precision)."""
    return cast(value, Float)


def _round_even(x, dialect: str):
    """Python's round() of a non-negative double: to the nearest integer, an exact half to the even one."""
    floor = cast(x, BigInteger) if dialect == "sqlite" else cast(func.floor(x), BigInteger)  # x ≥ 0: truncation
    return case((x - floor > 0.5, floor + 1), (and_(x - floor == 0.5, floor % 2 == 1), floor + 1), else_=floor)


def _items_json(points: list, dialect: str):
    """The eight item scores as the JSON the Python path writes ({"sales": 12.34, …}): whole hundredths of a
    point printed with two decimals, which json.loads reads back to exactly points / 100."""
    from app.domain.grading.scoring import ITEMS

    if dialect == "sqlite":
        template = "{" + ", ".join(f'"{k}": %d.%02d' for k in ITEMS) + "}"
        return func.printf(template, *(a for p in points for a in (p // 100, p % 100)))
    template = "{" + ", ".join(f'"{k}": %s' for k in ITEMS) + "}"
    return func.format(template, *(cast(cast(p, Numeric(12, 0)) / 100, Numeric(12, 2)) for p in points))


def _scoring_insert(year: int, today: date, params: dict, run_id: uuid.UUID, previous_id: uuid.UUID | None,
                    dialect: str):
    """The 100-point scoring and forced distribution as one INSERT … SELECT: the rule of
    domain.grading.scoring step by step in doubles (each division and product as Python does it, so every
    item's points come out bit for bit the same), percentiles with window functions, the quotas' cumulative
    boundaries rounded half up in integers. tests/services/test_grading_runs.py compares both on both
    databases; change both together."""
    from app.domain.grading.scoring import ITEMS

    p = params
    sales, first, pays = _input_subqueries(year, today)
    amount, profit = func.coalesce(sales.c.amount, 0), func.coalesce(sales.c.profit, 0)
    orders = func.coalesce(sales.c.orders, 0)
    default = min(max(p["grading.attribute_default"], 0), 100)
    ga = GradingAttribute.__table__.c
    base = (select(Customer.id.label("cid"), Customer.code.label("code"), amount.label("sales"),
                   profit.label("profit"), orders.label("orders"), first.c.first_year,
                   func.coalesce(pays.c.payments, 0).label("payments"), func.coalesce(pays.c.late, 0).label("late"),
                   # whole cents: Decimal's equality and order of the sums (SQLite sums doubles)
                   case((amount > 0, cast(func.round(amount * 100), BigInteger)), else_=0).label("cents"),
                   cast(func.round(profit * 100), BigInteger).label("pcents"),
                   case((orders > 0, orders), else_=0).label("pos_orders"),
                   *(func.coalesce(ga[k], default).label(k) for k in ("sales_model", "their_share", "reputation")))
            .outerjoin(sales, sales.c.cid == Customer.id).outerjoin(first, first.c.cid == Customer.id)
            .outerjoin(pays, pays.c.cid == Customer.id)
            .outerjoin(GradingAttribute, ga.customer_id == Customer.id)
            .where(Customer.merged_into_id.is_(None))).cte("base")
    b = base.c
    n = func.count().over()
    windows = select(base, n.label("n"),
                     func.rank().over(order_by=b.cents).label("s_rank"),
                     func.count().over(order_by=b.cents).label("s_le"),  # peers included: ≤ this value
                     func.rank().over(order_by=b.pos_orders).label("o_rank"),
                     func.count().over(order_by=b.pos_orders).label("o_le")).cte("windows")
    w = windows.c

    def percentile(value, rank, le):
        """(below + (equal − 1) / 2) / (n − 1); 0 for values ≤ 0; 1 alone (scoring._percentiles)."""
        return case((value <= 0, _real(0)), (w.n == 1, _real(1)),
                    else_=(_real(rank - 1) + _real(le - rank) / _real(2)) / _real(w.n - 1))

    def clamp01(x):
        return case((x < 0, _real(0)), (x > 1, _real(1)), else_=x)

    def entered(column):
        return _real(case((column < 0, 0), (column > 100, 100), else_=column)) / _real(100)

    margin = case((w.cents > 0, (_real(w.pcents) / _real(100)) / (_real(w.cents) / _real(100))), else_=_real(0))
    margin_full, years_full = p["grading.margin_full"], p["grading.years_full"]
    years = case((w.first_year.is_(None), 0), (year - w.first_year + 1 < 0, 0), else_=year - w.first_year + 1)
    parts = {
        "sales": percentile(w.cents, w.s_rank, w.s_le),
        "payment": case((w.payments <= 0, _real(1)), else_=clamp01(_real(1) - _real(w.late) / _real(w.payments))),
        "margin": clamp01(margin * _real(100) / _real(margin_full)) if margin_full > 0 else _real(0),
        "orders": percentile(w.pos_orders, w.o_rank, w.o_le),
        "sales_model": entered(w.sales_model),
        "their_share": entered(w.their_share),
        "years": case((_real(years) / _real(years_full) > 1, _real(1)), else_=_real(years) / _real(years_full))
        if years_full > 0 else _real(1),
        "reputation": entered(w.reputation),
    }
    fractions = select(w.cid, w.code, w.sales, w.profit, w.orders, w.first_year, w.payments, w.late, w.cents,
                       *(parts[k].label(f"x_{k}") for k in ITEMS)).cte("fractions")
    f = fractions.c
    points = select(f.cid, f.code, f.sales, f.profit, f.orders, f.first_year, f.payments, f.late, f.cents,
                    *(_round_even(f[f"x_{k}"] * _real(p[f"grading.weight.{k}"] * 100), dialect).label(f"p_{k}")
                      for k in ITEMS)).cte("points")
    t = points.c
    total = sum((t[f"p_{k}"] for k in ITEMS[1:]), t[f"p_{ITEMS[0]}"])
    code = t.code.collate("C") if dialect == "postgresql" else t.code  # Python's order of codes
    idle = case((t.cents > 0, 0), else_=1)
    ranked = select(points, total.label("total"),
                    func.row_number().over(order_by=(idle, total.desc(), t.cents.desc(), code)).label("rnk"),
                    func.sum(1 - idle).over().label("active")).cte("ranked")
    r = ranked.c
    bounds, cumulative = [], 0
    for g in "abc":  # cumulative boundaries rounded half up, as scoring.quota_counts
        cumulative += p[f"grading.quota.{g}"]
        bounds.append((r.active * cumulative + 50) // 100)
    grade = case((r.cents <= 0, "D"), (r.rnk <= bounds[0], "A"), (r.rnk <= bounds[1], "B"),
                 (r.rnk <= bounds[2], "C"), else_="D").label("g")
    score = (_real(r.total) / _real(100) if dialect == "sqlite"
             else cast(r.total, Numeric(12, 0)) / 100).label("score")
    graded = select(ranked, grade, score, _items_json([r[f"p_{k}"] for k in ITEMS], dialect).label("items")
                    ).cte("graded")
    return _graded_insert(graded, run_id, previous_id, with_score=True)


def _graded_insert(graded, run_id: uuid.UUID, previous_id: uuid.UUID | None, *, with_score: bool = False):
    """INSERT … SELECT of graded rows (cid, g, rnk, the inputs; score and items for the scoring) with the
    change against the previous committed run."""
    prev = GradingResult.__table__.alias("prev")
    changed = case((func.coalesce(prev.c.grade, "") == "", "new"), (prev.c.grade == graded.c.g, "same"),
                   (prev.c.grade < graded.c.g, "down"), else_="up")  # A < B < … < E: best first
    extra = (graded.c.score, graded.c["items"]) if with_score else (literal(""),)
    rows = (select(literal(run_id, Uuid()), graded.c.cid, graded.c.g, graded.c.g, graded.c.rnk,
                   func.coalesce(prev.c.grade, ""), changed, graded.c.sales, graded.c.profit, graded.c.orders,
                   graded.c.payments, graded.c.late, graded.c.first_year, *extra, literal(""), literal(""))
            .select_from(graded.outerjoin(prev, and_(prev.c.run_id == previous_id,
                                                      prev.c.customer_id == graded.c.cid)))
            .order_by(graded.c.cid))  # key order: the primary key's B-tree fills in order
    columns = ("run_id", "customer_id", "computed_grade", "grade", "rank", "previous_grade", "change", "sales",
               "profit", "orders", "payments", "late", "first_year", *(("score",) if with_score else ()), "items",
               "override_reason", "overridden_by")
    return insert(GradingResult.__table__).from_select(list(columns), rows)


def _figures(s: Session, year: int, today: date, dialect: str) -> list[Figures]:
    zero, none = Decimal("0"), {}  # Numeric sums come back as Decimal; most customers entered no items
    out = []
    # Core rows (s.connection()): the ORM's row loading costs more than the grading itself
    for cid, code, amount, profit, orders, first_year, payments, late, model, share, reputation in \
            s.connection().execute(figures_query(year, today, dialect)).all():
        attrs = none if model is None and share is None and reputation is None else {
            k: v for k, v in (("sales_model", model), ("their_share", share), ("reputation", reputation))
            if v is not None}
        out.append(Figures(cid, code, amount or zero, profit or zero, orders or 0, payments or 0, late or 0,
                           first_year, attrs))
    return out


# ---------------------------------------------------------------- runs


def _last_committed(s: Session, scheme_id: uuid.UUID) -> uuid.UUID | None:
    return s.scalar(select(GradingRun.id).where(GradingRun.scheme_id == scheme_id, GradingRun.status == "committed")
                    .order_by(GradingRun.committed_at.desc()).limit(1))


# kinds graded inside the database (one INSERT … SELECT each); the rest in Python with the pure rule
IN_SQL = {"sales_share": _share_insert, "scoring": _scoring_insert}


def _new_run(s: Session, scheme: GradingScheme, params: dict, year: int, previous_id, count: int,
             user: Principal | None) -> uuid.UUID:
    run_id = uuid.uuid4()
    s.execute(insert(GradingRun), [{"id": run_id, "scheme_id": scheme.id, "year": year, "kind": scheme.kind,
                                    "params": json.dumps(params), "status": "draft", "previous_run_id": previous_id,
                                    "customer_count": count, "created_by": _actor(user), "created_at": utcnow(),
                                    "committed_by": ""}])
    return run_id


def _drop_drafts(s: Session, scheme_id: uuid.UUID) -> None:
    """Core deletes: the ORM's would fetch every deleted row's key to synchronise the session."""
    runs, results = GradingRun.__table__, GradingResult.__table__
    drafts = select(runs.c.id).where(runs.c.scheme_id == scheme_id, runs.c.status == "draft")
    s.execute(delete(results).where(results.c.run_id.in_(drafts)))
    s.execute(delete(runs).where(runs.c.scheme_id == scheme_id, runs.c.status == "draft"))


def compute_run(db: Database, *, user: Principal | None, scheme_id: uuid.UUID, year: int,
                today: date | None = None) -> uuid.UUID:
    """Grade every customer for `year` by the scheme; a draft (replacing this scheme's earlier draft)."""
    _require(user, "grading.run", "计算客户分级")
    _online(db)
    if not 2000 <= year <= 2100:
        raise ValidationFailed({"year": "年度应在2000–2100之间"})
    today = today or date.today()

    def work(s: Session) -> uuid.UUID:
        scheme = s.get(GradingScheme, scheme_id)
        if scheme is None:
            raise NotFound("分级方案不存在")
        params = json.loads(scheme.params or "{}") or schemes.parameters(scheme.kind, settings.get_all(db, session=s))
        try:
            schemes.check(scheme.kind, params)
        except ValueError as exc:
            raise ValidationFailed({"params": f"分级方案“{scheme.name}”的参数有误:{exc}"}) from None
        previous_id = _last_committed(s, scheme_id)
        _drop_drafts(s, scheme_id)
        if scheme.kind in IN_SQL:
            run_id = _new_run(s, scheme, params, year, previous_id, 0, user)
            s.execute(IN_SQL[scheme.kind](year, today, params, run_id, previous_id, db.dialect))
            results, runs = GradingResult.__table__, GradingRun.__table__
            count = s.scalar(select(func.count()).select_from(results).where(results.c.run_id == run_id))
            s.execute(update(runs).where(runs.c.id == run_id).values(customer_count=count))
            return run_id
        figures = _figures(s, year, today, db.dialect)
        graded = schemes.run(scheme.kind, figures, params, year=year)
        previous = dict(s.connection().execute(
            select(_key(GradingResult.customer_id, db.dialect), GradingResult.grade)
            .where(GradingResult.run_id == previous_id)).all()) if previous_id else {}
        run_id = _new_run(s, scheme, params, year, previous_id, len(graded), user)
        by_key = {f.key: f for f in figures}
        keep_items = scheme.kind in ITEMS_KEPT
        order = schemes.ORDERS[scheme.kind]
        rows = []
        run_key = run_id.hex if db.dialect == "sqlite" else run_id
        for g in sorted(graded, key=lambda g: g.key):  # key order: the primary key's B-tree fills in order
            f, before = by_key[g.key], previous.get(g.key)
            rows.append({"run_id": run_key, "customer_id": g.key, "computed_grade": g.grade, "grade": g.grade,
                         "score": g.score, "rank": g.rank, "previous_grade": before or "",
                         "change": change(before, g.grade, order), "sales": f.sales, "profit": f.profit,
                         "orders": f.orders, "payments": f.payments, "late": f.late, "first_year": f.first_year,
                         "items": json.dumps(g.items, ensure_ascii=False) if g.items and keep_items else "",
                         "override_reason": "", "overridden_by": "", "overridden_at": None})
        table = GradingResult.__table__
        for begin in range(0, len(rows), CHUNK):
            bulk_insert(s, table, rows[begin:begin + CHUNK], ready=("run_id", "customer_id"))
        return run_id

    return db.transact(work)


def _run_info(s: Session, run: GradingRun, scheme_name: str) -> RunInfo:
    counts = dict(s.execute(select(GradingResult.grade, func.count()).where(GradingResult.run_id == run.id)
                            .group_by(GradingResult.grade)).all())
    changes = dict(s.execute(select(GradingResult.change, func.count()).where(GradingResult.run_id == run.id)
                             .group_by(GradingResult.change)).all())
    return RunInfo(run.id, run.scheme_id, scheme_name, run.kind, run.year, run.status, run.customer_count,
                   run.created_by, run.created_at, run.committed_by, run.committed_at, counts, changes)


def get_run(db: Database, *, user: Principal | None, run_id: uuid.UUID) -> RunInfo:
    _require(user, "grading.view", "查看客户分级")
    with db.read() as s:
        run = s.get(GradingRun, run_id)
        if run is None:
            raise NotFound("分级记录不存在(草稿可能已被重新计算替换)")
        return _run_info(s, run, s.get(GradingScheme, run.scheme_id).name)


def list_runs(db: Database, *, user: Principal | None, scheme_id: uuid.UUID | None = None) -> list[RunInfo]:
    """Every run, newest first (committed snapshots and the current drafts)."""
    _require(user, "grading.view", "查看客户分级")
    with db.read() as s:
        q = select(GradingRun, GradingScheme.name).join(GradingScheme, GradingScheme.id == GradingRun.scheme_id)
        if scheme_id is not None:
            q = q.where(GradingRun.scheme_id == scheme_id)
        rows = s.execute(q.order_by(GradingRun.created_at.desc())).all()
        return [_run_info(s, run, name) for run, name in rows]


SORTS = {"rank": GradingResult.rank, "code": Customer.code}


def run_rows(db: Database, *, user: Principal | None, run_id: uuid.UUID, change_filter: str | None = None,
             grade: str | None = None) -> list[ResultRow]:
    """The run's rows in rank order, optionally only one change (new / up / down / same) or one grade."""
    _require(user, "grading.view", "查看客户分级")
    r = GradingResult.__table__.c
    # Core columns, not ORM entities (a 100,000-row run loads several times faster); the key in SQLite's
    # stored form, made a UUID below: SQLAlchemy's Uuid processing (a pattern match a key) cost as much as
    # the whole fetch
    q = (select(_key(r.customer_id, db.dialect), Customer.code, Customer.name, Customer.industry, r.grade,
                r.computed_grade, r.score, r.rank, r.previous_grade, r.change, r.sales, r.profit, r.orders, r.late,
                r.override_reason, r.overridden_by, r["items"],  # .items is the collection's method
                case((access.readable(user), 1), else_=0) if user is not None else literal(1))
         .join(Customer, Customer.id == r.customer_id).where(r.run_id == run_id))
    if change_filter:
        q = q.where(r.change == change_filter)
    if grade:
        q = q.where(r.grade == grade)
    labels: dict[str, str] = {}
    out, UUID = [], uuid.UUID
    with _collector_paused():
        with db.read() as s:
            rows = s.connection().execute(q.order_by(r.rank)).all()
        for row in rows:
            industry = row[3]
            if industry not in labels:
                labels[industry] = INDUSTRY.label(industry) if industry else ""
            key = row[0] if isinstance(row[0], uuid.UUID) else UUID(row[0])
            if row[17]:
                out.append(ResultRow(key, row[1], row[2], labels[industry], *row[4:16], ItemScores(row[16])))
            else:  # 保密: the grade and its change stay, the archive's name and figures do not
                out.append(ResultRow(key, "", HIDDEN_NAME, labels[industry], row[4], row[5], None, row[7], row[8],
                                     row[9], None, None, 0, 0, row[14], row[15], ItemScores("{}"), False))
    return out


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while 100,000 rows are read and built: that many objects
    set off full collections that walk the whole heap (a third of run_rows' time), and these rows make no
    cycles. Restored as found (another thread's pause is left alone)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _random_uuid(dialect: str):
    """A new random (version 4) UUID per row, made by the database: SQLite's stored form is 32 hex digits."""
    if dialect != "sqlite":
        return func.gen_random_uuid()  # PostgreSQL ≥ 13
    hexes = [type_coerce(func.lower(func.hex(func.randomblob(k))), String) for k in (6, 2, 8)]
    variant = type_coerce(func.substr("89ab", 1 + func.abs(func.random()) % 4, 1), String)
    return hexes[0] + "4" + type_coerce(func.substr(hexes[1], 2), String) + variant \
        + type_coerce(func.substr(hexes[2], 2), String)


def _audit_rows(rows: list[dict]) -> list[dict]:
    now = utcnow()
    return [{"id": uuid.uuid4(), "at": now, **r} for r in rows]


def override(db: Database, *, user: Principal | None, run_id: uuid.UUID, customer_id: uuid.UUID, grade: str,
             reason: str) -> None:
    """Set a customer's grade in a draft by hand; the reason is required and the change audited."""
    _require(user, "grading.override", "调整客户等级")
    reason = (reason or "").strip()

    def work(s: Session) -> None:
        run = s.get(GradingRun, run_id)
        if run is None:
            raise NotFound("分级记录不存在")
        if run.status != "draft":
            raise UserError("已确认的分级不能再修改;请重新计算一次新的分级")
        errors = {}
        if grade not in schemes.ORDERS[run.kind]:
            errors["grade"] = "请选择有效的等级(" + "、".join(schemes.ORDERS[run.kind]) + ")"
        if not reason:
            errors["reason"] = "请填写调整原因"
        if errors:
            raise ValidationFailed(errors)
        row = s.get(GradingResult, (run_id, customer_id))
        if row is None:
            raise NotFound("该客户不在本次分级中")
        old = row.grade
        row.grade, row.override_reason = grade, reason
        row.overridden_by, row.overridden_at = _actor(user), utcnow()
        row.change = change(row.previous_grade or None, grade, schemes.ORDERS[run.kind])
        s.execute(insert(AuditRecord), _audit_rows([{
            "actor": _actor(user), "action": "override", "entity": "grading", "entity_id": run_id,
            "customer_id": customer_id, "field": "grade", "old_value": old,
            "new_value": f"{grade}(原因:{reason})"}]))

    db.transact(work)


def commit_run(db: Database, *, user: Principal | None, run_id: uuid.UUID) -> int:
    """Make the draft the committed snapshot; for the customer-grade scheme update customer.grade where it
    changed (audited). Returns how many customers' grade changed on their card."""
    _require(user, "grading.run", "确认客户分级")
    _online(db)

    def work(s: Session) -> int:
        run = s.get(GradingRun, run_id)
        if run is None:
            raise NotFound("分级记录不存在(草稿可能已被重新计算替换)")
        # the scheme row locked (PostgreSQL; SQLite's write transaction is already exclusive): two desks
        # committing runs of one scheme at once are serialised, and the second sees the first
        s.get(GradingScheme, run.scheme_id, with_for_update=True)
        if _last_committed(s, run.scheme_id) != run.previous_run_id:
            raise UserError("计算之后已有人确认了该方案的另一次分级;请重新计算后再确认")
        later = s.scalar(select(func.max(GradingRun.year)).where(GradingRun.scheme_id == run.scheme_id,
                                                                GradingRun.status == "committed"))
        if later is not None and later > run.year:
            # the card shows the newest year's grade; an older year's run would put old grades back on it
            raise UserError(f"该方案已确认了{later}年度的分级,不能再确认更早的{run.year}年度")
        done = s.execute(update(GradingRun).where(GradingRun.id == run_id, GradingRun.status == "draft")
                         .values(status="committed", committed_by=_actor(user), committed_at=utcnow()))
        if done.rowcount != 1:
            raise UserError("这次分级已经确认过了")
        scheme = s.get(GradingScheme, run.scheme_id)
        if not scheme.is_customer_grade:
            return 0
        # one audit row per changed card (分级确认 on its history: old → new grade), written by the database
        # in one INSERT … SELECT before the set-based UPDATE … FROM the snapshot (SQLite ≥ 3.33, PostgreSQL)
        customer, results, audit = Customer.__table__, GradingResult.__table__, AuditRecord.__table__
        differs = and_(results.c.customer_id == customer.c.id, results.c.run_id == run_id,
                       customer.c.grade != results.c.grade)
        note = f"({scheme.name} {run.year}年)"
        rows = select(_random_uuid(db.dialect), literal(utcnow(), audit.c.at.type), literal(_actor(user)),
                      literal("grade"), literal("customer"), results.c.customer_id, results.c.customer_id,
                      literal("grade"), customer.c.grade, results.c.grade + literal(note)).where(differs)
        s.execute(insert(audit).from_select(
            ["id", "at", "actor", "action", "entity", "entity_id", "customer_id", "field", "old_value", "new_value"],
            rows))
        return s.execute(update(customer)
                         .values(grade=results.c.grade, version=customer.c.version + 1, updated_at=utcnow())
                         .where(differs)).rowcount

    return db.transact(work)


def discard_run(db: Database, *, user: Principal | None, run_id: uuid.UUID) -> None:
    _require(user, "grading.run", "计算客户分级")

    def work(s: Session) -> None:
        run = s.get(GradingRun, run_id)
        if run is None or run.status != "draft":
            raise UserError("只能放弃未确认的分级草稿")
        s.execute(delete(GradingResult.__table__).where(GradingResult.__table__.c.run_id == run_id))
        s.execute(delete(GradingRun.__table__).where(GradingRun.__table__.c.id == run_id))

    db.transact(work)


ATTRIBUTE_LABELS = {"sales_model": "销售模式", "their_share": "我司产品占其销售比例", "reputation": "行业信誉"}


@dataclass(frozen=True)
class Attributes:
    """The entered scoring items of one customer (None: not entered, the default score counts)."""

    customer_id: uuid.UUID
    sales_model: int | None
    their_share: int | None
    reputation: int | None
    note: str
    default: int  # grading.attribute_default
    updated_by: str
    updated_at: datetime | None


def get_attributes(db: Database, *, user: Principal | None, customer_id: uuid.UUID) -> Attributes:
    """The customer's entered scoring items (needs the right to open the card)."""
    from app.services import access

    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        default = settings.get_all(None, session=s)["grading.attribute_default"]
        row = s.get(GradingAttribute, customer_id)
        if row is None:
            return Attributes(customer_id, None, None, None, "", default, "", None)
        return Attributes(customer_id, row.sales_model, row.their_share, row.reputation, row.note or "", default,
                          row.updated_by, row.updated_at)


def set_attributes(db: Database, *, user: Principal | None, customer_id: uuid.UUID, sales_model: int | None,
                   their_share: int | None, reputation: int | None, note: str | None = None) -> None:
    """The entered items of the 100-point scoring (0–100 each; None: the setting's default), with a note;
    audited on the card (评分项) when anything changed."""
    _require(user, "grading.run", "填写客户评分项")
    values = {"sales_model": sales_model, "their_share": their_share, "reputation": reputation}
    errors = {k: "应为0–100之间的整数" for k, v in values.items() if v is not None and not 0 <= v <= 100}
    if note is not None and len(note) > 500:
        errors["note"] = "备注最多500字"
    if errors:
        raise ValidationFailed(errors)

    def shown(v) -> str:
        return "" if v is None else str(v)

    def work(s: Session) -> None:
        from app.services import audit

        if s.get(Customer, customer_id) is None:
            raise NotFound("客户不存在")
        row = s.get(GradingAttribute, customer_id)
        before = {k: getattr(row, k) if row is not None else None for k in values}
        before_note = (row.note or "") if row is not None else ""
        diffs = [(ATTRIBUTE_LABELS[k], shown(before[k]), shown(v)) for k, v in values.items() if before[k] != v]
        if note is not None and note.strip() != before_note:
            diffs.append(("评分项备注", before_note, note.strip()))
        if not diffs:
            return
        if row is None:
            row = GradingAttribute(customer_id=customer_id, note="")
            s.add(row)
        for k, v in values.items():
            setattr(row, k, v)
        if note is not None:
            row.note = note.strip()
        row.updated_by, row.updated_at = _actor(user), utcnow()
        audit.record(s, actor=_actor(user), action="update", entity="grading_attribute", entity_id=customer_id,
                     customer_id=customer_id, diffs=diffs)

    db.transact(work)


# ---------------------------------------------------------------- printing and export


def band_label(kind: str, grade: str, params: dict) -> str:
    """The grade's band as the regulation's table names it: A级(销售额所占比例90%以上)."""
    if kind == "sales_share":
        limits = [params.get(f"grading.share.{g}") for g in "abcd"]
        i = "ABCDE".index(grade)
        if i == 0:
            return f"A级(销售额所占比例{limits[0]}%以上)"
        if i == 4:
            return f"E级(销售额所占比例{limits[3]}%以下)"
        return f"{grade}级(销售额所占比例{limits[i]}%–{limits[i - 1]}%)"
    label = schemes.grade_label(kind, grade)
    return f"{grade}级" if label == grade else label


def grading_table_pdf(db: Database, *, user: Principal | None, run_id: uuid.UUID, company: str = "") -> bytes:
    """The 客户分级表 of a run: per grade, its band then industry / name / code (reports.grading_table)."""
    from reports.grading_table import GradeGroup
    from reports.grading_table import grading_table_pdf as render

    _require(user, "grading.view", "打印客户分级表")
    info = get_run(db, user=user, run_id=run_id)
    with db.read() as s:
        params = json.loads(s.get(GradingRun, run_id).params or "{}")
    rows = run_rows(db, user=user, run_id=run_id)
    groups = [GradeGroup(band_label(info.kind, g, params),
                         [(r.industry, r.name, r.code) for r in rows if r.grade == g])
              for g in schemes.ORDERS[info.kind]]
    state = "已确认" if info.status == "committed" else "草稿(未确认)"
    subtitle = f"{company + '  ' if company else ''}{info.year}年度  方案:{info.scheme_name}  {state}  共{len(rows)}户"
    footer = f"打印:{_actor(user)}  {datetime.now().strftime('%Y-%m-%d %H:%M')}"
    return render(groups, title="客户分级表", subtitle=subtitle, footer=footer)


EXPORT_HEADER = ("名次", "客户代码", "客户名称", "业种", "等级", "计算等级", "得分", "销售额", "上次等级", "变化", "调整原因")


def export_rows(db: Database, *, user: Principal | None, path, run_id: uuid.UUID, change_filter: str | None = None,
                grade: str | None = None) -> int:
    """Write the rows the tab shows (same filter) to an Excel workbook; logged as an export."""
    from pathlib import Path

    from app.domain.grading import CHANGE_LABELS
    from app.services import access
    from reports.grading_table import grading_xlsx

    _require(user, "grading.view", "导出客户分级")
    info = get_run(db, user=user, run_id=run_id)
    rows = run_rows(db, user=user, run_id=run_id, change_filter=change_filter, grade=grade)
    count = grading_xlsx(Path(path), f"客户分级 {info.year}年度 {info.scheme_name}", EXPORT_HEADER, (
        (r.rank, r.code, r.name, r.industry, r.grade, r.computed_grade, r.score, r.sales, r.previous_grade,
         CHANGE_LABELS.get(r.change, r.change), r.override_reason) for r in rows))
    if user is not None:
        access.log_export(db, user, count=count, note=f"客户分级 {info.year} {info.scheme_name}:{Path(path).name}")
    return count
