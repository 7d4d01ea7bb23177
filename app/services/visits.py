"""Visit plans (客户联络计划表 / 客户联系预定表): create, move, cancel, list — with warnings, never refusals.

Who sees which plans (visits.view): their own and their department's; `visits.view.all` (managers)
sees and arranges everyone's. Changing a plan needs visits.edit and being its rep, or visits.view.all.
Customer names follow the archive's confidentiality (access.readable): a plan on a customer the user may
not read shows as 保密客户, and a plan can only be made for a customer the user may open.
A plan that falls in the customer's unsuitable times, on a holiday or over another plan of the same rep
is saved, and the warnings come back with it (app.domain.visit_rules).
Times: stored in UTC; given and returned in the calendar's time zone (setting visits.timezone).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, case, false, or_, select, true, type_coerce
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import visit_rules as R
from app.errors import NotFound, StaleEdit, ValidationFailed
from app.services import access, audit
from app.services.users import PermissionDenied, Principal
from models import Customer, Department, Staff, VisitPlan, VisitRecord

HIDDEN_NAME = "保密客户"
EDITABLE = ("customer_id", "staff_id", "starts_at", "ends_at", "contact_way", "purpose", "place")


@dataclass(frozen=True)
class PlanRow:
    id: uuid.UUID
    version: int
    customer_id: uuid.UUID
    customer_name: str  # HIDDEN_NAME when the user may not read the archive
    customer_code: str
    readable: bool
    region: str
    staff_id: uuid.UUID
    staff_name: str
    department_id: uuid.UUID | None
    department: str
    starts_at: datetime  # aware, in the calendar's time zone
    ends_at: datetime
    contact_way: str
    purpose: str
    place: str
    status: str
    has_record: bool


@dataclass(frozen=True)
class PlanResult:
    id: uuid.UUID
    version: int
    warnings: list[str]


def calendar_zone(db: Database) -> ZoneInfo:
    return ZoneInfo(settings.get(db, "visits.timezone"))


def _aware(value: datetime, zone: ZoneInfo) -> datetime:
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def visible_plans(user: Principal | None, staff_col=VisitPlan.staff_id, dept_col=VisitPlan.department_id):
    """SQL condition: the plans (or follow-ups, by their owner) this user may see."""
    if user is None or user.can("visits.view.all"):
        return true()
    conds = []
    if user.staff_id is not None:
        conds.append(staff_col == user.staff_id)
    if user.department_id is not None:
        conds.append(dept_col == user.department_id)
    return or_(*conds) if conds else false()


def may_arrange(user: Principal | None, staff_id: uuid.UUID | None) -> bool:
    return user is None or user.can("visits.view.all") or (staff_id is not None and staff_id == user.staff_id)


def _require_edit(user: Principal | None, staff_id: uuid.UUID | None, what: str) -> None:
    if user is None:
        return
    user.require("visits.edit", what)
    if not may_arrange(user, staff_id):
        raise PermissionDenied("只能安排和修改本人的拜访计划;为他人安排需要“查看与安排所有人员的拜访计划”权限。")


def _readable_flag(user: Principal | None):
    return true() if user is None else case((access.readable(user), true()), else_=false())


_PLAN_COLUMNS = (VisitPlan.id, VisitPlan.version, type_coerce(VisitPlan.customer_id, String).label("customer_key"),
                 type_coerce(VisitPlan.staff_id, String).label("staff_key"),
                 type_coerce(VisitPlan.department_id, String).label("department_key"), VisitPlan.starts_at,
                 VisitPlan.ends_at, VisitPlan.contact_way, VisitPlan.purpose, VisitPlan.place, VisitPlan.status)


class _Ids(dict):
    """The few hundred customers, reps and departments of a month as UUIDs, each made once (as text from the
    query: building a UUID per column per row was a third of a 5,000-plan month)."""

    def __missing__(self, key):
        value = self[key] = (key if isinstance(key, uuid.UUID) else uuid.UUID(key)) if key else None  # psycopg: UUIDs
        return value


def _row(r, zone: ZoneInfo, ok: bool, ids: _Ids) -> PlanRow:
    return PlanRow(r.id, r.version, ids[r.customer_key], r.name if ok else HIDDEN_NAME, r.code if ok else "", ok,
                   r.region if ok else "", ids[r.staff_key], r.staff_name or "", ids[r.department_key],
                   r.dept_name or "", r.starts_at.astimezone(zone), r.ends_at.astimezone(zone), r.contact_way,
                   r.purpose if ok else "", r.place if ok else "", r.status, bool(r.has_record))


def _query(user: Principal | None):
    return (select(*_PLAN_COLUMNS, Customer.name, Customer.code, Customer.region, Staff.name.label("staff_name"),
                   Department.name.label("dept_name"), VisitRecord.id.is_not(None).label("has_record"))
            .join(Customer, Customer.id == VisitPlan.customer_id)
            .join(Staff, Staff.id == VisitPlan.staff_id)
            .outerjoin(Department, Department.id == VisitPlan.department_id)
            .outerjoin(VisitRecord, VisitRecord.plan_id == VisitPlan.id)
            .where(visible_plans(user)))


def readable_ids(s: Session, user: Principal | None, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these customers the user may read (access.readable), asked once per customer rather than
    once per row: a month of 5,000 plans has a few hundred customers."""
    if user is None:
        return set(ids)
    out, ordered = set(), sorted(ids)
    for i in range(0, len(ordered), 500):
        out |= set(s.scalars(select(Customer.id).where(Customer.id.in_(ordered[i:i + 500]), access.readable(user))))
    return out


def _rows(s: Session, user: Principal | None, q, zone: ZoneInfo) -> list[PlanRow]:
    rows, ids = s.execute(q).all(), _Ids()
    ok = readable_ids(s, user, {ids[r.customer_key] for r in rows})
    return [_row(r, zone, ids[r.customer_key] in ok, ids) for r in rows]


def list_plans(db: Database, *, user: Principal | None, start: date, end: date, staff_id: uuid.UUID | None = None,
               department_id: uuid.UUID | None = None, region: str = "",
               include_cancelled: bool = False) -> list[PlanRow]:
    """The plans from the first day to the last (both included, calendar days), in time order."""
    if user is not None:
        user.require("visits.view", "查看拜访日历")
    zone = calendar_zone(db)
    lo = datetime.combine(start, time.min, zone)
    hi = datetime.combine(end + timedelta(days=1), time.min, zone)
    q = _query(user).where(VisitPlan.starts_at < hi, VisitPlan.ends_at > lo)
    if staff_id:
        q = q.where(VisitPlan.staff_id == staff_id)
    if department_id:
        q = q.where(VisitPlan.department_id == department_id)
    if region:
        q = q.where(Customer.region == region)
    if not include_cancelled:
        q = q.where(VisitPlan.status != "cancelled")
    with db.read() as s:
        rows = _rows(s, user, q.order_by(VisitPlan.starts_at, VisitPlan.id), zone)
    if region and user is not None:  # a hidden customer's region is hidden too
        rows = [r for r in rows if r.readable]
    return rows


def get_plan(db: Database, *, user: Principal | None, plan_id: uuid.UUID) -> PlanRow:
    if user is not None:
        user.require("visits.view", "查看拜访日历")
    zone = calendar_zone(db)
    with db.read() as s:
        rows = _rows(s, user, _query(user).where(VisitPlan.id == plan_id), zone)
        if not rows:
            raise NotFound("拜访计划不存在,或不在您可查看的范围内")
        return rows[0]


def _warnings(s: Session, db: Database, *, customer_id: uuid.UUID, staff_id: uuid.UUID, start: datetime,
              end: datetime, zone: ZoneInfo, exclude: uuid.UUID | None = None) -> list[str]:
    c = s.get(Customer, customer_id)
    rules = settings.get_all(db, session=s)
    holidays, _bad = R.parse_holidays(rules["visits.holidays"])
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    out = R.plan_warnings(start=local_start, end=local_end, unsuitable_text=c.unsuitable_visit_times if c else "",
                          holidays=holidays, customer_name=c.name if c else "")
    q = (select(VisitPlan.starts_at, Customer.name).join(Customer, Customer.id == VisitPlan.customer_id)
         .where(VisitPlan.staff_id == staff_id, VisitPlan.status == "planned", VisitPlan.starts_at < end,
                VisitPlan.ends_at > start))
    if exclude is not None:
        q = q.where(VisitPlan.id != exclude)
    for other_start, _name in s.execute(q.order_by(VisitPlan.starts_at).limit(3)):
        out.append(f"与同一人员 {other_start.astimezone(zone):%m-%d %H:%M} 的另一拜访计划时间重叠")
    return out


def preview_warnings(db: Database, *, user: Principal | None, customer_id: uuid.UUID, staff_id: uuid.UUID,
                     starts_at: datetime, ends_at: datetime, plan_id: uuid.UUID | None = None) -> list[str]:
    """What saving this plan would warn about, for the dialog to show before saving."""
    zone = calendar_zone(db)
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        return _warnings(s, db, customer_id=customer_id, staff_id=staff_id, start=_aware(starts_at, zone),
                         end=_aware(ends_at, zone), zone=zone, exclude=plan_id)


def _clean(values: dict, zone: ZoneInfo) -> dict:
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if k in EDITABLE}
    for key in ("customer_id", "staff_id"):
        if isinstance(out.get(key), str):
            try:
                out[key] = uuid.UUID(out[key]) if out[key] else None
            except ValueError:
                out[key] = None
    for key in ("starts_at", "ends_at"):
        if isinstance(out.get(key), datetime):
            out[key] = _aware(out[key], zone)
    return out


def create_plan(db: Database, *, user: Principal | None, actor: str, values: dict) -> PlanResult:
    """A new plan; the rep's department is the plan's. Returns the warnings (saved anyway)."""
    zone = calendar_zone(db)
    values = {"contact_way": "visit", "purpose": "", "place": ""} | _clean(values, zone)
    if errors := R.validate_plan(values):
        raise ValidationFailed(errors)
    _require_edit(user, values["staff_id"], "制定拜访计划")

    def work(s: Session) -> PlanResult:
        customer = s.get(Customer, values["customer_id"])
        if customer is None or customer.merged_into_id is not None:
            raise ValidationFailed({"customer_id": "客户不存在或已被合并,请重新选择"})
        access.ensure_may(s, user, customer.id, action="open")
        rep = s.get(Staff, values["staff_id"])
        if rep is None or not rep.active:
            raise ValidationFailed({"staff_id": "所选人员不存在或已离职,请重新选择"})
        plan = VisitPlan(id=uuid.uuid4(), department_id=rep.department_id, status="planned", created_by=actor,
                         **values)
        s.add(plan)
        s.flush()
        audit.record(s, actor=actor, action="create", entity="visit_plan", entity_id=plan.id,
                     customer_id=customer.id, note=f"{values['starts_at'].astimezone(zone):%Y-%m-%d %H:%M} "
                                                   f"{rep.name} {values['purpose']}".strip())
        warnings = _warnings(s, db, customer_id=customer.id, staff_id=rep.id, start=plan.starts_at,
                             end=plan.ends_at, zone=zone, exclude=plan.id)
        return PlanResult(plan.id, plan.version, warnings)

    return db.transact(work)


def _editable_plan(s: Session, user: Principal | None, plan_id: uuid.UUID, expected_version: int | None,
                   what: str) -> VisitPlan:
    plan = s.get(VisitPlan, plan_id, with_for_update=True)  # version check holds under concurrency
    if plan is None:
        raise NotFound("拜访计划不存在")
    _require_edit(user, plan.staff_id, what)
    access.ensure_may(s, user, plan.customer_id, action="open")
    if plan.status != "planned":
        raise ValidationFailed({"status": f"该计划{R.PLAN_STATUS.label(plan.status)},不能再修改"})
    if expected_version is not None and plan.version != expected_version:
        raise StaleEdit()
    return plan


def update_plan(db: Database, *, user: Principal | None, actor: str, plan_id: uuid.UUID, values: dict,
                expected_version: int | None = None) -> PlanResult:
    """Change a planned visit (time, rep, customer, way, purpose, place); audited field by field."""
    zone = calendar_zone(db)
    values = _clean(values, zone)

    def work(s: Session) -> PlanResult:
        plan = _editable_plan(s, user, plan_id, expected_version, "修改拜访计划")
        before = {k: getattr(plan, k) for k in EDITABLE}
        if errors := R.validate_plan(before | values):
            raise ValidationFailed(errors)
        if values.get("staff_id") not in (None, plan.staff_id):
            _require_edit(user, values["staff_id"], "改派拜访人员")
            rep = s.get(Staff, values["staff_id"])
            if rep is None or not rep.active:
                raise ValidationFailed({"staff_id": "所选人员不存在或已离职,请重新选择"})
            plan.department_id = rep.department_id
        if values.get("customer_id") not in (None, plan.customer_id):
            access.ensure_may(s, user, values["customer_id"], action="open")
        diffs = audit.changes({k: _shown(v, zone) for k, v in before.items()},
                              {k: _shown(v, zone) for k, v in values.items()})
        if diffs:
            for key, value in values.items():
                setattr(plan, key, value)
            plan.version += 1
            audit.record(s, actor=actor, action="update", entity="visit_plan", entity_id=plan.id,
                         customer_id=plan.customer_id, diffs=diffs)
        s.flush()
        return PlanResult(plan.id, plan.version, _warnings(s, db, customer_id=plan.customer_id,
                                                           staff_id=plan.staff_id, start=plan.starts_at,
                                                           end=plan.ends_at, zone=zone, exclude=plan.id))

    return db.transact(work)


def _shown(value, zone: ZoneInfo):
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value


def move_plan(db: Database, *, user: Principal | None, actor: str, plan_id: uuid.UUID, starts_at: datetime,
              expected_version: int | None = None) -> PlanResult:
    """Reschedule (drag in the calendar): the same length at a new start."""
    zone = calendar_zone(db)
    with db.read() as s:
        plan = s.get(VisitPlan, plan_id, with_for_update=True)
        if plan is None:
            raise NotFound("拜访计划不存在")
        length = plan.ends_at - plan.starts_at
    start = _aware(starts_at, zone)
    return update_plan(db, user=user, actor=actor, plan_id=plan_id, values={"starts_at": start,
                                                                             "ends_at": start + length},
                       expected_version=expected_version)


def cancel_plan(db: Database, *, user: Principal | None, actor: str, plan_id: uuid.UUID, reason: str = "",
                expected_version: int | None = None) -> int:
    def work(s: Session) -> int:
        plan = _editable_plan(s, user, plan_id, expected_version, "取消拜访计划")
        plan.status, plan.cancel_reason = "cancelled", reason.strip()[:200]
        plan.version += 1
        audit.record(s, actor=actor, action="cancel", entity="visit_plan", entity_id=plan.id,
                     customer_id=plan.customer_id, note=reason.strip())
        return plan.version

    return db.transact(work)


def staff_choices(db: Database, *, user: Principal | None) -> list[tuple[uuid.UUID, str, uuid.UUID | None]]:
    """The reps this user may arrange visits for: everyone active (visits.view.all) or only themselves."""
    with db.read() as s:
        q = select(Staff.id, Staff.name, Staff.department_id).where(Staff.active.is_(True))
        if user is not None and not user.can("visits.view.all"):
            q = q.where(and_(Staff.id == user.staff_id)) if user.staff_id else q.where(false())
        return [(i, n, d) for i, n, d in s.execute(q.order_by(Staff.name))]
