"""Policies that follow the grade (分级政策) for other tabs, and the late-payment rule's notices.

`policy_for` gives a customer's price cap, payment terms, delivery time, rush-order right, reply deadline
and visit frequency from its grade (app.domain.grade_policy, settings policy.*). Payment terms drop one
level at once when `policy.late_per_quarter` (2) or more payments due in one quarter were paid late (or are
unpaid past due); the drop holds through that quarter and the next (we look at the current and the
previous calendar quarter). Each such quarter is noticed once: a `payment_term_drop` row plus an audit row
on the card (付款条件降级), listed by `term_drops`.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import grade_policy as rules
from app.domain.grade_policy import Policy, quarter_of
from app.errors import NotFound
from app.services import access, audit
from app.services.users import Principal
from models import Customer, PaymentRecord, PaymentTermDrop
from models.base import utcnow


def _window_start(today: date) -> date:
    """First day of the previous calendar quarter."""
    q0 = (today.month - 1) // 3 * 3 + 1  # first month of this quarter
    return date(today.year, q0 - 3, 1) if q0 > 3 else date(today.year - 1, q0 + 9, 1)


def _late_by_quarter(s: Session, today: date, customer_id: uuid.UUID | None = None) -> Counter:
    """(customer, quarter) → late payments due in the window (previous and current quarter, up to today)."""
    q = (select(PaymentRecord.customer_id, PaymentRecord.due_on)
         .where(PaymentRecord.due_on >= _window_start(today), PaymentRecord.due_on < today,
                or_(PaymentRecord.paid_on.is_(None) & (PaymentRecord.due_on < today),
                    PaymentRecord.paid_on > PaymentRecord.due_on)))
    if customer_id is not None:
        q = q.where(PaymentRecord.customer_id == customer_id)
    return Counter((cid, quarter_of(due)) for cid, due in s.execute(q))


@dataclass(frozen=True)
class CustomerPolicy:
    customer_id: uuid.UUID
    policy: Policy
    late_quarter: str  # the quarter that dropped the terms, "" if none
    late_count: int


def policy_for(db: Database, *, user: Principal | None, customer_id: uuid.UUID,
               today: date | None = None) -> CustomerPolicy:
    """The policy that follows the customer's grade today (needs the right to open the card)."""
    today = today or date.today()
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        grade = s.scalar(select(Customer.grade).where(Customer.id == customer_id))
        if grade is None:
            raise NotFound("客户不存在")
        values = settings.get_all(db, session=s)
        late = _late_by_quarter(s, today, customer_id)
    quarter, count = max(((q, n) for (_c, q), n in late.items()), key=lambda t: (t[1], t[0]), default=("", 0))
    policy = rules.policy_for(grade, values, late_in_quarter=count)
    return CustomerPolicy(customer_id, policy, quarter if policy.dropped else "", count)


@dataclass(frozen=True)
class TermDrop:
    customer_id: uuid.UUID
    code: str
    name: str
    grade: str
    quarter: str
    late_count: int
    noticed_by: str
    noticed_at: datetime


def notice_in(s: Session, *, actor: str, today: date, customer_id: uuid.UUID | None = None) -> int:
    """Inside the caller's transaction: record each (customer, quarter) newly over the late-payment limit,
    with an audit row on the card. Returns how many were new."""
    threshold = settings.get_all(None, session=s)["policy.late_per_quarter"]
    over = {key: n for key, n in _late_by_quarter(s, today, customer_id).items() if n >= threshold}
    if not over:
        return 0
    # two desks entering payments of one customer at once: the second waits here, then sees the first's notice
    s.execute(select(Customer.id).where(Customer.id.in_({c for c, _q in over})).with_for_update())
    known = set(s.execute(select(PaymentTermDrop.customer_id, PaymentTermDrop.quarter)
                          .where(PaymentTermDrop.customer_id.in_({c for c, _q in over}))).all())
    new = [(c, q, n) for (c, q), n in sorted(over.items(), key=lambda t: (str(t[0][0]), t[0][1]))
           if (c, q) not in known]
    now = utcnow()
    if new:
        s.execute(insert(PaymentTermDrop), [{"id": uuid.uuid4(), "customer_id": c, "quarter": q, "late_count": n,
                                              "noticed_by": actor, "noticed_at": now} for c, q, n in new])
        for c, q, n in new:
            audit.record(s, actor=actor, action="term_drop", entity="customer", entity_id=c, customer_id=c,
                         note=f"{q} 逾期付款 {n} 次,付款条件降一级")
    return len(new)


def check_late_payments(db: Database, *, user: Principal | None, today: date | None = None) -> int:
    """Look for customers over the late-payment limit in the current or previous quarter (all customers)."""
    if user is not None:
        user.require("sales.edit", "检查逾期付款")
    today = today or date.today()
    actor = user.display_name if user is not None else "系统"
    return db.transact(lambda s: notice_in(s, actor=actor, today=today))


def term_drops(db: Database, *, user: Principal | None, since: date | None = None) -> list[TermDrop]:
    """Every payment-term drop noticed (newest first), for the customers this user may read."""
    if user is not None:
        user.require("grading.view", "查看付款条件降级")
    with db.read() as s:
        q = (select(PaymentTermDrop, Customer.code, Customer.name, Customer.grade)
             .join(Customer, Customer.id == PaymentTermDrop.customer_id))
        if user is not None:
            q = q.where(access.readable(user))
        if since is not None:
            q = q.where(PaymentTermDrop.quarter >= quarter_of(since))
        rows = s.execute(q.order_by(PaymentTermDrop.noticed_at.desc(), Customer.code)).all()
        return [TermDrop(d.customer_id, code, name, grade, d.quarter, d.late_count, d.noticed_by, d.noticed_at)
                for d, code, name, grade in rows]
