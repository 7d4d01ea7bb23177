"""公证处机选 — the notarised draw of the selection order, stored with its seed and list hash so anyone can
re-run it (`python -m app verify-draw UNIT`) and see the same order."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.db import Database
from app.domain import draw as rule
from app.domain.buyers import mask_id
from app.services.offline.guard import refuse_offline
from app.services.selection.errors import RuleBroken
from app.services.users import Principal
from models import Buyer, Commission, Draw, Project
from models.base import utcnow


@dataclass(frozen=True)
class DrawOutcome:
    commission: str
    project: str
    company: str
    seed: str
    list_hash: str
    algorithm: str
    rows: list[tuple[int, str, str]]  # (order, name, masked ID)
    performed_by: str
    notary: str
    performed_at: datetime


def _entries(s, commission_id: uuid.UUID) -> list[Buyer]:
    """The published, eligible list the draw is over; a person a rename (更名) added from outside the list
    takes over a flat already chosen and is never part of the draw."""
    from app.services.selection.rename import OUTSIDE_FLAG

    return list(s.scalars(select(Buyer).where(Buyer.commission_id == commission_id, Buyer.eligible.is_(True),
                                              Buyer.audit_flag != OUTSIDE_FLAG)
                          .order_by(Buyer.list_no)))


def run_draw(db: Database, *, user: Principal, commission_id: uuid.UUID, seed: str, notary: str = "",
             now: datetime | None = None) -> DrawOutcome:
    """Draw once per commissioning unit over the eligible buyers of the published list."""
    refuse_offline(db, "进行公证机选")
    user.require("selection.draw", "公证机选")
    now = now or utcnow()

    def work(s) -> None:
        if s.scalar(select(Draw.id).where(Draw.commission_id == commission_id)) is not None:
            raise RuleBroken("本单位已机选过选房顺序,结果不能重抽;可用“核验机选”重算证明")
        pending = s.scalar(select(Buyer.name).where(Buyer.commission_id == commission_id,
                                                    Buyer.eligible.is_(None)).limit(1))
        if pending:
            raise RuleBroken(f"尚有购房者(如 {pending})未完成资格审查,不能机选")
        buyers = _entries(s, commission_id)
        if not buyers:
            raise RuleBroken("没有通过资格审查的购房者,不能机选")
        result = rule.draw(seed, [(b.list_no, b.name, b.id_number) for b in buyers])
        by_no = {b.list_no: b for b in buyers}
        for position, list_no in enumerate(result.order, 1):
            s.execute(update(Buyer).where(Buyer.id == by_no[list_no].id).values(draw_order=position))
        s.add(Draw(id=uuid.uuid4(), commission_id=commission_id, seed=result.seed, list_hash=result.list_hash,
                   algorithm=rule.ALGORITHM_ID, performed_by=user.display_name, notary=notary.strip(),
                   performed_at=now))

    db.transact(work)
    return outcome(db, commission_id=commission_id)


def outcome(db: Database, *, commission_id: uuid.UUID) -> DrawOutcome:
    with db.read() as s:
        d = s.scalar(select(Draw).where(Draw.commission_id == commission_id))
        if d is None:
            raise RuleBroken("本单位尚未机选")
        c, project, company = s.execute(select(Commission.name, Project.name, Project.company)
                                        .join(Project, Project.id == Commission.project_id)
                                        .where(Commission.id == commission_id)).one()
        rows = s.execute(select(Buyer.draw_order, Buyer.name, Buyer.id_number)
                         .where(Buyer.commission_id == commission_id, Buyer.draw_order.is_not(None))
                         .order_by(Buyer.draw_order)).all()
        return DrawOutcome(c, project, company, d.seed, d.list_hash, rule.ALGORITHM, [(o, n, mask_id(i))
                           for o, n, i in rows], d.performed_by, d.notary, d.performed_at)


@dataclass(frozen=True)
class Verification:
    ok: bool
    message: str


def verify_draw(db: Database, *, commission_id: uuid.UUID) -> Verification:
    """Re-run the draw from the stored seed and today's list: same list hash and same order, or why not."""
    with db.read() as s:
        d = s.scalar(select(Draw).where(Draw.commission_id == commission_id))
        if d is None:
            return Verification(False, "本单位尚未机选")
        seed, stored_hash = d.seed, d.list_hash
        buyers = _entries(s, commission_id)
        entries = [(b.list_no, b.name, b.id_number) for b in buyers]
        claimed = [b.list_no for b in sorted((b for b in buyers if b.draw_order), key=lambda b: b.draw_order)]
    again = rule.draw(seed, entries)
    if again.list_hash != stored_hash:
        return Verification(False, f"名单摘要不一致:机选时 {stored_hash},现在 {again.list_hash};名单在机选后被改动")
    if list(again.order) != claimed:
        return Verification(False, "按同一种子重算的顺序与登记的选房顺序不一致")
    return Verification(True, f"核验通过:种子“{seed}”、名单摘要 {stored_hash},{len(claimed)} 人的顺序完全一致")
