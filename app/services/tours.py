"""Customer tours (客户参观): application within the notice period, GM review, chairman approval for key-customer
and group tours, then a permit number (许可编号, sequential per year, never reused), the printed permit and the
visitor badges (客户参观胸卡). No photos unless the final approver allows them (printed on the badge).

Times are stored in UTC; the permit year and everything printed are in the business's zone (setting
visits.timezone), not the desk computer's.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app import settings
from app.db import Database
from app.domain import tours as rules
from app.errors import NotFound, UserError, ValidationFailed
from app.services import audit, reception_counter, workdays
from app.services.users import Principal
from app.services.visits import calendar_zone
from models import Customer, Tour
from models.base import utcnow


@dataclass(frozen=True)
class TourRow:
    id: uuid.UUID
    version: int
    kind: str
    customer_id: uuid.UUID | None
    visitor_unit: str
    visitors: tuple[str, ...]
    headcount: int
    visit_at: datetime
    purpose: str
    route: str
    host: str
    by_phone: bool
    photos_requested: bool
    photos_allowed: bool
    status: str
    applied_by: str
    applied_at: datetime
    reviewed_by: str
    approved_by: str
    decision_note: str
    permit_no: str | None
    next_step: str | None  # 'gm' / 'chairman' / None

    @property
    def kind_label(self) -> str:
        return rules.KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return rules.STATUS.get(self.status, self.status)


def _row(t: Tour) -> TourRow:
    names = tuple(n.strip() for n in t.visitors.splitlines() if n.strip())
    return TourRow(t.id, t.version, t.kind, t.customer_id, t.visitor_unit, names, t.headcount, t.visit_at, t.purpose,
                   t.route, t.host, t.by_phone, t.photos_requested, t.photos_allowed, t.status, t.applied_by,
                   t.applied_at, t.reviewed_by, t.approved_by, t.decision_note, t.permit_no,
                   rules.next_step(t.kind, t.status))


def _notice_problem(db: Database, kind: str, now: datetime, visit_at: datetime) -> str | None:
    """The notice period counted in working days (app.services.workdays) in the business's zone."""
    values = settings.get_all(db)
    zone = ZoneInfo(values["visits.timezone"])
    return rules.check_notice(values, kind=kind, applied_at=now, visit_at=visit_at, zone=zone,
                              calendar=workdays.calendar(values, visit_at.astimezone(zone).date()))


def apply(db: Database, *, user: Principal, values: dict, now: datetime | None = None) -> uuid.UUID:
    """客户参观申请书. Refused (on the visit time field) when it comes later than the kind's notice period."""
    user.require("reception.request", "申请客户参观")
    now = now or utcnow()
    errors: dict[str, str] = {}
    kind = values.get("kind") or ""
    unit = str(values.get("visitor_unit") or "").strip()
    visitors = "\n".join(n.strip() for n in str(values.get("visitors") or "").replace(",", "\n")
                         .replace("、", "\n").splitlines() if n.strip())
    if kind not in rules.KINDS:
        errors["kind"] = "请选择参观类型"
    if not unit:
        errors["visitor_unit"] = "请填写参观客户单位"
    count = len(visitors.splitlines()) if visitors else 0
    try:
        headcount = int(str(values.get("headcount") or count).strip())
    except ValueError:
        headcount = 0
    if headcount < 1:
        errors["headcount"] = "请填写参观人数(至少 1 人)"
    elif count > headcount:
        errors["headcount"] = f"参观人员名单有 {count} 人,多于参观人数 {headcount} 人"
    visit_at = values.get("visit_at")
    if not isinstance(visit_at, datetime) or visit_at.tzinfo is None:
        errors["visit_at"] = "请填写参观时间,例如 2026-12-01 09:30"
    elif kind in rules.KINDS and (reason := _notice_problem(db, kind, now, visit_at)):
        errors["visit_at"] = reason
    if errors:
        raise ValidationFailed(errors)
    customer_id = values.get("customer_id") or None
    zone = calendar_zone(db)

    def work(s):
        if customer_id is not None and s.get(Customer, customer_id) is None:
            raise NotFound("客户不存在")
        t = Tour(id=uuid.uuid4(), kind=kind, customer_id=customer_id, visitor_unit=unit, visitors=visitors,
                 headcount=headcount, visit_at=visit_at, purpose=str(values.get("purpose") or "").strip(),
                 route=str(values.get("route") or "").strip(), host=str(values.get("host") or "").strip(),
                 by_phone=kind == "temporary" or bool(values.get("by_phone")),
                 photos_requested=bool(values.get("photos_requested")), status="applied",
                 applied_by=user.display_name, applied_at=now)
        s.add(t)
        s.flush()
        audit.record(s, actor=user.display_name, action="create", entity="tour", entity_id=t.id,
                     customer_id=customer_id,
                     note=f"{rules.KINDS[kind]}申请:{unit} {headcount} 人,{visit_at.astimezone(zone):%Y-%m-%d %H:%M}")
        return t.id

    return db.transact(work)


def _grant_permit(s, t: Tour, at: datetime, zone: ZoneInfo) -> None:
    year = at.astimezone(zone).year  # the business's year: 1 January 00:30 in Beijing is still 31 December in UTC
    seq = reception_counter.take(s, kind="permit", year=year)
    t.permit_year, t.permit_seq, t.permit_no = year, seq, rules.permit_number(year, seq)


def decide(db: Database, *, user: Principal, tour_id: uuid.UUID, approve: bool, note: str = "",
           photos_allowed: bool = False, now: datetime | None = None) -> TourRow:
    """The next step of the chain: the GM reviews (key/group) or approves (ordinary/temporary); the chairman
    approves key and group tours after the GM. The final approval issues the permit number.
    photos_allowed counts only at the final approval (拍照须经特许)."""
    if not approve and not note.strip():
        raise ValidationFailed({"note": "不批准时请写明原因"})
    at = now or utcnow()
    zone = calendar_zone(db)

    def work(s):
        t = s.get(Tour, tour_id, with_for_update=True)  # two approvers at once: one permit number
        if t is None:
            raise NotFound("参观申请不存在")
        step = rules.next_step(t.kind, t.status)
        if step is None:
            raise UserError(f"该参观申请已{rules.STATUS.get(t.status, t.status)},不能再审批")
        if step == "gm":
            user.require("reception.approve_gm", "审核客户参观")
        else:
            user.require("reception.approve_chairman", "批准重点客户与团体参观")
            if user.is_actor(t.reviewed_by_id, t.reviewed_by):
                raise UserError("审核人与批准人不能是同一人")
        if approve and t.visit_at < at:
            raise UserError("参观时间已过,不能再批准;请重新申请")
        before = t.status
        if not approve:
            t.status = "rejected"
        elif step == "gm" and rules.needs_chairman(t.kind):
            t.status, t.reviewed_by, t.reviewed_by_id, t.reviewed_at = "reviewed", user.display_name, user.user_id, at
        else:
            if step == "gm":
                t.reviewed_by, t.reviewed_by_id, t.reviewed_at = user.display_name, user.user_id, at
            t.status, t.approved_by, t.approved_at = "approved", user.display_name, at
            t.photos_allowed = bool(photos_allowed)
            _grant_permit(s, t, at, zone)
        if note.strip():
            t.decision_note = (t.decision_note + "\n" if t.decision_note else "") + f"{user.display_name}:{note.strip()}"
        t.version += 1
        s.flush()
        audit.record(s, actor=user.display_name, action="approve" if approve else "reject", entity="tour",
                     entity_id=t.id, customer_id=t.customer_id,
                     diffs=[("status", rules.STATUS[before], rules.STATUS[t.status])]
                     + ([("permit_no", "", t.permit_no)] if t.permit_no and before != "approved" else []))
        return _row(t)

    return db.transact(work)


def list_tours(db: Database, *, user: Principal) -> list[TourRow]:
    """Newest visit first."""
    user.require("reception.view", "查看客户参观")
    with db.read() as s:
        return [_row(t) for t in s.scalars(select(Tour).order_by(Tour.visit_at.desc()))]


def get_tour(db: Database, *, user: Principal, tour_id: uuid.UUID) -> TourRow:
    user.require("reception.view", "查看客户参观")
    with db.read() as s:
        t = s.get(Tour, tour_id)
        if t is None:
            raise NotFound("参观申请不存在")
        return _row(t)


def print_documents(db: Database, *, user: Principal, tour_id: uuid.UUID, what: str = "badges",
                    company: str = "营销中心") -> bytes:
    """PDF of the permit (客户参观许可证, what='permit') or the visitor badges (what='badges'); approved tours only."""
    row = get_tour(db, user=user, tour_id=tour_id)
    if row.status != "approved" or not row.permit_no:
        raise UserError("参观申请尚未批准,没有许可编号,不能打印许可证或胸卡")
    from reports import tour_pdf

    zone = calendar_zone(db)
    if what == "permit":
        return tour_pdf.permit_pdf(row, zone=zone, company=company, printed_by=user.display_name,
                                   printed_at=utcnow().astimezone(zone).strftime("%Y-%m-%d %H:%M"))
    return tour_pdf.badges_pdf(row, zone=zone, company=company)
