"""A small house-selection event: one project, 12 flats released to one commissioning unit with approved
prices, and four reviewed buyers."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest

from app.domain.permissions import DEFAULT_ROLES, PERMISSIONS
from app.services.selection import buyers, stock
from app.services.users import Principal

IDS = ["11010519491231002X", "440524188001010014", "110101199003074477", "320102198001011238"]


def person(name: str, *perms: str) -> Principal:
    return Principal(uuid.uuid4(), name, name, "test", "测试角色", frozenset(perms or PERMISSIONS))


def station(name: str, role: str) -> Principal:
    """Someone logged in with one of the default roles (app.domain.permissions.DEFAULT_ROLES)."""
    label, perms = DEFAULT_ROLES[role]
    return Principal(uuid.uuid4(), name, name, role, label, frozenset(perms))


@dataclass
class Event:
    project_id: uuid.UUID
    commission_id: uuid.UUID
    flats: list[uuid.UUID]
    ids: list[str]
    lead: Principal  # prepares the event (stock, prices, list, draw): not a station of the day
    desk: Principal  # 选房员
    cashier: Principal  # 收银员
    finance: Principal  # 复核员
    site_lead: Principal  # 现场主管: swaps, renames, reversals, out-of-order tickets
    caller: Principal  # 叫号员


def make_event(db, *, flats: int = 12, code: str = "JY") -> Event:
    lead = person("主管")
    pid = stock.create_project(db, user=lead, code=code, name=f"金苑小区{code}", company="金苑置业有限公司")
    rows = [stock.FlatRow(building=f"{1 + i // 6}号楼", entrance="1", floor=2 + (i % 6), room=f"{2 + i % 6}01",
                          area=Decimal("98.50"), unit_type="三室两厅") for i in range(flats)]
    stock.add_flats(db, user=lead, project_id=pid, rows=rows)
    from sqlalchemy import select

    from models import Flat
    with db.read() as s:
        flat_ids = list(s.scalars(select(Flat.id).where(Flat.project_id == pid).order_by(Flat.building, Flat.floor)))
    cid = stock.create_commission(db, user=lead, project_id=pid, name="市第一人民医院")
    stock.release_flats(db, user=lead, commission_id=cid, flat_ids=flat_ids)
    stock.set_prices(db, user=lead, commission_id=cid, average_price=Decimal("6000"),
                     prices={f: Decimal(5900 + 20 * i) for i, f in enumerate(flat_ids)})
    for step, name in enumerate(("赵营销", "钱财务", "孙项目", "李总", "周董"), 1):
        stock.record_approval(db, user=lead, commission_id=cid, step=step, approver=name)
    buyers.add_buyers(db, user=lead, commission_id=cid,
                      rows=[buyers.BuyerRow(i + 1, n, IDS[i]) for i, n in enumerate(("张伟", "王芳", "李娜", "刘洋"))])
    buyers.review(db, user=lead, buyer_ids=[b.id for b in buyers.buyers_of(db, commission_id=cid)], eligible=True)
    return Event(pid, cid, flat_ids, IDS, lead, station("大客户部小陈", "selection_desk"),
                 station("出纳小吴", "selection_cashier"), station("财务老刘", "selection_review"),
                 station("现场主管老张", "selection_lead"), station("叫号小赵", "selection_caller"))


def audited(request):
    """After a selection test the event auditor (活动稽核) must find nothing on the databases it used."""
    used = [request.getfixturevalue(n) for n in ("db", "sqlite_db", "pg_db") if n in request.fixturenames]
    yield
    if request.node.get_closest_marker("audit_findings"):
        return
    from app.services.selection.event_audit import audit_all

    for database in used:
        findings = {name: lines for name, lines in audit_all(database).items() if lines}
        assert findings == {}, f"活动稽核发现问题: {findings}"


_event_audited = pytest.fixture(autouse=True)(audited)


@pytest.fixture
def event(db) -> Event:
    return make_event(db)
