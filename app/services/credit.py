"""信用额度 (DOMAIN.md §3.3): a customer's credit position, checking an order against it, and the approval
of credit over the limit — the 部长, then the 总经理 when far over (app/domain/credit_approval.py).

The limit comes from the last committed credit grading run (its stored limit; the limit of the grade
when the grade was adjusted by hand), else the card's 信用额度, else the C-grade default. The exposure
is the customer's unpaid receivables (回款记录 without a paid date); an order needs approval when the
exposure plus the order exceeds the limit. Every step is audited on the card in the same transaction.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import credit_approval as flow
from app.domain.grading import credit as rules
from app.errors import NotFound, UserError, ValidationFailed
from app.services import access, audit
from app.services.users import PermissionDenied, Principal
from models import AuditRecord, CreditRequest, Customer, GradingResult, GradingRun, PaymentRecord
from models.base import utcnow

ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True)
class Position:
    customer_id: uuid.UUID
    customer_name: str
    grade: str  # A–D, "" when the card's limit is used without a credit grade
    limit: Decimal
    source: str  # 信用评级 2026 / 客户档案 / C级默认额度
    exposure: Decimal  # unpaid receivables
    headroom: Decimal  # limit − exposure (negative: already over)


@dataclass(frozen=True)
class Check:
    amount: Decimal
    total: Decimal  # exposure + amount
    limit: Decimal
    approvers: tuple[str, ...]  # () within the limit; (部长,) or (部长, 总经理)

    @property
    def within(self) -> bool:
        return not self.approvers


@dataclass(frozen=True)
class RequestInfo:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_code: str
    customer_name: str
    amount: Decimal
    exposure: Decimal
    limit: Decimal
    grade: str
    approvers: tuple[str, ...]
    reason: str
    state: str
    state_label: str
    applicant: str
    applicant_key: str
    minister: str
    gm: str
    comment: str
    created_at: datetime
    expires_at: datetime


def _online(db: Database) -> None:
    if getattr(db, "offline", False):
        raise UserError("这是离线副本,不能办理信用额度审批;请连接公司数据库后再操作。")


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed({"amount": "请填写订单金额,例如 50000"}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationFailed({"amount": "订单金额须大于0"})
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed({"amount": "订单金额最多两位小数"})
    return amount.quantize(Decimal("0.01"))


def _limit_rules(values: dict) -> dict:
    return {k: int(values[f"credit.{k}"]) for k in ("b_start", "b_step", "b_cap", "c_limit")}


def _position(s: Session, c: Customer, values: dict) -> Position:
    row = s.execute(
        select(GradingResult, GradingRun.year).join(GradingRun, GradingRun.id == GradingResult.run_id)
        .where(GradingResult.customer_id == c.id, GradingRun.kind == "credit", GradingRun.status == "committed")
        .order_by(GradingRun.committed_at.desc()).limit(1)).first()
    if row is not None:
        r, year = row
        items = json.loads(r.items or "{}")
        if r.grade == r.computed_grade and "limit" in items:
            limit = Decimal(items["limit"])
        else:  # adjusted by hand: the limit of the grade it was given
            limit = rules.credit_limit(r.grade, period_sales=Decimal(r.sales), on_time=r.payments - r.late,
                                       **_limit_rules(values))
        grade, source = r.grade, f"{year}年信用评级"
    elif c.credit_limit is not None:
        grade, limit, source = "", Decimal(c.credit_limit), "客户档案"
    else:
        grade, limit, source = "C", Decimal(int(values["credit.c_limit"])), "未评级,按C级默认额度"
    exposure = s.scalar(select(func.coalesce(func.sum(PaymentRecord.amount), 0))
                        .where(PaymentRecord.customer_id == c.id, PaymentRecord.paid_on.is_(None)))
    exposure = Decimal(exposure or 0).quantize(ZERO)
    limit = limit.quantize(ZERO)
    return Position(c.id, c.name, grade, limit, source, exposure, limit - exposure)


def _customer(s: Session, user: Principal, customer_id: uuid.UUID) -> Customer:
    access.ensure_may(s, user, customer_id, action="open")
    c = s.get(Customer, customer_id)
    if c is None or c.merged_into_id is not None:
        raise NotFound("客户不存在或已被合并")
    return c


def credit_position(db: Database, *, user: Principal, customer_id: uuid.UUID) -> Position:
    user.require("credit.request", "查看信用额度")
    values = settings.get_all(db)
    with db.read() as s:
        return _position(s, _customer(s, user, customer_id), values)


def _check(pos: Position, amount: Decimal, values: dict) -> Check:
    total = pos.exposure + amount
    return Check(amount, total, pos.limit,
                 rules.approvers(pos.limit, total, minister_pct=int(values["credit.minister_pct"])))


def check_order(db: Database, *, user: Principal, customer_id: uuid.UUID, amount) -> Check:
    """Within the limit, or who must approve: the exposure plus this order against the limit."""
    user.require("credit.request", "查看信用额度")
    value = _amount(amount)
    values = settings.get_all(db)
    with db.read() as s:
        return _check(_position(s, _customer(s, user, customer_id), values), value, values)


def request_approval(db: Database, *, user: Principal, customer_id: uuid.UUID, amount, reason: str) -> uuid.UUID:
    """File a request for an order over the limit; the position is kept as it is now."""
    user.require("credit.request", "提交信用额度超限审批申请")
    _online(db)
    value = _amount(amount)
    errors = {}
    if not reason.strip():
        errors["reason"] = "请填写申请理由"
    elif len(reason.strip()) > 500:
        errors["reason"] = "申请理由最多500字"
    if errors:
        raise ValidationFailed(errors)
    values = settings.get_all(db)

    def work(s: Session) -> uuid.UUID:
        c = _customer(s, user, customer_id)
        pos = _position(s, c, values)
        check = _check(pos, value, values)
        if check.within:
            raise UserError(f"该订单在信用额度以内(剩余额度 {pos.headroom:,.2f} 元),无需审批")
        pending = s.scalar(select(func.count()).select_from(CreditRequest).where(
            CreditRequest.customer_id == customer_id, CreditRequest.applicant_key == user.username,
            CreditRequest.state.in_(flow.OPEN), CreditRequest.expires_at > utcnow()))
        if pending:
            raise UserError("您已为该客户提交过一份尚未审批完的超限申请,请等待审批结果")
        now = utcnow()
        req = CreditRequest(id=uuid.uuid4(), customer_id=c.id, amount=value, exposure=pos.exposure,
                            credit_limit=pos.limit, grade=pos.grade or "", needs_gm=len(check.approvers) > 1,
                            reason=reason.strip(), state="minister", applicant_key=user.username,
                            applicant_name=user.display_name, created_at=now,
                            expires_at=flow.expiry(now, int(values["credit.request_days"])))
        s.add(req)
        s.flush()
        audit.record(s, actor=user.display_name, action="create", entity="credit_request", entity_id=req.id,
                     customer_id=c.id, note=f"订单 {value:,.2f} 元,未收回款 {pos.exposure:,.2f} 元,"
                                            f"额度 {pos.limit:,.2f} 元,报{'、'.join(check.approvers)}审批:{req.reason}")
        return req.id

    return db.transact(work)


def decide(db: Database, *, user: Principal, request_id: uuid.UUID, approve: bool, comment: str = "") -> str:
    """The 部长 step, then the 总经理 step when needed; a refusal says why. Returns the new state label."""
    if not (user.can("credit.approve.minister") or user.can("credit.approve.gm")):
        user.require("credit.approve.minister", "审批信用额度超限申请")
    _online(db)
    if not approve and not comment.strip():
        raise ValidationFailed({"comment": "不批准时请写明原因"})

    def work(s: Session) -> tuple[str, bool]:
        req = s.get(CreditRequest, request_id, with_for_update=True)
        if req is None:
            raise NotFound("信用额度审批申请不存在")
        access.ensure_may(s, user, req.customer_id, action="open")
        now = utcnow()
        state = flow.Request(req.state, req.needs_gm, req.applicant_key, req.minister_key, req.expires_at)
        if flow.lapsed(state, now):
            req.state, req.version = "lapsed", req.version + 1
            audit.record(s, actor="系统", action="lapse", entity="credit_request", entity_id=req.id,
                         customer_id=req.customer_id, note="超过有效期未审批完,申请失效")
            return "lapsed", False
        try:
            new = flow.decide(state, actor_key=user.username, permissions=user.permissions, approve=approve, now=now)
        except flow.StepRefused as exc:
            raise PermissionDenied(str(exc)) from None
        step = req.state
        if step == "minister":
            req.minister_key, req.minister_name = user.username, user.display_name
        else:
            req.gm_key, req.gm_name = user.username, user.display_name
        who = "部长" if step == "minister" else "总经理"
        note = f"{who}{'批准' if approve else '不批准'}" + (f":{comment.strip()}" if comment.strip() else "")
        req.comment = f"{req.comment}\n{note}".strip()
        req.state, req.version = new, req.version + 1
        if new not in flow.OPEN:
            req.decided_at = now
        audit.record(s, actor=user.display_name, action="approve" if approve else "reject",
                     entity="credit_request", entity_id=req.id, customer_id=req.customer_id, note=note)
        return new, True

    new, done = db.transact(work)
    if not done:
        raise UserError("该申请已过期失效,请重新提交")
    return flow.STATES[new]


def _info(req: CreditRequest, c: Customer, now: datetime) -> RequestInfo:
    state = req.state
    if state in flow.OPEN and now >= req.expires_at:
        state = "lapsed"  # shown as it is; stored when someone next touches it
    approvers = (rules.MINISTER, rules.GM) if req.needs_gm else (rules.MINISTER,)
    return RequestInfo(req.id, c.id, c.code, c.name, Decimal(req.amount), Decimal(req.exposure),
                       Decimal(req.credit_limit), req.grade, approvers, req.reason, state, flow.STATES[state],
                       req.applicant_name, req.applicant_key, req.minister_name, req.gm_name, req.comment,
                       req.created_at, req.expires_at)


def list_requests(db: Database, *, user: Principal, scope: str = "todo",
                  customer_id: uuid.UUID | None = None) -> list[RequestInfo]:
    """todo: waiting for my step (not my own, not lapsed); mine: filed by me; all: every one I may read."""
    if not any(user.can(p) for p in ("credit.request", "credit.approve.minister", "credit.approve.gm")):
        user.require("credit.request", "查看信用额度审批申请")
    now = utcnow()
    q = select(CreditRequest, Customer).join(Customer, Customer.id == CreditRequest.customer_id)
    me = CreditRequest.applicant_key == user.username
    q = q.where(access.readable(user))  # one's own requests too: a customer no longer readable is not listed
    if scope == "mine":
        q = q.where(me)
    elif scope == "todo":
        waiting = []
        if user.can("credit.approve.minister"):
            waiting.append(CreditRequest.state == "minister")
        if user.can("credit.approve.gm"):
            waiting.append((CreditRequest.state == "gm") & (CreditRequest.minister_key != user.username))
        if not waiting:
            return []
        q = q.where(~me, or_(*waiting), CreditRequest.expires_at > now)
    if customer_id is not None:
        q = q.where(CreditRequest.customer_id == customer_id)
    with db.read() as s:
        rows = s.execute(q.order_by(CreditRequest.created_at.desc(), CreditRequest.id)).all()
        return [_info(r, c, now) for r, c in rows]


def _steps(s: Session, req: CreditRequest, approvers: tuple[str, ...], zone) -> tuple:
    """Each step of the request: who decided it and when, from the audit rows its decisions wrote."""
    from reports.credit_pdf import Step

    done = {}
    rows = s.execute(select(AuditRecord).where(AuditRecord.entity == "credit_request",
                                               AuditRecord.entity_id == req.id,
                                               AuditRecord.action.in_(("approve", "reject")))
                     .order_by(AuditRecord.at)).scalars()
    for r in rows:
        note = r.new_value or ""
        role = rules.GM if note.startswith(rules.GM) else rules.MINISTER
        head, _sep, comment = note.partition(":")
        done[role] = Step(role, "批准" if r.action == "approve" else "不批准", comment.strip(), r.actor,
                          r.at.astimezone(zone))
    return tuple(done.get(role) or Step(role, "", "", "", None) for role in approvers)


def request_pdf(db: Database, *, user: Principal, request_id: uuid.UUID, company: str = "") -> bytes:
    """信用额度超限审批单 as PDF: for whoever may list the request (list_requests' rule: a credit right and a
    customer whose archive they may read). The printing is logged in the read log like a card's; a reader
    who may not read the archive is refused (and the refusal logged) before any name or figure is read."""
    if not any(user.can(p) for p in ("credit.request", "credit.approve.minister", "credit.approve.gm")):
        user.require("credit.request", "打印信用额度超限审批单")
    with db.read() as s:
        customer_id = s.scalar(select(CreditRequest.customer_id).where(CreditRequest.id == request_id))
    if customer_id is None:
        raise NotFound("信用额度审批申请不存在")
    access.check_read(db, user, customer_id, action="print")
    from app.domain.vocab import CONFIDENTIALITY
    from app.services.card_print import DEFAULT_ISSUER
    from app.services.visits import calendar_zone
    from reports import credit_pdf

    values = settings.get_all(db)
    zone = calendar_zone(db)
    with db.read() as s:
        req = s.get(CreditRequest, request_id)
        c = s.get(Customer, req.customer_id)
        info = _info(req, c, utcnow())
        form = credit_pdf.CreditForm(
            number=f"XY-{info.created_at.astimezone(zone):%Y%m%d}-{str(req.id)[:8].upper()}",
            company=company or DEFAULT_ISSUER, customer_code=c.code, customer_name=c.name,
            confidentiality=CONFIDENTIALITY.label(c.confidentiality), grade=info.grade, limit=info.limit,
            exposure=info.exposure, amount=info.amount, reason=info.reason, applicant=info.applicant,
            filed_at=info.created_at.astimezone(zone), expires_at=info.expires_at.astimezone(zone),
            state=info.state_label, steps=_steps(s, req, info.approvers, zone),
            minister_pct=int(values["credit.minister_pct"]), request_days=int(values["credit.request_days"]),
            printed_by=user.display_name, printed_at=utcnow().astimezone(zone))
    return credit_pdf.credit_request_pdf(form)


@dataclass(frozen=True)
class Recheck:
    """财务定期复核 of the credit grades: the last committed credit run, when the next is due, overdue?"""

    last: datetime | None
    due: object  # date | None (None: never committed — due now)
    overdue: bool


def recheck(db: Database, *, user: Principal | None, today=None) -> Recheck:
    """When finance's periodic re-check of the credit grades (§3.3) is next due: `credit.recheck_months` after
    the last committed credit run."""
    from datetime import date

    if user is not None and not (user.can("credit.grade") or user.can("grading.view")):
        user.require("credit.grade", "查看信用等级复核")
    today = today or date.today()
    with db.read() as s:
        last = s.scalar(select(func.max(GradingRun.committed_at)).where(GradingRun.kind == "credit",
                                                                          GradingRun.status == "committed"))
    due = rules.recheck_due(last.date() if last else None, months=int(settings.get(db, "credit.recheck_months")))
    return Recheck(last, due, due is None or due <= today)
