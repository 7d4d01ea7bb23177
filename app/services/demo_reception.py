"""Demo reception data (演示数据): a quarter of customer tours, hospitality meals and complaints.

Deterministic by seed and the day (row ids are fresh UUIDs); times in the business's zone (visits.timezone); Core bulk inserts in one transaction; once per
database (nothing is added when tours already exist). Permit and complaint numbers are taken in time order and
the yearly counters left where a desk would continue. Written by the system: no audit rows, and demo complaints
are not copied into the cards' archives (the demo archive keeps its own shape; the service does file them).
"""
from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from app import settings
from app.db import Database
from app.domain import complaints as complaint_rules
from app.domain import inquiries as inquiry_rules
from app.domain import meals as meal_rules
from app.domain import tours as tour_rules
from app.services import workdays
from app.services.visits import calendar_zone
from models import Complaint, ComplaintStep, Customer, Inquiry, Meal, ReceptionCounter, Tour

DAYS = 91  # a quarter back from today, plus two weeks ahead for what is still being approved
AHEAD = 14
STAFF = ("王丽", "李强", "陈静", "刘洋")
GM, CHAIRMAN, FINANCE = "赵总", "孙董", "钱会计"
RESTAURANTS = ("锦江饭店", "金苑大酒店", "望江楼", "公司食堂包间", "湖畔茶舍")
VISITORS = ("张伟", "李娜", "王强", "刘敏", "陈杰", "杨洋", "赵磊", "黄婷", "周涛", "吴静", "徐明", "孙丽")
SUBJECTS = {
    "quality": ("样板间墙面开裂", "交付房屋渗水", "门窗密封不严"),
    "service": ("售楼处接待态度差", "电话多次无人接听", "置业顾问承诺未兑现"),
    "delivery": ("交房时间延后", "产权证办理延迟"),
    "price": ("同户型价格差异", "优惠政策前后不一"),
    "contract": ("合同付款条款争议", "补充协议未送达"),
    "billing": ("收据金额有误", "物业费账单重复"),
    "other": ("停车位分配不合理",),
}


def _at(day: date, hour: int, minute: int = 0, *, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def generate(db: Database, *, seed: int = 1, today: date | None = None) -> dict[str, int]:
    """Add the demo quarter once; returns counts keyed 参观, 招待用餐, 投诉 (zero when already present)."""
    zone = calendar_zone(db)  # the business's (visits.timezone), not the computer's
    # "now" is a fixed hour of the day, so a seed gives the same data all day long; without a given day, the
    # start of today's business day: nothing is dated after the moment a user looks at it
    now = _at(today, 17, zone=zone) if today is not None else _at(datetime.now(zone).date(), 7, zone=zone)
    today = today or datetime.now(zone).date()
    rnd = random.Random(f"reception-{seed}")
    r = settings.get_all(db)

    def work(s):
        if s.scalar(select(func.count()).select_from(Tour)):
            return {"参观": 0, "招待用餐": 0, "投诉": 0}
        customers = list(s.execute(select(Customer.id, Customer.name).order_by(Customer.code).limit(60)))
        tours = _tours(rnd, r, customers, today, now, zone)
        meals = _meals(rnd, r, customers, today, now, zone)
        complaints, steps = _complaints(rnd, r, customers, today, now, zone)
        inquiries = _inquiries(rnd, r, customers, today, now, zone)
        counters: dict[tuple[str, int], int] = {}
        for q in inquiries:
            year = int(q["number"].split("-")[1])
            counters[("inquiry", year)] = max(counters.get(("inquiry", year), 0), int(q["number"].split("-")[2]))
        for t in tours:
            if t["permit_seq"]:
                key = ("permit", t["permit_year"])
                counters[key] = max(counters.get(key, 0), t["permit_seq"])
        for c in complaints:
            year = int(c["number"].split("-")[1])
            counters[("complaint", year)] = max(counters.get(("complaint", year), 0), int(c["number"].split("-")[2]))
        for table, rows in ((Tour, tours), (Meal, meals), (Complaint, complaints),
                            (ComplaintStep, steps), (Inquiry, inquiries)):
            if rows:
                s.execute(insert(table), rows)
        if counters:
            s.execute(insert(ReceptionCounter), [{"kind": k, "year": y, "last_number": n}
                                                 for (k, y), n in counters.items()])
        return {"参观": len(tours), "招待用餐": len(meals), "投诉": len(complaints)}

    return db.transact(work)


def _tours(rnd: random.Random, r: dict, customers: list, today: date, now: datetime, zone: ZoneInfo) -> list[dict]:
    rows = []
    for i in range(36):
        kind = rnd.choices(("key", "group", "ordinary", "temporary"), (3, 2, 5, 2))[0]
        day = today + timedelta(days=rnd.randint(-DAYS, AHEAD))
        visit_at = _at(day, rnd.choice((9, 10, 14, 15)), rnd.choice((0, 30)), zone=zone)
        applied_at = visit_at - tour_rules.notice_needed(r, kind) - timedelta(hours=rnd.randint(0, 48))
        cid, cname = customers[i % len(customers)] if customers and rnd.random() < 0.7 else (None, "")
        headcount = rnd.randint(8, 20) if kind == "group" else rnd.randint(1, 4)
        names = rnd.sample(VISITORS, min(headcount, rnd.randint(1, 4)))
        row = {"id": uuid.uuid4(), "kind": kind, "customer_id": cid, "visitor_unit": cname or "社会团体参观团",
               "visitors": "\n".join(names), "headcount": headcount, "visit_at": visit_at,
               "purpose": rnd.choice(("考察样板间", "了解项目进度", "洽谈团购", "参观施工质量")),
               "route": "展厅 → 样板间 → 工地", "host": rnd.choice(STAFF), "by_phone": kind == "temporary",
               "photos_requested": kind in ("key", "group") and rnd.random() < 0.3, "photos_allowed": False,
               "status": "applied", "applied_by": rnd.choice(STAFF), "applied_at": applied_at, "reviewed_by": "",
               "reviewed_at": None, "approved_by": "", "approved_at": None, "decision_note": "", "permit_year": None,
               "permit_seq": None, "permit_no": None, "version": 1}
        decided = applied_at + timedelta(hours=rnd.randint(1, 20))
        if decided < now and (visit_at < now or rnd.random() < 0.5):
            if rnd.random() < 0.1:
                row.update(status="rejected", decision_note=f"{GM}:当日无法安排接待")
            else:
                row.update(status="approved", reviewed_by=GM, reviewed_at=decided,
                           approved_by=CHAIRMAN if tour_rules.needs_chairman(kind) else GM, approved_at=decided,
                           photos_allowed=row["photos_requested"] and rnd.random() < 0.5)
        elif tour_rules.needs_chairman(kind) and decided < now:
            row.update(status="reviewed", reviewed_by=GM, reviewed_at=decided)
        rows.append(row)
    approved = sorted((t for t in rows if t["status"] == "approved"), key=lambda t: t["approved_at"])
    seq: dict[int, int] = {}
    for t in approved:
        year = t["approved_at"].astimezone(zone).year
        seq[year] = seq.get(year, 0) + 1
        t.update(permit_year=year, permit_seq=seq[year], permit_no=tour_rules.permit_number(year, seq[year]))
    return rows


def _meals(rnd: random.Random, r: dict, customers: list, today: date, now: datetime, zone: ZoneInfo) -> list[dict]:
    rows = []
    for i in range(64):
        kind = rnd.choice(("key", "key", "ordinary"))
        meal_type = rnd.choices(tuple(meal_rules.MEAL_TYPES), (6, 1, 1, 1, 2))[0]
        host = rnd.choice(("gm", "staff", "staff"))
        std = meal_rules.standard(r, customer_kind=kind, host_level=host, meal_type=meal_type)
        per_person = (std.high - Decimal(rnd.choice((0, 0, 5, 10)))).quantize(Decimal("0.01"))
        if std.low is not None:
            per_person = max(per_person, std.low)
        guests = rnd.randint(1, 9)
        hosts = rnd.randint(1, meal_rules.host_limit(r, guests))
        day = today + timedelta(days=rnd.randint(-DAYS, AHEAD // 2))
        meal_at = _at(day, rnd.choice((12, 18)), 0, zone=zone)
        requested_at = meal_at - timedelta(days=rnd.randint(1, 3))
        cid, cname = customers[(i * 7) % len(customers)] if customers else (None, "")
        row = {"id": uuid.uuid4(), "customer_id": cid, "unit": cname or "来访客户", "customer_kind": kind,
               "host_level": host, "meal_type": meal_type, "meal_at": meal_at, "per_person": per_person,
               "guests": guests, "hosts": hosts, "restaurant": rnd.choice(RESTAURANTS),
               "purpose": rnd.choice(("项目洽谈", "签约答谢", "参观后便餐", "年度回访")), "status": "requested",
               "requested_by": rnd.choice(STAFF), "requested_at": requested_at, "decided_by": "", "decided_at": None,
               "decision_note": "", "verbal_by": "", "paperwork_due": None, "bill_total": None, "bill_drinks": None,
               "bill_issues": "", "billed_by": "", "billed_at": None, "version": 1}
        roll = rnd.random()
        if roll < 0.08:  # urgent: verbal approval, paperwork due
            due = requested_at + timedelta(days=int(r["meals.paperwork_days"]))
            row.update(status="verbal", verbal_by=GM, paperwork_due=due)
        elif roll < 0.13:
            row.update(status="rejected", decided_by=GM, decided_at=requested_at + timedelta(hours=3),
                       decision_note="标准过高,请按规定调整")
        elif roll < 0.95 and requested_at + timedelta(hours=3) < now:
            row.update(status="approved", decided_by=GM, decided_at=requested_at + timedelta(hours=3))
        if meal_at < now and row["status"] != "rejected":
            heads = guests + hosts
            total = (per_person * heads * Decimal(rnd.choice(("0.85", "0.95", "1.0", "1.05")))).quantize(Decimal("0.01"))
            drinks = (total * Decimal(rnd.choice(("0.15", "0.25", "0.3", "0.4")))).quantize(Decimal("0.01"))
            broken = meal_rules.check_bill(r, customer_kind=kind, host_level=host, meal_type=meal_type, guests=guests,
                                           hosts=hosts, total=total, drinks=drinks)
            row.update(bill_total=total, bill_drinks=drinks, bill_issues=";".join(b.message for b in broken),
                       billed_by=FINANCE, billed_at=meal_at + timedelta(days=1))
        rows.append(row)
    return rows


def _complaints(rnd: random.Random, r: dict, customers: list, today: date, now: datetime, zone: ZoneInfo):
    complaints, steps = [], []
    received = sorted(_at(today - timedelta(days=rnd.randint(0, DAYS)), rnd.randint(8, 18), rnd.randint(0, 59),
                          zone=zone)
                      for _ in range(42))
    seq: dict[int, int] = {}
    causes = tuple(complaint_rules.CAUSES)
    for i, at in enumerate(received):
        if at > now:
            at = now - timedelta(hours=rnd.randint(1, 5))
        year = at.astimezone(zone).year
        seq[year] = seq.get(year, 0) + 1
        number = f"TS-{year}-{seq[year]:04d}"
        cause = rnd.choices(causes, (5, 4, 3, 2, 2, 1, 1))[0]
        subject = rnd.choice(SUBJECTS[cause])
        channel = rnd.choice(tuple(complaint_rules.CHANNELS))
        linked = customers and rnd.random() < 0.6
        cid, cname = customers[(i * 5) % len(customers)] if linked else (None, "")
        cid_ = uuid.uuid4()
        due = complaint_rules.respond_by(r, at, workdays.calendar(r, at.astimezone(zone).date()), zone)
        row = {"id": cid_, "number": number, "customer_id": cid, "archive_entry_id": None,
               "complainant": cname or rnd.choice(("李先生", "王女士", "刘先生", "陈女士")),
               "contact": f"139{rnd.randint(10_000_000, 99_999_999)}", "channel": channel, "cause": cause,
               "subject": subject, "content": f"客户反映:{subject}。", "received_by": rnd.choice(STAFF),
               "received_at": at, "respond_by": due, "answered_at": None, "status": "received", "closed_at": None,
               "version": 1}
        steps.append({"id": uuid.uuid4(), "complaint_id": cid_, "action": "receive", "note": row["content"],
                      "by": row["received_by"], "at": at})
        age = now - at
        path = []
        if (age > timedelta(hours=30) and rnd.random() < 0.9) or rnd.random() < 0.5:  # some left unanswered
            answer_after = timedelta(hours=rnd.choice((2, 5, 20, 30)))
            if at + answer_after < now:
                path = ["answer"]
                if age > timedelta(days=3):
                    path += ["investigate", "handle"]
                    if age > timedelta(days=7):
                        path += ["not_satisfied", "handle"] if rnd.random() < 0.2 else []
                        path += ["satisfied"] if rnd.random() < 0.85 else []
        t = at
        status = "received"
        for action in path:
            t = t + (answer_after if action == "answer" else timedelta(hours=rnd.randint(8, 40)))
            t = min(t, now)
            status = complaint_rules.next_status(status, action) or status
            steps.append({"id": uuid.uuid4(), "complaint_id": cid_, "action": action,
                          "note": complaint_rules.STEP_LABELS[action], "by": GM if action == "satisfied" else "周经理",
                          "at": t})
            if action == "answer":
                row["answered_at"] = t
            if status == "closed":
                row["closed_at"] = t
        row["status"] = status
        complaints.append(row)
    return complaints, steps


INQUIRY_SUBJECTS = ("PE管报价", "钢丝网骨架管交期", "管件热熔价格", "付款方式与账期", "大批量采购折扣", "产品检测报告",
                    "涂塑钢管规格", "合同条款确认")


def _inquiries(rnd: random.Random, r: dict, customers: list, today: date, now: datetime, zone: ZoneInfo) -> list[dict]:
    """询价与函电 of the demo quarter: most answered within the working-hour clock, some late, a few waiting."""
    rows = []
    received = sorted(_at(today - timedelta(days=rnd.randint(0, DAYS)), rnd.randint(8, 18), rnd.randint(0, 59),
                          zone=zone) for _ in range(36))
    seq: dict[int, int] = {}
    for at in received:
        at = min(at, now - timedelta(hours=1))
        year = at.astimezone(zone).year
        seq[year] = seq.get(year, 0) + 1
        cid, cname = customers[rnd.randrange(len(customers))] if customers and rnd.random() < 0.7 else (None, "")
        due = inquiry_rules.respond_by(r, at, workdays.calendar(r, at.astimezone(zone).date()), zone)
        answered = at + timedelta(hours=rnd.choice((1, 3, 6, 20, 30, 50)))
        done = answered < now and rnd.random() < 0.92
        subject = rnd.choice(INQUIRY_SUBJECTS)
        rows.append({"id": uuid.uuid4(), "number": f"XJ-{year}-{seq[year]:04d}", "customer_id": cid,
                     "inquirer": cname or rnd.choice(("李经理", "王工", "赵采购", "陈女士")),
                     "contact": f"138{rnd.randint(10_000_000, 99_999_999)}",
                     "channel": rnd.choice(("phone", "phone", "email", "fax", "visit")), "subject": subject,
                     "content": f"客户来询:{subject}。", "received_by": rnd.choice(STAFF), "received_at": at,
                     "respond_by": due, "answered_at": answered if done else None,
                     "answered_by": rnd.choice(STAFF) if done else "",
                     "answer": "已按报价单答复" if done else "", "version": 1})
    return rows
