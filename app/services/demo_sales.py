"""Demo sales and payment records (演示销售与回款数据) for the demo customers: three full years, monthly,
and this year up to last month (so this year's tables — 重点客户管理表 — have figures too).

Deterministic by seed (and by the customers present, in code order); only customers without any sales record
get some, so running the demo twice adds nothing twice. Deal customers (成交客户) buy most months, lost
customers (流失客户) stopped after the first year or two, about one in five intent customers (意向客户) made a
trial purchase, potential customers (潜在客户) none. Yearly sizes are log-normal (a few big accounts, a long
tail), margins between −5% and 35%, and each customer pays its quarter's invoice 30 days after the quarter
ends, some late. Rows are made as SQLite stores them (app.db.bulk.insert_stored: ids with time-ordered
keys, amounts as floats, dates as text) and inserted in one transaction, chunk by chunk.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.bulk import insert_stored, stored, stored_id
from app.db.row_ids import RowIds
from app.services.demo_draws import Dice
from models import Customer, PaymentRecord, SalesRecord
from models.base import utcnow

PRODUCTS = ("PE管", "PE钢丝管", "PE钢带增强管", "涂塑钢管", "负压钢带螺旋焊管", "PE四层钢丝管", "管件")
YEARS = 3
CHUNK = 20_000  # rows per bulk insert
_SALES, _PAYMENTS = SalesRecord.__table__, PaymentRecord.__table__
SALES_COLUMNS = ("id", "customer_id", "product", "year", "month", "amount", "profit", "orders", "source",
                 "entered_by", "entered_at")
PAYMENT_COLUMNS = ("id", "customer_id", "reference", "amount", "due_on", "paid_on", "entered_by", "entered_at")


def generate_sales(db: Database, *, seed: int = 1, today: date | None = None) -> dict[str, int]:
    """Sales and payments for every customer that has none yet; returns {销售记录: n, 回款记录: m}."""
    today = today or date.today()
    years = list(range(today.year - YEARS, today.year + 1))

    def work(s: Session) -> dict[str, int]:
        has_sales = exists().where(SalesRecord.customer_id == Customer.id)
        customers = s.execute(select(stored_id(Customer.id, db.dialect), Customer.code, Customer.status)
                              .where(Customer.merged_into_id.is_(None), ~has_sales).order_by(Customer.code)).all()
        counts = {"销售记录": 0, "回款记录": 0}
        if not customers:
            return counts
        dice = Dice(f"kedesk-demo-sales:{seed}:{customers[0].code}")
        made = Made(RowIds(stored=True), stored(_SALES, "entered_at", utcnow()))
        for cid, _code, status in customers:
            _customer(dice, cid, status, years, today, made)
            if len(made.sales) >= CHUNK:
                counts["销售记录"] += _flush(s, _SALES, SALES_COLUMNS, made.sales)
            if len(made.payments) >= CHUNK:
                counts["回款记录"] += _flush(s, _PAYMENTS, PAYMENT_COLUMNS, made.payments)
        counts["销售记录"] += _flush(s, _SALES, SALES_COLUMNS, made.sales)
        counts["回款记录"] += _flush(s, _PAYMENTS, PAYMENT_COLUMNS, made.payments)
        return counts

    return db.transact(work)


@dataclass
class Made:
    """The rows drawn so far (tuples in SALES_COLUMNS / PAYMENT_COLUMNS order), their ids and timestamp."""

    ids: RowIds
    now: str  # as stored
    sales: list[tuple] = field(default_factory=list)
    payments: list[tuple] = field(default_factory=list)


def _flush(s: Session, table, columns: tuple[str, ...], rows: list[tuple]) -> int:
    n = len(rows)
    insert_stored(s, table, columns, rows)
    rows.clear()
    return n


def _customer(dice: Dice, cid: str, status: str, years: list[int], today: date, made: Made) -> None:
    r = dice.random
    if status == "potential" or (status == "intent" and r() > 0.2):
        return
    active_years = years
    if status == "lost":
        active_years = years[:1 + dice.below(len(years) - 1)]
    elif status == "intent":
        active_years = years[-1:]
    size = math.exp(12.5 + 1.7 * dice.rng.gauss(0, 1))  # yearly 元: median ~270k, a few tens of millions
    if status == "intent":
        size /= 20
    margin = -0.05 + 0.40 * r()
    busy = 0.35 + 0.6 * r()  # share of months with an order
    punctual = 0.55 + 0.44 * r()
    product = PRODUCTS[int(r() * len(PRODUCTS))]
    base_orders = 1 + int(size / 400_000)
    for year in active_years:
        size *= 0.85 + 0.4 * r()
        quarter = [0.0, 0.0, 0.0, 0.0]
        for month in range(1, 13 if year < today.year else today.month):  # this year: finished months
            if r() > busy:
                continue
            amount = round(size / 12 / busy * (0.5 + r()), 2)
            if amount < 1:
                continue
            quarter[(month - 1) // 3] += amount
            made.sales.append((made.ids(), cid, product, year, month, amount,
                               round(amount * (margin + 0.1 * (r() - 0.5)), 2), base_orders + int(r() * 3),
                               "demo", "演示数据", made.now))
        for q, total in enumerate(quarter):
            if total <= 0:
                continue
            due = date(year, 3 * q + 3, 1) + timedelta(days=60)  # 30 days after the quarter's end, roughly
            if r() < punctual:
                paid = due - timedelta(days=int(r() * 20))
            else:
                paid = due + timedelta(days=1 + int(r() * 60))
            made.payments.append((made.ids(), cid, f"HT{year}{q + 1}", round(total, 2), due.isoformat(),
                                  paid.isoformat() if paid <= today else None, "演示数据", made.now))
