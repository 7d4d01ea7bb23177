"""Archive confidentiality in the service layer: which customers a user may see, and the read log (借阅卡).

Every query that returns customer data goes through `readable(user)` (lists, search, exports) or
`check_read(...)` (opening, printing, editing one card). Each permitted reading of a card and each
refusal writes one read-log row in the same transaction as the reading.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, bindparam, false, or_, select
from sqlalchemy.orm import Session, aliased

from app.db import Database
from app.domain.access import may_read
from app.domain.vocab import CONFIDENTIALITY
from app.services import borrowing
from app.services.users import PermissionDenied, Principal
from models import AccessRequest, AppUser, Customer, ReadLog
from models.base import utcnow

ACTION_WHAT = {"open": "查阅", "print": "打印", "edit": "修改", "export": "导出"}


def readable(user: Principal, *, bound: bool = False):
    """SQL condition: the customers this user may read without an approval (mirrors domain.access.may_read).

    bound=True: the user's ids and the time as named parameters (see readable_values), so one statement
    serves every user whose condition has the same shape (readable_shape) — the list's search reuses it."""
    def value(name: str, v):
        return bindparam(name) if bound else v

    shape = readable_shape(user)
    staff, company, dept_all, dept_own, team, lent = shape
    conds = []
    if staff:
        conds.append(Customer.owner_id == value("acc_staff", user.staff_id))
    if company:
        conds.append(Customer.confidentiality == "company")
    if dept_all:
        conds.append(Customer.confidentiality == "department")
    elif dept_own:
        conds.append(and_(Customer.confidentiality == "department",
                          Customer.department_id == value("acc_dept", user.department_id)))
    if team:
        conds.append(and_(Customer.confidentiality == "personal",
                          Customer.department_id == value("acc_dept", user.department_id)))
    if lent:  # archives lent to this user (借阅) until the approval expires
        conds.append(borrowing.active_approval(user, value("acc_now", utcnow()),
                                               requester=value("acc_user", user.user_id)))
    return or_(*conds) if conds else false()


def readable_shape(user: Principal) -> tuple[bool, ...]:
    """Which parts readable(user) has: equal shapes give the same bound statement."""
    p, dept = user.permissions, user.department_id is not None
    return (user.staff_id is not None, "archive.read.company" in p, "archive.read.department.all" in p,
            "archive.read.department.own" in p and dept, "archive.read.personal.team" in p and dept,
            user.user_id is not None)


def readable_values(user: Principal) -> dict:
    """The parameters of readable(user, bound=True), the time taken now."""
    out = {"acc_staff": user.staff_id, "acc_dept": user.department_id, "acc_user": user.user_id}
    out = {k: v for k, v in out.items() if v is not None}
    if user.user_id is not None:
        out["acc_now"] = utcnow()
    return out


def log(s: Session, user: Principal, *, action: str, customer_id: uuid.UUID | None, level: str, allowed: bool,
        note: str = "", approval_id: uuid.UUID | None = None) -> None:
    s.add(ReadLog(id=uuid.uuid4(), user_id=user.user_id, username=user.username, display_name=user.display_name,
                  action=action, customer_id=customer_id, level=level, allowed=allowed, note=note,
                  approval_id=approval_id))


PERMISSION = {"open": "customer.open", "print": "customer.print", "edit": "customer.edit"}


@dataclass(frozen=True)
class _Verdict:
    level: str
    allowed: bool
    note: str  # what the read log says
    message: str = ""  # the refusal, in Chinese
    approval_id: uuid.UUID | None = None


def _verdict(s: Session, user: Principal, customer_id: uuid.UUID, action: str) -> _Verdict | None:
    """The one decision behind check_read and ensure_may; None when the customer does not exist."""
    row = s.execute(select(Customer.confidentiality, Customer.owner_id, Customer.department_id, Customer.name)
                    .where(Customer.id == customer_id)).first()
    if row is None:
        return None
    level, owner, dept, name = row
    if not user.can(PERMISSION[action]):
        return _Verdict(level, False, "角色无此权限", f"您的角色“{user.role_name}”不能{ACTION_WHAT[action]}客户档案。")
    if may_read(permissions=user.permissions, staff_id=user.staff_id, department_id=user.department_id,
                level=level, owner_id=owner, customer_department_id=dept):
        return _Verdict(level, True, "")
    approval = borrowing.approval_for(s, user, customer_id, utcnow(), mode="edit" if action == "edit" else "read")
    if approval is None and action == "edit" and borrowing.approval_for(s, user, customer_id, utcnow()):
        return _Verdict(level, False, "借阅仅限查阅",
                        f"“{name}”的档案借给您的是查阅,不能修改。如需修改,请另行申请修改借阅。")
    if approval is None:
        return _Verdict(level, False, "超出保密级别",
                        f"“{name}”的档案为{CONFIDENTIALITY.label(level)}保密,您无权{ACTION_WHAT[action]}。"
                        "如需查阅,请填写查阅档案审批表,经批准后再查阅。")
    return _Verdict(level, True, "借阅审批", approval_id=approval)


def check_read(db: Database, user: Principal, customer_id: uuid.UUID, *, action: str) -> None:
    """Allow and log, or log the refusal and raise PermissionDenied with a Chinese message."""

    def work(s: Session) -> str | None:
        v = _verdict(s, user, customer_id, action)
        if v is None:
            return None  # the service itself reports 客户不存在
        log(s, user, action=action, customer_id=customer_id, level=v.level, allowed=v.allowed, note=v.note,
            approval_id=v.approval_id)
        return v.message or None

    refusal = db.transact(work)
    if refusal:
        raise PermissionDenied(refusal)


def ensure_may(s: Session, user: Principal | None, customer_id: uuid.UUID, *, action: str = "open") -> None:
    """The same rule as check_read for the parts of a card (关键人, 档案记录, 黑名单, 修改记录), without
    a read-log row: opening the card already wrote one, and a row per panel would bury it.

    Runs in the caller's session (so an edit checks the row it is about to change). `user=None` is the
    system at work (the command line without --user, demo data, tests of the rules themselves) and the
    card services that have just checked and logged the whole card; the UI always passes ctx.user.
    """
    if user is None:
        return
    v = _verdict(s, user, customer_id, action)
    if v is not None and not v.allowed:
        raise PermissionDenied(v.message)


def on_loan(s: Session, user: Principal | None, customer_id: uuid.UUID) -> bool:
    """Whether this user reaches the card only through a loan (借阅): then the level, owner and department
    stay as they are — a borrower never re-files someone else's archive."""
    if user is None:
        return False
    row = s.execute(select(Customer.confidentiality, Customer.owner_id, Customer.department_id)
                    .where(Customer.id == customer_id)).first()
    return row is not None and not may_read(permissions=user.permissions, staff_id=user.staff_id,
                                            department_id=user.department_id, level=row[0], owner_id=row[1],
                                            customer_department_id=row[2])


def require_logged(db: Database, user: Principal, permission: str, what: str, *, action: str = "export") -> None:
    """user.require(...) that leaves a read-log row when it refuses: an export tried without the right is a
    refused reading like any other (借阅卡), from the window or the command line alike."""
    if user.can(permission):
        return
    db.transact(lambda s: log(s, user, action=action, customer_id=None, level="", allowed=False,
                              note=f"角色无此权限:{what}"))
    user.require(permission, what)


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
    approved_by: str = ""  # who approved the loan the reading was made under (借阅卡: approved by)


@dataclass(frozen=True)
class ReadLogFilter:
    """What the read-log viewer narrows by; dates are local calendar days, both ends included."""

    date_from: date | None = None
    date_to: date | None = None
    user: str = ""  # part of the user name or the person's name
    customer: str = ""  # part of the customer's name
    allowed: bool | None = None  # None: both permitted and refused readings
    action: str = ""  # open / print / edit / export; "" for all


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()  # the desk's time zone, as the user reads dates


def read_log(db: Database, *, user: Principal, customer_id: uuid.UUID | None = None,
             flt: ReadLogFilter | None = None, limit: int = 5000) -> list[ReadLogRow]:
    """The read log, newest first — for the administrator and auditors (readlog.view)."""
    user.require("readlog.view", "查看借阅记录")
    f = flt or ReadLogFilter()
    approver = aliased(AppUser)
    q = (select(ReadLog, Customer.name, approver.display_name)
         .outerjoin(Customer, Customer.id == ReadLog.customer_id)
         .outerjoin(AccessRequest, AccessRequest.id == ReadLog.approval_id)
         .outerjoin(approver, approver.id == AccessRequest.decided_by_id)
         .order_by(ReadLog.at.desc()).limit(limit))
    if customer_id:
        q = q.where(ReadLog.customer_id == customer_id)
    if f.date_from:
        q = q.where(ReadLog.at >= _local_midnight(f.date_from))
    if f.date_to:
        q = q.where(ReadLog.at < _local_midnight(f.date_to + timedelta(days=1)))
    if f.user.strip():
        pattern = f"%{f.user.strip()}%"
        q = q.where(or_(ReadLog.username.ilike(pattern), ReadLog.display_name.ilike(pattern)))
    if f.customer.strip():
        q = q.where(Customer.name.ilike(f"%{f.customer.strip()}%"))
    if f.allowed is not None:
        q = q.where(ReadLog.allowed.is_(f.allowed))
    if f.action:
        q = q.where(ReadLog.action == f.action)
    with db.read() as s:
        return [ReadLogRow(r.at, r.username, r.display_name, r.action, r.customer_id, name or "", r.level,
                           r.allowed, r.note, by or "") for r, name, by in s.execute(q)]


__all__ = ["PermissionDenied", "ReadLogFilter", "check_read", "ensure_may", "log_export", "read_log", "readable"]
