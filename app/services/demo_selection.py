"""Demo house-selection event (演示选房活动): 金苑小区 with its buildings, two commissioning units, an approved
price list, a checked buyer list, the notarised draw and a few buyers already through the desk.

Made through the ticket desk's own services (app.services.selection), so the demo's documents are
numbered, hashed and logged exactly like real ones. Deterministic by seed: the same seed gives the same
flats, names, ID numbers, draw order and documents (row ids and times are fresh). Skipped when the
project already exists, so `python -m app demo` can run twice.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from stdnum.cn import ric

from app.db import Database
from app.domain.buyers import audit_flags, normalise_id
from app.domain.pricing import FloorRule, PriceRules
from app.services import selection as sel
from app.services.demo_draws import Dice, person_name
from app.services.selection import buyers, draw, queue, relationship, stock
from app.services.users import Principal, system_principal
from models import Customer, Flat, Project
from models.base import utcnow

CODE, PROJECT, COMPANY = "JY", "金苑小区", "金苑置业有限公司"
SECOND_UNIT = "市规划和自然资源局"
FALLBACK_UNIT = "市第一人民医院"
# 户型 and the range of its 建筑面积 (m²)
LAYOUTS = (("两室两厅一卫", 68, 89), ("三室两厅一卫", 89, 108), ("三室两厅两卫", 108, 126), ("四室两厅两卫", 126, 143))
ORIENTATIONS = ("南北", "南北", "南", "东南", "西南")
# province-level area codes of real districts: 北京朝阳, 上海徐汇, 广州天河, 南京玄武, 杭州西湖, 武汉江汉, 成都锦江, 西安雁塔
DISTRICTS = ("110105", "310104", "440106", "320102", "330106", "420103", "510104", "610113")
BUYERS, SECOND_BUYERS = 120, 16
APPROVERS = ("赵建国", "钱秀英", "孙立新", "李振华", "周德明")  # 营销总监 → … → 董事长
RELATIONSHIP_NOTE = "关系房审批单 JY-GX-001(总经理纸质批示)"
EMPTY_COUNTS = {"选房项目": 0, "房源": 0, "委建房单位": 0, "购房者": 0, "选房单据": 0}


@dataclass(frozen=True)
class DemoEvent:
    project_id: uuid.UUID
    commission_id: uuid.UUID
    second_commission_id: uuid.UUID
    counts: dict[str, int]


def id_number(dice: Dice) -> str:
    """A valid 18-digit 居民身份证号: real district, birth 1962–1999, check digit per GB 11643."""
    body = (f"{dice.one(DISTRICTS)}{dice.between(1962, 1999)}{dice.between(1, 12):02d}"
            f"{dice.between(1, 28):02d}{dice.between(0, 999):03d}")
    return body + ric.calc_check_digit(body + "0")


def _flat_rows(dice: Dice) -> list[stock.FlatRow]:
    rows = []
    for b in range(1, dice.between(3, 4) + 1):
        floors, per_floor = dice.between(11, 18), dice.between(2, 4)
        for entrance in ("1", "2"):
            plan = [(dice.one(LAYOUTS), dice.one(ORIENTATIONS)) for _ in range(per_floor)]
            areas = [Decimal(f"{low + dice.random() * (high - low):.2f}") for (_t, low, high), _o in plan]
            for floor in range(1, floors + 1):  # a stack of flats shares its layout from floor to floor
                for n, (((unit_type, _l, _h), orientation), area) in enumerate(zip(plan, areas, strict=True), 1):
                    rows.append(stock.FlatRow(f"{b}号楼", entrance, floor, f"{floor}{n:02d}", area, unit_type,
                                              orientation))
    return rows


def _unit_customer(db: Database) -> tuple[uuid.UUID | None, str]:
    """A demo customer card for the commissioning unit: a hospital or bureau if any, else a client (成交)."""
    with db.read() as s:
        row = s.execute(select(Customer.id, Customer.name).where(or_(Customer.name.like("%医院%"),
                                                                     Customer.name.like("%局%")))
                        .order_by(Customer.code).limit(1)).first()
        row = row or s.execute(select(Customer.id, Customer.name).where(Customer.status == "deal")
                               .order_by(Customer.code).limit(1)).first()
    return (row.id, row.name) if row else (None, FALLBACK_UNIT)


def _buyer_lists(dice: Dice) -> tuple[list[buyers.BuyerRow], list[buyers.BuyerRow]]:
    names: set[str] = set()
    main, numbers = [], set()
    while len(main) < BUYERS:
        name, number = person_name(dice)[0], id_number(dice)
        if name in names or number in numbers:
            continue
        names.add(name)
        numbers.add(number)
        main.append(buyers.BuyerRow(len(main) + 1, name, number, f"1{dice.between(30, 99)}{dice.below(10**8):08d}"))
    twin = main[dice.between(10, 40)]  # one name twice with another ID: 同名不同身份证号
    main.append(buyers.BuyerRow(len(main) + 1, twin.name, id_number(dice), ""))
    second = []
    while len(second) < SECOND_BUYERS:
        name, number = person_name(dice)[0], id_number(dice)
        if name not in names and number not in numbers:
            names.add(name)
            second.append(buyers.BuyerRow(len(second) + 1, name, number, ""))
    shared = main[dice.between(50, 90)]  # one ID on both units' lists: 同一身份证号出现在多个单位名单
    second.append(buyers.BuyerRow(len(second) + 1, shared.name, shared.id_number, ""))
    return main, second


def _flags(lists: dict[str, list[buyers.BuyerRow]], unit: str) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for flag in audit_flags({k: [(r.name, r.id_number) for r in v] for k, v in lists.items()}):
        for entry in flag.entries:
            if entry.list_name == unit:
                found.setdefault(normalise_id(entry.id_number), []).append(flag.reason)
    return {k: ";".join(dict.fromkeys(v)) for k, v in found.items()}


def _price(db: Database, user: Principal, commission_id: uuid.UUID, average: int, top: int) -> None:
    rules = PriceRules(average=Decimal(average), floors=FloorRule(base_floor=2, step=Decimal("40"), up_to=top - 1,
                                                                  top_floor=top, top_discount=Decimal("150"),
                                                                  ground_discount=Decimal("300")))
    stock.price_by_rules(db, user=user, commission_id=commission_id, rules=rules)
    for step, approver in enumerate(APPROVERS, 1):
        stock.record_approval(db, user=user, commission_id=commission_id, step=step, approver=approver,
                              note="价格审批会议纪要")


def generate_event(db: Database, *, seed: int) -> DemoEvent | None:
    """The demo event, or None when 金苑小区 is already there."""
    with db.read() as s:
        if s.scalar(select(Project.id).where(Project.code == CODE)) is not None:
            return None
    dice = Dice(f"kedesk-demo-selection:{seed}")
    lead = system_principal("王建军")
    pid = stock.create_project(db, user=lead, code=CODE, name=PROJECT, company=COMPANY)
    rows = _flat_rows(dice)
    stock.add_flats(db, user=lead, project_id=pid, rows=rows)
    with db.read() as s:
        flats = s.execute(select(Flat.id, Flat.floor).where(Flat.project_id == pid)
                          .order_by(Flat.building, Flat.entrance, Flat.floor, Flat.room)).all()
    customer_id, unit = _unit_customer(db)
    cid = stock.create_commission(db, user=lead, project_id=pid, name=unit, customer_id=customer_id)
    second = stock.create_commission(db, user=lead, project_id=pid, name=SECOND_UNIT)
    order = [f.id for f in flats]
    dice.rng.shuffle(order)
    # the first 6 stay unreleased (可售), ~1/12 go to the second unit, the last 2 are 关系房
    to_second, relationship = order[6:6 + len(order) // 12], order[-2:]
    to_main = order[6 + len(to_second):-2]
    stock.release_flats(db, user=lead, commission_id=cid, flat_ids=to_main)
    stock.release_flats(db, user=lead, commission_id=cid, flat_ids=relationship, relationship_note=RELATIONSHIP_NOTE)
    _relationship_approvals(db, lead, cid, relationship, dice)
    stock.release_flats(db, user=lead, commission_id=second, flat_ids=to_second)
    top = max(f.floor for f in flats)
    _price(db, lead, cid, 6800, top)
    _price(db, lead, second, 7200, top)

    main, other = _buyer_lists(dice)
    lists = {unit: main, SECOND_UNIT: other}
    buyers.add_buyers(db, user=lead, commission_id=second, rows=other, flags=_flags(lists, SECOND_UNIT))
    buyers.add_buyers(db, user=lead, commission_id=cid, rows=main, flags=_flags(lists, unit))
    auditor = system_principal("陈淑芬")
    listed = buyers.buyers_of(db, commission_id=cid)
    refused = {b.id for b in listed if "不同的身份证号" in b.audit_flag and b.list_no == len(main)}
    refused |= {b.id for b in listed if "同时出现在" in b.audit_flag}
    buyers.review(db, user=auditor, buyer_ids=[b.id for b in listed if b.id not in refused], eligible=True)
    buyers.review(db, user=auditor, buyer_ids=refused, eligible=False)
    buyers.review(db, user=auditor, buyer_ids=[b.id for b in buyers.buyers_of(db, commission_id=second)],
                  eligible=True)
    draw.run_draw(db, user=lead, commission_id=cid, seed=f"金苑-{seed}-{dice.below(10**6):06d}",
                  notary="市公证处 林公证员")
    documents = _desk(db, dice, cid, to_main)
    counts = {"选房项目": 1, "房源": len(rows), "委建房单位": 2, "购房者": len(main) + len(other),
              "选房单据": documents}
    return DemoEvent(pid, cid, second, counts)


def _relationship_approvals(db: Database, lead: Principal, cid: uuid.UUID, flats: list[uuid.UUID],
                            dice: Dice) -> None:
    """Both 关系房 on their approvals: one on paper (its deadline ahead), one by the GM's phone call ten days
    ago whose paperwork and payment are both overdue — so the 关系房 page has a row in each list."""
    now = utcnow()
    relationship.record_approval(
        db, user=lead, flat_id=flats[0], commission_id=cid, beneficiary=person_name(dice)[0], kind="paper",
        approval_no="JY-GX-001", approver="李振华", average_price=Decimal("6500"), payment_ratio=Decimal("0.6"),
        pay_deadline=(now + timedelta(days=20)).date())
    called = now - timedelta(days=10)
    relationship.record_approval(
        db, user=lead, flat_id=flats[1], commission_id=cid, beneficiary=person_name(dice)[0], kind="phone",
        approver="孙立新", handled_by="王建军", phoned_at=called, average_price=Decimal("6300"),
        payment_ratio=Decimal("0.7"), pay_deadline=(called + timedelta(days=3)).date(), now=called)


def _desk(db: Database, dice: Dice, cid: uuid.UUID, flats: list[uuid.UUID]) -> int:
    """The first six buyers in drawn order at the desk: every status of the grid, a reversal; documents made."""
    desk, cashier = system_principal("王丽"), system_principal("吴敏")
    lead = system_principal("张磊")
    finance = Principal(None, "demo-finance", "刘会计", "finance", "财务", frozenset({"selection.review"}))
    picks = dice.rng.sample(flats, 7)
    made = 0
    for n in range(6):
        called = queue.call_next(db, user=desk, commission_id=cid, desk=f"{n % 3 + 1}号台")
        number = next(b.id_number for b in buyers.buyers_of(db, commission_id=cid) if b.id == called.buyer_id)
        ticket = sel.issue_ticket(db, user=desk, commission_id=cid, id_number=number, flat_id=picks[n],
                                  payment_ratio=Decimal("0.5"), discounts=[("一次性付款9.8折", False)])
        made += 1
        due = Decimal(ticket.content["amount_now"])
        deposit = Decimal(ticket.content["deposit"])
        if n == 3:  # 放弃: the ticket is cancelled in red and the buyer picks again
            sel.reverse(db, user=lead, document_id=ticket.id, reason="购房人改选其他房源,已收回原票四联")
            ticket = sel.issue_ticket(db, user=desk, commission_id=cid, id_number=number, flat_id=picks[6],
                                      payment_ratio=Decimal("0.5"))
            made += 2
        if n <= 4:  # 封户费
            sel.record_receipt(db, user=cashier, ticket_id=ticket.id, amount=deposit, purpose="deposit")
            made += 1
        if n <= 2:  # the rest of what is due now: 已付款
            sel.record_receipt(db, user=cashier, ticket_id=ticket.id, amount=due - deposit, purpose="payment",
                               method="刷卡" if n else "转账")
            made += 1
        if n == 0:  # 选房凭证, reviewed by finance
            sel.issue_certificate(db, user=desk, reviewer=finance, ticket_id=ticket.id)
            made += 1
    return made
