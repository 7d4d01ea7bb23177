"""更名 — the flat passes from the ticket's buyer to another person, in one transaction.

The ticket is cancelled by a red-letter ticket (红字冲红) and a new ticket with the same terms (payment ratio,
discounts, special approval) is opened for the new buyer on the same flat.

* Between names on the approved list (the new person is an eligible buyer of the same unit without a flat)
  the rename is free.
* Anyone else is added to the list flagged “更名受让(名单外)” and pays the 更名费 = (market price − contract
  price) × selection.rename_share. The fee is received first, as a 收据 with purpose `rename_fee` on the old
  ticket; `rename` refuses until the fee received on that ticket is exactly the fee due (`quote_rename`
  tells the desk the amount before anything is written).
* Money already paid moves with the flat: two receipts with purpose `transfer` (更名结转, method 结转) take the
  old buyer's house payments out (negative) and put them on the new ticket, so `paid_towards` stays per buyer
  and the new buyer's certificate lists the transfer.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain.buyers import id_problem, mask_id, normalise_id, normalise_name
from app.domain.selection_money import rename_fee
from app.errors import ValidationFailed
from app.services.offline.guard import refuse_offline
from app.services.selection import buyers, documents, tickets
from app.services.selection.corrections import _cancel
from app.services.selection.documents import IssuedDocument
from app.services.selection.errors import AmountMismatch, RuleBroken
from app.services.selection.payments import (
    TRANSFER_METHOD,
    _flat_text,
    active_ticket,
    fees_paid,
    paid_towards,
)
from app.services.users import Principal
from models import Buyer, Commission, Flat, FlatHold, SelectionDocument
from models.base import utcnow

OUTSIDE_FLAG = "更名受让(名单外)"


@dataclass(frozen=True)
class RenameQuote:
    """What a rename would do, shown to the desk before it is done."""

    ticket_number: str
    old_buyer: str
    new_buyer: str  # the name on the list, or as typed for a person outside it
    on_list: bool  # between listed names: free
    contract_total: Decimal
    fee: Decimal  # 更名费 due
    fee_received: Decimal  # rename_fee receipts on the ticket, net of reversals
    money_moving: Decimal  # house payments that move to the new buyer


def _plan(s: Session, *, ticket: SelectionDocument, new_id_number: str, new_name: str,
          market_price_total, share: Decimal) -> tuple[RenameQuote, Buyer | None, str]:
    number = normalise_id(new_id_number)
    old = s.get(Buyer, ticket.buyer_id)
    if number == old.id_number:
        raise ValidationFailed({"new_id_number": "新购房人与原购房人是同一人,无需更名"})
    listed = s.scalar(select(Buyer).where(Buyer.commission_id == ticket.commission_id, Buyer.id_number == number))
    if listed is not None:
        buyers.listed(s, ticket.commission_id, number)  # not yet reviewed / not eligible: NotOnList
        if new_name.strip() and normalise_name(new_name) != normalise_name(listed.name):
            raise ValidationFailed({"new_name": f"名单上该身份证号的姓名是“{listed.name}”,请核对"})
        if s.scalar(select(FlatHold.flat_id).where(FlatHold.buyer_id == listed.id)) is not None:
            raise RuleBroken(f"{listed.name} 已选房,不能再受让其他房源")
        fee, name = Decimal("0.00"), listed.name
    else:  # a number on the list was checked when the list was imported
        problem = id_problem(number)
        if problem:
            raise ValidationFailed({"new_id_number": problem})
        if not new_name.strip():
            raise ValidationFailed({"new_name": "该身份证号不在名单中,请填写新购房人姓名(名单外更名需收更名费)"})
        if market_price_total is None or Decimal(market_price_total) <= 0:
            raise ValidationFailed({"market_price_total": "名单外更名须填写同类房源的市场价总额(元)"})
        fee = rename_fee(market_price_total=market_price_total, contract_total=ticket.amount, share=share)
        name = new_name.strip()
    quote = RenameQuote(ticket.display_number, old.name, name, listed is not None, ticket.amount, fee,
                        fees_paid(s, ticket.id, "rename_fee"), paid_towards(s, old.id))
    return quote, listed, number


def _share(db: Database) -> Decimal:
    return Decimal(str(settings.get(db, "selection.rename_share")))


def quote_rename(db: Database, *, user: Principal, ticket_id: uuid.UUID, new_id_number: str, new_name: str = "",
                 market_price_total: Decimal | None = None) -> RenameQuote:
    """The fee due and the money that would move; nothing is written."""
    user.require("selection.reverse", "更名")
    share = _share(db)
    with db.read() as s:
        ticket = active_ticket(s, ticket_id)
        return _plan(s, ticket=ticket, new_id_number=new_id_number, new_name=new_name,
                     market_price_total=market_price_total, share=share)[0]


def _transfer(s: Session, *, user: Principal, ticket: IssuedDocument, old: SelectionDocument, amount: Decimal,
              label: str, now: datetime) -> IssuedDocument:
    """A 更名结转 receipt on `ticket` for its buyer (method 结转: no money crosses the desk)."""
    t = ticket.content
    content = {"payer": t["buyer"], "buyer_id_number": t["buyer_id_number"], "ticket": ticket.number,
               "flat": _flat_text(t), "purpose_label": label, "method": TRANSFER_METHOD, "reverses": None}
    return documents.issue(s, kind="receipt", project_id=old.project_id, commission_id=old.commission_id,
                           buyer_id=ticket.buyer_id, flat_id=ticket.flat_id, ticket_id=ticket.id, amount=amount,
                           purpose="transfer", content=content, user=user, now=now)


def rename(db: Database, *, user: Principal, ticket_id: uuid.UUID, new_id_number: str, new_name: str = "",
           market_price_total: Decimal | None = None, reason: str, now: datetime | None = None,
           ) -> tuple[IssuedDocument, IssuedDocument]:
    """更名: returns (red-letter ticket, new ticket). Refuses (AmountMismatch) until the 更名费 is received."""
    refuse_offline(db, "更名")
    user.require("selection.reverse", "更名")
    user.require("selection.ticket", "开选房工作票")
    if not reason.strip():
        raise ValidationFailed({"reason": "请填写更名原因,并收回原选房工作票各联"})
    share, now = _share(db), now or utcnow()

    def work(s: Session) -> tuple[IssuedDocument, IssuedDocument]:
        old = active_ticket(s, ticket_id)
        quote, listed, number = _plan(s, ticket=old, new_id_number=new_id_number, new_name=new_name,
                                      market_price_total=market_price_total, share=share)
        if quote.fee_received < quote.fee:
            raise AmountMismatch(f"须先收取更名费 {quote.fee:,.2f} 元(已收 {quote.fee_received:,.2f} 元):"
                                 f"请在票 {old.display_number} 上开具“更名费”收据后再办理更名")
        if quote.fee_received > quote.fee:
            raise AmountMismatch(f"更名费应收 {quote.fee:,.2f} 元,已收 {quote.fee_received:,.2f} 元,"
                                 "多收部分请先红字冲销")
        commission = s.get(Commission, old.commission_id)
        if listed is None:  # the person outside the list joins it, flagged for audit
            list_no = (s.scalar(select(func.max(Buyer.list_no)).where(Buyer.commission_id == commission.id)) or 0) + 1
            new_buyer_id = uuid.uuid4()
            s.execute(insert(Buyer).values(
                id=new_buyer_id, commission_id=commission.id, list_no=list_no, name=quote.new_buyer,
                id_number=number, phone="", audit_flag=OUTSIDE_FLAG, eligible=True,
                reviewed_by=user.display_name, reviewed_at=now, called_desk=""))
            listed = s.get(Buyer, new_buyer_id)
        old_value = documents.as_issued(old, None)
        t = old_value.content
        red = _cancel(s, user=user, doc=old, reason=f"更名:{reason.strip()}", now=now)
        note = f"更名:原票 {old.display_number},原购房人 {quote.old_buyer}({mask_id(t['buyer_id_number'])})"
        if quote.fee:
            note += f";更名费 {quote.fee:,.2f} 元"
        new = tickets._open(s, user=user, commission=commission, buyer=listed, flat_id=old.flat_id,
                            ratio=Decimal(t["payment_ratio"]), discounts=[tuple(d) for d in t["discounts"]],
                            ratio_approval=t.get("ratio_approval", ""), now=now,
                            extra={"reason": note, "renamed_from": {
                                "ticket": old.display_number, "buyer": quote.old_buyer,
                                "fee": quote.fee, "market_price_total": market_price_total,
                                "money_moved": quote.money_moving}})
        if quote.money_moving:
            _transfer(s, user=user, ticket=old_value, old=old, amount=-quote.money_moving,
                      label=f"更名结转(转出至 {new.number})", now=now)
            _transfer(s, user=user, ticket=new, old=old, amount=quote.money_moving,
                      label=f"更名结转(转自 {old.display_number})", now=now)
        if paid_towards(s, listed.id) >= Decimal(new.content["amount_now"]):
            s.execute(update(Flat).where(Flat.id == old.flat_id, Flat.status == "chosen")
                      .values(status="paid", version=Flat.version + 1, changed_at=now))
        return red, new

    return db.transact(work)
