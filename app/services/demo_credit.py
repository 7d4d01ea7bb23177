"""Demo data of the credit-limit approvals (信用额度超限审批): five requests filed by the demo rep (rep), one
in each place a request can be — waiting for the 部长 (manager), approved by the 部长 and waiting for the
总经理 (gm), approved by both, refused by the 部长, and lapsed. Deterministic by seed; once per database.

The demo has no committed credit grading run, so each request keeps the position the service computes
(credit._position): the card's 信用额度, else the C-grade default; the exposure is the customer's unpaid
demo receivables. The order amounts are chosen so that the approvers match credit.minister_pct. The customers
are the rep's department-level ones (not lost; the deals first), so the manager and the GM may read (and print)
them; a small demo whose rep has fewer than five such customers gets fewer requests.
"""
from __future__ import annotations

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import credit_approval as flow
from app.domain.grading import credit as rules
from app.services import audit
from app.services.credit import _position
from models import AppUser, AuditRecord, CreditRequest, Customer
from models.base import utcnow

# (state, needs the 总经理, days since filed, the steps taken: (who, approve, comment))
PLAN = (
    ("minister", False, 1, ()),
    ("gm", True, 2, (("manager", True, "客户合作多年,回款一向及时"),)),
    ("approved", True, 5, (("manager", True, "年底备货,同意"), ("gm", True, "同意,月底前须收回上批货款"))),
    ("refused", False, 4, (("manager", False, "上批货款逾期未付,先收回欠款"),)),
    ("lapsed", False, 12, ()),
)
REASONS = ("年底备货,客户追加订单", "新项目开工,首批材料急需发货", "客户承诺月底前结清上批货款", "节前集中采购,订单量翻倍",
           "竞争对手以账期争夺,需保住份额")


def _amount(rnd: random.Random, pos, needs_gm: bool, pct: int) -> Decimal | None:
    """A round order that puts this customer over the limit by as much as the plan's approvers say, or None.

    Within credit.minister_pct (the 部长 alone) needs headroom left; beyond it (the 总经理 too) also suits a
    customer already over the limit, as many demo deals are (their unpaid receivables exceed the card's limit)."""
    if pos.limit <= 0 or (not needs_gm and pos.headroom <= 0):
        return None
    over = pos.limit * Decimal(rnd.randint(pct + 10, pct + 60) if needs_gm else rnd.randint(2, pct)) / 100
    amount = ((max(pos.headroom, Decimal(0)) + over) / 100).quantize(Decimal(1)) * 100  # whole hundreds
    if amount <= 0 or len(rules.approvers(pos.limit, pos.exposure + amount, minister_pct=pct)) != 1 + needs_gm:
        return None  # rounding crossed the line
    return amount


def generate_credit_requests(db: Database, *, seed: int) -> dict[str, int]:
    values = settings.get_all(db)
    pct, days = int(values["credit.minister_pct"]), int(values["credit.request_days"])
    rnd = random.Random(f"kedesk-demo-credit:{seed}")

    def work(s: Session) -> dict[str, int]:
        counts = {"信用审批": 0}
        if s.scalar(select(CreditRequest.id).limit(1)) is not None:
            return counts
        people = {u: (name, staff) for u, name, staff in s.execute(
            select(AppUser.username, AppUser.display_name, AppUser.staff_id)
            .where(AppUser.username.in_(("rep", "manager", "gm"))))}
        if len(people) < 3 or people["rep"][1] is None:
            return counts
        pool = list(s.scalars(select(Customer).where(
            Customer.merged_into_id.is_(None), Customer.status != "lost", Customer.owner_id == people["rep"][1],
            Customer.confidentiality == "department").order_by(Customer.code).limit(60)))
        rnd.shuffle(pool)
        pool.sort(key=lambda c: c.status != "deal")  # stable: the deals first, each part in seeded order
        now = utcnow()
        requests, trail = [], []
        positions = [(c, _position(s, c, values)) for c in pool]
        used: set[uuid.UUID] = set()
        for state, needs_gm, ago, steps in PLAN:
            for c, pos in positions:
                if c.id in used:
                    continue
                amount = _amount(rnd, pos, needs_gm, pct)
                if amount is not None:
                    break
            else:
                continue  # a small demo: no customer left that fits this place
            used.add(c.id)
            filed = now - timedelta(days=ago, hours=rnd.randint(1, 8))
            rid, reason = uuid.uuid4(), rnd.choice(REASONS)
            row = {"id": rid, "customer_id": c.id, "amount": amount, "exposure": pos.exposure,
                   "credit_limit": pos.limit, "grade": pos.grade, "needs_gm": needs_gm, "reason": reason,
                   "state": state, "applicant_key": "rep", "applicant_name": people["rep"][0], "minister_key": "",
                   "minister_name": "", "gm_key": "", "gm_name": "", "comment": "", "created_at": filed,
                   "expires_at": flow.expiry(filed, days), "decided_at": None, "version": 1 + len(steps)}
            who = "、".join((rules.MINISTER, rules.GM) if needs_gm else (rules.MINISTER,))
            events = [(filed, people["rep"][0], "create",
                       f"订单 {amount:,.2f} 元,未收回款 {pos.exposure:,.2f} 元,额度 {pos.limit:,.2f} 元,"
                       f"报{who}审批:{reason}")]
            notes = []
            for i, (key, approve, comment) in enumerate(steps):
                role = rules.MINISTER if i == 0 else rules.GM
                row[f"{'minister' if i == 0 else 'gm'}_key"], row[f"{'minister' if i == 0 else 'gm'}_name"] = (
                    key, people[key][0])
                note = f"{role}{'批准' if approve else '不批准'}:{comment}"
                notes.append(note)
                events.append((filed + timedelta(hours=3 + 20 * i), people[key][0],
                               "approve" if approve else "reject", note))
            row["comment"] = "\n".join(notes)
            if state in ("approved", "refused"):
                row["decided_at"] = events[-1][0]
            if state == "lapsed":
                events.append((row["expires_at"] + timedelta(hours=2), "系统", "lapse", "超过有效期未审批完,申请失效"))
            requests.append(row)
            for at, actor, action, note in events:
                trail += [r | {"at": at} for r in audit.rows_for(actor=actor, action=action, entity="credit_request",
                                                                 entity_id=rid, customer_id=c.id, note=note)]
        if requests:
            s.execute(insert(CreditRequest), requests)
            s.execute(insert(AuditRecord), trail)
        counts["信用审批"] = len(requests)
        return counts

    return db.transact(work)
