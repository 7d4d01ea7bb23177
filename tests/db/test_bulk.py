"""The bulk insert path stores exactly what the ORM would: types, defaults, read back the same."""
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.db.bulk import bulk_insert, insert_stored, stored
from models import ArchiveEntry, Customer, PaymentRecord


def test_bulk_rows_read_back_like_orm_rows(db):
    cid = uuid.uuid4()
    with db.write() as s:
        bulk_insert(s, Customer.__table__, [{"id": cid, "code": "KH900001", "name": "批量写入测试有限公司",
                                             "registered_capital": Decimal("1234567.89"),
                                             "last_verified_on": date(2026, 11, 1)}])
        bulk_insert(s, ArchiveEntry.__table__, [{"id": uuid.uuid4(), "customer_id": cid, "section": "contract",
                                                 "kind": "contract", "entry_date": date(2026, 1, 2),
                                                 "subject": "合同", "amount": Decimal("99.50")}])
    with db.read() as s:
        c = s.scalar(select(Customer).where(Customer.id == cid))
        e = s.scalar(select(ArchiveEntry).where(ArchiveEntry.customer_id == cid))
        assert (c.name, c.registered_capital, c.last_verified_on) == (
            "批量写入测试有限公司", Decimal("1234567.89"), date(2026, 11, 1))
        assert c.status == "potential" and c.version == 1 and c.note == ""  # column defaults filled in
        assert c.created_at.tzinfo is not None and abs(c.created_at - datetime.now(UTC)).total_seconds() < 60
        assert (e.amount, e.entry_date) == (Decimal("99.50"), date(2026, 1, 2))


def test_rows_given_as_sqlite_stores_them_read_back_as_the_values_they_stand_for(db):
    cid, pid, now = uuid.uuid4(), uuid.uuid4(), datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    table = PaymentRecord.__table__
    with db.write() as s:
        bulk_insert(s, Customer.__table__, [{"id": cid, "code": "KH900002", "name": "按存储形式写入有限公司"}])
        insert_stored(s, table, ("id", "customer_id", "reference", "amount", "due_on", "paid_on", "entered_by",
                                 "entered_at"),
                      [(pid.hex, cid.hex, "HT20264", 1234.5, "2026-03-02", None, "演示数据",
                        stored(table, "entered_at", now))])
    with db.read() as s:
        p = s.get(PaymentRecord, pid)
        assert (p.customer_id, p.amount, p.due_on, p.paid_on, p.entered_at) == (
            cid, Decimal("1234.50"), date(2026, 3, 2), None, now)
