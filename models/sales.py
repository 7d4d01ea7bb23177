"""Sales, profit and payment records per customer (销售与回款记录) — the data grading runs on.

Imported from Excel, typed in by hand, or made by the demo generator. Records are facts: a wrong
figure is corrected by a new record (负数冲减) or a replacement import, never edited in place, so
a past grading snapshot can always be explained by the rows it was computed from.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class SalesRecord(Base):
    """销售记录 — one customer's sales of one product in one month (month 0: a whole-year figure)."""

    __tablename__ = "sales_record"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    product: Mapped[str] = mapped_column(String(60), default="")  # 产品
    year: Mapped[int] = mapped_column()
    month: Mapped[int] = mapped_column(default=0)  # 1–12; 0 = yearly figure entered as a whole
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # 销售额(元)
    profit: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))  # 毛利(元), may be negative
    orders: Mapped[int] = mapped_column(default=0)  # 订单数 (order volume item of the 100-point scoring)
    source: Mapped[str] = mapped_column(String(12), default="manual")  # manual / import / demo
    entered_by: Mapped[str] = mapped_column(String(40), default="")
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_sales_record_year_customer", "year", "customer_id"),)


class PaymentRecord(Base):
    """回款记录 — an amount due on a date and when it was paid; paid after due (or unpaid past due) is late."""

    __tablename__ = "payment_record"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(40), default="")  # 合同/发票号
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    due_on: Mapped[date] = mapped_column(index=True)  # 应付日期
    paid_on: Mapped[date | None] = mapped_column()  # 实付日期
    entered_by: Mapped[str] = mapped_column(String(40), default="")
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
