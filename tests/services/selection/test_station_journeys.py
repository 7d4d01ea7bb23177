"""The event day walked station by station with the demo's default logins (选房员 → 复核员 → 收银员 → 凭证,
the 现场主管's swap after full payment), and the drawn order held at the desk. Every person logs in with
the permissions the migrations gave their role; nobody holds every permission."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.services import selection as sel
from app.services import users
from app.services.demo_users import DEMO_PASSWORD, ensure_demo_users
from app.services.selection import desk, draw, queue
from models import AuditRecord, Flat
from tests.services.selection.conftest import make_event


@pytest.fixture
def day(db):
    """The small event, drawn by the notary, and the five station logins of the demo."""
    e = make_event(db)
    draw.run_draw(db, user=e.lead, commission_id=e.commission_id, seed="公证-2026-12-08", notary="市公证处")
    ensure_demo_users(db)
    logins = {name: users.authenticate(db, username=name, password=DEMO_PASSWORD)
              for name in ("seldesk", "review", "cashier", "sitelead", "caller")}
    return e, logins


def _in_order(db, e) -> list:
    return [b for b in sorted(sel_buyers(db, e), key=lambda b: b.draw_order)]


def sel_buyers(db, e):
    from app.services.selection import buyers

    return buyers.buyers_of(db, commission_id=e.commission_id)


def status(db, flat_id) -> str:
    with db.read() as s:
        return s.scalar(select(Flat.status).where(Flat.id == flat_id))


def test_a_buyer_walks_desk_review_cashier_certificate_as_the_default_roles(db, day):
    e, who = day
    first = _in_order(db, e)[0]
    called = queue.call_next(db, user=who["caller"], commission_id=e.commission_id, desk="1号台")
    assert called.name == first.name and called.order == 1

    at_desk = desk.verify_buyer(db, user=who["seldesk"], commission_id=e.commission_id, id_number=first.id_number)
    ticket = sel.issue_ticket(db, user=who["seldesk"], commission_id=e.commission_id, id_number=at_desk.id_number,
                              flat_id=e.flats[2], payment_ratio=Decimal("0.5"))
    assert ticket.issued_by == "王丽" and status(db, e.flats[2]) == "chosen"
    with pytest.raises(sel.RuleBroken, match="尚未复核"):  # the certificate waits for the review station
        sel.issue_certificate(db, user=who["seldesk"], ticket_id=ticket.id)

    reviewed = sel.review_by_number(db, reviewer=who["review"], number=f" {ticket.number.lower()} ")  # the QR code
    assert reviewed.reviewed_by == "刘会计"
    with pytest.raises(sel.RuleBroken, match="已复核"):
        sel.review_by_number(db, reviewer=who["review"], number=ticket.number)

    deposit = Decimal(ticket.content["deposit"])
    sel.record_receipt(db, user=who["cashier"], ticket_id=ticket.id, amount=deposit, purpose="deposit", method="刷卡")
    sel.record_receipt(db, user=who["cashier"], ticket_id=ticket.id,
                       amount=Decimal(ticket.content["amount_now"]) - deposit, purpose="payment")
    assert status(db, e.flats[2]) == "paid"

    cert = sel.issue_certificate(db, user=who["seldesk"], ticket_id=ticket.id)  # no password: the ticket's review
    assert cert.content["reviewed_by"] == "刘会计" and cert.amount == Decimal(ticket.content["amount_now"])
    assert status(db, e.flats[2]) == "certified"

    # each station can do its own step only
    with pytest.raises(sel.NotPermitted):
        sel.swap_flat(db, user=who["seldesk"], ticket_id=ticket.id, new_flat_id=e.flats[3], reason="换房")
    with pytest.raises(sel.NotPermitted):
        sel.record_receipt(db, user=who["review"], ticket_id=ticket.id, amount=Decimal("1"), purpose="payment")
    with pytest.raises(sel.NotPermitted):
        sel.issue_ticket(db, user=who["cashier"], commission_id=e.commission_id, id_number=e.ids[1],
                         flat_id=e.flats[4], payment_ratio=Decimal("1"))
    with pytest.raises(sel.NotPermitted):
        queue.call_next(db, user=who["seldesk"], commission_id=e.commission_id, desk="1号台")


def test_the_lead_swaps_after_full_payment_and_the_money_follows(db, day):
    e, who = day
    first = _in_order(db, e)[0]
    queue.call_next(db, user=who["caller"], commission_id=e.commission_id, desk="1号台")
    ticket = sel.issue_ticket(db, user=who["seldesk"], commission_id=e.commission_id, id_number=first.id_number,
                              flat_id=e.flats[5], payment_ratio=Decimal("1"))
    sel.review_by_number(db, reviewer=who["review"], number=ticket.number)
    sel.record_receipt(db, user=who["cashier"], ticket_id=ticket.id, amount=ticket.amount, purpose="payment")
    cert = sel.issue_certificate(db, user=who["seldesk"], ticket_id=ticket.id)

    swap = sel.swap_flat(db, user=who["sitelead"], ticket_id=ticket.id, new_flat_id=e.flats[0],
                         reason="购房人要低楼层")
    assert swap.certificate_red.content["reverses"] == cert.number
    assert swap.refund.amount == swap.new.amount - ticket.amount < 0  # the cheaper flat: the difference back
    assert status(db, e.flats[5]) == "released" and status(db, e.flats[0]) == "paid"
    with pytest.raises(sel.RuleBroken, match="尚未复核"):  # the lead's new ticket goes to the review station too
        sel.issue_certificate(db, user=who["seldesk"], ticket_id=swap.new.id)
    sel.review_by_number(db, reviewer=who["review"], number=swap.new.number)
    again = sel.issue_certificate(db, user=who["seldesk"], ticket_id=swap.new.id)
    assert again.amount == swap.new.amount == Decimal(again.content["paid_total"])


def test_the_lead_renames_out_of_the_box(db, day):
    from app.services.selection.rename import rename

    e, who = day
    order = _in_order(db, e)
    queue.call_next(db, user=who["caller"], commission_id=e.commission_id, desk="1号台")
    ticket = sel.issue_ticket(db, user=who["seldesk"], commission_id=e.commission_id, id_number=order[0].id_number,
                              flat_id=e.flats[1], payment_ratio=Decimal("1"))
    sel.record_receipt(db, user=who["cashier"], ticket_id=ticket.id, amount=ticket.amount, purpose="payment")
    red, new = rename(db, user=who["sitelead"], ticket_id=ticket.id, new_id_number=order[1].id_number,
                      reason="夫妻间更名")
    assert new.content["buyer"] == order[1].name and status(db, e.flats[1]) == "paid"


def test_the_drawn_order_holds_at_the_desk_unless_the_lead_authorises(db, day):
    e, who = day
    order = _in_order(db, e)
    queue.call_next(db, user=who["caller"], commission_id=e.commission_id, desk="1号台")
    with pytest.raises(sel.OutOfOrder, match=re.escape(f"{order[3].name}(选房顺序号 4)尚未叫号,当前叫到 1 号")):
        sel.issue_ticket(db, user=who["seldesk"], commission_id=e.commission_id, id_number=order[3].id_number,
                         flat_id=e.flats[0], payment_ratio=Decimal("1"))
    assert status(db, e.flats[0]) == "released"
    with pytest.raises(sel.NotPermitted):
        queue.authorise_out_of_order(db, user=who["seldesk"], commission_id=e.commission_id,
                                     id_number=order[3].id_number, desk="1号台", reason="行动不便")
    queue.authorise_out_of_order(db, user=who["sitelead"], commission_id=e.commission_id,
                                 id_number=order[3].id_number, desk="1号台", reason="行动不便,优先选房")
    sel.issue_ticket(db, user=who["seldesk"], commission_id=e.commission_id, id_number=order[3].id_number,
                     flat_id=e.flats[0], payment_ratio=Decimal("1"))
    with db.read() as s:
        logged = s.scalars(select(AuditRecord.new_value).where(AuditRecord.action == "越序授权")).all()
    assert logged == [f"{order[3].name}(顺序号 4,当时叫到 1 号)越序到 1号台:行动不便,优先选房"]


def test_an_absent_buyer_goes_on_the_passed_list_and_is_called_again(db, day):
    e, who = day
    order = _in_order(db, e)
    group = queue.call_group(db, user=who["caller"], commission_id=e.commission_id, desk="2号台", size=2)
    assert [c.order for c in group] == [1, 2]
    queue.mark_absent(db, user=who["caller"], buyer_id=order[0].id)
    state = queue.queue_state(db, commission_id=e.commission_id)
    assert [c.name for c in state.passed] == [order[0].name] and [c.order for c in state.called] == [2]
    with pytest.raises(sel.OutOfOrder, match="已过号,请由叫号员重新叫号"):
        sel.issue_ticket(db, user=who["seldesk"], commission_id=e.commission_id, id_number=order[0].id_number,
                         flat_id=e.flats[0], payment_ratio=Decimal("1"))
    queue.recall(db, user=who["caller"], buyer_id=order[0].id, desk="3号台")
    assert queue.queue_state(db, commission_id=e.commission_id).passed == []
    t = sel.issue_ticket(db, user=who["seldesk"], commission_id=e.commission_id, id_number=order[0].id_number,
                         flat_id=e.flats[0], payment_ratio=Decimal("1"))
    with pytest.raises(sel.RuleBroken, match="已开选房工作票,不能过号"):
        queue.mark_absent(db, user=who["caller"], buyer_id=order[0].id)
    assert t.content["queue_no"] == 1
