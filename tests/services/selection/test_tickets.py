"""The desk flow through the services: ticket → receipts → certificate, and what is refused on the way."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.services import selection as sel
from app.services.selection import documents
from models import Flat
from tests.services.selection.conftest import person


def status(db, flat_id):
    with db.read() as s:
        return s.scalar(select(Flat.status).where(Flat.id == flat_id))


def test_a_buyer_goes_from_ticket_to_certificate(db, event):
    e = event
    ticket = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                              flat_id=e.flats[0], payment_ratio=Decimal("0.5"),
                              discounts=[("一次性付款优惠", False)])
    assert ticket.number == f"JY-XP-{ticket.issued_at.astimezone().year}-000001"
    assert ticket.content["total"] == "581150.00"  # 5900 × 98.50
    assert ticket.content["amount_now"] == "290575.00"
    assert ticket.content["deposit"] == "20000.00"
    assert status(db, e.flats[0]) == "chosen"

    sel.record_receipt(db, user=e.cashier, ticket_id=ticket.id, amount=Decimal("20000"), purpose="deposit")
    with pytest.raises(sel.AmountMismatch, match="还差 270,575.00 元"):
        sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=ticket.id)
    second = sel.record_receipt(db, user=e.cashier, ticket_id=ticket.id, amount=Decimal("270575"),
                                purpose="payment")
    assert second.number.endswith("-000002") and "-SJ-" in second.number
    assert status(db, e.flats[0]) == "paid"

    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=ticket.id)
    assert "-PZ-" in cert.number and cert.amount == Decimal("290575.00")
    assert [r[0] for r in cert.content["receipts"]] == [n for n in (cert.content["receipts"][0][0],
                                                                      second.number)]
    assert cert.content["reviewed_by"] == "财务老刘"
    assert status(db, e.flats[0]) == "certified"


def test_full_payment_states_no_deposit(db, event):
    t = sel.issue_ticket(db, user=event.desk, commission_id=event.commission_id, id_number=event.ids[1],
                         flat_id=event.flats[1], payment_ratio=Decimal("1"))
    assert t.content["deposit"] is None and t.content["amount_now"] == t.content["total"]


def test_refusals_name_the_reason(db, event):
    e = event
    with pytest.raises(sel.NotOnList, match="不在“市第一人民医院”的购房者名单中"):
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number="110101199003078888",
                         flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.RuleBroken, match="低于规定的 50%"):
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[0], payment_ratio=Decimal("0.3"))
    assert status(db, e.flats[0]) == "released"  # nothing half-done
    approved = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                                flat_id=e.flats[0], payment_ratio=Decimal("0.3"), ratio_approval="特批〔2026〕7号")
    assert approved.content["ratio_approval"] == "特批〔2026〕7号"
    with pytest.raises(sel.FlatTaken, match="已被选"):
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1],
                         flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.RuleBroken, match="已选房"):
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[2], payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.NotPermitted, match="没有开选房工作票的权限"):
        sel.issue_ticket(db, user=e.cashier, commission_id=e.commission_id, id_number=e.ids[1],
                         flat_id=e.flats[2], payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.AmountMismatch, match="超过本票应收"):
        sel.record_receipt(db, user=e.cashier, ticket_id=approved.id, amount=approved.amount + 1,
                           purpose="payment")
    with pytest.raises(sel.RuleBroken, match="复核人不能是开具人"):
        sel.issue_certificate(db, user=e.lead, reviewer=e.lead, ticket_id=approved.id)


def test_an_unapproved_price_cannot_be_ticketed(db):
    from app.services.selection import stock
    from tests.services.selection.conftest import make_event

    e = make_event(db)
    stock.set_prices(db, user=e.lead, commission_id=e.commission_id, average_price=Decimal("6100"), prices={})
    with pytest.raises(sel.RuleBroken, match="缺少:营销总监、财务总监、项目总、总经理、董事长"):
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.RuleBroken, match="请先登记营销总监的审批"):
        stock.record_approval(db, user=e.lead, commission_id=e.commission_id, step=2, approver="钱财务")


def test_reversal_cancels_once_and_frees_the_flat(db, event):
    e = event
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"))
    red = sel.reverse(db, user=e.site_lead, document_id=t.id, reason="客户放弃")
    assert red.amount == -t.amount and red.content["reverses"] == t.number and red.number.endswith("000002")
    assert status(db, e.flats[0]) == "released"
    with pytest.raises(sel.AlreadyReversed, match="已经红字冲销过"):
        sel.reverse(db, user=e.site_lead, document_id=t.id, reason="再来一次")
    with pytest.raises(sel.AlreadyReversed, match="是红字冲销单据"):
        sel.reverse(db, user=e.site_lead, document_id=red.id, reason="冲红字")
    with pytest.raises(sel.NotPermitted):
        sel.reverse(db, user=e.desk, document_id=t.id, reason="x")
    # the flat can be chosen again, by anyone on the list
    sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1], flat_id=e.flats[0],
                     payment_ratio=Decimal("0.5"))


def test_swap_keeps_the_money_with_the_buyer(db, event):
    e = event
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"))
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal(t.content["amount_now"]),
                       purpose="payment")
    red, new = sel.swap_flat(db, user=e.site_lead, ticket_id=t.id, new_flat_id=e.flats[1], reason="换到低楼层")
    assert red.content["reverses"] == t.number and new.flat_id == e.flats[1]
    assert status(db, e.flats[0]) == "released"
    # the new flat costs 5,920 元/m² against 5,900: what was paid falls short by half the difference
    assert status(db, e.flats[1]) == "chosen"
    short = Decimal(new.content["amount_now"]) - Decimal(t.content["amount_now"])
    assert short == Decimal("985.00")
    sel.record_receipt(db, user=e.cashier, ticket_id=new.id, amount=short, purpose="extra")
    assert status(db, e.flats[1]) == "paid"
    with pytest.raises(sel.AlreadyReversed):
        sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("1"), purpose="payment")


def test_certificate_reversal_then_reissue(db, event):
    e = event
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"))
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal(t.content["amount_now"]),
                       purpose="payment")
    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=t.id)
    with pytest.raises(sel.RuleBroken, match="已开具选房凭证"):
        sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=t.id)
    with pytest.raises(sel.RuleBroken, match="请先红字冲销选房凭证"):
        sel.reverse(db, user=e.site_lead, document_id=t.id, reason="x")
    sel.reverse(db, user=e.site_lead, document_id=cert.id, reason="凭证打印错误")
    assert status(db, e.flats[0]) == "paid"
    with pytest.raises(sel.AmountMismatch, match="将超过本票应收 290,575.00 元,本次最多可收 0.00 元"):
        sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("10000"), purpose="extra")
    again = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=t.id)
    assert again.amount == Decimal(t.content["amount_now"]) and again.number.endswith("000003")


@pytest.mark.audit_findings
def test_the_hash_chain_shows_an_altered_document(db, event):
    from app.services.selection.event_audit import audit_project
    from models import SelectionDocument

    e = event
    for i in range(3):
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[i], flat_id=e.flats[i],
                         payment_ratio=Decimal("0.5"))
    with db.write() as s:
        y = s.scalar(select(SelectionDocument.year))
        assert documents.verify_chain(s, kind="ticket", project_id=e.project_id, year=y) == []
        row = s.scalar(select(SelectionDocument).where(SelectionDocument.number == 2))
        row.content = row.content.replace("王芳", "王芬")  # what a raw database edit would do
        third = s.scalar(select(SelectionDocument).where(SelectionDocument.number == 3))
        third.amount = third.amount - 1000  # the amount column alone, the printed JSON untouched
    with db.read() as s:
        assert documents.verify_chain(s, kind="ticket", project_id=e.project_id, year=y) == [
            row.display_number, third.display_number]
    assert audit_project(db, project_id=e.project_id) == [
        f"{row.display_number}:存储内容与防篡改哈希不符(单据被改动过)",
        f"{third.display_number}:存储内容与防篡改哈希不符(单据被改动过)"]


def test_a_ticket_is_reviewed_once_and_never_by_its_issuer(db, event):
    e = event
    both = person("既开票又复核", "selection.ticket", "selection.review")
    t = sel.issue_ticket(db, user=both, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.RuleBroken, match="复核人不能是开具人本人"):
        sel.review_document(db, issuer_name=both.display_name, reviewer=both, document_id=t.id)
    sel.review_document(db, issuer_name=both.display_name, reviewer=e.finance, document_id=t.id)
    with pytest.raises(sel.RuleBroken, match="已复核"):
        sel.review_document(db, issuer_name=both.display_name, reviewer=e.finance, document_id=t.id)
    with pytest.raises(sel.NotPermitted):
        sel.review_document(db, issuer_name=both.display_name, reviewer=e.cashier, document_id=t.id)
