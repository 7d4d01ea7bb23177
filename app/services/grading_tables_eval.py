"""客户关系评估表: score a customer on the configured indicators and keep each evaluation (audited)."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import evaluation as ev
from app.errors import NotFound, UserError, ValidationFailed
from app.services import access, audit
from app.services.users import Principal
from models import Customer, PaymentRecord, RelationEvaluation, SalesRecord


@dataclass(frozen=True)
class EvaluationRules:
    indicators: list[ev.Indicator]
    bands: dict
    develop_min: float
    maintain_min: float

    def evaluate(self, scores: dict, basis: dict | None = None, notes: dict | None = None) -> ev.Outcome:
        return ev.evaluate(self.indicators, scores, bands=self.bands, develop_min=self.develop_min,
                           maintain_min=self.maintain_min, basis=basis, notes=notes)


@dataclass(frozen=True)
class EvaluationInfo:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_code: str
    customer_name: str
    evaluated_on: date
    items: list[ev.Scored]
    total: Decimal
    grade: str
    result: str
    result_label: str
    suggestion: str
    evaluator: str
    created_at: datetime


def evaluation_rules(db: Database, *, user: Principal) -> EvaluationRules:
    """The indicators, bands and thresholds as the settings say now (the dialog computes live with them)."""
    values = settings.get_all(db)
    try:
        indicators = ev.parse_indicators(values["evaluation.indicators"])
    except ev.BadIndicators as exc:
        raise UserError(f"业务规则中的客户关系评估指标有误:{exc}。请管理员在业务规则设置中修改。") from None
    return EvaluationRules(indicators, {g: values[f"evaluation.grade_{g.lower()}"] for g in "ABC"},
                           values["evaluation.develop_min"], values["evaluation.maintain_min"])


def _info(r: RelationEvaluation, c: Customer) -> EvaluationInfo:
    items = [ev.Scored(i["name"], Decimal(i["weight"]), Decimal(i["score"]), i["grade"], i.get("basis", ""),
                       i.get("note", "")) for i in json.loads(r.items)]
    return EvaluationInfo(r.id, c.id, c.code, c.name, r.evaluated_on, items, r.total, r.grade, r.result,
                          ev.RESULTS.get(r.result, r.result), r.suggestion, r.evaluator, r.created_at)


def save_evaluation(db: Database, *, user: Principal, customer_id: uuid.UUID, on: date, scores: dict,
                    basis: dict | None = None, notes: dict | None = None, suggestion: str = "") -> EvaluationInfo:
    user.require("grading.evaluate", "填写客户关系评估表")
    rules = evaluation_rules(db, user=user)
    try:
        outcome = rules.evaluate(scores, basis, notes)
    except ValueError as exc:
        raise ValidationFailed({"scores": str(exc)}) from None

    def work(s: Session) -> EvaluationInfo:
        access.ensure_may(s, user, customer_id, action="open")
        c = s.get(Customer, customer_id)
        if c is None or c.merged_into_id is not None:
            raise NotFound("客户不存在或已被合并")
        items = [{"name": i.name, "weight": str(i.weight), "score": str(i.score), "grade": i.grade,
                  "basis": i.basis.strip(), "note": i.note.strip()} for i in outcome.items]
        r = RelationEvaluation(id=uuid.uuid4(), customer_id=customer_id, evaluated_on=on,
                               items=json.dumps(items, ensure_ascii=False), total=outcome.total,
                               grade=outcome.grade, result=outcome.result, suggestion=suggestion.strip(),
                               evaluator=user.display_name)
        s.add(r)
        s.flush()
        audit.record(s, actor=user.display_name, action="create", entity="evaluation", entity_id=r.id,
                     customer_id=customer_id,
                     note=f"{on.isoformat()} 总分 {outcome.total} 等级 {outcome.grade} {ev.RESULTS[outcome.result]}")
        return _info(r, c)

    return db.transact(work)


def evaluations_of(db: Database, *, user: Principal, customer_id: uuid.UUID) -> list[EvaluationInfo]:
    """Newest first."""
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFound("客户不存在")
        rows = s.scalars(select(RelationEvaluation).where(RelationEvaluation.customer_id == customer_id)
                         .order_by(RelationEvaluation.evaluated_on.desc(), RelationEvaluation.created_at.desc()))
        return [_info(r, c) for r in rows]


def evaluation_facts(db: Database, *, user: Principal, customer_id: uuid.UUID,
                     today: date | None = None) -> dict[str, tuple[Decimal | None, str]]:
    """The records behind the indicators (sales and growth, margin, payments, years dealing) with suggested
    scores (domain.evaluation.suggest) — what the evaluation dialog offers before anything is typed."""
    year_now = (today or date.today()).year
    values = settings.get_all(db)
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        mine = SalesRecord.customer_id == customer_id
        year = (s.scalar(select(func.max(SalesRecord.year)).where(mine, SalesRecord.year <= year_now))
                or s.scalar(select(func.max(SalesRecord.year)).where(SalesRecord.year <= year_now)) or year_now)

        def sums(y: int):
            return s.execute(select(func.coalesce(func.sum(SalesRecord.amount), 0),
                                    func.coalesce(func.sum(SalesRecord.profit), 0))
                             .where(mine, SalesRecord.year == y)).one()

        (sales, profit), (previous, _p) = sums(year), sums(year - 1)
        per_customer = (select(func.sum(SalesRecord.amount).label("amount")).where(SalesRecord.year == year)
                        .group_by(SalesRecord.customer_id).subquery())
        active = s.scalar(select(func.count()).select_from(per_customer).where(per_customer.c.amount > 0)) or 0
        below = s.scalar(select(func.count()).select_from(per_customer).where(per_customer.c.amount > 0,
                                                                               per_customer.c.amount < sales)) or 0
        late = (PaymentRecord.paid_on > PaymentRecord.due_on) | (PaymentRecord.paid_on.is_(None)
                                                                 & (PaymentRecord.due_on < (today or date.today())))
        due, late_n = s.execute(select(func.count(), func.coalesce(func.sum(case((late, 1), else_=0)), 0)).where(
            PaymentRecord.customer_id == customer_id, PaymentRecord.due_on >= date(year, 1, 1),
            PaymentRecord.due_on <= date(year, 12, 31))).one()
        first = s.scalar(select(func.min(SalesRecord.year)).where(mine, SalesRecord.amount > 0,
                                                                 SalesRecord.year <= year))
    sales, previous, profit = (Decimal(str(x)).quantize(Decimal("0.01")) for x in (sales, previous, profit))
    facts = ev.Facts(year, sales, previous, profit,
                     Decimal(below) / Decimal(active) if active and sales > 0 else None,
                     int(due), int(late_n), first)
    return ev.suggest(facts, margin_full=int(values["grading.margin_full"]), years_full=int(values["grading.years_full"]),
                      growth_full=int(values["advance.b_to_a.growth_pct"]))
