"""Credit-limit approval requests (信用额度超限审批): an order over a customer's credit limit goes up the
chain — the 部长, then (far over, or a D customer) the 总经理 (DOMAIN.md §3.3)."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class CreditRequest(Base):
    """One request to give credit over the limit; the position is kept as it was when filed."""

    __tablename__ = "credit_request"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # 本次订单金额
    exposure: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # 申请时未收回款
    credit_limit: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # 申请时信用额度
    grade: Mapped[str] = mapped_column(String(2))
    needs_gm: Mapped[bool] = mapped_column(default=False)  # 部长 and then 总经理
    reason: Mapped[str] = mapped_column(Text, default="")
    # minister (待部长审批) / gm (待总经理审批) / approved / refused / lapsed
    state: Mapped[str] = mapped_column(String(10), default="minister", index=True)
    applicant_key: Mapped[str] = mapped_column(String(40))
    applicant_name: Mapped[str] = mapped_column(String(40))
    minister_key: Mapped[str] = mapped_column(String(40), default="")
    minister_name: Mapped[str] = mapped_column(String(40), default="")
    gm_key: Mapped[str] = mapped_column(String(40), default="")
    gm_name: Mapped[str] = mapped_column(String(40), default="")
    comment: Mapped[str] = mapped_column(Text, default="")  # the refusal's reason, the approvers' remarks
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # compare-and-set
