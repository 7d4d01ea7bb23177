"""更名 (rename) and the fees (更名费, 转按揭手续费): who pays, where the money goes, what is refused."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app import settings
from app.errors import ValidationFailed
from app.services import selection as sel
from app.services.selection import buyers, rename, stock
from models import Flat

OUTSIDER = "11010119900307117X"  # valid check digit, not on the list


def status(db, flat_id):
    with db.read() as s:
        return s.scalar(select(Flat.status).where(Flat.id == flat_id))


def paid_ticket(db, e, i=0, ratio="0.5"):
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[i], flat_id=e.flats[i],
                         payment_ratio=Decimal(ratio))
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("20000"), purpose="deposit")
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal(t.content["amount_now"]) - 20000,
                       purpose="payment")
    return t


def test_rename_between_listed_names_is_free_and_the_money_moves(db, event):
    e = event
    t = paid_ticket(db, e)
    quote = rename.quote_rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[3])
    assert (quote.on_list, quote.fee, quote.new_buyer) == (True, Decimal("0.00"), "刘洋")
    assert quote.money_moving == Decimal("290575.00")
    red, new = rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[3], reason="单位内部调整")
    assert red.content["reverses"] == t.number and red.amount == -t.amount
    assert (new.content["buyer"], new.flat_id, new.amount) == ("刘洋", t.flat_id, t.amount)
    assert new.content["payment_ratio"] == t.content["payment_ratio"]
    assert "原购房人 张伟" in new.content["reason"]
    assert status(db, t.flat_id) == "paid"  # the paid money came with the flat
    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=new.id)
    assert cert.content["buyer"] == "刘洋" and cert.amount == Decimal("290575.00")
    assert cert.content["receipts"][0][1] == "290575.00"  # the 更名结转 receipt

    # the old buyer has nothing paid any more and may choose again; his old receipts cannot be refunded twice
    old_again = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                                 flat_id=e.flats[5], payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.AmountMismatch, match="还差"):
        sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=old_again.id)


def test_a_transferred_receipt_cannot_be_reversed_on_its_own(db, event):
    e = event
    t = paid_ticket(db, e)
    rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[3], reason="调整")
    from models import SelectionDocument
    with db.read() as s:
        receipts = list(s.scalars(select(SelectionDocument.id).where(SelectionDocument.kind == "receipt")
                                  .order_by(SelectionDocument.number)))
    with pytest.raises(sel.RuleBroken, match="已随更名结转"):
        sel.reverse(db, user=e.site_lead, document_id=receipts[0], reason="退款")  # the old buyer's deposit
    with pytest.raises(sel.RuleBroken, match="已随更名结转"):
        sel.reverse(db, user=e.site_lead, document_id=receipts[-1], reason="撤销结转")


def test_outside_the_list_pays_the_fee_first(db, event):
    e = event
    t = paid_ticket(db, e)
    market = t.amount + Decimal("100000")
    with pytest.raises(ValidationFailed) as err:
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=OUTSIDER, reason="转让")
    assert "请填写新购房人姓名" in err.value.errors["new_name"]
    with pytest.raises(ValidationFailed) as err:
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=OUTSIDER, new_name="陈静", reason="转让")
    assert "市场价总额" in err.value.errors["market_price_total"]
    quote = rename.quote_rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=OUTSIDER, new_name="陈静",
                                market_price_total=market)
    assert (quote.on_list, quote.fee) == (False, Decimal("50000.00"))  # 50% of the 100,000 gain
    with pytest.raises(sel.AmountMismatch, match="须先收取更名费 50,000.00 元"):
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=OUTSIDER, new_name="陈静",
                      market_price_total=market, reason="转让")
    assert status(db, t.flat_id) == "paid"  # nothing half-done
    fee = sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("50000"), purpose="rename_fee")
    assert fee.content["purpose_label"] == "更名费"
    red, new = rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=OUTSIDER, new_name="陈静",
                             market_price_total=market, reason="转让")
    assert new.content["buyer"] == "陈静" and new.content["renamed_from"]["fee"] == "50000.00"
    outsider = next(b for b in buyers.buyers_of(db, commission_id=e.commission_id) if b.id_number == OUTSIDER)
    assert outsider.audit_flag == "更名受让(名单外)" and outsider.list_no == 5 and outsider.eligible
    # the fee is not money for the flat: the certificate counts the house payments only
    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=new.id)
    assert cert.amount == Decimal(t.content["amount_now"])


def test_the_fee_follows_the_rule_setting_and_overpaying_is_refused(db, event):
    e = event
    settings.put(db, "selection.rename_share", 0.3)
    t = paid_ticket(db, e)
    market = t.amount + Decimal("100000")
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("50000"), purpose="rename_fee")
    with pytest.raises(sel.AmountMismatch, match="应收 30,000.00 元,已收 50,000.00 元"):
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=OUTSIDER, new_name="陈静",
                      market_price_total=market, reason="转让")


def test_rename_refusals(db, event):
    e = event
    t = paid_ticket(db, e)
    sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1], flat_id=e.flats[1],
                     payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.RuleBroken, match="王芳 已选房"):
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[1], reason="x")
    with pytest.raises(ValidationFailed) as err:
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[0], reason="x")
    assert "同一人" in err.value.errors["new_id_number"]
    with pytest.raises(ValidationFailed) as err:
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[3], new_name="刘阳", reason="x")
    assert "刘洋" in err.value.errors["new_name"]
    with pytest.raises(ValidationFailed) as err:
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number="12345", reason="x")
    assert "18 位" in err.value.errors["new_id_number"]
    with pytest.raises(ValidationFailed):
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[3], reason=" ")
    with pytest.raises(sel.NotPermitted):
        rename.rename(db, user=e.desk, ticket_id=t.id, new_id_number=e.ids[3], reason="x")
    buyers.review(db, user=e.lead, buyer_ids=[b.id for b in buyers.buyers_of(db, commission_id=e.commission_id)
                                              if b.name == "李娜"], eligible=False)
    with pytest.raises(sel.NotOnList, match="资格审查未通过"):
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[2], reason="x")
    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=t.id)
    with pytest.raises(sel.RuleBroken, match="请先红字冲销选房凭证"):
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[3], reason="x")
    sel.reverse(db, user=e.site_lead, document_id=cert.id, reason="更名前冲销凭证")
    red, _new = rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[3], reason="x")
    with pytest.raises(sel.AlreadyReversed):
        rename.rename(db, user=e.site_lead, ticket_id=t.id, new_id_number=e.ids[2], reason="again")


def test_loan_switch_fee_is_checked(db, event):
    e = event
    half = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                            flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    with pytest.raises(sel.RuleBroken, match="不是一次性付款"):
        sel.record_receipt(db, user=e.cashier, ticket_id=half.id, amount=Decimal("2000"), purpose="loan_fee")
    full = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1],
                            flat_id=e.flats[1], payment_ratio=Decimal("1"))
    with pytest.raises(ValidationFailed) as err:
        sel.record_receipt(db, user=e.cashier, ticket_id=full.id, amount=Decimal("3500"), purpose="loan_fee")
    assert "1,000 至 3,000 元" in err.value.errors["amount"]
    sel.record_receipt(db, user=e.cashier, ticket_id=full.id, amount=Decimal("3000"), purpose="loan_fee")
    with pytest.raises(sel.RuleBroken, match="已收过转按揭手续费"):
        sel.record_receipt(db, user=e.cashier, ticket_id=full.id, amount=Decimal("1000"), purpose="loan_fee")
    settings.put(db, "selection.loan_fee_max", 4000)
    other = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[2],
                             flat_id=e.flats[2], payment_ratio=Decimal("1"))
    sel.record_receipt(db, user=e.cashier, ticket_id=other.id, amount=Decimal("3500"), purpose="loan_fee")
    with pytest.raises(ValidationFailed):  # only a rename issues 更名结转
        sel.record_receipt(db, user=e.cashier, ticket_id=other.id, amount=Decimal("1"), purpose="transfer")


def test_a_new_unit_takes_its_minimum_ratio_from_the_rules(db, event):
    settings.put(db, "selection.min_payment_ratio", 0.6)
    cid = stock.create_commission(db, user=event.lead, project_id=event.project_id, name="市二中")
    from models import Commission
    with db.read() as s:
        assert s.get(Commission, cid).min_payment_ratio == Decimal("0.6")
    assert settings.parse("selection.rename_share", "40%") == 0.4
    with pytest.raises(ValueError, match="0 与 1 之间"):
        settings.parse("selection.rename_share", "1.5")
