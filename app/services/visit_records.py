"""Visit records (客户拜访记录表 / 拜访报告) and the promises made on them (跟进事项).

Filing a record, in one transaction: the plan (if any) becomes done, the record is written, the contact
lands in the customer's archive contact log (联络记录, archive.add_entry_in: never kept privately by the
rep), each promise becomes a follow-up task with its due date, and all of it is audited on the card.
Filing needs visits.edit, being the plan's rep (or visits.view.all) and the right to edit the customer.
Follow-ups are seen like plans: one's own, the department's, or all with visits.view.all.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.domain import visit_rules as R
from app.domain.validation import parse_date
from app.errors import NotFound, ValidationFailed
from app.services import access, archive, audit
from app.services.users import Principal
from app.services.visits import HIDDEN_NAME, _readable_flag, _require_edit, visible_plans
from models import Customer, KeyPerson, Staff, VisitPlan, VisitRecord
from models import FollowUp as FollowUpModel
from models.base import utcnow

TEXT_FIELDS = ("address", "person_met", "needs", "competitors", "credit_changes", "notes")


@dataclass(frozen=True)
class Promise:
    text: str
    due_on: date | str | None


@dataclass(frozen=True)
class FollowUpRow:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    owner_id: uuid.UUID | None
    owner_name: str
    text: str
    due_on: date
    done_at: datetime | None
    done_by: str
    overdue: bool


def _percent(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        errors[field] = "请填写数字,例如 12.5(%)"
        return None
    if not Decimal("-1000") < number < Decimal("1000"):
        errors[field] = "百分比应在 -1000 与 1000 之间"
        return None
    return number.quantize(Decimal("0.01"))


def _check(values: dict, promises: list[Promise]) -> tuple[dict, list[tuple[str, date]]]:
    errors: dict[str, str] = {}
    out = {k: (values.get(k) or "").strip() for k in TEXT_FIELDS}
    out["growth_rate"] = _percent(values.get("growth_rate"), "growth_rate", errors)
    out["profit_margin"] = _percent(values.get("profit_margin"), "profit_margin", errors)
    out["contact_way"] = values.get("contact_way") or "visit"
    if out["contact_way"] not in R.CONTACT_WAY:
        errors["contact_way"] = "请选择联络方式"
    try:
        out["visited_on"] = parse_date(values.get("visited_on"))
    except ValueError:
        out["visited_on"] = None
    if out["visited_on"] is None:
        errors["visited_on"] = "请填写拜访日期,例如 2026-11-25"
    elif out["visited_on"] > date.today():
        errors["visited_on"] = "拜访日期不能晚于今天"
    if not values.get("key_person_id") and not out["person_met"]:
        errors["person_met"] = "请填写会见的人(或选择关键人)"
    if not (out["notes"] or out["needs"]):
        errors["notes"] = "请填写拜访情况或客户需求"
    tasks = []
    for i, p in enumerate(promises):
        text = (p.text or "").strip()
        if not text and not p.due_on:
            continue
        try:
            due = parse_date(p.due_on)
        except ValueError:
            due = None
        if not text:
            errors[f"promise_{i}"] = "请填写承诺事项"
        elif due is None:
            errors[f"promise_{i}"] = f"请填写“{text[:20]}”的完成日期"
        else:
            tasks.append((text[:300], due))
    if errors:
        raise ValidationFailed(errors)
    return out, tasks


def file_record(db: Database, *, user: Principal | None, actor: str, values: dict,
                promises: list[Promise] = (), plan_id: uuid.UUID | None = None) -> uuid.UUID:
    """File a visit report (from a plan, or ad hoc with values["customer_id"] and ["staff_id"])."""
    clean, tasks = _check(values, list(promises))

    def work(s: Session) -> uuid.UUID:
        if plan_id is not None:
            plan = s.get(VisitPlan, plan_id, with_for_update=True)  # filed once
            if plan is None:
                raise NotFound("拜访计划不存在")
            if plan.status != "planned" or s.scalar(select(VisitRecord.id).where(VisitRecord.plan_id == plan_id)):
                raise ValidationFailed({"plan": f"该计划{R.PLAN_STATUS.label(plan.status)},不能再填写拜访记录"})
            customer_id, staff_id = plan.customer_id, plan.staff_id
        else:
            customer_id, staff_id = values.get("customer_id"), values.get("staff_id")
            if not customer_id:
                raise ValidationFailed({"customer_id": "请选择客户"})
        _require_edit(user, staff_id, "填写拜访记录")
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound("客户不存在")
        access.ensure_may(s, user, customer_id, action="edit")
        person = None
        if values.get("key_person_id"):
            person = s.get(KeyPerson, values["key_person_id"])
            if person is None or person.customer_id != customer_id:
                raise ValidationFailed({"person_met": "所选关键人不属于该客户"})
        met = person.name + (f"({person.position})" if person.position else "") if person else clean["person_met"]
        body = "\n".join(f"{label}:{clean[k]}" for k, label in (
            ("needs", "客户需求"), ("competitors", "竞争对手"), ("credit_changes", "信用变化"), ("notes", "情况"))
            if clean[k])
        figures = "、".join(f"{label} {clean[k]}%" for k, label in (("growth_rate", "增长率"),
                                                                  ("profit_margin", "利润率"))
                           if clean[k] is not None)
        promised = "\n".join(f"承诺:{t}({d.isoformat()} 前)" for t, d in tasks)
        entry_id = archive.add_entry_in(s, actor=actor, customer_id=customer_id, user=user, values={
            "section": "contact", "kind": clean["contact_way"], "entry_date": clean["visited_on"],
            "subject": f"{R.CONTACT_WAY.label(clean['contact_way'])}:会见{met}"[:200],
            "content": "\n".join(x for x in (body, figures, promised) if x)})
        record = VisitRecord(id=uuid.uuid4(), plan_id=plan_id, customer_id=customer_id, staff_id=staff_id,
                             key_person_id=person.id if person else None, archive_entry_id=entry_id,
                             recorded_by=actor, **(clean | {"person_met": met}))
        s.add(record)
        if plan_id is not None:
            plan.status = "done"
            plan.version += 1
            audit.record(s, actor=actor, action="done", entity="visit_plan", entity_id=plan.id,
                         customer_id=customer_id, note="已填写拜访记录")
        s.flush()
        audit.record(s, actor=actor, action="create", entity="visit_record", entity_id=record.id,
                     customer_id=customer_id, note=f"{clean['visited_on'].isoformat()} 会见{met}")
        for text, due in tasks:
            task = FollowUpModel(id=uuid.uuid4(), record_id=record.id, customer_id=customer_id, owner_id=staff_id,
                                 text=text, due_on=due)
            s.add(task)
            s.flush()
            audit.record(s, actor=actor, action="create", entity="follow_up", entity_id=task.id,
                         customer_id=customer_id, note=f"{text}({due.isoformat()} 前)")
        return record.id

    return db.transact(work)


def follow_ups(db: Database, *, user: Principal | None, owner_id: uuid.UUID | None = None,
               open_only: bool = True, today: date | None = None) -> list[FollowUpRow]:
    """Follow-up tasks by due date (open ones; all with open_only=False); overdue = open and past due."""
    if user is not None:
        user.require("visits.view", "查看跟进事项")
    today = today or date.today()
    q = (select(FollowUpModel, Customer.name, Staff.name.label("owner_name"), _readable_flag(user).label("ok"))
         .join(Customer, Customer.id == FollowUpModel.customer_id)
         .outerjoin(Staff, Staff.id == FollowUpModel.owner_id)
         .where(visible_plans(user, FollowUpModel.owner_id, Staff.department_id)))
    if owner_id:
        q = q.where(FollowUpModel.owner_id == owner_id)
    if open_only:
        q = q.where(FollowUpModel.done_at.is_(None))
    with db.read() as s:
        return [FollowUpRow(f.id, f.customer_id, name if ok else HIDDEN_NAME, f.owner_id, owner or "",
                            f.text if ok else "", f.due_on, f.done_at, f.done_by,
                            f.done_at is None and f.due_on < today)
                for f, name, owner, ok in s.execute(q.order_by(FollowUpModel.due_on, FollowUpModel.created_at))]


def complete_follow_up(db: Database, *, user: Principal | None, actor: str, follow_up_id: uuid.UUID) -> None:
    """Mark a promise fulfilled (who and when); done once."""

    def work(s: Session) -> None:
        task = s.get(FollowUpModel, follow_up_id, with_for_update=True)
        if task is None:
            raise NotFound("跟进事项不存在")
        _require_edit(user, task.owner_id, "完成跟进事项")
        access.ensure_may(s, user, task.customer_id, action="open")
        if task.done_at is not None:
            raise ValidationFailed({"done": f"该事项已由{task.done_by}完成"})
        task.done_at, task.done_by = utcnow(), actor
        task.version += 1
        audit.record(s, actor=actor, action="done", entity="follow_up", entity_id=task.id,
                     customer_id=task.customer_id, note=task.text)

    db.transact(work)


def key_person_choices(db: Database, *, user: Principal | None, customer_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The customer's key persons for the 会见人 box of the report dialog."""
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        return [(i, n + (f"({p})" if p else "")) for i, n, p in s.execute(
            select(KeyPerson.id, KeyPerson.name, KeyPerson.position).where(KeyPerson.customer_id == customer_id)
            .order_by(KeyPerson.name))]
