"""Customer blacklist (客户黑名单): admission with criterion and reason, elimination with reason.

Listing and removing are edits of the card: blacklist.edit, and check_read logs them like any edit.
Reading the entries needs the right to open the card (access.ensure_may, no read-log row of its own).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app import settings
from app.db import Database
from app.domain import blacklist as rules
from app.errors import NotFound, ValidationFailed
from app.services import access, audit
from app.services.users import Principal
from models import BlacklistEntry, Customer

CRITERIA = rules.ADMISSION  # the defaults (demo data); people choose from the settings' list


def criteria(db: Database, *, removal: bool = False) -> list[str]:
    """The admission (列入) or elimination (移出) criteria, as the settings say now."""
    return rules.parse(settings.get(db, "blacklist.removal_criteria" if removal else "blacklist.criteria"))


def _check_criterion(db: Database, user: Principal | None, criterion: str, *, removal: bool) -> None:
    """A person picks from the settings' list; the system at work (import, demo) may name another."""
    key = "removal_criterion" if removal else "criterion"
    what = "移出" if removal else "列入"
    if not criterion.strip():
        raise ValidationFailed({key: f"请选择{what}黑名单的标准"})
    if user is not None and criterion.strip() not in criteria(db, removal=removal):
        raise ValidationFailed({key: f"“{criterion}”不是设置中的{what}标准,请从列表中选择"})


@dataclass(frozen=True)
class BlacklistInfo:
    id: uuid.UUID
    criterion: str
    reason: str
    listed_on: date
    listed_by: str
    removed_on: date | None
    removal_reason: str
    removal_criterion: str = ""


def _allowed(db: Database, user: Principal | None, customer_id: uuid.UUID) -> None:
    if user is not None:
        user.require("blacklist.edit", "管理黑名单")
        access.check_read(db, user, customer_id, action="edit")


def add(db: Database, *, actor: str, customer_id: uuid.UUID, criterion: str, reason: str,
        user: Principal | None, on: date | None = None) -> uuid.UUID:
    _allowed(db, user, customer_id)
    _check_criterion(db, user, criterion, removal=False)
    if not reason.strip():
        raise ValidationFailed({"reason": "请填写列入黑名单的原因"})

    def work(s):
        if s.get(Customer, customer_id) is None:
            raise NotFound("客户不存在")
        if s.scalar(select(BlacklistEntry.id).where(BlacklistEntry.customer_id == customer_id,
                                                    BlacklistEntry.removed_on.is_(None))):
            raise ValidationFailed({"criterion": "该客户已在黑名单中"})
        entry = BlacklistEntry(id=uuid.uuid4(), customer_id=customer_id, criterion=criterion.strip(),
                               reason=reason.strip(), listed_on=on or date.today(), listed_by=actor)
        s.add(entry)
        audit.record(s, actor=actor, action="blacklist", entity="blacklist", entity_id=entry.id,
                     customer_id=customer_id, note=f"{criterion}:{reason}")
        return entry.id

    return db.transact(work)


def remove(db: Database, *, actor: str, customer_id: uuid.UUID, reason: str, user: Principal | None,
           on: date | None = None, criterion: str = "") -> None:
    """Take a customer off the blacklist (移出) under one of the elimination criteria, with a reason."""
    _allowed(db, user, customer_id)
    if user is not None or criterion:
        _check_criterion(db, user, criterion, removal=True)
    if not reason.strip():
        raise ValidationFailed({"removal_reason": "请填写移出黑名单的原因"})

    def work(s):
        entry = s.scalar(select(BlacklistEntry).where(BlacklistEntry.customer_id == customer_id,
                                                      BlacklistEntry.removed_on.is_(None)))
        if entry is None:
            raise NotFound("该客户不在黑名单中")
        entry.removed_on, entry.removed_by, entry.removal_reason = on or date.today(), actor, reason.strip()
        entry.removal_criterion = criterion.strip()
        audit.record(s, actor=actor, action="unblacklist", entity="blacklist", entity_id=entry.id,
                     customer_id=customer_id, note=f"{criterion.strip()}:{reason.strip()}" if criterion.strip()
                     else reason.strip())

    db.transact(work)


def entries(db: Database, *, customer_id: uuid.UUID, user: Principal | None,
            active_only: bool = False) -> list[BlacklistInfo]:
    q = select(BlacklistEntry).where(BlacklistEntry.customer_id == customer_id)
    if active_only:
        q = q.where(BlacklistEntry.removed_on.is_(None))
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        return [BlacklistInfo(e.id, e.criterion, e.reason, e.listed_on, e.listed_by, e.removed_on,
                              e.removal_reason, e.removal_criterion)
                for e in s.scalars(q.order_by(BlacklistEntry.listed_on.desc()))]


def active_entries(db: Database, *, customer_id: uuid.UUID, user: Principal | None) -> list[BlacklistInfo]:
    return entries(db, customer_id=customer_id, user=user, active_only=True)
