"""The calendar's side lists: overdue by frequency, rotation (巡回访问), birthdays and holidays.

Only customers the user may read (access.readable) and that are neither merged nor lost (流失客户).
A contact is any entry of the archive's contact log (联络记录): a filed visit report puts one there, and
calls or letters entered on the card count as well ("called or visited at least once a quarter").
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app import settings
from app.db import Database
from app.domain import visit_rules as R
from app.services import access, workdays
from app.services.users import Principal
from models import ArchiveEntry, Customer, KeyPerson, Staff

LIMIT = 500  # a side list, not a report: the most urgent first


@dataclass(frozen=True)
class DueRow:
    customer_id: uuid.UUID
    code: str
    name: str
    grade: str
    owner_name: str
    last_contact: date | None
    due_on: date | None
    days_overdue: int | None  # None: never contacted


@dataclass(frozen=True)
class GreetingRow:
    when: date
    kind: str  # "birthday" / "holiday" / "report"
    title: str  # 张伟(总经理) 50岁生日 · 客户名称 / 国庆节 / 月度市场报告截止
    customer_id: uuid.UUID | None
    done: bool = False  # the greeting is on the customer's contact log (问候:…, recorded within GREETED_DAYS)

    @property
    def occasion(self) -> str:
        """What the greeting is for, as the contact log names it: 张伟(总经理) 50岁生日."""
        return self.title.split(" · ")[0]


GREETED_DAYS = 45  # a greeting recorded this long before the day counts for it


def record_greeting(db: Database, *, user: Principal | None, actor: str, row: GreetingRow, way: str = "call",
                    note: str = "", on: date | None = None) -> uuid.UUID:
    """节日问候 / 生日祝福: filed in the customer's contact log (联络记录, subject 问候:…) like every contact, under the
    card's rights (archive.add_entry)."""
    from app.services import archive

    if row.customer_id is None:
        raise ValueError("a greeting is recorded on a customer")
    return archive.add_entry(db, actor=actor, customer_id=row.customer_id, user=user, values={
        "section": "contact", "kind": way, "entry_date": on or date.today(), "subject": f"问候:{row.occasion}",
        "content": note})


def _contacts(user: Principal | None, staff_id: uuid.UUID | None, region: str):
    last = (select(ArchiveEntry.customer_id, func.max(ArchiveEntry.entry_date).label("last"))
            .where(ArchiveEntry.section == "contact").group_by(ArchiveEntry.customer_id).subquery())
    q = (select(Customer.id, Customer.code, Customer.name, Customer.grade, Staff.name, last.c.last)
         .outerjoin(last, last.c.customer_id == Customer.id)
         .outerjoin(Staff, Staff.id == Customer.owner_id)
         .where(Customer.merged_into_id.is_(None), Customer.status != "lost"))
    if user is not None:
        q = q.where(access.readable(user))
    if staff_id:
        q = q.where(Customer.owner_id == staff_id)
    if region:
        q = q.where(Customer.region == region)
    return q


def _require(user: Principal | None) -> None:
    if user is not None:
        user.require("visits.view", "查看拜访日历")


def overdue_list(db: Database, *, user: Principal | None, today: date | None = None,
                 staff_id: uuid.UUID | None = None, region: str = "") -> list[DueRow]:
    """Customers past their grade's longest gap between contacts (visits.interval_days.*)."""
    _require(user)
    today = today or date.today()
    rules = settings.get_all(db)
    graded = [g for g in R.GRADED if R.interval_days(g, rules) > 0]
    with db.read() as s:
        rows = {r[0]: r for r in s.execute(_contacts(user, staff_id, region).where(Customer.grade.in_(graded)))}
    due = R.overdue(((cid, r[3], r[5]) for cid, r in rows.items()), today, rules)
    return [DueRow(d.customer_id, rows[d.customer_id][1], rows[d.customer_id][2], d.grade,
                   rows[d.customer_id][4] or "", d.last_contact, d.due_on, d.days_overdue) for d in due[:LIMIT]]


def rotation_list(db: Database, *, user: Principal | None, today: date | None = None,
                  staff_id: uuid.UUID | None = None, region: str = "") -> list[DueRow]:
    """巡回访问: customers nobody contacted this quarter, longest unseen first."""
    _require(user)
    today = today or date.today()
    with db.read() as s:
        rows = {r[0]: r for r in s.execute(_contacts(user, staff_id, region))}
    order = R.rotation(((cid, r[5]) for cid, r in rows.items()), today)
    return [DueRow(cid, rows[cid][1], rows[cid][2], rows[cid][3], rows[cid][4] or "", rows[cid][5], None, None)
            for cid in order[:LIMIT]]


def _greeted(db: Database, customer_ids: set, today: date) -> set[tuple[uuid.UUID, str]]:
    """(customer, subject) of the greetings on the contact logs recently."""
    from datetime import timedelta

    if not customer_ids:
        return set()
    ordered, out = sorted(customer_ids), set()
    with db.read() as s:
        for i in range(0, len(ordered), 500):
            out |= set(s.execute(select(ArchiveEntry.customer_id, ArchiveEntry.subject).where(
                ArchiveEntry.customer_id.in_(ordered[i:i + 500]), ArchiveEntry.section == "contact",
                ArchiveEntry.subject.like("问候:%"),
                ArchiveEntry.entry_date >= today - timedelta(days=GREETED_DAYS))).all())
    return out


def greetings(db: Database, *, user: Principal | None, today: date | None = None,
              staff_id: uuid.UUID | None = None) -> list[GreetingRow]:
    """Key persons' birthdays, holidays and the market report day within visits.greeting_days."""
    _require(user)
    today = today or date.today()
    rules = settings.get_all(db)
    days = rules["visits.greeting_days"]
    q = (select(KeyPerson.id, KeyPerson.birthday, KeyPerson.name, KeyPerson.position, Customer.id, Customer.name)
         .join(Customer, Customer.id == KeyPerson.customer_id)
         .where(KeyPerson.birthday.is_not(None), Customer.merged_into_id.is_(None)))
    if user is not None:
        q = q.where(access.readable(user))
    if staff_id:
        q = q.where(Customer.owner_id == staff_id)
    with db.read() as s:
        people = {r[0]: r for r in s.execute(q)}
    out = []
    for pid, when, age in R.birthdays_within(((p, r[1]) for p, r in people.items()), today, days):
        _p, _b, name, position, cid, cname = people[pid]
        who = f"{name}({position})" if position else name
        out.append(GreetingRow(when, "birthday", f"{who} {age}岁生日 · {cname}", cid))
    greeted = _greeted(db, {g.customer_id for g in out}, today)
    out = [GreetingRow(g.when, g.kind, g.title, g.customer_id, (g.customer_id, f"问候:{g.occasion}") in greeted)
           for g in out]
    holidays, _bad = R.parse_holidays(rules["visits.holidays"])
    out += [GreetingRow(when, "holiday", name, None) for when, name in R.holidays_within(holidays, today, days)]
    report = R.market_report_due(today, rules["visits.market_report_weekday"], workdays.calendar(rules, today))
    if (report - today).days <= days:
        out.append(GreetingRow(report, "report", "月度市场报告截止", None))
    return sorted(out, key=lambda g: (g.when, g.kind != "report", g.title))
