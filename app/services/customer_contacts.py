"""Contact staff of a customer (联系人员): assign, remove, the 重要客户 flag and who is short of contacts.

Important new customers get two or more of our staff in contact (两个以上人员联系): the owner (负责人)
counts as one, assigned staff still employed count one each (rule in app.domain.contacts). Reading needs
the right to open the card, changing needs customer.edit and the right to edit it (access.ensure_may);
every change goes into the card's history (修改记录).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain.contacts import contacts_short, counted_contacts, importance_reasons
from app.domain.vocab import CONTACT_ROLE
from app.errors import NotFound, ValidationFailed
from app.services import access, audit
from app.services.users import Principal
from models import Customer, CustomerContact, Department, Staff

__all__ = ["ContactInfo", "ContactTeam", "ShortCustomer", "assign", "contacts_short", "important_condition",
           "set_important", "short_condition", "short_list", "team", "unassign"]


@dataclass(frozen=True)
class ContactInfo:
    id: uuid.UUID | None  # None for the owner's row: the owner is set on the card, not here
    staff_id: uuid.UUID
    name: str
    department: str
    role: str  # "owner" or a CONTACT_ROLE code
    active: bool  # a leaver is shown but not counted
    assigned_by: str
    assigned_at: datetime | None


@dataclass(frozen=True)
class ContactTeam:
    customer_id: uuid.UUID
    flagged: bool  # 重要客户 set by hand
    reasons: tuple[str, ...]  # why it is important (codes of domain.contacts.REASONS); empty when it is not
    contacts: list[ContactInfo]
    counted: int
    minimum: int
    short: int  # how many more are needed (0 when enough or not important)

    @property
    def important(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class ShortCustomer:
    id: uuid.UUID
    code: str
    name: str
    owner_name: str
    counted: int
    short: int


def _edit_check(s: Session, user: Principal | None, customer_id: uuid.UUID, what: str) -> Customer:
    if user is not None:
        user.require("customer.edit", what)
    c = s.get(Customer, customer_id)
    if c is None or c.merged_into_id is not None:
        raise NotFound("客户不存在或已被合并")
    access.ensure_may(s, user, customer_id, action="edit")
    return c


def team(db: Database, *, customer_id: uuid.UUID, user: Principal | None) -> ContactTeam:
    """The owner first, then the assigned staff; whether the customer is important and how many are short."""
    rules = settings.get_all(db)
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFound("客户不存在")
        people = []
        if c.owner_id is not None:
            row = s.execute(select(Staff.name, Department.name, Staff.active)
                            .outerjoin(Department, Department.id == Staff.department_id)
                            .where(Staff.id == c.owner_id)).first()
            if row is not None:
                people.append(ContactInfo(None, c.owner_id, row[0], row[1] or "", "owner", row[2], "", None))
        rows = s.execute(select(CustomerContact, Staff.name, Department.name, Staff.active)
                         .join(Staff, Staff.id == CustomerContact.staff_id)
                         .outerjoin(Department, Department.id == Staff.department_id)
                         .where(CustomerContact.customer_id == customer_id)
                         .order_by(CustomerContact.role.desc(), Staff.name))  # main before assist
        for cc, name, dept, active in rows:
            people.append(ContactInfo(cc.id, cc.staff_id, name, dept or "", cc.role, active, cc.assigned_by,
                                      cc.assigned_at))
        owner_active = bool(people and people[0].role == "owner" and people[0].active)
        reasons = importance_reasons(flagged=c.important, grade=c.grade, size=c.size, status=c.status, rules=rules)
        flagged = c.important
    counted = counted_contacts(owner_id=_owner_of(people), owner_active=owner_active,
                               assigned=[(p.staff_id, p.active) for p in people if p.role != "owner"])
    minimum = rules["important.min_contacts"]
    return ContactTeam(customer_id, flagged, reasons, people, counted, minimum,
                       contacts_short(bool(reasons), counted, minimum))


def _owner_of(people: list[ContactInfo]) -> uuid.UUID | None:
    return people[0].staff_id if people and people[0].role == "owner" else None


def assign(db: Database, *, actor: str, customer_id: uuid.UUID, staff_id: uuid.UUID, role: str = "assist",
           user: Principal | None) -> uuid.UUID:
    """Add a staff member to the customer's contact staff; refused for the owner, a leaver or twice."""
    if role not in CONTACT_ROLE:
        raise ValidationFailed({"role": "请选择联系角色:主联系人或协助联系人"})

    def work(s: Session) -> uuid.UUID:
        c = _edit_check(s, user, customer_id, "分配联系人员")
        person = s.get(Staff, staff_id)
        if person is None:
            raise ValidationFailed({"staff": "请选择一位员工"})
        if not person.active:
            raise ValidationFailed({"staff": f"{person.name} 已离职,不能作为联系人员,请另选一位员工"})
        if c.owner_id == staff_id:
            raise ValidationFailed({"staff": f"{person.name} 是该客户的负责人,已计为一名联系人员,请另选一位员工"})
        if s.scalar(select(CustomerContact.id).where(CustomerContact.customer_id == customer_id,
                                                     CustomerContact.staff_id == staff_id)):
            raise ValidationFailed({"staff": f"{person.name} 已是该客户的联系人员"})
        cc = CustomerContact(id=uuid.uuid4(), customer_id=customer_id, staff_id=staff_id, role=role,
                             assigned_by=actor)
        s.add(cc)
        audit.record(s, actor=actor, action="create", entity="customer_contact", entity_id=cc.id,
                     customer_id=customer_id, note=f"{person.name}({CONTACT_ROLE.label(role)})")
        return cc.id

    try:
        return db.transact(work)
    except IntegrityError as exc:  # another desk assigned the same person a moment earlier: one row stands
        raise ValidationFailed({"staff": "该员工刚被他人分配为该客户的联系人员,请刷新"}) from exc


def unassign(db: Database, *, actor: str, contact_id: uuid.UUID, user: Principal | None) -> None:
    """Take a staff member off the customer's contact staff (the owner is changed on the card instead)."""

    def work(s: Session) -> None:
        cc = s.get(CustomerContact, contact_id)
        if cc is None:
            raise NotFound("该联系人员已被移除,请刷新")
        _edit_check(s, user, cc.customer_id, "移除联系人员")
        name = s.scalar(select(Staff.name).where(Staff.id == cc.staff_id)) or ""
        audit.record(s, actor=actor, action="delete", entity="customer_contact", entity_id=cc.id,
                     customer_id=cc.customer_id, diffs=[("", f"{name}({CONTACT_ROLE.label(cc.role)})", "")])
        s.delete(cc)

    db.transact(work)


def set_important(db: Database, *, actor: str, customer_id: uuid.UUID, important: bool,
                  user: Principal | None) -> None:
    """Mark or unmark 重要客户 by hand. The card's version is left alone: the flag is not on the card form,
    so a form being edited at the same time must not be refused as stale because of it."""

    def work(s: Session) -> None:
        c = _edit_check(s, user, customer_id, "标记重要客户")
        if c.important == important:
            return
        audit.record(s, actor=actor, action="update", entity="customer", entity_id=c.id, customer_id=c.id,
                     diffs=[("important", audit.as_text(c.important), audit.as_text(important))])
        c.important = important

    db.transact(work)


def move_on_merge(s: Session, *, keep_id: uuid.UUID, merge_id: uuid.UUID) -> None:
    """Merging cards (合并): the contact staff and the flag go with the archive, nobody twice."""
    keep, gone = s.get(Customer, keep_id), s.get(Customer, merge_id)
    already = set(s.scalars(select(CustomerContact.staff_id).where(CustomerContact.customer_id == keep_id)))
    for cc in s.scalars(select(CustomerContact).where(CustomerContact.customer_id == merge_id)).all():
        if cc.staff_id in already or cc.staff_id == keep.owner_id:
            s.delete(cc)
        else:
            cc.customer_id = keep_id
    if gone.important and not keep.important:
        keep.important = True


def move_on_hand_over(s: Session, *, actor: str, leaver: Staff, successor: Staff) -> int:
    """Hand-over (员工调离移交): the leaver's places as contact staff pass to the successor.

    Where the successor already owns the customer or is already assigned, the leaver's row is simply
    removed (nobody counts twice). Each change is on the card's history; returns how many moved."""
    moved = 0
    for cc in s.scalars(select(CustomerContact).where(CustomerContact.staff_id == leaver.id)).all():
        owner, already = s.execute(
            select(Customer.owner_id, select(func.count()).select_from(CustomerContact)
                   .where(CustomerContact.customer_id == cc.customer_id,
                          CustomerContact.staff_id == successor.id).scalar_subquery())
            .where(Customer.id == cc.customer_id)).one()
        role = CONTACT_ROLE.label(cc.role)
        if owner == successor.id or already:
            audit.record(s, actor=actor, action="handover", entity="customer_contact", entity_id=cc.id,
                         customer_id=cc.customer_id, diffs=[("", f"{leaver.name}({role})", "")])
            s.delete(cc)
        else:
            audit.record(s, actor=actor, action="handover", entity="customer_contact", entity_id=cc.id,
                         customer_id=cc.customer_id,
                         diffs=[("", f"{leaver.name}({role})", f"{successor.name}({role})")])
            cc.staff_id, cc.assigned_by = successor.id, actor
            moved += 1
    return moved


# --- the same rule in SQL, for the customer list filter and the short list --------------------------------
def counted_sql():
    """SQL: the owner if still employed, plus active assigned staff other than the owner."""
    owner = (select(func.count()).select_from(Staff)
             .where(Staff.id == Customer.owner_id, Staff.active.is_(True))
             .correlate(Customer).scalar_subquery())
    others = (select(func.count()).select_from(CustomerContact)
              .join(Staff, Staff.id == CustomerContact.staff_id)
              .where(CustomerContact.customer_id == Customer.id, Staff.active.is_(True),
                     or_(Customer.owner_id.is_(None), CustomerContact.staff_id != Customer.owner_id))
              .correlate(Customer).scalar_subquery())
    return owner + others


def important_condition(rules: dict):
    """SQL mirror of domain.contacts.importance_reasons (non-empty)."""
    conds = [Customer.important.is_(True)]
    if rules["important.grade_a"]:
        conds.append(func.upper(Customer.grade) == "A")
    if rules["important.large_size"]:
        conds.append(Customer.size == "large")
    return and_(Customer.status != "lost", or_(*conds))


def short_condition(rules: dict):
    return and_(important_condition(rules), counted_sql() < rules["important.min_contacts"])


def short_list(db: Database, *, user: Principal | None, limit: int = 5000) -> list[ShortCustomer]:
    """Important customers with fewer contact staff than the minimum, by code; only those the user may list."""
    counted = counted_sql().label("counted")
    with db.read() as s:
        rules = settings.get_all(db, session=s)
        q = (select(Customer.id, Customer.code, Customer.name, func.coalesce(Staff.name, ""), counted)
             .outerjoin(Staff, Staff.id == Customer.owner_id)
             .where(Customer.merged_into_id.is_(None), short_condition(rules))
             .order_by(Customer.code).limit(limit))
        if user is not None:
            user.require("customer.list", "查看客户列表")
            q = q.where(access.readable(user))
        minimum = rules["important.min_contacts"]
        return [ShortCustomer(cid, code, name, owner, n, contacts_short(True, n, minimum))
                for cid, code, name, owner, n in s.execute(q)]
