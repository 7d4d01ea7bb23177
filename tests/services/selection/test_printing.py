"""Printed documents come from the stored document; every print is logged and a reprint says 重打."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app.services import selection as sel
from app.services.selection import draw, printing
from tests import pdfcheck


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return pdfcheck.text(path)


def test_ticket_prints_four_copies_and_a_reprint_is_marked(sqlite_db, tmp_path):
    from tests.services.selection.conftest import make_event

    e = make_event(sqlite_db)
    t = sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    first, n = printing.document_pdf(sqlite_db, user=e.lead, document_id=t.id)
    text = text_of(first, tmp_path)
    assert n == 0 and "重打" not in text
    for copy in ("存根联", "客户联", "大客户部联", "财务部留存联"):
        assert copy in text
    assert t.number in text and "张伟" in text and "伍拾捌万壹仟壹佰伍拾元整" in text
    again, n = printing.document_pdf(sqlite_db, user=e.lead, document_id=t.id)
    assert n == 1 and "重打 1" in text_of(again, tmp_path)
    with pytest.raises(sel.NotPermitted):
        printing.document_pdf(sqlite_db, user=e.caller, document_id=t.id)


def test_receipt_reversal_and_certificate_print_from_what_was_stored(sqlite_db, tmp_path):
    from tests.services.selection.conftest import make_event

    e = make_event(sqlite_db)
    t = sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[0], payment_ratio=Decimal("1"))
    r = sel.record_receipt(sqlite_db, user=e.cashier, ticket_id=t.id, amount=t.amount, purpose="payment")
    cert = sel.issue_certificate(sqlite_db, user=e.desk, reviewer=e.finance, ticket_id=t.id)
    red = sel.reverse(sqlite_db, user=e.site_lead, document_id=cert.id, reason="补交")
    receipt_text = text_of(printing.document_pdf(sqlite_db, user=e.lead, document_id=r.id)[0], tmp_path)
    assert "房款" in receipt_text and r.number in receipt_text and "财务部留存联" in receipt_text
    cert_text = text_of(printing.document_pdf(sqlite_db, user=e.lead, document_id=cert.id)[0], tmp_path)
    assert "财务老刘" in cert_text and r.number in cert_text
    red_text = text_of(printing.document_pdf(sqlite_db, user=e.lead, document_id=red.id)[0], tmp_path)
    assert "红字" in red_text and cert.number in red_text and "-¥581,150.00" in red_text


def test_the_draw_result_prints_seed_hash_and_order(sqlite_db, tmp_path):
    from tests.services.selection.conftest import make_event

    e = make_event(sqlite_db)
    done = draw.run_draw(sqlite_db, user=e.lead, commission_id=e.commission_id, seed="3 14 15 92", notary="公证员甲")
    text = text_of(printing.draw_result_pdf(sqlite_db, user=e.lead, commission_id=e.commission_id), tmp_path)
    assert "3 14 15 92" in text and done.list_hash[:16] in text.replace("\n", "").replace(" ", "")
    assert "KEDESK-DRAW-1" in text and done.rows[0][1] in text


def _pages(pdf: bytes, tmp_path) -> list[str]:
    return pdfcheck.pages(pdf)


def test_a_reprint_of_a_reversed_document_says_cancelled_on_every_copy(sqlite_db, tmp_path):
    from tests.services.selection.conftest import make_event

    e = make_event(sqlite_db)
    t = sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[0], payment_ratio=Decimal("1"))
    sel.record_receipt(sqlite_db, user=e.cashier, ticket_id=t.id, amount=t.amount, purpose="payment")
    clean = _pages(printing.document_pdf(sqlite_db, user=e.desk, document_id=t.id)[0], tmp_path)
    assert len(clean) == 4 and not any("已冲销" in p for p in clean)
    swap = sel.swap_flat(sqlite_db, user=e.site_lead, ticket_id=t.id, new_flat_id=e.flats[1], reason="换房")
    again = _pages(printing.document_pdf(sqlite_db, user=e.desk, document_id=t.id)[0], tmp_path)
    assert len(again) == 4
    for page in again:  # 存根联, 客户联, 大客户部联, 财务部留存联 alike
        assert f"已冲销 红字单号 {swap.red.number}" in " ".join(page.split()) and "重打 1" in page
    red = _pages(printing.document_pdf(sqlite_db, user=e.site_lead, document_id=swap.red.id)[0], tmp_path)
    assert all("红字冲销" in p and t.number in p and "已冲销" not in p for p in red)  # the red ticket itself
