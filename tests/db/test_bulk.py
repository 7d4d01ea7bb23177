"""The bulk insert path stores exactly what the ORM would: types, defaults, read back the same."""
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.db.bulk import bulk_insert
from models import ArchiveEntry, Customer


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
