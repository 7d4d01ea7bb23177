"""The cashier records the joint account's balance; the reconciliation is shown, exported and printed."""
from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.errors import ValidationFailed
from app.services import selection as sel
from app.services.selection import bank
from app.services.selection.reports import business_today
from tests import pdfcheck


def test_the_balance_against_the_receipts_exported_and_printed(db, event, tmp_path):
    e = event
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[5],
                         payment_ratio=Decimal("1"))
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("20000"), purpose="payment", method="现金")
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=t.amount - 20000, purpose="payment")
    swap = sel.swap_flat(db, user=e.site_lead, ticket_id=t.id, new_flat_id=e.flats[0], reason="换房")
    today = business_today(db)
    assert bank.bank_reconciliation(db, user=e.cashier, commission_id=e.commission_id, as_of=today) is None
    with pytest.raises(ValidationFailed, match="余额"):
        bank.record_balance(db, user=e.cashier, commission_id=e.commission_id, as_of=today, balance="五十万")
    with pytest.raises(sel.NotPermitted):
        bank.record_balance(db, user=e.desk, commission_id=e.commission_id, as_of=today, balance="1")
    received = swap.new.amount  # paid in full, less the refund of the difference
    bank.record_balance(db, user=e.cashier, commission_id=e.commission_id, as_of=today,
                        balance=f"{received - 20000:,.2f}", note="工行共管账户对账单")
    r = bank.bank_reconciliation(db, user=e.cashier, commission_id=e.commission_id, as_of=today)
    assert r.received == received and r.cash == Decimal("20000.00") and r.difference == Decimal("-20000.00")
    assert "现金收款 20,000.00 元尚未存入共管账户" in r.explanation

    xlsx, pdf = tmp_path / "对账.xlsx", tmp_path / "对账.pdf"
    bank.export_reconciliation(db, user=e.lead, commission_id=e.commission_id, as_of=today, path=xlsx)
    cells = [c for row in load_workbook(xlsx).active.iter_rows(values_only=True) for c in row if c is not None]
    assert "共管账户对账表" in cells and "现金" in cells and float(received) in cells
    bank.export_reconciliation(db, user=e.lead, commission_id=e.commission_id, as_of=today, path=pdf)
    text = pdfcheck.text(pdf)
    assert "共管账户对账表" in text and "尚未存入共管账户" in "".join(text.split()) and "财务部盖章" in text
