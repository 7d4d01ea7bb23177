"""Hospitality meals (招待用餐): request, approval (or urgent verbal approval with paperwork due), the actual
bill, and the month-end settlement list in which an unapproved meal is flagged 不予报销.

Rules are pure in app.domain.meals, their numbers in the settings (`meals.*`). Every change is audited
(entity "meal") in the same transaction. Times are stored in UTC; months and printed times are the business's
(setting visits.timezone), not the desk computer's.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app import settings
from app.db import Database
from app.domain import meals as rules
from app.errors import NotFound, UserError, ValidationFailed
from app.services import audit
from app.services.users import Principal
from models import Customer, Meal
from models.base import utcnow

STATUS = {"requested": "待审批", "verbal": "口头批准(待补手续)", "approved": "已批准", "rejected": "未批准"}
_FIELD_OF = {"standard": "per_person", "hosts": "hosts", "headcount": "guests"}


@dataclass(frozen=True)
class MealRow:
    id: uuid.UUID
    version: int
    unit: str
    customer_id: uuid.UUID | None
    customer_kind: str
    host_level: str
    meal_type: str
    meal_at: datetime
    per_person: Decimal
    guests: int
    hosts: int
    restaurant: str
    purpose: str
    status: str
    requested_by: str
    decided_by: str
    decision_note: str
    verbal_by: str
    paperwork_due: datetime | None
    bill_total: Decimal | None
    bill_drinks: Decimal | None
    bill_issues: str
    standard_text: str
    paperwork_overdue: bool
    reimbursable: bool
    flag: str  # Chinese: why it is not reimbursed, or what is wrong with the bill; "" when all is well
    excess_approved_by: str = ""  # 超标准审批: who approved a bill over the standard ("" when not)

    @property
    def status_label(self) -> str:
        return STATUS.get(self.status, self.status)


def _money(text, field: str, errors: dict, label: str) -> Decimal | None:
    if isinstance(text, Decimal):
        return text
    try:
        value = Decimal(str(text).replace(",", "").replace("元", "").strip())
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}应为金额,例如 120 或 120.50"
        return None
    if value < 0:
        errors[field] = f"{label}不能为负数"
        return None
    return value.quantize(Decimal("0.01"))


def _count(value, field: str, errors: dict, label: str) -> int | None:
    try:
        n = int(str(value).strip())
    except ValueError:
        errors[field] = f"{label}应为整数"
        return None
    if n < 0:
        errors[field] = f"{label}不能为负数"
        return None
    return n


def _parse(values: dict) -> dict:
    """Typed values from the form; ValidationFailed names each field that is missing or malformed."""
    errors: dict[str, str] = {}
    out: dict = {}
    for key, label in (("unit", "招待客户单位"), ("restaurant", "餐厅名称")):
        out[key] = str(values.get(key) or "").strip()
        if not out[key]:
            errors[key] = f"请填写{label}"
    for key, vocab, label in (("customer_kind", rules.CUSTOMER_KINDS, "客户类别"),
                              ("host_level", rules.HOST_LEVELS, "出面接待人"),
                              ("meal_type", rules.MEAL_TYPES, "用餐方式")):
        out[key] = values.get(key) or ""
        if out[key] not in vocab:
            errors[key] = f"请选择{label}"
    meal_at = values.get("meal_at")
    if not isinstance(meal_at, datetime) or meal_at.tzinfo is None:
        errors["meal_at"] = "请填写用餐时间,例如 2026-12-01 18:00"
    out["meal_at"] = meal_at
    out["per_person"] = _money(values.get("per_person", ""), "per_person", errors, "用餐标准")
    out["guests"] = _count(values.get("guests", ""), "guests", errors, "客人人数")
    out["hosts"] = _count(values.get("hosts", ""), "hosts", errors, "陪同人数")
    out["purpose"] = str(values.get("purpose") or "").strip()
    out["customer_id"] = values.get("customer_id") or None
    if errors:
        raise ValidationFailed(errors)
    return out


def request_meal(db: Database, *, user: Principal, values: dict, urgent: bool = False, verbal_by: str = "",
                 now: datetime | None = None) -> uuid.UUID:
    """File a meal request (用餐审批). Refused, with each broken rule on its field, when it breaks a standard.

    urgent: the GM agreed by word of mouth (口头请示); the meal may go ahead and the paperwork is due within
    `meals.paperwork_days`."""
    user.require("reception.request", "申请招待用餐")
    v = _parse(values)
    now = now or utcnow()
    r = settings.get_all(db)
    broken = rules.check_request(r, customer_kind=v["customer_kind"], host_level=v["host_level"],
                                 meal_type=v["meal_type"], per_person=v["per_person"], guests=v["guests"],
                                 hosts=v["hosts"])
    errors: dict[str, str] = {}
    for b in broken:
        field = _FIELD_OF.get(b.code, "per_person")
        errors[field] = f"{errors[field]};{b.message}" if field in errors else b.message
    if urgent and not verbal_by.strip():
        errors["verbal_by"] = "紧急用餐请填写口头同意的领导姓名"
    if not urgent and v["meal_at"] is not None and v["meal_at"] < now:
        # 用餐前审批: a meal already eaten can only come in as an urgent one, approved by word of mouth
        errors["meal_at"] = "用餐须事前申请;已经发生的紧急用餐请勾选“紧急”并填写口头同意的领导"
    if errors:
        raise ValidationFailed(errors)

    def work(s):
        if v["customer_id"] is not None and s.get(Customer, v["customer_id"]) is None:
            raise NotFound("客户不存在")
        meal = Meal(id=uuid.uuid4(), requested_by=user.display_name, requested_by_id=user.user_id,
                    requested_at=now, **v)
        if urgent:
            meal.status = "verbal"
            meal.verbal_by = verbal_by.strip()
            meal.paperwork_due = now + timedelta(days=int(r["meals.paperwork_days"]))
        s.add(meal)
        s.flush()
        note = f"申请招待用餐:{v['unit']} {v['guests']}+{v['hosts']} 人,{v['per_person']:.2f} 元/人,{v['restaurant']}"
        if urgent:
            note += f";紧急,{meal.verbal_by}口头同意"
        audit.record(s, actor=user.display_name, action="create", entity="meal", entity_id=meal.id,
                     customer_id=v["customer_id"], note=note)
        return meal.id

    return db.transact(work)


def decide(db: Database, *, user: Principal, meal_id: uuid.UUID, approve: bool, note: str = "",
           now: datetime | None = None) -> None:
    """Approve or reject (营销中心总经理). Approving a verbally approved meal completes its paperwork (补办手续)."""
    user.require("reception.approve_gm", "审批招待用餐")
    if not approve and not note.strip():
        raise ValidationFailed({"note": "不批准时请写明原因"})

    def work(s):
        meal = s.get(Meal, meal_id, with_for_update=True)  # approve and reject at once: one wins, the other sees it
        if meal is None:
            raise NotFound("用餐申请不存在")
        if meal.status not in ("requested", "verbal"):
            raise UserError(f"该用餐申请已{STATUS[meal.status]},不能再审批")
        if approve and user.is_actor(meal.requested_by_id, meal.requested_by):
            raise UserError("不能审批自己提出的用餐申请,请由另一位领导审批")
        if approve and meal.status == "requested" and meal.meal_at < (now or utcnow()):
            raise UserError("用餐已经发生,事前未经批准,不能补批;该用餐不予报销")
        meal.status = "approved" if approve else "rejected"
        meal.decided_by, meal.decided_at, meal.decision_note = user.display_name, now or utcnow(), note.strip()
        meal.version += 1
        audit.record(s, actor=user.display_name, action="approve" if approve else "reject", entity="meal",
                     entity_id=meal.id, customer_id=meal.customer_id, note=note.strip())

    db.transact(work)


def approve_excess(db: Database, *, user: Principal, meal_id: uuid.UUID, note: str,
                   now: datetime | None = None) -> None:
    """超标准审批: the GM approves a bill over the standard (a reason is required) so it can be reimbursed;
    audited. Not by the one who asked for the meal; refused when the bill keeps the standard."""
    user.require("reception.approve_gm", "审批超标准用餐")
    if not note.strip():
        raise ValidationFailed({"note": "请写明超标准的原因与批准意见"})

    def work(s):
        meal = s.get(Meal, meal_id, with_for_update=True)
        if meal is None:
            raise NotFound("用餐申请不存在")
        if meal.bill_total is None or not meal.bill_issues:
            raise UserError("该用餐账单没有超标准,无须审批")
        if meal.status != "approved":
            raise UserError("用餐本身未经审批,不予报销,不能只批准超标准部分")
        if meal.excess_approved_at is not None:
            raise UserError(f"超标准部分已由{meal.excess_approved_by}批准")
        if user.is_actor(meal.requested_by_id, meal.requested_by):
            raise UserError("不能审批自己提出的用餐申请,请由另一位领导审批")
        meal.excess_approved_by, meal.excess_approved_at = user.display_name, now or utcnow()
        meal.excess_note = note.strip()
        meal.version += 1
        audit.record(s, actor=user.display_name, action="approve", entity="meal", entity_id=meal.id,
                     customer_id=meal.customer_id, note=f"超标准审批:{note.strip()}")

    db.transact(work)


def record_bill(db: Database, *, user: Principal, meal_id: uuid.UUID, total, drinks,
                now: datetime | None = None) -> list[rules.Violation]:
    """Enter the bill the restaurant reported (核算). It is a fact, so it is kept even when it breaks a rule;
    what it breaks is returned and stored (shown on the settlement list)."""
    if not user.can("reception.request"):
        user.require("reception.settle", "登记用餐账单")
    errors: dict[str, str] = {}
    total_d = _money(total, "total", errors, "账单金额")
    drinks_d = _money(drinks if str(drinks).strip() else "0", "drinks", errors, "酒水饮料水果")
    if not errors and total_d is not None and drinks_d is not None and drinks_d > total_d:
        errors["drinks"] = "酒水饮料水果不能超过账单金额"
    if errors:
        raise ValidationFailed(errors)

    def work(s):
        meal = s.get(Meal, meal_id, with_for_update=True)
        if meal is None:
            raise NotFound("用餐申请不存在")
        broken = rules.check_bill(settings.get_all(db, session=s), customer_kind=meal.customer_kind,
                                  host_level=meal.host_level, meal_type=meal.meal_type, guests=meal.guests,
                                  hosts=meal.hosts, total=total_d, drinks=drinks_d)
        before = (meal.bill_total, meal.bill_drinks)
        meal.bill_total, meal.bill_drinks = total_d, drinks_d
        meal.bill_issues = ";".join(b.message for b in broken)
        if before != (total_d, drinks_d):  # an approval of the excess was for the amounts as they were
            meal.excess_approved_by, meal.excess_approved_at, meal.excess_note = "", None, ""
        meal.billed_by, meal.billed_at = user.display_name, now or utcnow()
        meal.version += 1
        audit.record(s, actor=user.display_name, action="update", entity="meal", entity_id=meal.id,
                     customer_id=meal.customer_id,
                     diffs=audit.changes({"bill_total": before[0], "bill_drinks": before[1]},
                                         {"bill_total": total_d, "bill_drinks": drinks_d}))
        return broken

    return db.transact(work)


def _zone(rules_values: dict) -> ZoneInfo:
    return ZoneInfo(rules_values["visits.timezone"])


def _row(m: Meal, rules_values: dict, now: datetime) -> MealRow:
    std = rules.standard(rules_values, customer_kind=m.customer_kind, host_level=m.host_level,
                         meal_type=m.meal_type)
    overdue = m.status == "verbal" and m.paperwork_due is not None and now > m.paperwork_due
    reimbursable, _why = rules.reimbursement(status=m.status, bill_issues=m.bill_issues,
                                             excess_approved=m.excess_approved_at is not None)
    if m.status == "requested":
        flag = "未审批,不予报销" if m.bill_total is not None or m.meal_at < now else "待审批"
    elif m.status == "rejected":
        flag = "未批准,不予报销"
    elif m.status == "verbal":
        due = m.paperwork_due.astimezone(_zone(rules_values)).strftime("%Y-%m-%d %H:%M") if m.paperwork_due else ""
        flag = f"补办手续逾期(应于 {due} 前),不予报销" if overdue else f"待补办手续(期限 {due})"
    else:
        flag = ""
    if m.bill_issues:
        flag = f"{flag};{m.bill_issues}" if flag else m.bill_issues
        if m.status == "approved":
            flag += (f";超标准已由{m.excess_approved_by}批准" if m.excess_approved_at is not None
                     else ";超标准,未经审批不予报销")
    return MealRow(m.id, m.version, m.unit, m.customer_id, m.customer_kind, m.host_level, m.meal_type, m.meal_at,
                   m.per_person, m.guests, m.hosts, m.restaurant, m.purpose, m.status, m.requested_by, m.decided_by,
                   m.decision_note, m.verbal_by, m.paperwork_due, m.bill_total, m.bill_drinks, m.bill_issues,
                   std.text(), overdue, reimbursable, flag, m.excess_approved_by)


def _month_bounds(year: int, month: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The month in the business's zone, as UTC instants."""
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def list_meals(db: Database, *, user: Principal, year: int | None = None, month: int | None = None,
               now: datetime | None = None) -> list[MealRow]:
    """Meals, newest first (optionally one month of the business's calendar: 1 May 00:30 in Beijing is May's)."""
    user.require("reception.view", "查看招待用餐")
    q = select(Meal).order_by(Meal.meal_at.desc())
    with db.read() as s:
        r = settings.get_all(db, session=s)
        if year and month:
            start, end = _month_bounds(year, month, _zone(r))
            q = q.where(Meal.meal_at >= start, Meal.meal_at < end)
        now = now or utcnow()
        return [_row(m, r, now) for m in s.scalars(q)]


def get_meal(db: Database, *, user: Principal, meal_id: uuid.UUID) -> MealRow:
    user.require("reception.view", "查看招待用餐")
    with db.read() as s:
        m = s.get(Meal, meal_id)
        if m is None:
            raise NotFound("用餐申请不存在")
        return _row(m, settings.get_all(db, session=s), utcnow())


@dataclass(frozen=True)
class Settlement:
    """月底结算: the month's billed meals; only approved ones are reimbursed."""

    year: int
    month: int
    rows: list[MealRow]
    total_billed: Decimal
    total_reimbursed: Decimal
    refused: int  # meals flagged 不予报销


def settlement(db: Database, *, user: Principal, year: int, month: int, now: datetime | None = None) -> Settlement:
    user.require("reception.view", "查看用餐结算")
    rows = [r for r in list_meals(db, user=user, year=year, month=month, now=now) if r.bill_total is not None]
    rows.sort(key=lambda r: r.meal_at)
    billed = sum((r.bill_total for r in rows), Decimal("0.00"))
    reimbursed = sum((r.bill_total for r in rows if r.reimbursable), Decimal("0.00"))
    return Settlement(year, month, rows, billed, reimbursed, sum(1 for r in rows if not r.reimbursable))


def _settlement_cells(st: Settlement, zone: ZoneInfo) -> list[list]:
    """Rows of the printed / exported list, plain values in reports.meal_settlement.COLUMNS order."""
    out = []
    for i, r in enumerate(st.rows, 1):
        out.append([i, r.meal_at.astimezone(zone).strftime("%m-%d %H:%M"), r.unit, r.restaurant,
                    rules.MEAL_TYPES.get(r.meal_type, r.meal_type), f"{r.guests}+{r.hosts}", r.per_person,
                    r.bill_total, r.bill_drinks or Decimal("0.00"), r.status_label, r.decided_by or r.verbal_by,
                    "是" if r.reimbursable else "不予报销", r.flag])
    return out


def export_settlement(db: Database, *, user: Principal, year: int, month: int, path, kind: str = "xlsx",
                      now: datetime | None = None) -> int:
    """Write the month-end list as Excel (kind xlsx) or PDF (kind pdf); returns the number of meals."""
    user.require("reception.settle", "导出用餐结算")
    from reports import meal_settlement

    st = settlement(db, user=user, year=year, month=month, now=now)
    zone = _zone(settings.get_all(db))
    stamp = (now or utcnow()).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if kind == "pdf":
        meal_settlement.write_pdf(path, st.year, st.month, _settlement_cells(st, zone), total_billed=st.total_billed,
                                  total_reimbursed=st.total_reimbursed, printed_by=user.display_name,
                                  printed_at=stamp)
    else:
        meal_settlement.write_excel(path, st.year, st.month, _settlement_cells(st, zone), total_billed=st.total_billed,
                                    total_reimbursed=st.total_reimbursed, exported_by=user.display_name,
                                    exported_at=stamp)
    return len(st.rows)
