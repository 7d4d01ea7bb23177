"""收据 (receipt), three copies: 存根联, 客户联, 财务部留存联; plain or overlay (套打) like the ticket.

Value positions (mm from the top-left, before the offset): grid rows 6.5 mm apart from y = 35,
values 1.5 mm right of the label cell:

    row y=35   交款人 x=37.5          身份证号码 x=119.5       收款方式 x=201.5
    row y=41.5 选房工作票号 x=37.5    房号 x=119.5
    row y=48   款项内容 x=37.5
    row y=54.5 金额(小写) x=37.5
    row y=61   金额(大写) x=37.5
    header as slip_layout (number, QR, date); signatures at y=85 in four 53.25 mm columns.
"""
from __future__ import annotations

from dataclasses import replace

from reports import selection_docs as sd
from reports.selection_docs import RECEIPT_COPIES, ReceiptDoc
from reports.slip_layout import Cell, Form, Grid, Value, render

TITLE = "收据"
GRID: Grid = (
    (Cell("payer", "交款人", 22, 60), Cell("buyer_id_number", "身份证号码", 22, 60), Cell("method", "收款方式", 22, 27)),
    (Cell("ticket_number", "选房工作票号", 22, 60), Cell("unit", "房号", 22, 109)),
    (Cell("purpose", "款项内容", 22, 191),),
    (Cell("amount", "金额(小写)", 22, 191),),
    (Cell("amount_words", "金额(大写)", 22, 191),),
)
FORM = Form(TITLE, RECEIPT_COPIES, GRID, confirm="上列款项已收讫。本收据为收款凭证,请妥善保管;换房、退款须交回客户联。",
            sign_y=85.0, stamp_at=(186, 68), notice="本收据一式三联:" + "·".join(RECEIPT_COPIES) + "  涂改无效")


# 退款收据: money paid back (a swap to a cheaper flat, 退房) — the buyer signs for what they received
REFUND_FORM = replace(FORM, title="退款收据", confirm="上列款项已退还购房人。本退款收据与原收据一并存档。")


def receipt_values(doc: ReceiptDoc) -> dict[str, Value]:
    red = doc.reversal_of is not None
    amount = sd.signed(doc.amount, red)
    return {
        "payer": Value(doc.payer), "buyer_id_number": Value(doc.buyer_id_number), "method": Value(doc.method),
        "ticket_number": Value(doc.ticket_number), "unit": Value(doc.unit), "purpose": Value(doc.purpose),
        "amount": Value(sd.money(amount), red), "amount_words": Value(sd.capital(amount), red),
    }


def receipt_pdf(doc: ReceiptDoc, *, mode: str = "plain", offset_mm: tuple[float, float] = (0, 0)) -> bytes:
    """The receipt's PDF: three copies (plain) or one page of values for pre-printed paper (overlay)."""
    refund = doc.amount < 0 and doc.reversal_of is None
    return render(REFUND_FORM if refund else FORM, number=doc.number, company=doc.company,
                  issued=sd.when(doc.issued_at), reprint=doc.reprint, reversal_of=doc.reversal_of,
                  reversed_by=doc.reversed_by, values=receipt_values(doc),
                  signers=(("领款人签字" if refund else "交款人签字", ""), ("退款人" if refund else "收款人", doc.received_by),
                           ("开票人", doc.received_by), ("复核人", "")),
                  printed=(doc.printed_by, doc.printed_at), mode=mode, offset_mm=offset_mm)
