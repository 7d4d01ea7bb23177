"""The entered scoring items of the 100-point scheme (评分项): sales model, our share of their sales, industry
reputation — 0–100 each with a note, audited on the card.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.errors import NotFound, ValidationFailed
from app.services import access
from app.services.grading_runs import _actor, _require
from app.services.users import Principal
from models import (
    Customer,
    GradingAttribute,
)
from models.base import utcnow

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
