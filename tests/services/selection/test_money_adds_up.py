"""Money that adds up (账款相符): every change that moves money issues its balancing documents in the same
transaction, and a certificate certifies exactly the amount due. The event auditor runs after each test
(conftest) and must find nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.cli import EXIT_OK, EXIT_USER, main
from app.errors import ValidationFailed
from app.services import selection as sel
from app.services.selection import desk
from app.services.selection.event_audit import audit_project
from models import Flat, SelectionDocument


def status(db, flat_id):
    with db.read() as s:
        return s.scalar(select(Flat.status).where(Flat.id == flat_id))


def _paid_in_full(db, e, buyer: int, flat: int, ratio="1"):
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[buyer],
                         flat_id=e.flats[flat], payment_ratio=Decimal(ratio))
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal(t.content["amount_now"]),
                       purpose="payment")
    return t


def _paid(db, e, buyer: int) -> Decimal:
    return desk.verify_buyer(db, user=e.lead, commission_id=e.commission_id, id_number=e.ids[buyer]).paid


def test_paid_in_full_then_swapped_to_a_cheaper_flat_is_refunded_the_difference(db, event):
    e = event
    t = _paid_in_full(db, e, 0, 5)  # 5,000 元/m² more expensive than flat 0 by 100 元/m²
    swap = sel.swap_flat(db, user=e.site_lead, ticket_id=t.id, new_flat_id=e.flats[0], reason="换到便宜的房")
    assert swap.refund is not None and swap.refund.purpose == "refund"
    assert swap.refund.amount == -(t.amount - swap.new.amount) == Decimal("-9850.00")  # 100 元/m² × 98.50 m²
    assert swap.refund.content["purpose_label"].startswith("退款(换房差价")
    assert [d.kind for d in swap.documents] == ["ticket", "ticket", "receipt"]  # red ticket, new ticket, refund
    assert _paid(db, e, 0) == swap.new.amount and status(db, e.flats[0]) == "paid"
    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=swap.new.id)
    assert cert.amount == swap.new.amount and Decimal(cert.content["paid_total"]) == swap.new.amount


def test_certified_then_swapped_to_a_dearer_flat_reverses_the_certificate_and_asks_for_the_rest(db, event):
    e = event
    t = _paid_in_full(db, e, 0, 0)
    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=t.id)
    swap = sel.swap_flat(db, user=e.site_lead, ticket_id=t.id, new_flat_id=e.flats[3], reason="换到高楼层")
    assert swap.certificate_red is not None and swap.certificate_red.content["reverses"] == cert.number
    assert swap.certificate_red.amount == -cert.amount and swap.refund is None
    assert status(db, e.flats[0]) == "released" and status(db, e.flats[3]) == "chosen"
    short = swap.new.amount - t.amount
    with pytest.raises(sel.AmountMismatch, match=f"还差 {short:,.2f} 元"):
        sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=swap.new.id)
    with pytest.raises(sel.AmountMismatch, match=f"本次最多可收 {short:,.2f} 元"):
        sel.record_receipt(db, user=e.cashier, ticket_id=swap.new.id, amount=short + 1, purpose="extra")
    sel.record_receipt(db, user=e.cashier, ticket_id=swap.new.id, amount=short, purpose="extra")
    again = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=swap.new.id)
    assert again.amount == swap.new.amount and status(db, e.flats[3]) == "certified"


def test_a_part_payer_swapped_down_below_what_was_paid_gets_the_excess_back(db, event):
    e = event
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1], flat_id=e.flats[5],
                         payment_ratio=Decimal("0.5"))
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("20000"), purpose="deposit")
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal(t.content["amount_now"]) - 20000,
                       purpose="payment")
    swap = sel.swap_flat(db, user=e.site_lead, ticket_id=t.id, new_flat_id=e.flats[0], reason="换小一点的")
    due = Decimal(swap.new.content["amount_now"])
    assert swap.refund.amount == due - Decimal(t.content["amount_now"]) == Decimal("-4925.00")
    assert _paid(db, e, 1) == due and status(db, e.flats[0]) == "paid"


def test_cancelling_a_paid_ticket_refunds_everything_in_the_same_transaction(db, event):
    e = event
    t = _paid_in_full(db, e, 2, 1, ratio="0.5")
    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=t.id)
    with pytest.raises(sel.RuleBroken, match="请先红字冲销选房凭证"):
        sel.cancel_ticket(db, user=e.site_lead, ticket_id=t.id, reason="客户退房")
    sel.reverse(db, user=e.site_lead, document_id=cert.id, reason="退房")
    out = sel.cancel_ticket(db, user=e.site_lead, ticket_id=t.id, reason="客户退房", refund_method="现金")
    assert out.new is None and out.red.content["reverses"] == t.number
    assert out.refund.amount == -Decimal(t.content["amount_now"]) and out.refund.content["method"] == "现金"
    assert out.refund.content["purpose_label"] == "退款(退房)"
    assert _paid(db, e, 2) == 0 and status(db, e.flats[1]) == "released"
    with pytest.raises(sel.RuleBroken, match="是退款收据"):
        sel.reverse(db, user=e.site_lead, document_id=out.refund.id, reason="误退")
    with db.read() as s:
        first = s.scalar(select(SelectionDocument.id).where(SelectionDocument.kind == "receipt",
                                                            SelectionDocument.number == 1))
    with pytest.raises(sel.RuleBroken, match="已退还购房人"):
        sel.reverse(db, user=e.site_lead, document_id=first, reason="收错了")


def test_a_cashier_cannot_issue_refunds_or_carry_overs_by_hand(db, event):
    e = event
    t = _paid_in_full(db, e, 0, 0, ratio="0.5")
    for purpose in ("refund", "transfer"):
        with pytest.raises(ValidationFailed, match="请选择收款事由"):
            sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("1"), purpose=purpose)


def test_the_auditor_names_money_that_does_not_add_up_and_the_cli_exits_1(db, event, capsys):
    e = event
    t = _paid_in_full(db, e, 0, 0, ratio="0.5")
    assert audit_project(db, project_id=e.project_id) == []
    assert main(["--db", db.url, "audit-event", "JY"]) == EXIT_OK
    assert "稽核通过" in capsys.readouterr().out
    with db.write() as s:  # a flat freed behind the desks' back: the hold and the ticket no longer agree
        s.get(Flat, e.flats[0]).status = "released"
    findings = audit_project(db, project_id=e.project_id)
    assert findings == ["张伟:占用的房源在销控表上不是已选状态", "张伟:房款已付清,销控表却显示“released”"]
    assert main(["--db", db.url, "audit-event", "金苑小区JY"]) == EXIT_USER
    err = capsys.readouterr().err
    assert "稽核发现 2 处问题" in err and "张伟:占用的房源在销控表上不是已选状态" in err
    with db.write() as s:
        s.get(Flat, e.flats[0]).status = "paid"
    assert audit_project(db, project_id=e.project_id) == [] and t.amount > 0
