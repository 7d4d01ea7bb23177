"""客户关系评估表: score a customer on the configured indicators and keep each evaluation (audited)."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import evaluation as ev
from app.errors import NotFound, UserError, ValidationFailed
from app.services import access, audit
from app.services.users import Principal
from models import Customer, RelationEvaluation


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
