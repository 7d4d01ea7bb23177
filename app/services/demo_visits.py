"""Demo visits (演示拜访): one quarter of plans, visit reports and follow-ups for the demo reps.

For each rep (营销人员 / 客户经理) and each working day from 60 days before `today` to 30 days after:
0–3 visits to the rep's own customers at 09:00, 10:30, 14:00 or 15:30 (calendar time zone). Past
plans are mostly done with a report (and its archive contact entry, as a real report makes), some
cancelled; a third of the reports carry a promise (跟进事项), fulfilled when due before today except a
few left overdue. Future plans are planned. Deterministic by seed; once per database (a database that
already has plans gets none); Core bulk inserts in one transaction.
"""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.services.demo_names import REP_POSITIONS
from models import ArchiveEntry, Customer, FollowUp, KeyPerson, Staff, VisitPlan, VisitRecord

EMPTY = {"拜访计划": 0, "拜访记录": 0, "跟进事项": 0}
SLOTS = (time(9), time(10, 30), time(14), time(15, 30))
PURPOSES = ("季度回访", "新产品介绍", "催收货款", "了解需求", "合同续签洽谈", "售后服务回访", "节日拜访", "商务宴请前沟通")
NEEDS = ("明年计划扩大采购", "关注交货周期", "希望延长账期", "询问新产品价格", "对售后响应速度有意见", "暂无新需求")
COMPETITORS = ("", "", "竞争对手报价低约5%", "竞争对手近期频繁拜访", "已试用竞争对手样品")
PROMISES = ("寄送报价单", "安排技术人员上门", "提供样品", "反馈账期申请结果", "安排参观工厂", "寄送合同草稿")
PAST_DAYS, FUTURE_DAYS = 60, 30


def generate_visits(db: Database, *, seed: int, today: date | None = None) -> dict[str, int]:
    today = today or date.today()
    zone = ZoneInfo(settings.get(db, "visits.timezone"))
    rng = random.Random(f"kedesk-demo-visits:{seed}")

    def work(s: Session) -> dict[str, int]:
        if s.scalar(select(VisitPlan.id).limit(1)) is not None:
            return dict(EMPTY)
        reps = s.execute(select(Staff.id, Staff.name, Staff.department_id)
                         .where(Staff.active.is_(True), Staff.position.in_(REP_POSITIONS))).all()
        reps = sorted(reps, key=lambda r: (r.name, str(r.id)))
        owned: dict[uuid.UUID, list] = {}
        for row in s.execute(select(Customer.id, Customer.code, Customer.owner_id, Customer.address)
                             .where(Customer.merged_into_id.is_(None), Customer.status != "lost")):
            owned.setdefault(row.owner_id, []).append(row)
        for rows in owned.values():
            rows.sort(key=lambda r: r.code)
        people: dict[uuid.UUID, list[str]] = {}

        def people_of(cid: uuid.UUID) -> list[str]:
            """A visited customer's key persons, read on its first visit: ~1,000 customers are visited, and
            reading all 240,000 key persons of a 100,000-customer demo took most of this step."""
            if cid not in people:
                rows = s.execute(select(KeyPerson.name, KeyPerson.position).where(KeyPerson.customer_id == cid))
                people[cid] = sorted(f"{name}({position})" if position else name for name, position in rows)
            return people[cid]

        plans, records, entries, tasks = [], [], [], []
        for rep in reps:
            mine = owned.get(rep.id)
            if not mine:
                continue
            day = today - timedelta(days=PAST_DAYS)
            while day <= today + timedelta(days=FUTURE_DAYS):
                if day.weekday() < 5:
                    for slot in sorted(rng.sample(SLOTS, rng.choice((0, 1, 1, 2, 2, 3)))):
                        c = rng.choice(mine)
                        start = datetime.combine(day, slot, zone)
                        past = day < today
                        status = ("cancelled" if rng.random() < 0.08 else "done") if past else "planned"
                        pid = uuid.uuid4()
                        plans.append({"id": pid, "customer_id": c.id, "staff_id": rep.id,
                                      "department_id": rep.department_id, "starts_at": start,
                                      "ends_at": start + timedelta(hours=1), "contact_way": "visit",
                                      "purpose": rng.choice(PURPOSES), "place": c.address, "status": status,
                                      "cancel_reason": "客户临时有事" if status == "cancelled" else "",
                                      "created_by": rep.name, "version": 1, "created_at": start - timedelta(days=7),
                                      "updated_at": start - timedelta(days=7)})
                        if status == "done":
                            _report(rng, today, rep, c, pid, day, people_of(c.id) or ["采购经理"],
                                    plans[-1]["purpose"], records, entries, tasks, zone)
                day += timedelta(days=1)
        for table, rows in ((VisitPlan, plans), (ArchiveEntry, entries), (VisitRecord, records), (FollowUp, tasks)):
            for i in range(0, len(rows), 1000):
                s.execute(insert(table.__table__), rows[i:i + 1000])
        return {"拜访计划": len(plans), "拜访记录": len(records), "跟进事项": len(tasks), "档案记录": len(entries)}

    return db.transact(work)


def _report(rng: random.Random, today: date, rep, c, plan_id: uuid.UUID, day: date, people: list[str],
            purpose: str, records: list, entries: list, tasks: list, zone: ZoneInfo) -> None:
    met, needs, competitors = rng.choice(people), rng.choice(NEEDS), rng.choice(COMPETITORS)
    growth = Decimal(f"{rng.uniform(-10, 30):.2f}")
    at = datetime.combine(day, time(18), zone)
    rid, eid = uuid.uuid4(), uuid.uuid4()
    content = f"客户需求:{needs}" + (f"\n竞争对手:{competitors}" if competitors else "") + f"\n增长率 {growth:.2f}%"
    entries.append({"id": eid, "customer_id": c.id, "section": "contact", "kind": "visit", "entry_date": day,
                    "subject": f"拜访:会见{met}"[:200], "amount": None, "due_date": None, "reference": "",
                    "content": content, "recorded_by": rep.name, "created_at": at, "updated_at": at, "version": 1})
    records.append({"id": rid, "plan_id": plan_id, "customer_id": c.id, "staff_id": rep.id, "visited_on": day,
                    "contact_way": "visit", "address": c.address, "key_person_id": None, "person_met": met,
                    "needs": needs, "competitors": competitors, "credit_changes": "", "growth_rate": growth,
                    "profit_margin": Decimal(f"{rng.uniform(3, 25):.2f}"), "notes": f"{purpose},客户态度积极",
                    "archive_entry_id": eid, "recorded_by": rep.name, "created_at": at, "version": 1})
    if rng.random() < 0.33:
        due = day + timedelta(days=rng.choice((3, 7, 14)))
        done = due < today and rng.random() < 0.85
        tasks.append({"id": uuid.uuid4(), "record_id": rid, "customer_id": c.id, "owner_id": rep.id,
                      "text": rng.choice(PROMISES), "due_on": due,
                      "done_at": datetime.combine(due, time(17), zone) if done else None,
                      "done_by": rep.name if done else "", "created_at": at, "version": 1})
