"""Departments and staff, and the hand-over of a leaving rep's customers (员工调离不得带走客户资料)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, update

from app.db import Database
from app.errors import NotFound, ValidationFailed
from app.services import audit, customer_contacts
from app.services.users import Principal
from models import AppUser, Customer, Department, FollowUp, Staff, VisitPlan


@dataclass(frozen=True)
class StaffInfo:
    id: uuid.UUID
    name: str
    department_id: uuid.UUID | None
    department: str
    position: str
    active: bool


def add_department(db: Database, *, name: str) -> uuid.UUID:
    def work(s):
        existing = s.scalar(select(Department.id).where(Department.name == name))
        if existing:
            return existing
        dept = Department(id=uuid.uuid4(), name=name)
        s.add(dept)
        return dept.id

    return db.transact(work)


def add_staff(db: Database, *, name: str, department_id: uuid.UUID | None = None, position: str = "") -> uuid.UUID:
    if not name.strip():
        raise ValidationFailed({"name": "请填写员工姓名"})

    def work(s):
        person = Staff(id=uuid.uuid4(), name=name.strip(), department_id=department_id, position=position)
        s.add(person)
        return person.id

    return db.transact(work)


def _move_visits(s, *, actor: str, leaver: Staff, successor: Staff) -> None:
    """Plans not yet made (planned, whether due or overdue) and open follow-ups go to the successor."""
    plans = list(s.execute(select(VisitPlan.id, VisitPlan.customer_id).where(
        VisitPlan.staff_id == leaver.id, VisitPlan.status == "planned")))
    if plans:
        s.execute(update(VisitPlan).where(VisitPlan.id.in_([p.id for p in plans]))
                  .values(staff_id=successor.id, department_id=successor.department_id,
                          version=VisitPlan.version + 1))
    follow_ups = list(s.execute(select(FollowUp.id, FollowUp.customer_id).where(
        FollowUp.owner_id == leaver.id, FollowUp.done_at.is_(None))))
    if follow_ups:
        s.execute(update(FollowUp).where(FollowUp.id.in_([f.id for f in follow_ups]))
                  .values(owner_id=successor.id, version=FollowUp.version + 1))
    for kind, rows in (("visit_plan", plans), ("follow_up", follow_ups)):
        for rid, cid in rows:
            audit.record(s, actor=actor, action="handover", entity=kind, entity_id=rid, customer_id=cid,
                         diffs=[("staff_id" if kind == "visit_plan" else "owner_id", leaver.name, successor.name)])


def _disable_logins(s, *, actor: str, leaver: Staff) -> None:
    from app.services import admin_guard  # local: admin_guard imports the user services

    for login in s.scalars(select(AppUser).where(AppUser.staff_id == leaver.id, AppUser.active.is_(True))):
        login.active = False
        admin_guard.ensure_admin_remains(s, "停用调离员工的登录账号")
        admin_guard.record(s, actor=actor, action="deactivate", entity="app_user", entity_id=login.id,
                           note=f"员工调离,停用用户 {login.username}")


def departments(db: Database) -> list[tuple[uuid.UUID, str]]:
    with db.read() as s:
        return list(s.execute(select(Department.id, Department.name).order_by(Department.name)))


def list_staff(db: Database, *, active_only: bool = False) -> list[StaffInfo]:
    q = select(Staff, Department.name).outerjoin(Department, Department.id == Staff.department_id)
    if active_only:
        q = q.where(Staff.active.is_(True))
    with db.read() as s:
        return [StaffInfo(p.id, p.name, p.department_id, d or "", p.position, p.active)
                for p, d in s.execute(q.order_by(Staff.name))]


def hand_over(db: Database, *, actor: str, leaver_id: uuid.UUID, successor_id: uuid.UUID,
              deactivate_leaver: bool = True, disable_login: bool = False, user: Principal | None = None) -> int:
    """Move every customer of the leaver, their places as contact staff, their visit plans still to be
    made and their open follow-ups to the successor in one transaction; returns how many customers
    changed owner. `disable_login`: the leaver's logins stop in the same step (员工调离不得带走客户资料).

    Needs customer.handover (员工调离移交); it moves whole archives, whatever their level."""
    if user is not None:
        user.require("customer.handover", "移交调离员工的客户")
    if leaver_id == successor_id:
        raise ValidationFailed({"successor": "接手人不能是调离人本人"})

    def work(s):
        leaver, successor = s.get(Staff, leaver_id), s.get(Staff, successor_id)
        if leaver is None or successor is None:
            raise NotFound("员工不存在")
        if not successor.active:
            raise ValidationFailed({"successor": f"{successor.name} 已离职,不能接手客户"})
        ids = list(s.scalars(select(Customer.id).where(Customer.owner_id == leaver_id)))
        if ids:
            s.execute(update(Customer).where(Customer.owner_id == leaver_id)
                      .values(owner_id=successor_id, department_id=successor.department_id,
                              version=Customer.version + 1))
            for cid in ids:
                audit.record(s, actor=actor, action="handover", entity="customer", entity_id=cid,
                             customer_id=cid, diffs=[("owner_id", leaver.name, successor.name)])
        # the leaver's places as an assisting contact go too, or important customers fall short
        customer_contacts.move_on_hand_over(s, actor=actor, leaver=leaver, successor=successor)
        _move_visits(s, actor=actor, leaver=leaver, successor=successor)
        if deactivate_leaver:
            leaver.active = False
        if disable_login:
            _disable_logins(s, actor=actor, leaver=leaver)
        return len(ids)

    return db.transact(work)
