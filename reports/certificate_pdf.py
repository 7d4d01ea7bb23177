"""选房凭证 (selection certificate), three copies: 存根联, 客户联, 财务部留存联; plain or overlay (套打).

Value positions (mm from the top-left, before the offset): grid rows 6.5 mm apart from y = 35,
values 1.5 mm right of the label cell:

    row y=35   项目名称 x=37.5        委建房单位 x=137.5
    row y=41.5 购房人 x=37.5          身份证号码 x=99.5        选房工作票号 x=183.5
    row y=48   房号 x=37.5            建筑面积 x=137.5         单价 x=199.5
    row y=54.5 总价 x=37.5            已付金额 x=137.5
    row y=61   总价大写 x=37.5
    row y=67.5 已付大写 x=37.5
    row y=74   收据明细 x=37.5
    header as slip_layout (number, QR, date); signatures at y=100 in four 53.25 mm columns.
"""
from __future__ import annotations

from decimal import Decimal

from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import selection_docs as sd
from reports.fonts import register_cjk_font
from reports.selection_docs import CERTIFICATE_COPIES, CertificateDoc
from reports.slip_layout import MIN_SIZE, Cell, Form, Grid, Value, render, value_positions

TITLE = "选房凭证"
GRID: Grid = (
    (Cell("project", "项目名称", 22, 78), Cell("commissioning_unit", "委建房单位", 22, 91)),
    (Cell("buyer_name", "购房人", 22, 40), Cell("buyer_id_number", "身份证号码", 22, 62),
     Cell("ticket_number", "选房工作票号", 22, 45)),
    (Cell("unit", "房号", 22, 78), Cell("area", "建筑面积", 22, 40), Cell("price_per_m2", "单价(元/m²)", 22, 29)),
    (Cell("total", "总价", 22, 78), Cell("paid_total", "已付金额", 22, 91)),
    (Cell("total_words", "总价大写", 22, 191),),
    (Cell("paid_words", "已付大写", 22, 191),),
    (Cell("receipts", "收据明细", 22, 191),),
)
FORM = Form(TITLE, CERTIFICATE_COPIES, GRID,
            confirm="经核对:购房人姓名、身份证号与审定名单一致,价格与审批一致,付款政策与合同一致,房款已按约定交齐。",
            sign_y=100.0, stamp_at=(186, 88), notice="本凭证一式三联:" + "·".join(CERTIFICATE_COPIES) + "  涂改无效")


def receipts_text(receipts: tuple[tuple[str, Decimal], ...]) -> str:
    """Every receipt when they fit the cell; else the first ones and 等 n 张 (the ledger has them all)."""
    parts = [f"{number} {sd.money(amount)}" for number, amount in receipts]
    width = value_positions(GRID)["receipts"][2] * 2.8346
    font = register_cjk_font()
    for shown in range(len(parts), 0, -1):
        s = ";".join(parts[:shown]) + ("" if shown == len(parts) else f" …等 {len(parts)} 张")
        if stringWidth(s, font, MIN_SIZE + 1) <= width:
            return s
    return f"共 {len(parts)} 张" if parts else "无"


def certificate_values(doc: CertificateDoc) -> dict[str, Value]:
    red = doc.reversal_of is not None
    total, paid = sd.signed(doc.total, red), sd.signed(doc.paid_total, red)
    return {
        "project": Value(doc.project), "commissioning_unit": Value(doc.commissioning_unit),
        "buyer_name": Value(doc.buyer_name), "buyer_id_number": Value(doc.buyer_id_number),
        "ticket_number": Value(doc.ticket_number), "unit": Value(doc.unit), "area": Value(sd.area(doc.area)),
        "price_per_m2": Value(sd.money(doc.price_per_m2)),
        "total": Value(sd.money(total), red), "paid_total": Value(sd.money(paid), red),
        "total_words": Value(sd.capital(total), red), "paid_words": Value(sd.capital(paid), red),
        "receipts": Value(receipts_text(doc.receipts)),
    }


def certificate_pdf(doc: CertificateDoc, *, mode: str = "plain", offset_mm: tuple[float, float] = (0, 0)) -> bytes:
    """The certificate's PDF: three copies (plain) or one page of values for pre-printed paper (overlay)."""
    return render(FORM, number=doc.number, company=doc.company, issued=sd.when(doc.issued_at),
                  reprint=doc.reprint, reversal_of=doc.reversal_of, reversed_by=doc.reversed_by, values=certificate_values(doc),
                  signers=(("购房人签字", ""), ("开票人", doc.issued_by), ("复核人", doc.reviewed_by), ("日期", "")),
                  printed=(doc.printed_by, doc.printed_at), mode=mode, offset_mm=offset_mm)
