"""Inquiries and correspondence (询价与函电): received from any channel, answered within the working-hour clock
(app.domain.inquiries), filed in the customer's archive (联络记录) when linked; the list with the overdue ones
and the answer figures. Receiving and answering need `complaints.receive` (the front desk and the reps who take
customers' calls), viewing `reception.view`."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app import settings
from app.db import Database
from app.domain import inquiries as rules
from app.errors import NotFound, UserError, ValidationFailed
from app.services import audit, reception_counter, workdays
from app.services.users import Principal
from app.services.visits import HIDDEN_NAME, readable_ids
from models import ArchiveEntry, Customer, Inquiry
from models.base import utcnow

ARCHIVE_KIND = {"phone": "call", "visit": "visit", "letter": "letter", "email": "email", "fax": "fax",
                "web": "email", "other": "call"}


@dataclass(frozen=True)
class InquiryRow:
    id: uuid.UUID
    version: int
    number: str
    customer_id: uuid.UUID | None
    customer_name: str
    inquirer: str
    channel: str
    subject: str
    received_by: str
    received_at: datetime
    respond_by: datetime
    answered_at: datetime | None
    answered_by: str
    answer: str
    overdue: bool

    @property
    def channel_label(self) -> str:
        return rules.CHANNELS.get(self.channel, self.channel)


def _row(i: Inquiry, name: str, now: datetime, hidden: bool = False) -> InquiryRow:
    late = rules.is_overdue(respond_by=i.respond_by, answered_at=i.answered_at, now=now)
    if hidden:  # the clock and channel stay visible; who asked and what do not
        return InquiryRow(i.id, i.version, i.number, i.customer_id, HIDDEN_NAME, "", i.channel, "(保密)",
                          i.received_by, i.received_at, i.respond_by, i.answered_at, i.answered_by, "", late)
    return InquiryRow(i.id, i.version, i.number, i.customer_id, name, i.inquirer, i.channel, i.subject,
                      i.received_by, i.received_at, i.respond_by, i.answered_at, i.answered_by, i.answer, late)


def receive(db: Database, *, user: Principal, values: dict, now: datetime | None = None) -> uuid.UUID:
    """Record an inquiry and start its clock (working hours)."""
    user.require("complaints.receive", "登记客户询价")
    v = {k: (values.get(k) or "").strip() for k in ("inquirer", "contact", "channel", "subject", "content")}
    customer_id = values.get("customer_id") or None
    errors = {}
    if not v["inquirer"] and customer_id is None:
        errors["inquirer"] = "请填写询价人或选择客户"
    if v["channel"] not in rules.CHANNELS:
        errors["channel"] = "请选择来源渠道"
    if not v["subject"]:
        errors["subject"] = "请填写询价内容摘要"
    if errors:
        raise ValidationFailed(errors)
    received_at = values.get("received_at") or now or utcnow()
    if received_at > (now or utcnow()) + timedelta(minutes=5):
        raise ValidationFailed({"received_at": "收到时间不能晚于现在"})
    r = settings.get_all(db)
    zone = ZoneInfo(r["visits.timezone"])

    def work(s):
        name = ""
        if customer_id is not None:
            customer = s.get(Customer, customer_id)
            if customer is None:
                raise NotFound("客户不存在")
            name = customer.name
        local = received_at.astimezone(zone)
        number = f"XJ-{local.year}-{reception_counter.take(s, kind='inquiry', year=local.year):04d}"
        due = rules.respond_by(r, received_at, workdays.calendar(r, local.date()), zone)
        i = Inquiry(id=uuid.uuid4(), number=number, customer_id=customer_id, inquirer=v["inquirer"] or name,
                    contact=v["contact"], channel=v["channel"], subject=v["subject"], content=v["content"],
                    received_by=user.display_name, received_at=received_at, respond_by=due, answered_by="",
                    answer="")
        s.add(i)
        if customer_id is not None:  # every contact lands in the archive (联络记录)
            s.add(ArchiveEntry(id=uuid.uuid4(), customer_id=customer_id, section="contact",
                               kind=ARCHIVE_KIND.get(v["channel"], "call"), entry_date=local.date(),
                               subject=f"询价:{v['subject']}"[:200], reference=number,
                               content=v["content"], recorded_by=user.display_name))
        s.flush()
        audit.record(s, actor=user.display_name, action="create", entity="inquiry", entity_id=i.id,
                     customer_id=customer_id, note=f"{number} {rules.CHANNELS[v['channel']]}询价:{v['subject']}")
        return i.id

    return db.transact(work)


def answer(db: Database, *, user: Principal, inquiry_id: uuid.UUID, text: str, now: datetime | None = None,
           expected_version: int | None = None) -> None:
    """答复: stops the clock; once only (a later answer is a new contact)."""
    user.require("complaints.receive", "答复客户询价")
    if not (text or "").strip():
        raise ValidationFailed({"answer": "请填写答复内容"})

    def work(s):
        i = s.get(Inquiry, inquiry_id, with_for_update=True)
        if i is None:
            raise NotFound("询价记录不存在")
        if expected_version is not None and i.version != expected_version:
            raise UserError("该询价刚被别人修改过,请重新打开后再答复")
        if i.answered_at is not None:
            raise UserError(f"该询价已于 {i.answered_at:%Y-%m-%d %H:%M} 由{i.answered_by}答复")
        i.answered_at, i.answered_by, i.answer = now or utcnow(), user.display_name, text.strip()
        i.version += 1
        audit.record(s, actor=user.display_name, action="update", entity="inquiry", entity_id=i.id,
                     customer_id=i.customer_id, note=f"{i.number} 答复:{text.strip()[:100]}")

    db.transact(work)


def list_inquiries(db: Database, *, user: Principal, open_only: bool = False,
                   now: datetime | None = None) -> list[InquiryRow]:
    """Newest first; overdue ones carry overdue=True; archives the user may not read show only the clock."""
    user.require("reception.view", "查看客户询价")
    q = (select(Inquiry, Customer.name).outerjoin(Customer, Customer.id == Inquiry.customer_id)
         .order_by(Inquiry.received_at.desc()))
    if open_only:
        q = q.where(Inquiry.answered_at.is_(None))
    now = now or utcnow()
    with db.read() as s:
        found = s.execute(q).all()
        readable = readable_ids(s, user, {i.customer_id for i, _n in found if i.customer_id is not None})
        return [_row(i, name or "", now, hidden=i.customer_id is not None and i.customer_id not in readable)
                for i, name in found]


def figures(rows: list[InquiryRow]) -> rules.Figures:
    return rules.figures(rows)
