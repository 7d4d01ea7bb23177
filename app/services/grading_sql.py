"""The grading aggregate and the in-database grading (客户分级计算的SQL): one statement of grouped sub-queries
for a year's figures, and for the sales-share and 100-point schemes one INSERT … SELECT that grades the
pure rule step by step (app.domain.grading is the reference; tests hold the two equal on both databases).
"""

import uuid
from datetime import date
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
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from app.domain.grading import Figures
from app.domain.grading.tiers import city_of
from models import (
    Customer,
    GradingAttribute,
    GradingResult,
    PaymentRecord,
    SalesRecord,
)

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
                   GradingAttribute.their_share, GradingAttribute.reputation, Customer.address)
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
    for cid, code, amount, profit, orders, first_year, payments, late, model, share, reputation, address in \
            s.connection().execute(figures_query(year, today, dialect)).all():
        attrs = none if model is None and share is None and reputation is None else {
            k: v for k, v in (("sales_model", model), ("their_share", share), ("reputation", reputation))
            if v is not None}
        out.append(Figures(cid, code, amount or zero, profit or zero, orders or 0, payments or 0, late or 0,
                           first_year, attrs, city_of(address or "")))
    return out
