"""Archive confidentiality in the service layer: which customers a user may see, and the read log (借阅卡).

Every query that returns customer data goes through `readable(user)` (lists, search, exports) or
`check_read(...)` (opening, printing, editing one card). Each permitted reading of a card and each
refusal writes one read-log row in the same transaction as the reading.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.access import may_read
from app.domain.vocab import CONFIDENTIALITY
from app.services import borrowing
from app.services.users import PermissionDenied, Principal
from models import Customer, ReadLog
from models.base import utcnow

ACTION_WHAT = {"open": "查阅", "print": "打印", "edit": "修改", "export": "导出"}


def readable(user: Principal):
    """SQL condition: the customers this user may read without an approval (mirrors domain.access.may_read)."""
    p, conds = user.permissions, []
    if user.staff_id is not None:
        conds.append(Customer.owner_id == user.staff_id)
    if "archive.read.company" in p:
        conds.append(Customer.confidentiality == "company")
    if "archive.read.department.all" in p:
        conds.append(Customer.confidentiality == "department")
    elif "archive.read.department.own" in p and user.department_id is not None:
        conds.append(and_(Customer.confidentiality == "department", Customer.department_id == user.department_id))
    if "archive.read.personal.team" in p and user.department_id is not None:
        conds.append(and_(Customer.confidentiality == "personal", Customer.department_id == user.department_id))
    if user.user_id is not None:  # archives lent to this user (借阅) until the approval expires
        conds.append(borrowing.active_approval(user, utcnow()))
    return or_(*conds) if conds else false()


def log(s: Session, user: Principal, *, action: str, customer_id: uuid.UUID | None, level: str, allowed: bool,
        note: str = "", approval_id: uuid.UUID | None = None) -> None:
    s.add(ReadLog(id=uuid.uuid4(), user_id=user.user_id, username=user.username, display_name=user.display_name,
                  action=action, customer_id=customer_id, level=level, allowed=allowed, note=note,
                  approval_id=approval_id))


def check_read(db: Database, user: Principal, customer_id: uuid.UUID, *, action: str) -> None:
    """Allow and log, or log the refusal and raise PermissionDenied with a Chinese message."""
    permission = {"open": "customer.open", "print": "customer.print", "edit": "customer.edit"}[action]

    def work(s: Session) -> str | None:
        row = s.execute(select(Customer.confidentiality, Customer.owner_id, Customer.department_id, Customer.name)
                        .where(Customer.id == customer_id)).first()
        if row is None:
            return None
        level, owner, dept, name = row
        if not user.can(permission):
            log(s, user, action=action, customer_id=customer_id, level=level, allowed=False, note="角色无此权限")
            return f"您的角色“{user.role_name}”不能{ACTION_WHAT[action]}客户档案。"
        approval = None
        if not may_read(permissions=user.permissions, staff_id=user.staff_id, department_id=user.department_id,
                        level=level, owner_id=owner, customer_department_id=dept):
            approval = borrowing.approval_for(s, user, customer_id, utcnow())
            if approval is None:
                log(s, user, action=action, customer_id=customer_id, level=level, allowed=False, note="超出保密级别")
                return (f"“{name}”的档案为{CONFIDENTIALITY.label(level)}保密,您无权{ACTION_WHAT[action]}。"
                        "如需查阅,请填写查阅档案审批表,经批准后再查阅。")
        log(s, user, action=action, customer_id=customer_id, level=level, allowed=True,
            note="借阅审批" if approval else "", approval_id=approval)
        return None

    refusal = db.transact(work)
    if refusal:
        raise PermissionDenied(refusal)


def log_export(db: Database, user: Principal, *, count: int, note: str) -> None:
    db.transact(lambda s: log(s, user, action="export", customer_id=None, level="", allowed=True,
                              note=f"导出 {count} 个客户;{note}"))


@dataclass(frozen=True)
class ReadLogRow:
    at: datetime
    username: str
    display_name: str
    action: str
    customer_id: uuid.UUID | None
    customer_name: str
    level: str
    allowed: bool
    note: str


def read_log(db: Database, *, user: Principal, customer_id: uuid.UUID | None = None,
             limit: int = 5000) -> list[ReadLogRow]:
    """The read log, newest first — for the administrator and auditors (readlog.view)."""
    user.require("readlog.view", "查看借阅记录")
    q = (select(ReadLog, Customer.name).outerjoin(Customer, Customer.id == ReadLog.customer_id)
         .order_by(ReadLog.at.desc()).limit(limit))
    if customer_id:
        q = q.where(ReadLog.customer_id == customer_id)
    with db.read() as s:
        return [ReadLogRow(r.at, r.username, r.display_name, r.action, r.customer_id, name or "", r.level,
                           r.allowed, r.note) for r, name in s.execute(q)]


__all__ = ["PermissionDenied", "check_read", "log_export", "read_log", "readable"]
