"""收据 — receipts for the deposit (封户费), payments and fees against a ticket; what a buyer has paid."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain.selection_money import loan_switch_fee_problem
from app.errors import ValidationFailed
from app.services.offline.guard import refuse_offline
from app.services.selection import documents
from app.services.selection.documents import IssuedDocument
from app.services.selection.errors import AlreadyReversed, AmountMismatch, RuleBroken
from app.services.selection.tickets import money
from app.services.users import Principal
from models import Buyer, Flat, SelectionDocument
from models.base import utcnow

# purposes that pay for the flat; fees are received on their own and never count towards the price
# "transfer" (更名结转) is issued only by a rename: the money paid moves from the old buyer to the new one;
# "refund" (退款收据, a negative receipt) only by a swap to a cheaper flat or a cancellation (退房)
HOUSE_PAYMENTS = {"deposit": "封户费", "payment": "房款", "extra": "补交房款", "transfer": "更名结转",
                  "refund": "退款"}
FEES = {"rename_fee": "更名费", "loan_fee": "转按揭手续费"}
ISSUED_BY_SERVICES = ("transfer", "refund")  # never received at the cashier's window
RECEIVABLE = {code: label for code, label in (HOUSE_PAYMENTS | FEES).items() if code not in ISSUED_BY_SERVICES}
METHODS = ("现金", "转账", "刷卡")
TRANSFER_METHOD = "结转"


def paid_towards(s: Session, buyer_id: uuid.UUID) -> Decimal:
    """Everything the buyer has paid for the flat, net of red-letter reversals."""
    total = s.scalar(select(func.coalesce(func.sum(SelectionDocument.amount), 0))
                     .where(SelectionDocument.buyer_id == buyer_id, SelectionDocument.kind == "receipt",
                            SelectionDocument.purpose.in_(HOUSE_PAYMENTS)))
    return money(Decimal(total))


def fees_paid(s: Session, ticket_id: uuid.UUID, purpose: str) -> Decimal:
    """A fee (更名费 / 转按揭手续费) received against this ticket, net of reversals."""
    total = s.scalar(select(func.coalesce(func.sum(SelectionDocument.amount), 0))
                     .where(SelectionDocument.ticket_id == ticket_id, SelectionDocument.kind == "receipt",
                            SelectionDocument.purpose == purpose))
    return money(Decimal(total))


def moved_by_rename(s: Session, receipt: SelectionDocument) -> bool:
    """A house payment of a buyer whose money a later rename (更名结转) moved to someone else."""
    if receipt.purpose not in HOUSE_PAYMENTS:
        return False
    return s.scalar(select(func.count()).where(
        SelectionDocument.buyer_id == receipt.buyer_id, SelectionDocument.kind == "receipt",
        SelectionDocument.purpose == "transfer", SelectionDocument.amount < 0,
        SelectionDocument.issued_at >= receipt.issued_at)) > 0


def lump_sum(ticket_content: dict) -> bool:
    """一次性付款: the whole price now, or a lump-sum discount on the ticket."""
    return (Decimal(ticket_content["payment_ratio"]) == 1
            or any("一次性" in str(d[0]) for d in ticket_content.get("discounts", [])))


def lock_buyer(s: Session, buyer_id: uuid.UUID) -> None:
    """Every change of a buyer's money holds the buyer's row first (buyer → flat → counter), so two cashiers
    or a cashier and the lead's swap cannot both read the same 'paid' and overshoot what is due."""
    s.execute(select(Buyer.id).where(Buyer.id == buyer_id).with_for_update())


def due_of(ticket_content: dict) -> Decimal:
    """应收: what the ticket asks now (the whole price, or the price × the payment ratio)."""
    return Decimal(ticket_content["amount_now"])


def issue_receipt(s: Session, *, user: Principal, ticket, amount: Decimal, purpose: str, label: str, method: str,
                  now: datetime) -> IssuedDocument:
    """A numbered 收据 on `ticket` (a stored row or an IssuedDocument) inside the caller's transaction."""
    t = ticket.content if isinstance(ticket, IssuedDocument) else documents.content_of(ticket)
    number = ticket.number if isinstance(ticket, IssuedDocument) else ticket.display_number
    content = {"payer": t["buyer"], "buyer_id_number": t["buyer_id_number"], "ticket": number,
               "flat": _flat_text(t), "purpose_label": label, "method": method, "reverses": None}
    project = ticket.project_id if hasattr(ticket, "project_id") else None
    if project is None:
        project, commission = s.execute(select(SelectionDocument.project_id, SelectionDocument.commission_id)
                                        .where(SelectionDocument.id == ticket.id)).one()
    else:
        commission = ticket.commission_id
    return documents.issue(s, kind="receipt", project_id=project, commission_id=commission,
                           buyer_id=ticket.buyer_id, flat_id=ticket.flat_id, ticket_id=ticket.id, amount=amount,
                           purpose=purpose, content=content, user=user, now=now)


def refund_excess(s: Session, *, user: Principal, ticket, why: str, method: str, now: datetime
                  ) -> IssuedDocument | None:
    """退款收据: what the buyer paid beyond the ticket's amount due goes back, in the caller's transaction."""
    t = ticket.content if isinstance(ticket, IssuedDocument) else documents.content_of(ticket)
    excess = paid_towards(s, ticket.buyer_id) - due_of(t)
    if excess <= 0:
        return None
    return issue_receipt(s, user=user, ticket=ticket, amount=-excess, purpose="refund",
                         label=f"退款({why})", method=method, now=now)


def active_ticket(s: Session, ticket_id: uuid.UUID) -> SelectionDocument:
    ticket = s.get(SelectionDocument, ticket_id)
    if ticket is None or ticket.kind != "ticket" or ticket.reverses_id is not None:
        raise ValidationFailed({"ticket": "找不到该选房工作票"})
    if documents.reversed_ids(s, [ticket.id]):
        raise AlreadyReversed(f"选房工作票 {ticket.display_number} 已红字冲销,不能再收款")
    return ticket


def record_receipt(db: Database, *, user: Principal, ticket_id: uuid.UUID, amount: Decimal, purpose: str,
                   method: str = "转账", now: datetime | None = None) -> IssuedDocument:
    """Receive money against a ticket and issue a numbered 收据; a payment over the price is refused."""
    refuse_offline(db, "收款开收据")
    user.require("selection.receipt", "收款开收据")
    amount = money(Decimal(amount))
    if amount <= 0:
        raise ValidationFailed({"amount": "收款金额必须大于 0"})
    if purpose not in RECEIVABLE:
        raise ValidationFailed({"purpose": "请选择收款事由"})
    if purpose == "loan_fee":
        rules = settings.get_all(db)
        problem = loan_switch_fee_problem(amount, low=rules["selection.loan_fee_min"],
                                          high=rules["selection.loan_fee_max"])
        if problem:
            raise ValidationFailed({"amount": problem})
    if method not in METHODS:
        raise ValidationFailed({"method": f"付款方式只能是{'、'.join(METHODS)}"})
    now = now or utcnow()

    def work(s: Session) -> IssuedDocument:
        lock_buyer(s, s.scalar(select(SelectionDocument.buyer_id).where(SelectionDocument.id == ticket_id)))
        ticket = active_ticket(s, ticket_id)
        t = documents.content_of(ticket)
        if purpose == "loan_fee" and not lump_sum(t):
            raise RuleBroken(f"选房工作票 {ticket.display_number} 不是一次性付款,不收转按揭手续费")
        if purpose == "loan_fee" and fees_paid(s, ticket.id, "loan_fee") > 0:
            raise RuleBroken(f"选房工作票 {ticket.display_number} 已收过转按揭手续费,不能重复收取")
        paid, due = paid_towards(s, ticket.buyer_id), due_of(t)
        if purpose in HOUSE_PAYMENTS and paid + amount > due:  # a certificate certifies exactly what is due
            raise AmountMismatch(f"收款后累计 {paid + amount:,.2f} 元将超过本票应收 {due:,.2f} 元,"
                                 f"本次最多可收 {max(due - paid, 0):,.2f} 元")
        covered = purpose in HOUSE_PAYMENTS and paid + amount == due
        if covered:  # flat row first (same lock order as ticketing), then the counter
            s.execute(update(Flat).where(Flat.id == ticket.flat_id, Flat.status == "chosen")
                      .values(status="paid", version=Flat.version + 1, changed_at=now))
        return issue_receipt(s, user=user, ticket=ticket, amount=amount, purpose=purpose,
                             label=RECEIVABLE[purpose], method=method, now=now)

    return db.transact(work)


def _flat_text(t: dict) -> str:
    entrance = f"{t['entrance']}单元" if t.get("entrance") else ""
    return f"{t['building']}{entrance}{t['room']}"
