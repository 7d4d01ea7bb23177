"""The sales-control grid, queue calling and the desk's view of a buyer."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from app.services import selection as sel
from app.services.selection import desk, grid, queue, stock
from models import Buyer
from tests.services.selection.conftest import make_event, person


def test_grid_shows_each_desk_the_same_sale_and_other_units_as_reserved(db, event):
    e = event
    before = grid.stamp(db, project_id=e.project_id)
    sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                     payment_ratio=Decimal("0.5"))
    assert grid.stamp(db, project_id=e.project_id) != before  # the poll sees the sale
    cells = {c.id: c for c in grid.sales_control(db, user=e.lead, project_id=e.project_id,
                                                  commission_id=e.commission_id)}
    assert cells[e.flats[0]].status == "chosen" and cells[e.flats[0]].buyer == "张伟"
    assert cells[e.flats[0]].ticket_number.endswith("000001")
    assert cells[e.flats[1]].status == "released"
    other = stock.create_commission(db, user=e.lead, project_id=e.project_id, name="市税务局")
    seen_by_other = {c.id: c.status for c in grid.sales_control(db, user=e.lead, project_id=e.project_id,
                                                                 commission_id=other)}
    assert seen_by_other[e.flats[1]] == "reserved" and seen_by_other[e.flats[0]] == "chosen"
    with pytest.raises(sel.NotPermitted):
        grid.sales_control(db, user=person("无权限"  , "customer.list"), project_id=e.project_id)


def test_desks_call_in_drawn_order_and_never_the_same_buyer(db, event):
    e = event
    with pytest.raises(sel.RuleBroken, match="尚未机选"):
        queue.call_next(db, user=e.lead, commission_id=e.commission_id, desk="1号台")
    with db.write() as s:
        for order, number in zip((3, 1, 4, 2), e.ids, strict=True):
            s.execute(update(Buyer).where(Buyer.id_number == number).values(draw_order=order))
    first = queue.call_next(db, user=e.lead, commission_id=e.commission_id, desk="1号台")
    second = queue.call_next(db, user=e.lead, commission_id=e.commission_id, desk="2号台")
    assert (first.order, first.name, second.order, second.name) == (1, "王芳", 2, "刘洋")
    state = queue.queue_state(db, commission_id=e.commission_id)
    assert [c.order for c in state.called] == [2, 1] and [c.order for c in state.upcoming] == [3, 4]
    assert state.called[0].desk == "2号台" and state.remaining == 2
    queue.call_next(db, user=e.lead, commission_id=e.commission_id, desk="1号台")
    queue.call_next(db, user=e.lead, commission_id=e.commission_id, desk="1号台")
    assert queue.call_next(db, user=e.lead, commission_id=e.commission_id, desk="1号台") is None


def test_the_desk_sees_where_a_buyer_stands_and_the_ledger_shows_reversals(db):
    e = make_event(db)
    assert desk.events(db, user=e.lead)[0].commission == "市第一人民医院"
    fresh = desk.verify_buyer(db, user=e.lead, commission_id=e.commission_id, id_number=" 110105 1949 1231 002x ")
    assert fresh.name == "张伟" and fresh.ticket_number == ""
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"))
    r = sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("20000"), purpose="deposit")
    sel.reverse(db, user=e.site_lead, document_id=r.id, reason="金额录错")
    at_desk = desk.verify_buyer(db, user=e.lead, commission_id=e.commission_id, id_number=e.ids[0])
    assert at_desk.ticket_number == t.number and at_desk.paid == 0 and at_desk.flat == "1号楼1单元201"
    rows = desk.ledger(db, user=e.lead, commission_id=e.commission_id)
    assert [(x.kind, x.amount) for x in rows] == [("ticket", t.amount), ("receipt", Decimal("20000.00")),
                                                   ("receipt", Decimal("-20000.00"))]
    assert rows[1].reversed_by == rows[2].number and rows[2].reverses == r.number
    assert rows[1].purpose == "封户费" and rows[0].buyer == "张伟"
