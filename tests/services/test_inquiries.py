"""询价与函电: the 24-hour answer clock on working days, overdue, the archive entry, the figures; both databases."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.permissions import DEFAULT_ROLES
from app.errors import UserError, ValidationFailed
from app.services import archive, customers, inquiries
from app.services.users import PermissionDenied, Principal


def who(role: str, name: str) -> Principal:
    label, perms = DEFAULT_ROLES[role]
    return Principal(None, role, name, role, label, frozenset(perms))


DESK, REP, FIN = who("front_desk", "小陈"), who("sales_rep", "王丽"), who("finance", "钱会计")
FRIDAY = datetime(2026, 11, 6, 7, 0, tzinfo=UTC)  # 15:00 in Beijing


def test_an_inquiry_on_friday_afternoon_is_due_on_monday_afternoon_and_answering_stops_the_clock(db):
    iid = inquiries.receive(db, user=DESK, values={"inquirer": "李经理", "channel": "phone", "subject": "PE管报价"},
                            now=FRIDAY)
    (row,) = inquiries.list_inquiries(db, user=DESK, now=FRIDAY)
    assert row.number == "XJ-2026-0001" and row.respond_by == datetime(2026, 11, 9, 7, 0, tzinfo=UTC)
    assert not row.overdue
    assert inquiries.list_inquiries(db, user=DESK, now=row.respond_by + timedelta(minutes=1))[0].overdue
    with pytest.raises(ValidationFailed):
        inquiries.answer(db, user=REP, inquiry_id=iid, text=" ")
    with pytest.raises(PermissionDenied):
        inquiries.answer(db, user=FIN, inquiry_id=iid, text="报价已发")
    inquiries.answer(db, user=REP, inquiry_id=iid, text="已传真报价单", now=FRIDAY + timedelta(days=3))  # Mon 15:00
    (row,) = inquiries.list_inquiries(db, user=DESK, now=FRIDAY + timedelta(days=10))
    assert row.answered_by == "王丽" and not row.overdue  # exactly at the deadline: in time
    with pytest.raises(UserError, match="已于"):
        inquiries.answer(db, user=REP, inquiry_id=iid, text="再答一次")


def test_a_linked_inquiry_lands_in_the_customers_contact_log_and_the_figures_count_the_rows(db):
    cid = customers.create_customer(db, actor="建档", values={"name": "华盛建筑工程有限公司"})
    inquiries.receive(db, user=DESK, values={"customer_id": cid, "channel": "fax", "subject": "交期询问"},
                      now=FRIDAY)
    late = inquiries.receive(db, user=DESK, values={"inquirer": "王女士", "channel": "email", "subject": "价格"},
                             now=FRIDAY)
    inquiries.answer(db, user=REP, inquiry_id=late, text="已回复", now=FRIDAY + timedelta(days=4))  # Tuesday: late
    entries = archive.entries(db, customer_id=cid, user=None)
    assert [(e.section, e.subject) for e in entries] == [("contact", "询价:交期询问")]
    rows = inquiries.list_inquiries(db, user=DESK, now=FRIDAY + timedelta(days=5))
    assert {r.customer_name or r.inquirer for r in rows} == {"保密客户", "王女士"}  # the desk may not read it
    gm = inquiries.list_inquiries(db, user=who("marketing_gm", "赵总"), now=FRIDAY + timedelta(days=5))
    assert {r.customer_name or r.inquirer for r in gm} == {"华盛建筑工程有限公司", "王女士"}
    f = inquiries.figures(rows)
    assert (f.count, f.answered, f.overdue, f.waiting_overdue) == (2, 1, 2, 1)
    assert f.on_time_rate == Decimal("0.0000") and f.answer_hours == Decimal("96.0")
