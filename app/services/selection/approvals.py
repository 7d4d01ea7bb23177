"""价格审批 as read back: who signed the commission's current price, when, and which step is next."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.db import Database
from app.services.selection.stock import APPROVAL_CHAIN
from models import Commission, PriceApproval


@dataclass(frozen=True)
class Signature:
    step: int
    role: str  # 营销总监 …
    approver: str  # "" while unsigned
    signed_at: datetime | None
    note: str
    recorded_by: str


@dataclass(frozen=True)
class ApprovalState:
    average_price: Decimal | None
    price_version: int
    signatures: list[Signature]  # one per step of the chain, in order

    @property
    def next_step(self) -> int | None:
        """The step to sign next (1-based), None when complete or before a price exists."""
        if self.average_price is None:
            return None
        return next((s.step for s in self.signatures if not s.approver), None)

    @property
    def complete(self) -> bool:
        return self.average_price is not None and self.next_step is None


def state(db: Database, *, commission_id: uuid.UUID) -> ApprovalState:
    """Signatures of the current pricing only: a new pricing starts the chain again."""
    with db.read() as s:
        average, version = s.execute(select(Commission.average_price, Commission.price_version)
                                     .where(Commission.id == commission_id)).one()
        signed = {a.step: a for a in s.scalars(select(PriceApproval).where(
            PriceApproval.commission_id == commission_id, PriceApproval.price_version == version))}
        rows = []
        for step, role in enumerate(APPROVAL_CHAIN, 1):
            a = signed.get(step)
            rows.append(Signature(step, role, a.approver if a else "", a.approved_at if a else None,
                                  a.note if a else "", a.recorded_by if a else ""))
    return ApprovalState(average, version, rows)
