"""Customer advancement (客户进阶): file an application, review, approve, notify — and record a loss (流失).

The workflow rules are app/domain/advancement.py; this module stores each step as an AdvancementEvent
(the application's full history) and an audit row on the customer, in the same transaction. On approval
the customer's status or grade changes, audited like any card edit; a step that no longer matches the
customer (someone changed it meanwhile, or the customer was lost) is refused.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import advancement as rules
from app.domain.vocab import STATUS
from app.errors import NotFound, UserError, ValidationFailed
from app.services import access, audit
from app.services.users import PermissionDenied, Principal
from models import AdvancementApplication, AdvancementEvent, Customer
from models.base import utcnow


@dataclass(frozen=True)
class EventInfo:
    at: datetime
    actor: str
    action: str  # Chinese label
    state: str  # Chinese label of the state it led to
    comment: str


@dataclass(frozen=True)
class ApplicationInfo:
    id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_code: str
    customer_name: str
    step: str
    step_label: str
    reasons: str
    criteria_met: list[str]
    state: str
    state_label: str
    applicant: str
    applicant_key: str
    reviewer: str
    approver: str
    notified_on: date | None
    created_at: datetime
    events: list[EventInfo] = field(default_factory=list)


def value_label(value: str) -> str:
    return f"{value}级客户" if value in ("A", "B", "C", "D", "E") else STATUS.label(value)


def criteria_for(db: Database, *, step: str, user: Principal) -> list[str]:
    """The criteria of a step as the settings say now (the application dialog's tick boxes)."""
    return rules.criteria(step, settings.get_all(db))


def steps_for(db: Database, *, customer_id: uuid.UUID, user: Principal) -> list[rules.Step]:
    """The steps this customer may be put up for now."""
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFound("客户不存在")
        return rules.steps_for(status=c.status, grade=c.grade)


def _actor(user: Principal) -> rules.Actor:
    return rules.Actor(user.username, user.permissions)


def _event(s: Session, app: AdvancementApplication, user: Principal, action: str, before: str,
           comment: str) -> None:
    s.add(AdvancementEvent(id=uuid.uuid4(), application_id=app.id, at=utcnow(), actor_key=user.username,
                           actor_name=user.display_name, action=action, from_state=before, to_state=app.state,
                           comment=comment.strip()))
    note = f"{app.number} {rules.ACTIONS[action]}" + (f":{comment.strip()}" if comment.strip() else "")
    audit.record(s, actor=user.display_name, action="advance", entity="advancement", entity_id=app.id,
                 customer_id=app.customer_id, note=note)


def _check(step: str, reasons: str, criteria_met: list[str], all_rules: dict) -> list[str]:
    wanted = rules.criteria(step, all_rules) if step in rules.STEPS else []
    errors = rules.check_application(step=step, reasons=reasons, criteria_met=criteria_met, all_criteria=wanted,
                                     require_all=bool(all_rules["advance.require_all_criteria"]))
    if errors:
        raise ValidationFailed(errors)
    return [c for c in wanted if c in criteria_met]  # in the regulation's order, once each


def file_application(db: Database, *, user: Principal, customer_id: uuid.UUID, step: str, reasons: str,
                     criteria_met: list[str], today: date | None = None) -> uuid.UUID:
    """The rep's 进阶申请表: goes to the sales supervisor for review."""
    user.require("grading.advance.apply", "提交客户进阶申请")
    all_rules = settings.get_all(db)
    met = _check(step, reasons, criteria_met, all_rules)
    spec = rules.STEPS[step]
    year = (today or date.today()).year

    def work(s: Session) -> uuid.UUID:
        access.ensure_may(s, user, customer_id, action="open")
        c = s.get(Customer, customer_id)
        if c is None or c.merged_into_id is not None:
            raise NotFound("客户不存在或已被合并")
        if rules.current_value(spec, status=c.status, grade=c.grade) != spec.from_value:
            raise UserError(f"“{c.name}”目前不是{value_label(spec.from_value)},不能申请“{spec.label}”")
        pending = s.scalar(select(AdvancementApplication.number).where(
            AdvancementApplication.customer_id == customer_id, AdvancementApplication.step == step,
            AdvancementApplication.state.in_(rules.OPEN_STATES)))
        if pending:
            raise UserError(f"该客户已有一份未办结的同类进阶申请({pending}),请在原申请上补充")
        prefix = f"JJ{year}-"
        last = s.scalar(select(func.max(AdvancementApplication.number))
                        .where(AdvancementApplication.number.like(f"{prefix}%")))
        n = int(last.removeprefix(prefix)) + 1 if last else 1
        app = AdvancementApplication(
            id=uuid.uuid4(), number=f"{prefix}{n:04d}", customer_id=customer_id, step=step,
            from_value=spec.from_value, to_value=spec.to_value, reasons=reasons.strip(),
            criteria_met=json.dumps(met, ensure_ascii=False), state="submitted", applicant_id=user.user_id,
            applicant_key=user.username, applicant_name=user.display_name)
        s.add(app)
        s.flush()
        _event(s, app, user, "submit", "", reasons)
        return app.id

    for attempt in range(3):  # two desks numbering at the same moment: the second takes the next number
        try:
            return db.transact(work)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _act(db: Database, user: Principal, application_id: uuid.UUID, action: str, comment: str,
         then=None) -> None:
    def work(s: Session) -> None:
        app = s.get(AdvancementApplication, application_id, with_for_update=True)
        if app is None:
            raise NotFound("进阶申请不存在")
        access.ensure_may(s, user, app.customer_id, action="open")
        try:
            new = rules.next_state(app.state, action, actor=_actor(user), applicant=app.applicant_key,
                                   reviewer=app.reviewer_key)
        except rules.StepRefused as exc:
            raise PermissionDenied(str(exc)) from None
        before = app.state
        if then is not None:
            then(s, app)
        app.state = new
        app.version += 1
        _event(s, app, user, action, before, comment)

    db.transact(work)


def review(db: Database, *, user: Principal, application_id: uuid.UUID, agree: bool, comment: str = "") -> None:
    """The sales supervisor agrees (to the manager) or returns it to the rep (a comment says why)."""
    user.require("grading.advance.review", "审核客户进阶申请")
    if not agree and not comment.strip():
        raise ValidationFailed({"comment": "退回时请写明原因"})

    def then(s, app):
        if agree:
            app.reviewer_key, app.reviewer_name = user.username, user.display_name

    _act(db, user, application_id, "agree" if agree else "return", comment, then)


def decide(db: Database, *, user: Principal, application_id: uuid.UUID, approve: bool, comment: str = "") -> None:
    """The sales manager approves (the customer advances now) or asks for more (back to the rep)."""
    user.require("grading.advance.approve", "审批客户进阶申请")
    if not approve and not comment.strip():
        raise ValidationFailed({"comment": "要求补充时请写明需要补充的内容"})

    def then(s: Session, app: AdvancementApplication) -> None:
        if not approve:
            return
        spec = rules.STEPS[app.step]
        c = s.get(Customer, app.customer_id, with_for_update=True)
        if rules.current_value(spec, status=c.status, grade=c.grade) != spec.from_value:
            raise UserError(f"“{c.name}”目前已不是{value_label(spec.from_value)},本申请不能批准;请退回申请人")
        old = getattr(c, spec.field)
        setattr(c, spec.field, spec.to_value)
        c.version += 1
        audit.record(s, actor=user.display_name, action="advance", entity="customer", entity_id=c.id,
                     customer_id=c.id, diffs=[(spec.field, old, spec.to_value)])
        app.approver_name = user.display_name

    _act(db, user, application_id, "approve" if approve else "send_back", comment, then)


def resubmit(db: Database, *, user: Principal, application_id: uuid.UUID, reasons: str,
             criteria_met: list[str], comment: str = "") -> None:
    """The rep adds what was asked for and sends it to the supervisor again."""
    user.require("grading.advance.apply", "提交客户进阶申请")
    all_rules = settings.get_all(db)
    with db.read() as s:
        app = s.get(AdvancementApplication, application_id)
        if app is None:
            raise NotFound("进阶申请不存在")
        step = app.step
    met = _check(step, reasons, criteria_met, all_rules)

    def then(s, app):
        app.reasons, app.criteria_met = reasons.strip(), json.dumps(met, ensure_ascii=False)
        app.reviewer_key = app.reviewer_name = ""

    _act(db, user, application_id, "resubmit", comment, then)


def record_notified(db: Database, *, user: Principal, application_id: uuid.UUID, on: date | None = None,
                    comment: str = "") -> None:
    """进阶通知: the customer has been told (how, in the comment)."""
    day = on or date.today()

    def then(s, app):
        app.notified_on = day

    _act(db, user, application_id, "notify", comment or f"{day.isoformat()} 已通知客户", then)


def withdraw(db: Database, *, user: Principal, application_id: uuid.UUID, comment: str = "") -> None:
    _act(db, user, application_id, "withdraw", comment)


def _info(s: Session, app: AdvancementApplication, c: Customer, with_events: bool) -> ApplicationInfo:
    events = []
    if with_events:
        rows = s.scalars(select(AdvancementEvent).where(AdvancementEvent.application_id == app.id)
                         .order_by(AdvancementEvent.at, AdvancementEvent.id)).all()
        events = [EventInfo(e.at, e.actor_name, rules.ACTIONS.get(e.action, e.action),
                            rules.STATES.get(e.to_state, e.to_state), e.comment) for e in rows]
    return ApplicationInfo(app.id, app.number, c.id, c.code, c.name, app.step, rules.STEPS[app.step].label,
                           app.reasons, json.loads(app.criteria_met or "[]"), app.state,
                           rules.STATES.get(app.state, app.state), app.applicant_name, app.applicant_key,
                           app.reviewer_name, app.approver_name, app.notified_on, app.created_at, events)


def get_application(db: Database, *, user: Principal, application_id: uuid.UUID) -> ApplicationInfo:
    """One application with its full history (for the dialog and the printed form)."""
    with db.read() as s:
        app = s.get(AdvancementApplication, application_id)
        if app is None:
            raise NotFound("进阶申请不存在")
        if app.applicant_key != user.username:
            access.ensure_may(s, user, app.customer_id, action="open")
        return _info(s, app, s.get(Customer, app.customer_id), True)


def list_applications(db: Database, *, user: Principal, scope: str = "mine",
                      customer_id: uuid.UUID | None = None) -> list[ApplicationInfo]:
    """mine: filed by me; todo: waiting for my review or approval; all: every one I may read. Newest first."""
    q = select(AdvancementApplication, Customer).join(Customer, Customer.id == AdvancementApplication.customer_id)
    me = AdvancementApplication.applicant_key == user.username
    if scope == "mine":
        q = q.where(me)
    else:
        q = q.where(access.readable(user))
        if scope == "todo":
            waiting = []
            if user.can("grading.advance.review"):
                waiting.append(AdvancementApplication.state == "submitted")
            if user.can("grading.advance.approve"):
                waiting.append(and_(AdvancementApplication.state == "reviewed",
                                    AdvancementApplication.reviewer_key != user.username))
            q = q.where(~me, or_(*waiting)) if waiting else q.where(false())
    if customer_id is not None:
        q = q.where(AdvancementApplication.customer_id == customer_id)
    with db.read() as s:
        rows = s.execute(q.order_by(AdvancementApplication.created_at.desc(), AdvancementApplication.number.desc()))
        return [_info(s, a, c, False) for a, c in rows.all()]


def mark_lost(db: Database, *, user: Principal, customer_id: uuid.UUID, reason: str) -> None:
    """流失客户: the status becomes lost with the reason (customer.lost_reason), audited; open
    applications of the customer are withdrawn with a note."""
    if not reason.strip():
        raise ValidationFailed({"lost_reason": "请填写流失原因"})
    if len(reason.strip()) > 200:
        raise ValidationFailed({"lost_reason": "流失原因最多200字"})
    access.check_read(db, user, customer_id, action="edit")

    def work(s: Session) -> None:
        c = s.get(Customer, customer_id, with_for_update=True)
        if c is None or c.merged_into_id is not None:
            raise NotFound("客户不存在或已被合并")
        if c.status == "lost":
            raise UserError(f"“{c.name}”已是流失客户")
        diffs = [("status", c.status, "lost"), ("lost_reason", c.lost_reason, reason.strip())]
        c.status, c.lost_reason = "lost", reason.strip()
        c.version += 1
        audit.record(s, actor=user.display_name, action="lost", entity="customer", entity_id=c.id,
                     customer_id=c.id, diffs=diffs)
        for app in s.scalars(select(AdvancementApplication).where(
                AdvancementApplication.customer_id == customer_id,
                AdvancementApplication.state.in_(rules.OPEN_STATES))):
            before, app.state = app.state, "withdrawn"
            _event(s, app, user, "withdraw", before, "客户已流失,申请自动撤回")

    db.transact(work)
