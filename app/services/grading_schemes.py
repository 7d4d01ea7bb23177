"""Grading schemes (分级方案): one per kind side by side, parameters a snapshot of the settings, one marked as
the card's 客户等级 (only a scheme grading in A–E).
"""

import json
import uuid

from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain.grading import schemes
from app.errors import NotFound, ValidationFailed
from app.services.grading_runs import SchemeInfo, _actor, _require
from app.services.users import Principal
from models import (
    GradingScheme,
)

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
