"""Eligibility on the event day: one flat per person (ID number) across all commissioning units unless the
setting allows more, and the buyer list frozen once the notary has drawn the order."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app import settings
from app.services import selection as sel
from app.services.selection import buyers, draw
from app.services.selection.rename import rename
from tests.services.selection.conftest import make_event


def test_one_person_on_two_units_lists_buys_one_flat_unless_the_setting_allows_more(db):
    first, second = make_event(db), make_event(db, code="HY")  # the same four ID numbers on both lists
    t = sel.issue_ticket(db, user=first.desk, commission_id=first.commission_id, id_number=first.ids[0],
                         flat_id=first.flats[0], payment_ratio=Decimal("1"))
    with pytest.raises(sel.RuleBroken, match=re.escape(f"已在“市第一人民医院”选房(票号 {t.number}),每人限选 1 套")):
        sel.issue_ticket(db, user=second.desk, commission_id=second.commission_id, id_number=second.ids[0],
                         flat_id=second.flats[0], payment_ratio=Decimal("1"))
    with pytest.raises(sel.RuleBroken, match="每人限选 1 套"):  # a rename cannot pass the flat to them either
        t2 = sel.issue_ticket(db, user=second.desk, commission_id=second.commission_id, id_number=second.ids[1],
                              flat_id=second.flats[1], payment_ratio=Decimal("1"))
        rename(db, user=second.site_lead, ticket_id=t2.id, new_id_number=second.ids[0], reason="转给家人")
    settings.put(db, "selection.flats_per_person", 2)
    sel.issue_ticket(db, user=second.desk, commission_id=second.commission_id, id_number=second.ids[0],
                     flat_id=second.flats[0], payment_ratio=Decimal("1"))
    sel.cancel_ticket(db, user=first.site_lead, ticket_id=t.id, reason="退房")  # a cancelled flat frees the quota


def test_the_list_is_frozen_after_the_draw_and_the_draw_keeps_verifying(db):
    e = make_event(db)
    draw.run_draw(db, user=e.lead, commission_id=e.commission_id, seed="7 7 7", notary="市公证处")
    with pytest.raises(sel.RuleBroken, match="已公证机选,购房者名单已冻结,不能再添加购房者"):
        buyers.add_buyers(db, user=e.lead, commission_id=e.commission_id,
                          rows=[buyers.BuyerRow(9, "赵六", "110101199003078881")])
    listed = buyers.buyers_of(db, commission_id=e.commission_id)
    with pytest.raises(sel.RuleBroken, match="不能再改变资格审查结果"):
        buyers.review(db, user=e.lead, buyer_ids=[listed[0].id], eligible=False)
    assert [b.eligible for b in buyers.buyers_of(db, commission_id=e.commission_id)] == [True] * 4
    first = min(listed, key=lambda b: b.draw_order)
    from app.services.selection import queue

    queue.call_next(db, user=e.caller, commission_id=e.commission_id, desk="1号台")
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=first.id_number,
                         flat_id=e.flats[0], payment_ratio=Decimal("1"))
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("10000"), purpose="rename_fee")
    rename(db, user=e.site_lead, ticket_id=t.id, new_id_number="110101199003078881", new_name="赵六",
           market_price_total=t.amount + 20000, reason="转让给名单外亲属")  # joins the list, flagged
    assert draw.verify_draw(db, commission_id=e.commission_id).ok  # the drawn list is what it was
