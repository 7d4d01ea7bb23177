"""Demo data (演示数据): departments, staff, customers with key persons, archives and a blacklist.

Deterministic: the same seed, `today` and starting customer code give the same names, codes, phones and
dates (row ids are fresh UUIDs). Rows go in through SQLAlchemy Core bulk inserts, chunk by chunk, in one
transaction: a failure leaves nothing half-generated. Search keys come from customers._search_fields, so
demo cards are found exactly like cards typed in.
This module runs the generation (the transaction, the bulk load of app.db.bulk_load, the demo organisation);
demo_rows draws each customer's rows and demo_draws the seeded values they are made of.
No audit rows: demo rows are not user edits, and one per customer measured ~3.5 s more for 100,000.
"""
from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.db.bulk_load import bulk_load
from app.db.row_ids import RowIds
from app.errors import ValidationFailed
from app.services import customers as customer_service
from app.services import demo_names as N
from app.services.demo_draws import Dice, person_name, unique
from app.services.demo_rows import Batch, Maker, Org, Person, Taken
from app.services.demo_sales import generate_sales
from app.services.demo_users import ensure_demo_users
from models import Customer, Department, Staff

CHUNK = 1000  # customers per bulk insert
MAX_CUSTOMERS = 500_000
Progress = Callable[[int, int], None]


def ensure_demo(db: Database, *, customers: int = 2000, seed: int = 1, progress: Progress | None = None) -> bool:
    """Generate demo data only into a database without customers (`--demo`); True when it did."""
    with _collector_paused():
        try:
            done = _generate(db, customers=customers, seed=seed, progress=progress, today=None,
                             only_if_empty=True) is not None
        except IntegrityError:  # another desk filled the same empty database at the same moment
            return False
        ensure_demo_users(db)
        if done:
            generate_sales(db, seed=seed)
            _selection_event(db, seed, {})
            _visit_areas(db, seed)
            _visits(db, seed, {}, None)
        return done


def generate(db: Database, *, customers: int, seed: int, progress: Progress | None = None,
             today: date | None = None) -> dict[str, int]:
    """Add `customers` demo customers (and the demo organisation if there are no reps yet).

    Returns what was created, keyed by Chinese names: 部门, 员工, 客户, 关键人, 关键人关系, 档案记录, 黑名单,
    销售记录, 回款记录 (app.services.demo_sales),
    用户 (the demo logins, see app.services.demo_users), the demo house-selection event's 选房项目, 房源,
    委建房单位, 购房者, 选房单据 (app.services.demo_selection; once per database), 客户坐标 and 拜访区域
    (app.services.demo_areas), and a quarter of visits: 拜访计划, 拜访记录, 跟进事项
    (app.services.demo_visits; once per database).
    """
    with _collector_paused():
        counts = _generate(db, customers=customers, seed=seed, progress=progress, today=today,
                           only_if_empty=False)
        assert counts is not None
        counts |= generate_sales(db, seed=seed, today=today)
        counts["用户"] = ensure_demo_users(db)
        return _visits(db, seed, _selection_event(db, seed, counts), today) | _visit_areas(db, seed)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while generating: millions of rows are made and freed by reference
    counting, none in a cycle, and the collector's passes over them cost ~5% of a 100,000-customer demo."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _visit_areas(db: Database, seed: int) -> dict[str, int]:
    """Customer coordinates and visit areas (app.services.demo_areas): 客户坐标, 拜访区域."""
    from app.services.demo_areas import generate as generate_areas

    return generate_areas(db, seed=seed)


def _visits(db: Database, seed: int, counts: dict[str, int], today: date | None) -> dict[str, int]:
    """A quarter of the demo reps' visit plans, reports and follow-ups (app.services.demo_visits; once per
    database). Their reports' contact entries are added to 档案记录."""
    from app.services.demo_visits import generate_visits

    made = generate_visits(db, seed=seed, today=today)
    return counts | made | {"档案记录": counts.get("档案记录", 0) + made.get("档案记录", 0)}


def _selection_event(db: Database, seed: int, counts: dict[str, int]) -> dict[str, int]:
    """The demo house-selection event (金苑小区) after the customers, so its unit can link to a card; then the
    grading tables (进阶申请, 关系评估, 重点/重要/问题客户) and the credit approvals (信用审批) on those customers."""
    from app.services.demo_credit import generate_credit_requests
    from app.services.demo_grading_tables import generate_grading_tables
    from app.services.demo_reception import generate as reception  # tours, meals, complaints: a quarter
    from app.services.demo_selection import EMPTY_COUNTS, generate_event

    made = generate_event(db, seed=seed)
    return (counts | (made.counts if made else EMPTY_COUNTS) | reception(db, seed=seed)
            | generate_grading_tables(db, seed=seed) | generate_credit_requests(db, seed=seed))


def _generate(db: Database, *, customers: int, seed: int, progress: Progress | None, today: date | None,
              only_if_empty: bool) -> dict[str, int] | None:
    if not 0 <= customers <= MAX_CUSTOMERS:
        raise ValidationFailed({"customers": f"客户数量应在0至{MAX_CUSTOMERS}之间"})
    today = today or date.today()
    rules = settings.get_all(db)
    prefix = rules["customer.code_prefix"]

    def work(s: Session) -> dict[str, int] | None:
        if only_if_empty and s.scalar(select(Customer.id).limit(1)) is not None:
            return None
        counts = {"部门": 0, "员工": 0, "客户": 0, "关键人": 0, "关键人关系": 0, "档案记录": 0, "黑名单": 0}
        org = _ensure_org(s, seed, counts)
        start = int(customer_service._next_code(s, prefix)[len(prefix):])
        # the start code is part of the seed: a second run into the same database makes new companies
        dice = Dice(f"kedesk-demo:{seed}:{start}")
        maker = Maker(dice, today, settings.size_thresholds(rules), org, Taken.load(s), start,
                      RowIds(stored=db.dialect == "sqlite"))
        listed = set(dice.rng.sample(range(customers), round(customers * 0.01)))  # ~1% 黑名单
        with bulk_load(s, Batch.TABLES) as load:
            for begin in range(0, customers, CHUNK):
                end, batch = min(begin + CHUNK, customers), Batch()
                for i in range(begin, end):
                    maker.customer(batch, f"{prefix}{start + i:06d}", blacklisted=i in listed)
                batch.insert(load, counts)
                if progress:
                    progress(end, customers)
        return counts

    return db.transact(work)


# ---------------------------------------------------------------- organisation


def _ensure_org(s: Session, seed: int, counts: dict[str, int]) -> Org:
    """Departments and the 30-person roster, unless the database already has reps to own customers."""
    depts = dict(s.execute(select(Department.name, Department.id)).all())
    staff = _load_staff(s, depts)
    if not any(p.position in N.REP_POSITIONS and p.department_id for p in staff):
        new_depts = [{"id": uuid.uuid4(), "name": d} for d in N.DEPARTMENTS if d not in depts]
        if new_depts:
            s.execute(insert(Department.__table__), new_depts)
            depts |= {d["name"]: d["id"] for d in new_depts}
        dice, names = Dice(f"kedesk-demo-staff:{seed}"), {p.name for p in staff}
        rows = []
        for dept, position, count in N.ROSTER:
            for _ in range(count):
                name = unique(lambda: person_name(dice)[0], names)
                rows.append({"id": uuid.uuid4(), "name": name, "department_id": depts[dept],
                             "position": position, "active": True})
        s.execute(insert(Staff.__table__), rows)
        counts["部门"], counts["员工"] = len(new_depts), len(rows)
        staff = _load_staff(s, depts)
    staff.sort(key=lambda p: (p.name, str(p.id)))  # Python order: the same on SQLite and PostgreSQL
    reps = [p for p in staff if p.position in N.REP_POSITIONS and p.department_id]
    by_dept = {d: [p.name for p in staff if p.department == d] for d in N.DEPARTMENTS}
    rep_names = [p.name for p in reps]
    return Org(reps=reps, key_account_reps=[p for p in reps if p.department == N.KEY_ACCOUNT_DEPT] or reps,
               finance=by_dept["财务部"] or rep_names, legal=by_dept["审计法务部"] or rep_names,
               front=[p.name for p in staff if p.position == "前台"] or rep_names)


def _load_staff(s: Session, depts: dict[str, uuid.UUID]) -> list[Person]:
    names = {v: k for k, v in depts.items()}
    rows = s.execute(select(Staff.id, Staff.name, Staff.department_id, Staff.position)
                     .where(Staff.active.is_(True)))
    return [Person(i, n, d, names.get(d, ""), p) for i, n, d, p in rows]
