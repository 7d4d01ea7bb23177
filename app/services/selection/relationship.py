"""关系房审批 — relationship flats sold on a recorded approval (rules: app/domain/selection_relationship.py).

    rid = relationship.record_approval(db, user=lead, flat_id=f, commission_id=c, beneficiary="陈刚",
                                       kind="phone", approver="李总", handled_by="王经办",
                                       average_price=Decimal("5800"), payment_ratio=Decimal("0.7"),
                                       pay_deadline=date(2026, 12, 20))
    relationship.complete_paperwork(db, user=lead, approval_id=rid, paper_no="GF-2026-031", paper_approver="李总")
    relationship.withdraw(db, user=lead, approval_id=rid, reason="均价填错,重新登记")     # a correction
    relationship.apply_new_price_policy(db, user=lead, approval_id=rid)                    # 转新价格政策

Recording marks the flat (released to the unit) as a relationship flat on the sales-control grid
(`Flat.relationship_note` holds the approval's summary). A ticket for a relationship flat takes the approved
average price and needs the approved ratio (`for_sale`, called by the ticket desk); a flat marked relationship
without an active approval is not sold. After the deadline without the approved first payment the approval
is listed for the new price policy; applying it lapses the approval, clears the mark and, when the buyer
already holds a ticket, reverses it in red and opens it again at the list price (the money paid stays).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import selection_relationship as rules
from app.domain.buyers import normalise_name
from app.errors import UserError, ValidationFailed
from app.services import access, audit, workdays
from app.services.selection import documents, stock
from app.services.selection.documents import IssuedDocument
from app.services.selection.errors import FlatTaken, RuleBroken
from app.services.users import Principal
from models import Buyer, Commission, Flat, FlatHold, Project, RelationshipApproval, SelectionDocument
from models.base import utcnow

ENTITY = "relationship_approval"
EXPORTS = {"paperwork": "关系房补办书面手续清单", "late": "关系房逾期付款转新价格政策清单"}


@dataclass(frozen=True)
class ApprovalRow:
    id: uuid.UUID
    flat_id: uuid.UUID
    flat: str  # 1号楼-1单元-201
    commission: str
    beneficiary: str
    kind: str  # paper / phone
    approval_no: str  # paper: its number; phone: the paper approval's number once completed ("" before)
    approver: str
    handled_by: str
    phoned_at: datetime | None
    paperwork_due: date | None
    average_price: Decimal
    payment_ratio: Decimal
    pay_deadline: date
    state: str
    recorded_by: str
    recorded_at: datetime
    ticket_number: str  # the buyer's active ticket on the flat ("" before one is issued)
    required: Decimal | None  # the approved first payment on that ticket
    paid: Decimal
    paperwork_state: str  # phone approvals still without paper: 还有 n 天 / 今天到期 / 逾期 n 天
    late: bool  # past the deadline without the approved first payment: 转新价格政策

    @property
    def kind_label(self) -> str:
        return rules.KINDS[self.kind]

    @property
    def state_label(self) -> str:
        if self.state == "active" and self.late:
            return rules.NEW_PRICE_POLICY
        return rules.STATES[self.state]

    @property
    def basis(self) -> str:
        """What the flat is sold on: 书面审批 GF-… / 总经理电话审批(待补书面手续)."""
        if self.kind == "paper":
            return f"书面审批 {self.approval_no}"
        return f"电话审批,已补书面审批 {self.approval_no}" if self.approval_no else "总经理电话审批(待补书面手续)"


# ------------------------------------------------------------------ dates of the business


def _rules(db: Database, s: Session | None = None) -> dict:
    return settings.get_all(db, session=s)


def business_day(values: dict, when: datetime) -> date:
    return when.astimezone(ZoneInfo(values["visits.timezone"])).date()


def paperwork_due_for(values: dict, phoned_at: datetime) -> date:
    """The last working day for the paperwork of a phone approval taken at phoned_at (business time zone)."""
    day = business_day(values, phoned_at)
    return workdays.calendar(values, day).add_working_days(
        day, int(values["selection.relationship_paperwork_days"]))


# ------------------------------------------------------------------ recording


def _summary(a: RelationshipApproval) -> str:
    """The flat's relationship_note: what the grid and the set-up window show for the flat."""
    if a.kind == "paper":
        return f"关系房 书面审批 {a.approval_no}({a.approver})受益人 {a.beneficiary}"
    if a.paper_no:
        return f"关系房 书面审批 {a.paper_no}({a.paper_approver},电话审批后补办)受益人 {a.beneficiary}"
    return f"关系房 总经理电话审批({a.approver},经办人 {a.handled_by})受益人 {a.beneficiary}"


def _overdue_of_handler(s: Session, handled_by: str, today: date) -> RelationshipApproval | None:
    return s.scalars(select(RelationshipApproval).where(
        RelationshipApproval.handled_by == handled_by, RelationshipApproval.kind == "phone",
        RelationshipApproval.state == "active", RelationshipApproval.paper_no == "",
        RelationshipApproval.paperwork_due < today).order_by(RelationshipApproval.paperwork_due)).first()


def _label(s: Session, flat_id: uuid.UUID) -> str:
    f = s.get(Flat, flat_id)
    return stock.flat_label(f.building, f.entrance, f.room)


def record_approval(db: Database, *, user: Principal, flat_id: uuid.UUID, commission_id: uuid.UUID,
                    beneficiary: str, kind: str, average_price, payment_ratio, pay_deadline: date | None,
                    approval_no: str = "", approver: str = "", handled_by: str = "",
                    phoned_at: datetime | None = None, note: str = "", now: datetime | None = None) -> uuid.UUID:
    """登记关系房审批 for a flat available or released to the unit; the flat becomes a relationship flat.

    kind "paper": approval_no and approver (who signed). kind "phone": approver (the general manager who
    phoned), handled_by (经办人 who took the call) and phoned_at (default now); the paperwork is due
    selection.relationship_paperwork_days working days later. Raises ValidationFailed, FlatTaken, RuleBroken
    (the flat already has an active approval; the handler's paperwork is overdue) or NotPermitted.
    """
    user.require("selection.relationship", "登记关系房审批")
    now = now or utcnow()
    errors: dict[str, str] = {}
    beneficiary, approval_no, approver, handled_by = (v.strip() for v in (beneficiary, approval_no, approver,
                                                                          handled_by))
    if not beneficiary:
        errors["beneficiary"] = "请填写购房人(关系户)姓名"
    if kind not in rules.KINDS:
        errors["kind"] = "请选择审批方式:书面审批或总经理电话审批"
    try:
        price = Decimal(str(average_price)).quantize(Decimal("0.01"))
        if price <= 0:
            raise ValueError
    except (ArithmeticError, ValueError):
        errors["average_price"] = "请填写审批均价(元/m²),必须大于 0"
    try:
        ratio = Decimal(str(payment_ratio))
        if not Decimal("0") < ratio <= Decimal("1"):
            raise ValueError
    except (ArithmeticError, ValueError):
        errors["payment_ratio"] = "交款比例应在 0 到 100% 之间,例如 70%"
    if pay_deadline is None:
        errors["pay_deadline"] = "请填写审批的交款期限"
    if kind == "paper":
        if not approval_no:
            errors["approval_no"] = "书面审批须填写审批文号"
        if not approver:
            errors["approver"] = "请填写审批人"
        phoned_at = None
    elif kind == "phone":
        if not approver:
            errors["approver"] = "请填写来电审批的总经理(或以上)姓名"
        if not handled_by:
            errors["handled_by"] = "请填写接电话的经办人,由其在期限内补办书面手续"
        phoned_at = phoned_at or now
        if phoned_at.tzinfo is None:
            errors["phoned_at"] = "来电时间须带时区"
        approval_no = ""
    if errors:
        raise ValidationFailed(errors)

    def work(s: Session) -> uuid.UUID:
        values = _rules(db, s)
        today = business_day(values, now)
        start = business_day(values, phoned_at) if phoned_at else today
        if pay_deadline < start:
            raise ValidationFailed({"pay_deadline": f"交款期限 {pay_deadline:%Y-%m-%d} 早于审批日期 {start:%Y-%m-%d}"})
        # the flat row first: it serialises two desks recording for one flat
        marked = s.execute(update(Flat).where(
            Flat.id == flat_id,
            ((Flat.status == "available") | ((Flat.status == "released") & (Flat.commission_id == commission_id))))
            .values(status="released", commission_id=commission_id, version=Flat.version + 1, changed_at=now))
        if marked.rowcount != 1:
            flat = s.get(Flat, flat_id)
            if flat is None:
                raise FlatTaken("房源不存在")
            label = stock.flat_label(flat.building, flat.entrance, flat.room)
            if flat.status == "released":
                raise FlatTaken(f"{label} 已释放给其他委建房单位,不能作为本单位的关系房")
            raise FlatTaken(f"{label} 已被选或已售,不能再登记关系房审批")
        existing = _active(s, flat_id)
        if existing is not None:
            raise RuleBroken(f"{_label(s, flat_id)} 已有有效的关系房审批(受益人 {existing.beneficiary},"
                             f"{rules.KINDS[existing.kind]}):如需更正,请先撤销原审批再重新登记")
        if handled_by:
            overdue = _overdue_of_handler(s, handled_by, today)
            if overdue is not None:
                raise RuleBroken(f"经办人 {handled_by} 经办的电话审批({_label(s, overdue.flat_id)},受益人 "
                                 f"{overdue.beneficiary})补办书面手续期限 {overdue.paperwork_due:%Y-%m-%d} 已过仍未补齐,"
                                 "按规定不再发放房源:请先补办书面手续")
        a = RelationshipApproval(
            id=uuid.uuid4(), flat_id=flat_id, commission_id=commission_id, beneficiary=beneficiary, kind=kind,
            approval_no=approval_no, approver=approver, handled_by=handled_by, phoned_at=phoned_at,
            paperwork_due=paperwork_due_for(values, phoned_at) if kind == "phone" else None, paper_no="",
            paper_approver="", paperwork_by="", average_price=price, payment_ratio=ratio, pay_deadline=pay_deadline,
            note=note.strip(), state="active", ended_by="", end_reason="", recorded_by=user.display_name,
            recorded_at=now)
        s.add(a)
        s.flush()
        s.execute(update(Flat).where(Flat.id == flat_id).values(relationship_note=_summary(a)))
        audit.record(s, actor=user.display_name, action="create", entity=ENTITY, entity_id=a.id, customer_id=None,
                     note=f"{_label(s, flat_id)}:{_summary(a)};均价 {price:,.2f} 元/m²,交款比例 "
                          f"{rules.percent(ratio)},交款期限 {pay_deadline:%Y-%m-%d}")
        return a.id

    return db.transact(work)


def _active(s: Session, flat_id: uuid.UUID) -> RelationshipApproval | None:
    return s.scalar(select(RelationshipApproval).where(RelationshipApproval.flat_id == flat_id,
                                                       RelationshipApproval.state == "active"))


def _load_active(s: Session, approval_id: uuid.UUID) -> RelationshipApproval:
    a = s.get(RelationshipApproval, approval_id)
    if a is None:
        raise ValidationFailed({"approval": "找不到该关系房审批"})
    if a.state != "active":
        raise RuleBroken(f"该关系房审批{rules.STATES[a.state]},不能再办理")
    return a


def complete_paperwork(db: Database, *, user: Principal, approval_id: uuid.UUID, paper_no: str,
                       paper_approver: str, now: datetime | None = None) -> None:
    """补办书面手续: a phone approval gets the paper approval's number; nothing else of it changes."""
    user.require("selection.relationship", "补办关系房书面审批手续")
    errors = {}
    if not paper_no.strip():
        errors["paper_no"] = "请填写书面审批文号"
    if not paper_approver.strip():
        errors["paper_approver"] = "请填写书面审批的审批人"
    if errors:
        raise ValidationFailed(errors)
    now = now or utcnow()

    def work(s: Session) -> None:
        a = _load_active(s, approval_id)
        if a.kind != "phone":
            raise RuleBroken("书面审批无需补办手续")
        if a.paper_no:
            raise RuleBroken(f"该电话审批已补办书面审批 {a.paper_no}")
        a.paper_no, a.paper_approver = paper_no.strip(), paper_approver.strip()
        a.paperwork_at, a.paperwork_by = now, user.display_name
        s.execute(update(Flat).where(Flat.id == a.flat_id)
                  .values(relationship_note=_summary(a), version=Flat.version + 1, changed_at=now))
        late = now.astimezone(ZoneInfo(_rules(db, s)["visits.timezone"])).date() > a.paperwork_due
        audit.record(s, actor=user.display_name, action="done", entity=ENTITY, entity_id=a.id, customer_id=None,
                     diffs=[("paper_no", "", a.paper_no), ("paper_approver", "", a.paper_approver)],
                     note="")
        if late:
            audit.record(s, actor=user.display_name, action="done", entity=ENTITY, entity_id=a.id,
                         customer_id=None, note=f"逾期补办(期限 {a.paperwork_due:%Y-%m-%d})")

    db.transact(work)


def withdraw(db: Database, *, user: Principal, approval_id: uuid.UUID, reason: str,
             now: datetime | None = None) -> None:
    """撤销 — the only correction: the approval ends (kept, audited) and a new one is recorded. The flat stays
    a relationship flat, so it is not sold until the new approval is recorded."""
    user.require("selection.relationship", "撤销关系房审批")
    if not reason.strip():
        raise ValidationFailed({"reason": "请填写撤销原因(如:均价填错,重新登记)"})
    now = now or utcnow()

    def work(s: Session) -> None:
        a = _load_active(s, approval_id)
        ticket = _held_ticket(s, a.flat_id)
        if ticket is not None:
            raise RuleBroken(f"{_label(s, a.flat_id)} 已按该审批开出选房工作票 {ticket.display_number}:"
                             "请先红字冲销该票,再撤销审批")
        _end(s, a, state="withdrawn", user=user, reason=reason.strip(), now=now)
        audit.record(s, actor=user.display_name, action="cancel", entity=ENTITY, entity_id=a.id, customer_id=None,
                     note=f"{_label(s, a.flat_id)}:{reason.strip()}")

    db.transact(work)


def _end(s: Session, a: RelationshipApproval, *, state: str, user: Principal, reason: str, now: datetime) -> None:
    a.state, a.ended_at, a.ended_by, a.end_reason = state, now, user.display_name, reason
    s.flush()


def _held_ticket(s: Session, flat_id: uuid.UUID) -> SelectionDocument | None:
    ticket_id = s.scalar(select(FlatHold.ticket_id).where(FlatHold.flat_id == flat_id))
    return s.get(SelectionDocument, ticket_id) if ticket_id else None


def _standing(s: Session, a: RelationshipApproval, today: date) -> tuple[SelectionDocument | None,
                                                                         Decimal | None, Decimal, bool]:
    """(active ticket, approved first payment on it, paid, late)."""
    from app.services.selection.payments import paid_towards  # payments → tickets → this module

    ticket = _held_ticket(s, a.flat_id)
    required = rules.first_payment(ticket.amount, a.payment_ratio) if ticket is not None else None
    paid = paid_towards(s, ticket.buyer_id) if ticket is not None else Decimal("0.00")
    return ticket, required, paid, rules.is_late(today=today, pay_deadline=a.pay_deadline, paid=paid,
                                                 required=required)


def apply_new_price_policy(db: Database, *, user: Principal, approval_id: uuid.UUID, reason: str = "",
                           now: datetime | None = None) -> IssuedDocument | None:
    """转新价格政策 for a late payer: the approval lapses and the flat returns to the normal price list.

    When the buyer already holds a ticket at the approved price, it is reversed in red and a new ticket at
    the flat's list price is opened for the same buyer and ratio (returned); the money paid stays with the
    buyer. Refused before the deadline or once the approved first payment is in.
    """
    from app.services.selection import corrections, tickets

    user.require("selection.relationship", "关系房转新价格政策")
    now = now or utcnow()

    def work(s: Session) -> IssuedDocument | None:
        a = _load_active(s, approval_id)
        today = business_day(_rules(db, s), now)
        ticket, required, paid, late = _standing(s, a, today)
        label = _label(s, a.flat_id)
        if not late:
            if today <= a.pay_deadline:
                raise RuleBroken(f"{label} 的交款期限 {a.pay_deadline:%Y-%m-%d} 未到,不能转新价格政策")
            raise RuleBroken(f"{label} 已按审批比例交款 {paid:,.2f} 元(应交 {required:,.2f} 元),无需转新价格政策")
        flat = s.get(Flat, a.flat_id)
        if flat.price_per_m2 is None:
            raise RuleBroken(f"{label} 在正常价目表中没有价格:请先定价,再转新价格政策")
        why = reason.strip() or (f"逾期未按审批交款(期限 {a.pay_deadline:%Y-%m-%d},应交 "
                                 f"{(required or Decimal(0)):,.2f} 元,已交 {paid:,.2f} 元),转新价格政策")
        _end(s, a, state="lapsed", user=user, reason=why, now=now)
        s.execute(update(Flat).where(Flat.id == a.flat_id)
                  .values(relationship_note="", version=Flat.version + 1, changed_at=now))
        new = None
        if ticket is not None:
            user.require("selection.reverse", "红字冲红")
            t = documents.content_of(ticket)
            corrections._cancel(s, user=user, doc=ticket, reason=why, now=now)
            commission = s.get(Commission, ticket.commission_id)
            buyer = s.get(Buyer, ticket.buyer_id)
            new = tickets._open(s, user=user, commission=commission, buyer=buyer, flat_id=a.flat_id,
                                ratio=Decimal(t["payment_ratio"]), discounts=[tuple(d) for d in t["discounts"]],
                                ratio_approval=t.get("ratio_approval", "") or a.approval_no or a.paper_no,
                                now=now, extra={"new_price_policy": why})
            if paid >= Decimal(new.content["amount_now"]):
                s.execute(update(Flat).where(Flat.id == a.flat_id, Flat.status == "chosen")
                          .values(status="paid", version=Flat.version + 1, changed_at=now))
        audit.record(s, actor=user.display_name, action="lapse", entity=ENTITY, entity_id=a.id, customer_id=None,
                     note=f"{label}:{why}" + (f";新票 {new.number}" if new else ""))
        return new

    return db.transact(work)


# ------------------------------------------------------------------ the ticket desk's check


def for_sale(s: Session, *, flat_id: uuid.UUID, label: str, buyer_name: str, ratio: Decimal,
             now: datetime) -> RelationshipApproval:
    """The active approval a relationship flat is sold on, or a Chinese refusal naming the numbers."""
    a = _active(s, flat_id)
    if a is None:
        raise RuleBroken(f"{label} 是关系房,但没有有效的关系房审批(书面审批或总经理电话审批),不能开票:"
                         "请先登记审批")
    today = business_day(settings.get_all(None, session=s), now)
    if today > a.pay_deadline:
        raise RuleBroken(f"{label} 的关系房审批交款期限 {a.pay_deadline:%Y-%m-%d} 已过,不能再按审批均价 "
                         f"{a.average_price:,.2f} 元/m² 开票:请先转新价格政策(按正常价目表)")
    if normalise_name(buyer_name) != normalise_name(a.beneficiary):
        raise RuleBroken(f"{label} 的关系房审批给 {a.beneficiary},不能售给 {buyer_name}")
    problem = rules.ratio_problem(ratio, a.payment_ratio)
    if problem:
        raise RuleBroken(problem)
    return a


def approved_price(s: Session, ticket_content: dict) -> Decimal | None:
    """The approved average price a ticket was sold at, while its approval stands (None: not a relationship
    ticket, or its approval has ended)."""
    info = ticket_content.get("relationship")
    if not info:
        return None
    a = s.get(RelationshipApproval, uuid.UUID(info["approval_id"]))
    return a.average_price if a is not None and a.state == "active" else None


# ------------------------------------------------------------------ lists


def _rows(s: Session, values: dict, now: datetime, *where) -> list[ApprovalRow]:
    today = business_day(values, now)
    q = (select(RelationshipApproval, Flat, Commission.name)
         .join(Flat, Flat.id == RelationshipApproval.flat_id)
         .join(Commission, Commission.id == RelationshipApproval.commission_id)
         .where(*where).order_by(RelationshipApproval.recorded_at))
    out = []
    for a, f, unit in s.execute(q).all():
        ticket, required, paid, late = _standing(s, a, today) if a.state == "active" else (None, None,
                                                                                           Decimal(0), False)
        waiting = a.kind == "phone" and not a.paper_no and a.state == "active"
        out.append(ApprovalRow(
            a.id, a.flat_id, stock.flat_label(f.building, f.entrance, f.room), unit, a.beneficiary, a.kind,
            a.approval_no or a.paper_no, a.approver,
            a.handled_by, a.phoned_at, a.paperwork_due, a.average_price, a.payment_ratio, a.pay_deadline, a.state,
            a.recorded_by, a.recorded_at, ticket.display_number if ticket else "", required, paid,
            rules.paperwork_status(a.paperwork_due, today) if waiting else "", late))
    return out


def approvals(db: Database, *, user: Principal, commission_id: uuid.UUID, include_ended: bool = False,
              now: datetime | None = None) -> list[ApprovalRow]:
    """The unit's relationship approvals, oldest first (ended ones too with include_ended)."""
    user.require("selection.view", "查看关系房审批")
    where = [RelationshipApproval.commission_id == commission_id]
    if not include_ended:
        where.append(RelationshipApproval.state == "active")
    with db.read() as s:
        return _rows(s, _rules(db, s), now or utcnow(), *where)


def paperwork_list(db: Database, *, user: Principal, commission_id: uuid.UUID,
                   now: datetime | None = None) -> list[ApprovalRow]:
    """补办书面手续: active phone approvals still without their paper approval, the earliest due first."""
    user.require("selection.view", "查看关系房补办手续清单")
    with db.read() as s:
        rows = _rows(s, _rules(db, s), now or utcnow(), RelationshipApproval.commission_id == commission_id,
                     RelationshipApproval.state == "active", RelationshipApproval.kind == "phone",
                     RelationshipApproval.paper_no == "")
    return sorted(rows, key=lambda r: r.paperwork_due)


def late_payers(db: Database, *, user: Principal, commission_id: uuid.UUID,
                now: datetime | None = None) -> list[ApprovalRow]:
    """逾期付款(转新价格政策): active approvals past their deadline without the approved first payment."""
    user.require("selection.view", "查看关系房逾期付款清单")
    with db.read() as s:
        rows = _rows(s, _rules(db, s), now or utcnow(), RelationshipApproval.commission_id == commission_id,
                     RelationshipApproval.state == "active")
    return sorted((r for r in rows if r.late), key=lambda r: r.pay_deadline)


def export(db: Database, *, user: Principal, commission_id: uuid.UUID, what: str, path: Path,
           now: datetime | None = None) -> int:
    """Write the paperwork list or the late payers to an Excel file; the export is logged. Returns rows."""
    from reports import selection_lists as sl

    user.require("selection.view", f"导出{EXPORTS.get(what, '')}")
    path = Path(path)
    if what not in EXPORTS or path.suffix.lower() != ".xlsx":
        raise ValidationFailed({"path": "只能导出为 Excel(.xlsx)文件"})
    rows = (paperwork_list if what == "paperwork" else late_payers)(db, user=user, commission_id=commission_id,
                                                                     now=now)
    with db.read() as s:
        unit, project = s.execute(select(Commission.name, Project.name).join(Project, Project.id == Commission.project_id)
                                  .where(Commission.id == commission_id)).one()
    try:
        sl.relationship_xlsx(path, rows, what=what, title=EXPORTS[what], project=f"{project}  委建房单位:{unit}")
    except OSError as exc:
        raise UserError(f"无法写入 {path.name}:{exc.strerror or exc},请换一个位置或关闭已打开的同名文件") from exc
    db.transact(lambda s: access.log(s, user, action="export", customer_id=None, level="", allowed=True,
                                     note=f"导出{EXPORTS[what]}({unit}){len(rows)} 行;{path.name}"))
    return len(rows)


@dataclass(frozen=True)
class FlatChoice:
    id: uuid.UUID
    label: str
    list_price: Decimal | None
    note: str  # the flat's relationship mark ("" for an ordinary flat)


def flats_for_approval(db: Database, *, user: Principal, commission_id: uuid.UUID) -> list[FlatChoice]:
    """The unit's released flats without an active approval (relationship-marked ones first), for the form."""
    user.require("selection.relationship", "登记关系房审批")
    approved = select(RelationshipApproval.flat_id).where(RelationshipApproval.state == "active")
    with db.read() as s:
        flats = s.scalars(select(Flat).where(Flat.commission_id == commission_id, Flat.status == "released",
                                             Flat.id.not_in(approved))
                          .order_by(Flat.building, Flat.entrance, Flat.floor, Flat.room)).all()
        out = [FlatChoice(f.id, stock.flat_label(f.building, f.entrance, f.room), f.price_per_m2,
                          f.relationship_note) for f in flats]
    return sorted(out, key=lambda f: not f.note)
