"""Borrowing an archive above one's level (借阅): request with reason and days, approval, expiry.

An approver must hold archive.approve and be able to read the archive themselves (the role the
regulation names for that level: the department manager, the director, the GM). An approval lets the
requester read that one archive until it expires; each reading is logged under the approval.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from app import settings
from app.db import Database
from app.domain.access import may_read
from app.errors import NotFound, ValidationFailed
from app.services.users import PermissionDenied, Principal
from models import AccessRequest, AppUser, Customer, Department
from models.base import utcnow


@dataclass(frozen=True)
class RequestInfo:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    requester: str
    reason: str
    days: int
    status: str
    requested_at: datetime
    expires_at: datetime | None
    mode: str = "read"
    level: str = ""  # the archive's confidentiality: what the approver is lending
    department: str = ""  # the archive's department
    decided_by: str = ""
    decided_at: datetime | None = None


def active_approval(user: Principal, now, *, requester=None):
    """SQL: an approved, unexpired request of this user for the customer row being filtered.
    `now` and `requester` (default: the user's id) may be bound parameters (access.readable)."""
    return exists().where(and_(AccessRequest.customer_id == Customer.id,
                               AccessRequest.requester_id == (user.user_id if requester is None else requester),
                               AccessRequest.status == "approved", AccessRequest.expires_at > now))


MODES = ("read", "edit")  # 查阅 / 修改: a loan grants exactly what was asked


def approval_for(s, user: Principal, customer_id: uuid.UUID, now: datetime, *,
                 mode: str = "read") -> uuid.UUID | None:
    """The approved, unexpired loan that covers `mode`: any loan lets one read, only an edit loan edit."""
    if user.user_id is None:
        return None
    q = select(AccessRequest.id).where(
        AccessRequest.customer_id == customer_id, AccessRequest.requester_id == user.user_id,
        AccessRequest.status == "approved", AccessRequest.expires_at > now)
    if mode == "edit":
        q = q.where(AccessRequest.mode == "edit")
    return s.scalar(q.order_by(AccessRequest.mode.desc()).limit(1))


def request_access(db: Database, *, user: Principal, customer_id: uuid.UUID, reason: str, days: int,
                   mode: str = "read") -> uuid.UUID:
    """查阅档案审批表: ask to read (mode "read") or to edit ("edit") one archive for some days."""
    limit = settings.get(db, "borrow.max_days")
    errors = {}
    if mode not in MODES:
        errors["mode"] = "请选择查阅或修改"
    if not reason.strip():
        errors["reason"] = "请填写查阅原因"
    if not 1 <= days <= limit:
        errors["days"] = f"借阅天数应为1至{limit}天"
    if user.user_id is None:
        errors["user"] = "请先登录"
    if errors:
        raise ValidationFailed(errors)

    def work(s):
        if s.get(Customer, customer_id) is None:
            raise NotFound("客户不存在")
        req = AccessRequest(id=uuid.uuid4(), customer_id=customer_id, requester_id=user.user_id,
                            reason=reason.strip(), days=days, mode=mode)
        s.add(req)
        return req.id

    return db.transact(work)


def decide(db: Database, *, user: Principal, request_id: uuid.UUID, approve: bool, note: str = "",
           now: datetime | None = None, days: int | None = None) -> None:
    """Approve or reject; the approver needs archive.approve and the right to read the archive.

    `days`: the approver may grant fewer days than asked, never more; the loan ends exactly then."""
    user.require("archive.approve", "审批档案查阅")
    now = now or utcnow()

    def work(s):
        req = s.get(AccessRequest, request_id)
        if req is None or req.status != "pending":
            raise NotFound("该申请不存在或已处理")
        if req.requester_id == user.user_id:
            raise PermissionDenied("不能审批自己的申请")
        c = s.get(Customer, req.customer_id)
        if not may_read(permissions=user.permissions, staff_id=user.staff_id, department_id=user.department_id,
                        level=c.confidentiality, owner_id=c.owner_id, customer_department_id=c.department_id):
            raise PermissionDenied("该档案的保密级别高于您的审批权限,请转交上级审批")
        if approve and days is not None:
            if not 1 <= days <= req.days:
                raise ValidationFailed({"days": f"批准天数应为1至{req.days}天(不超过申请的天数)"})
            req.days = days
        req.status = "approved" if approve else "rejected"
        req.decided_by_id, req.decided_at, req.decision_note = user.user_id, now, note.strip()
        if approve:
            req.expires_at = now + timedelta(days=req.days)

    db.transact(work)


def requests(db: Database, *, user: Principal, pending_only: bool = True) -> list[RequestInfo]:
    """Requests this user may decide (approvers) or has made (everyone else)."""
    approver = aliased(AppUser)
    q = (select(AccessRequest, Customer.name, AppUser.display_name, Customer.confidentiality, Department.name,
                approver.display_name)
         .join(Customer, Customer.id == AccessRequest.customer_id)
         .join(AppUser, AppUser.id == AccessRequest.requester_id)
         .outerjoin(Department, Department.id == Customer.department_id)
         .outerjoin(approver, approver.id == AccessRequest.decided_by_id)
         .order_by(AccessRequest.requested_at.desc()))
    if pending_only:
        q = q.where(AccessRequest.status == "pending")
    if not user.can("archive.approve"):
        q = q.where(AccessRequest.requester_id == user.user_id)
    with db.read() as s:
        return [RequestInfo(r.id, r.customer_id, name, who, r.reason, r.days, r.status, r.requested_at,
                            r.expires_at, r.mode, level, dept or "", by or "", r.decided_at)
                for r, name, who, level, dept, by in s.execute(q)]


@dataclass(frozen=True)
class ArchiveStub:
    """What a user who may not read an archive may still know: enough to ask for it."""

    id: uuid.UUID
    code: str
    name: str
    level: str


def find_for_request(db: Database, *, user: Principal, text: str) -> list[ArchiveStub]:
    """Exact customer code or exact full name only: asking to borrow must not become a way to browse."""
    user.require("customer.list", "查阅客户")
    text = text.strip()
    if not text:
        return []
    with db.read() as s:
        rows = s.execute(select(Customer.id, Customer.code, Customer.name, Customer.confidentiality)
                         .where((Customer.code == text.upper()) | (Customer.name == text),
                                Customer.merged_into_id.is_(None)).limit(5))
        return [ArchiveStub(*r) for r in rows]
