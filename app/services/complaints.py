"""Complaints (客户投诉): received from any channel, answered within the clock, investigated, handled and fed
back until the customer is satisfied; statistics by cause and month.

A complaint linked to a customer lands in the customer's archive, section 投诉折价 (app.services.archive's
ArchiveEntry, kind "complaint", reference = the complaint number), in the same transaction; closing it writes
each step into that entry. Taking a complaint needs complaints.receive only, not the right to read the card:
filing it reveals nothing of the archive, and the entry is then read under the card's own level.

Times are stored in UTC; the number's year, the archive date, the months of the statistics and every printed
time are the business's (setting visits.timezone), not the desk computer's.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app import settings
from app.db import Database
from app.domain import complaints as rules
from app.errors import NotFound, StaleEdit, UserError, ValidationFailed
from app.services import audit, reception_counter, workdays
from app.services.users import Principal
from app.services.visits import HIDDEN_NAME, calendar_zone, readable_ids
from models import ArchiveEntry, Complaint, ComplaintStep, Customer
from models.base import utcnow


@dataclass(frozen=True)
class StepRow:
    action: str  # Chinese label
    note: str
    by: str
    at: datetime


@dataclass(frozen=True)
class ComplaintRow:
    id: uuid.UUID
    version: int
    number: str
    customer_id: uuid.UUID | None
    customer_name: str
    complainant: str
    contact: str
    channel: str
    cause: str
    subject: str
    content: str
    received_by: str
    received_at: datetime
    respond_by: datetime
    answered_at: datetime | None
    status: str
    closed_at: datetime | None
    overdue: bool

    @property
    def status_label(self) -> str:
        return rules.STATUS.get(self.status, self.status)

    @property
    def channel_label(self) -> str:
        return rules.CHANNELS.get(self.channel, self.channel)

    @property
    def cause_label(self) -> str:
        return rules.CAUSES.get(self.cause, self.cause)


RECEIPT_SLACK_MINUTES = 10  # clocks of two desks differ a little


def _row(c: Complaint, name: str, now: datetime) -> ComplaintRow:
    return ComplaintRow(c.id, c.version, c.number, c.customer_id, name, c.complainant, c.contact, c.channel, c.cause,
                        c.subject, c.content, c.received_by, c.received_at, c.respond_by, c.answered_at, c.status,
                        c.closed_at, rules.is_overdue(respond_by=c.respond_by, answered_at=c.answered_at, now=now))


def receive(db: Database, *, user: Principal, values: dict, now: datetime | None = None) -> uuid.UUID:
    """受理: record the complaint, start the response clock, file it in the customer's archive when linked."""
    user.require("complaints.receive", "受理客户投诉")
    v = {k: (values.get(k) or "").strip() if isinstance(values.get(k, ""), str) else values.get(k)
         for k in ("complainant", "contact", "channel", "cause", "subject", "content")}
    customer_id = values.get("customer_id") or None
    errors = {}
    if not v["complainant"] and customer_id is None:
        errors["complainant"] = "请填写投诉人或选择客户"
    if v["channel"] not in rules.CHANNELS:
        errors["channel"] = "请选择投诉渠道"
    if v["cause"] not in rules.CAUSES:
        errors["cause"] = "请选择投诉原因"
    if not v["subject"]:
        errors["subject"] = "请填写投诉事由"
    if errors:
        raise ValidationFailed(errors)
    received_at = values.get("received_at") or now or utcnow()
    if received_at > (now or utcnow()) + timedelta(minutes=RECEIPT_SLACK_MINUTES):
        # a receipt dated ahead would push the 24-hour clock out and hide a late answer
        raise ValidationFailed({"received_at": "受理时间不能晚于现在"})
    r = settings.get_all(db)
    zone = ZoneInfo(r["visits.timezone"])

    def work(s):
        if customer_id is not None:
            customer = s.get(Customer, customer_id)
            if customer is None:
                raise NotFound("客户不存在")
            # no archive-level check: filing a complaint reveals nothing of the archive, and the front desk
            # must be able to take one from any customer; the archive entry is read under the card's level
        local = received_at.astimezone(zone)  # TS-2027-… for a complaint taken on 1 January in Beijing
        number = f"TS-{local.year}-{reception_counter.take(s, kind='complaint', year=local.year):04d}"
        c = Complaint(id=uuid.uuid4(), number=number, customer_id=customer_id,
                      complainant=v["complainant"], contact=v["contact"], channel=v["channel"],
                      cause=v["cause"], subject=v["subject"], content=v["content"], received_by=user.display_name,
                      received_at=received_at, status="received",
                      respond_by=rules.respond_by(r, received_at, workdays.calendar(r, local.date()), zone))
        s.add(c)
        s.add(ComplaintStep(complaint_id=c.id, action="receive", note=v["content"], by=user.display_name,
                            at=received_at))
        if customer_id is not None:
            entry = ArchiveEntry(id=uuid.uuid4(), customer_id=customer_id, section="complaint", kind="complaint",
                                 entry_date=local.date(), subject=v["subject"][:200], reference=number,
                                 content=_archive_text(c, [], zone), recorded_by=user.display_name)
            s.add(entry)
            s.flush()
            c.archive_entry_id = entry.id
            audit.record(s, actor=user.display_name, action="create", entity="archive_entry", entity_id=entry.id,
                         customer_id=customer_id, note=f"投诉 {number}:{v['subject']}")
        s.flush()
        audit.record(s, actor=user.display_name, action="create", entity="complaint", entity_id=c.id,
                     customer_id=customer_id,
                     note=f"{number} {rules.CHANNELS[v['channel']]}受理:{v['subject']}")
        return c.id

    return db.transact(work)


def _archive_text(c: Complaint, steps: list[ComplaintStep], zone: ZoneInfo) -> str:
    lines = [f"渠道:{rules.CHANNELS.get(c.channel, c.channel)};原因:{rules.CAUSES.get(c.cause, c.cause)};"
             f"状态:{rules.STATUS.get(c.status, c.status)}", c.content]
    lines += [f"{st.at.astimezone(zone):%Y-%m-%d %H:%M} {rules.STEP_LABELS.get(st.action, st.action)}({st.by}):{st.note}"
              for st in steps if st.action != "receive"]
    return "\n".join(x for x in lines if x)


def advance(db: Database, *, user: Principal, complaint_id: uuid.UUID, action: str, note: str,
            expected_version: int | None = None, now: datetime | None = None) -> str:
    """One step: answer (答复客户, stops the response clock), investigate, handle, satisfied / not_satisfied.
    Returns the new status."""
    if action == "answer":
        if not user.can("complaints.handle"):
            user.require("complaints.receive", "答复客户投诉")
    else:
        user.require("complaints.handle", "处理客户投诉")
    if action not in rules.STEPS:
        raise ValidationFailed({"action": "未知的处理步骤"})
    if not note.strip():
        raise ValidationFailed({"note": f"请填写{rules.STEP_LABELS[action]}的内容"})
    at = now or utcnow()
    zone = calendar_zone(db)

    def work(s):
        c = s.get(Complaint, complaint_id, with_for_update=True)  # two handlers at once: one step at a time
        if c is None:
            raise NotFound("投诉不存在")
        if expected_version is not None and c.version != expected_version:
            raise StaleEdit()
        to = rules.next_status(c.status, action)
        if to is None:
            raise UserError(f"投诉{c.number}当前为“{rules.STATUS[c.status]}”,不能{rules.STEP_LABELS[action]}")
        before = c.status
        c.status = to
        if action == "answer":
            c.answered_at = at
        if to == "closed":
            c.closed_at = at
        c.version += 1
        s.add(ComplaintStep(complaint_id=c.id, action=action, note=note.strip(), by=user.display_name, at=at))
        s.flush()
        if c.archive_entry_id is not None:
            entry = s.get(ArchiveEntry, c.archive_entry_id)
            if entry is not None:
                steps = list(s.scalars(select(ComplaintStep).where(ComplaintStep.complaint_id == c.id)
                                       .order_by(ComplaintStep.at)))
                entry.content = _archive_text(c, steps, zone)
                entry.version += 1
        audit.record(s, actor=user.display_name, action="step", entity="complaint", entity_id=c.id,
                     customer_id=c.customer_id, diffs=[("status", rules.STATUS[before], rules.STATUS[to])])
        return to

    return db.transact(work)


def list_complaints(db: Database, *, user: Principal, open_only: bool = False,
                    now: datetime | None = None) -> list[ComplaintRow]:
    """Newest first; overdue ones (not answered within the clock) carry overdue=True."""
    user.require("reception.view", "查看客户投诉")
    q = (select(Complaint, Customer.name).outerjoin(Customer, Customer.id == Complaint.customer_id)
         .order_by(Complaint.received_at.desc()))
    if open_only:
        q = q.where(Complaint.status != "closed")
    now = now or utcnow()
    with db.read() as s:
        found = s.execute(q).all()
        readable = readable_ids(s, user, {c.customer_id for c, _n in found if c.customer_id is not None})
        return [_row(c, name or "", now) if c.customer_id is None or c.customer_id in readable else _hidden(c, now)
                for c, name in found]


def service_figures(db: Database, *, user: Principal, rows: list[ComplaintRow]) -> rules.ServiceFigures:
    """The figures of the complaints listed (so the footer agrees with the rows): overdue (超时), resolution
    rate, satisfaction from the feedback steps, mean response and resolution times."""
    user.require("reception.view", "查看投诉统计")
    ids = [r.id for r in rows]
    counts: dict[str, int] = {}
    with db.read() as s:
        for begin in range(0, len(ids), 500):
            q = (select(ComplaintStep.action, func.count()).where(
                ComplaintStep.complaint_id.in_(ids[begin:begin + 500]),
                ComplaintStep.action.in_(("satisfied", "not_satisfied"))).group_by(ComplaintStep.action))
            for action, n in s.execute(q):
                counts[action] = counts.get(action, 0) + n
    return rules.service_figures(rows, satisfied=counts.get("satisfied", 0),
                                 not_satisfied=counts.get("not_satisfied", 0))


def _hidden(c: Complaint, now: datetime) -> ComplaintRow:
    """A complaint about a customer whose archive this user may not read: its number, channel, cause and clock
    (the desk still sees what is late), not who complained or what about."""
    return ComplaintRow(c.id, c.version, c.number, c.customer_id, HIDDEN_NAME, "", "", c.channel, c.cause,
                        "(保密)", "", c.received_by, c.received_at, c.respond_by, c.answered_at, c.status,
                        c.closed_at, rules.is_overdue(respond_by=c.respond_by, answered_at=c.answered_at, now=now))


def steps(db: Database, *, user: Principal, complaint_id: uuid.UUID) -> list[StepRow]:
    user.require("reception.view", "查看客户投诉")
    with db.read() as s:
        c = s.get(Complaint, complaint_id)
        if c is not None and c.customer_id is not None and not readable_ids(s, user, {c.customer_id}):
            return []  # the steps tell what the complaint is about
        return [StepRow(rules.STEP_LABELS.get(st.action, st.action), st.note, st.by, st.at)
                for st in s.scalars(select(ComplaintStep).where(ComplaintStep.complaint_id == complaint_id)
                                    .order_by(ComplaintStep.at))]


def cause_statistics(db: Database, *, user: Principal, since: datetime | None = None):
    """(months, [(cause, counts per month, total)]) by the business's month of receipt."""
    user.require("reception.view", "查看投诉统计")
    q = select(Complaint.cause, Complaint.received_at)
    if since is not None:
        q = q.where(Complaint.received_at >= since)
    zone = calendar_zone(db)
    with db.read() as s:
        return rules.cause_table((cause, at.astimezone(zone).date()) for cause, at in s.execute(q))


def export_statistics(db: Database, *, user: Principal, path: Path, since: datetime | None = None,
                      now: datetime | None = None) -> int:
    """Excel: the cause × month table, then every complaint with its response time."""
    from reports import complaint_stats

    months, table = cause_statistics(db, user=user, since=since)
    rows = [r for r in list_complaints(db, user=user, now=now) if since is None or r.received_at >= since]
    zone = calendar_zone(db)
    listing = [[r.number, r.received_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), r.customer_name or r.complainant,
                r.channel_label, r.cause_label, r.subject, r.status_label,
                r.answered_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if r.answered_at else "",
                round((r.answered_at - r.received_at).total_seconds() / 3600, 1) if r.answered_at else None,
                "超时" if r.overdue else ""] for r in rows]
    complaint_stats.write_excel(path, months, table, listing, exported_by=user.display_name,
                                exported_at=(now or utcnow()).astimezone(zone).strftime("%Y-%m-%d %H:%M"))
    return len(rows)
