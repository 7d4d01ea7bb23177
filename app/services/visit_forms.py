"""The printable visit forms (客户联络计划表 / 客户联系预定表 / 客户拜访记录表) for the days the calendar shows:
rows in the regulation's columns (reports.visit_forms renders them). Plans and records come through the calendar's
own queries and rules (visits.list_plans: readable archives only, 保密客户 otherwise, with no address)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.domain.visit_rules import CONTACT_WAY
from app.services import access, visits
from app.services.users import Principal
from app.services.visits import HIDDEN_NAME, readable_ids
from models import Customer, KeyPerson, Staff, VisitRecord

STATUS = {"planned": "计划", "done": "已拜访", "cancelled": "已取消"}


@dataclass(frozen=True)
class PlanLine:  # 客户联络计划表
    no: int
    customer: str
    address: str
    contact_way: str
    staff: str
    when: str
    purpose: str
    place: str


@dataclass(frozen=True)
class ScheduleLine:  # 客户联系预定表
    no: int
    day: str
    customer: str
    time: str
    staff: str
    department: str
    note: str


@dataclass(frozen=True)
class RecordLine:  # 客户拜访记录表
    no: int
    day: str
    customer: str
    address: str
    person: str
    notes: str
    growth: str
    credit: str
    margin: str


def _addresses(db: Database, user: Principal | None, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    with db.read() as s:
        ok = readable_ids(s, user, ids)
        out: dict[uuid.UUID, str] = {}
        ordered = sorted(ok)
        for i in range(0, len(ordered), 500):
            out.update(s.execute(select(Customer.id, Customer.address).where(Customer.id.in_(ordered[i:i + 500]))).all())
        return out


def plan_lines(db: Database, *, user: Principal | None, start: date, end: date, staff_id=None,
               department_id=None) -> list[PlanLine]:
    plans = [p for p in visits.list_plans(db, user=user, start=start, end=end, staff_id=staff_id,
                                          department_id=department_id) if p.status != "cancelled"]
    address = _addresses(db, user, {p.customer_id for p in plans})
    return [PlanLine(n, p.customer_name, address.get(p.customer_id, ""), CONTACT_WAY.label(p.contact_way),
                     p.staff_name, f"{p.starts_at:%Y-%m-%d %H:%M}–{p.ends_at:%H:%M}", p.purpose, p.place)
            for n, p in enumerate(plans, start=1)]


def schedule_lines(db: Database, *, user: Principal | None, start: date, end: date, staff_id=None,
                   department_id=None) -> list[ScheduleLine]:
    plans = visits.list_plans(db, user=user, start=start, end=end, staff_id=staff_id, department_id=department_id,
                              include_cancelled=True)
    return [ScheduleLine(n, f"{p.starts_at:%Y-%m-%d}", p.customer_name, f"{p.starts_at:%H:%M}–{p.ends_at:%H:%M}",
                         p.staff_name, p.department, "、".join(x for x in (STATUS.get(p.status, p.status),
                                                                            CONTACT_WAY.label(p.contact_way),
                                                                            p.purpose) if x))
            for n, p in enumerate(plans, start=1)]


def _pct(value) -> str:
    return "" if value is None else f"{value:.2f}%"


def record_lines(db: Database, *, user: Principal | None, start: date, end: date,
                 staff_id: uuid.UUID | None = None) -> list[RecordLine]:
    """The visit reports filed for visits on those days (拜访报告), oldest first."""
    if user is not None:
        user.require("visits.view", "查看拜访记录")
    q = (select(VisitRecord, Customer.name, Customer.address, KeyPerson.name, Staff.name)
         .join(Customer, Customer.id == VisitRecord.customer_id)
         .outerjoin(KeyPerson, KeyPerson.id == VisitRecord.key_person_id)
         .outerjoin(Staff, Staff.id == VisitRecord.staff_id)
         .where(VisitRecord.visited_on >= start, VisitRecord.visited_on <= end)
         .order_by(VisitRecord.visited_on, Customer.code))
    if staff_id is not None:
        q = q.where(VisitRecord.staff_id == staff_id)
    if user is not None:
        q = q.where(access.readable(user))  # a report names the customer and what was said: readable ones only
    out = []
    with db.read() as s:  # the records are read inside their session
        for n, (r, name, address, person, _staff) in enumerate(s.execute(q).all(), start=1):
            notes = ";".join(x for x in (r.notes, r.needs and f"需求:{r.needs}",
                                         r.competitors and f"竞争:{r.competitors}") if x)
            out.append(RecordLine(n, f"{r.visited_on:%Y-%m-%d}", name or HIDDEN_NAME, r.address or address,
                                  person or r.person_met, notes, _pct(r.growth_rate), r.credit_changes,
                                  _pct(r.profit_margin)))
    return out


LINES = {"plan": plan_lines, "schedule": schedule_lines, "record": record_lines}


def export(db: Database, *, user: Principal | None, kind: str, fmt: str, path: Path, start: date, end: date,
           staff_id=None, department_id=None, printed_by: str = "", company: str = "客台 KeDesk") -> int:
    """Write one form for the days start…end as .xlsx or .pdf; returns how many rows it has."""
    from reports import visit_forms

    kw = {"staff_id": staff_id} if kind == "record" else {"staff_id": staff_id, "department_id": department_id}
    rows = LINES[kind](db, user=user, start=start, end=end, **kw)
    scope = f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
    if fmt == "xlsx":
        visit_forms.form_xlsx(kind, path, rows, scope=scope)
    else:
        path.write_bytes(visit_forms.form_pdf(kind, rows, scope=scope, company=company,
                                              printed_by=printed_by or (user.display_name if user else ""),
                                              printed_at=datetime.now()))
    return len(rows)
