"""Grading runs (客户分级计算): schemes side by side, a run per scheme and year, overrides, commit, history.

A run aggregates the sales tables in the database (one statement of grouped sub-queries: the year's sales,
profit and orders, the first year with sales, the payments due and late), grades — inside the database for
the sales-share and 100-point schemes (one INSERT … SELECT, the pure rule step by step), in Python with the
pure scheme (app.domain.grading) for the others — and stores one row per customer as a draft. Overrides (with a reason) are
written on the draft next to the computed grade and audited. Committing makes the snapshot immutable;
when the scheme is "the customer grade", committing also sets customer.grade where it changed (audited,
in the same transaction). Changes are against the previous committed run of the same scheme.

`user=None` is the system at work (demo data, benchmarks, tests of the rules); the window passes its user.
The grading table shows every customer graded; where the viewer may not read the archive, only its grade,
industry and change (保密客户, no code or figures). Schemes: grading_schemes; the SQL: grading_sql; the
entered scoring items: grading_attributes; the 客户分级表 and Excel: grading_output.
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
    String,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.db.bulk import bulk_insert
from app.domain.grading import change, schemes
from app.domain.vocab import INDUSTRY
from app.errors import NotFound, UserError, ValidationFailed
from app.services import access, grading_holds
from app.services.grading_sql import _figures, _key, _scoring_insert, _share_insert
from app.services.users import Principal
from app.services.visits import HIDDEN_NAME
from models import (
    AuditRecord,
    Customer,
    GradingResult,
    GradingRun,
    GradingScheme,
)
from models.base import utcnow

CHUNK = 5000
_JSON = json.JSONDecoder()  # raw_decode: the stored JSON has no surrounding blanks (loads' checks cost 2×)
# kinds whose per-customer items are kept in the snapshot (the eight item scores, the credit limit); a
# sales-share position is recomputed from the stored sales, which keeps a 100,000-row run lean
ITEMS_KEPT = {"scoring", "credit", "key_account", "membership"}


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


def _kind_of_scheme(db: Database, scheme_id) -> str:
    with db.read() as s:
        return s.scalar(select(GradingScheme.kind).where(GradingScheme.id == scheme_id)) or ""


def _kind_of_run(db: Database, run_id) -> str:
    with db.read() as s:
        return s.scalar(select(GradingRun.kind).where(GradingRun.id == run_id)) or ""


def _require_for(user: Principal | None, kind: str, permission: str, what: str) -> None:
    """`permission` — or, for the credit grades, finance's credit.grade (信用等级由财务定期复核)."""
    if user is None or (kind == "credit" and user.can("credit.grade")):
        return
    user.require(permission, what)


def _online(db: Database) -> None:
    if getattr(db, "offline", False):
        raise UserError("这是离线副本,不能计算或确认客户分级;请连接公司数据库后再操作。")


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
    _require_for(user, _kind_of_scheme(db, scheme_id), "grading.run", "计算客户分级")
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
                case((access.readable(user), 1), else_=0) if user is not None
                and not user.can("grading.table.all") else literal(1))
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
    _require_for(user, _kind_of_run(db, run_id), "grading.override", "调整客户等级")
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
    _require_for(user, _kind_of_run(db, run_id), "grading.run", "确认客户分级")
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
        grading_holds.apply(s, run, db.dialect, utcnow())  # approved advancements, customers without sales
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
    _require_for(user, _kind_of_run(db, run_id), "grading.run", "计算客户分级")

    def work(s: Session) -> None:
        run = s.get(GradingRun, run_id)
        if run is None or run.status != "draft":
            raise UserError("只能放弃未确认的分级草稿")
        s.execute(delete(GradingResult.__table__).where(GradingResult.__table__.c.run_id == run_id))
        s.execute(delete(GradingRun.__table__).where(GradingRun.__table__.c.id == run_id))

    db.transact(work)
