"""Grades a committed run does not take from the computation (保留等级): approved advancements and customers
without sales. docs/grading.md § "What a commit keeps" gives the rules:

* an advancement to A (客户进阶, 成交客户 → A级 / B级 → A级) approved in the run's year or later stands for that
  year: the run's row takes A, marked with the application's number, unless the GM overrode the row by hand;
* a customer without sales in the year (no positive sales) keeps the grade on the card (none stays none):
  the row is marked 无销售 and the GM may still override it to D with a reason.

Both are written on the draft's rows inside the commit's transaction (so the snapshot is what the cards
show), and `preview` lists them for the commit question before anything is written.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, literal, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.domain import advancement as adv_rules
from app.domain.grading import change, schemes
from app.services.grading_sql import _key
from app.services.users import Principal
from models import (
    AdvancementApplication,
    AdvancementEvent,
    Customer,
    GradingResult,
    GradingRun,
    GradingScheme,
)

NO_SALES = "无销售:保留原等级"
ADVANCED = "进阶申请{number}已于{day}批准,本年度保留{grade}级"


@dataclass(frozen=True)
class KeptAdvancement:
    customer_id: uuid.UUID
    code: str
    name: str
    number: str
    approved_on: date
    approver: str
    grade: str  # the advanced grade the row keeps
    computed: str  # what the run computed


@dataclass(frozen=True)
class CommitPreview:
    advancements: list[KeptAdvancement]
    no_sales: int  # rows that keep the card's grade for want of sales


def _advancements(s: Session, run: GradingRun, dialect: str) -> list[KeptAdvancement]:
    """Approved advancements of the grade field, approved in the run's year or later, whose customer still has
    the advanced grade and whose row computed less (not overridden by hand)."""
    r = GradingResult.__table__.c
    approved = (select(AdvancementEvent.application_id, func.max(AdvancementEvent.at).label("at"))
                .where(AdvancementEvent.action == "approve").group_by(AdvancementEvent.application_id).subquery())
    grade_steps = [code for code, step in adv_rules.STEPS.items() if step.field == "grade"]
    rows = s.execute(
        select(_key(r.customer_id, dialect), Customer.code, Customer.name, AdvancementApplication.number,
               approved.c.at, AdvancementApplication.approver_name, AdvancementApplication.to_value, r.grade,
               r.override_reason)
        .join(Customer, Customer.id == r.customer_id)
        .join(AdvancementApplication, AdvancementApplication.customer_id == r.customer_id)
        .join(approved, approved.c.application_id == AdvancementApplication.id)
        .where(r.run_id == run.id, AdvancementApplication.step.in_(grade_steps),
               AdvancementApplication.state.in_(("approved", "notified")),
               Customer.grade == AdvancementApplication.to_value)
        .order_by(approved.c.at)).all()
    order = schemes.ORDERS[run.kind]
    out: dict = {}
    for key, code, name, number, at, approver, to_value, grade, reason in rows:
        if at.year < run.year or to_value not in order:
            continue
        if reason and not reason.startswith("进阶申请"):
            continue  # the GM decided this row by hand, after seeing it
        if order.index(grade) <= order.index(to_value) and not reason:
            continue  # the run agrees (or grades higher): nothing to keep
        key = key if isinstance(key, uuid.UUID) else uuid.UUID(key)
        out[key] = KeptAdvancement(key, code, name, number, at.date(), approver, to_value, grade)  # latest wins
    return list(out.values())


def _no_sales(run_id: uuid.UUID):
    r = GradingResult.__table__.c
    return and_(r.run_id == run_id, r.sales <= 0, r.override_reason == "")


def preview(db: Database, *, user: Principal | None, run_id: uuid.UUID) -> CommitPreview:
    """What committing this draft will keep instead of the computed grade (empty for other schemes)."""
    if user is not None:
        user.require("grading.view", "查看客户分级")
    with db.read() as s:
        run = s.get(GradingRun, run_id)
        if run is None or not s.get(GradingScheme, run.scheme_id).is_customer_grade:
            return CommitPreview([], 0)
        kept = _advancements(s, run, db.dialect)
        count = s.scalar(select(func.count()).select_from(GradingResult.__table__).where(_no_sales(run_id)))
        return CommitPreview(kept, count or 0)


def _change_sql(order: tuple[str, ...]):
    """change() in SQL for a set-based update: new / same / up / down by the position in the order."""
    r = GradingResult.__table__.c
    pos = {g: i for i, g in enumerate(order)}

    def position(col):
        return case(*[(col == g, literal(i)) for g, i in pos.items()], else_=literal(len(order)))

    return case((r.previous_grade == "", "new"), (position(r.previous_grade) == position(r.grade), "same"),
                (position(r.grade) < position(r.previous_grade), "up"), else_="down")


def apply(s: Session, run: GradingRun, dialect: str, now) -> None:
    """Write the kept grades on the draft's rows (inside the commit's transaction, before the cards change)."""
    order = schemes.ORDERS[run.kind]
    for k in _advancements(s, run, dialect):
        row = s.get(GradingResult, (run.id, k.customer_id))
        row.grade = k.grade
        row.override_reason = ADVANCED.format(number=k.number, day=k.approved_on.isoformat(), grade=k.grade)
        row.overridden_by, row.overridden_at = (k.approver or "进阶审批")[:40], now
        row.change = change(row.previous_grade or None, k.grade, order)
    s.flush()
    r, c = GradingResult.__table__, Customer.__table__
    card = select(c.c.grade).where(c.c.id == r.c.customer_id).scalar_subquery()
    s.execute(update(r).where(_no_sales(run.id)).values(grade=func.coalesce(card, ""), override_reason=NO_SALES,
                                                          overridden_by="系统", overridden_at=now)
              .execution_options(synchronize_session=False))
    s.execute(update(r).where(r.c.run_id == run.id, r.c.override_reason == NO_SALES).values(change=_change_sql(order))
              .execution_options(synchronize_session=False))
