"""选房工作票 (selection work ticket), four copies: 存根联, 客户联, 大客户部联, 财务部留存联.

Plain mode prints each copy on its own 241 × 140 mm sheet; overlay mode (套打) prints one sheet of
values only, for pre-printed four-part paper. Value positions (mm from the slip's top-left, before
the desk's offset; see slip_layout.value_positions): grid rows 6.5 mm apart from y = 35, the value
starting 1.5 mm right of its label cell, baseline 4.5 mm below the row's top:

    row y=35   项目名称 x=37.5        委建房单位 x=137.5
    row y=41.5 购房人 x=37.5          身份证号码 x=99.5        选房顺序号 x=183.5
    row y=48   房号 x=37.5            户型 x=137.5
    row y=54.5 建筑面积 x=37.5        单价 x=99.5              总价 x=183.5
    row y=61   总价大写 x=37.5
    row y=67.5 付款比例 x=37.5        本次应付 x=99.5          封户费 x=183.5
    row y=74   本次应付大写 x=37.5
    row y=80.5 优惠政策 x=37.5
    row y=87   备注 x=37.5
    header: number right-aligned at (207, 21), QR 18 mm at (209, 15), date at (14, 29.5);
    signatures at y=111 in four 53.25 mm columns (names after the printed role).
"""
from __future__ import annotations

from reports import selection_docs as sd
from reports.selection_docs import TICKET_COPIES, TicketDoc
from reports.slip_layout import Cell, Form, Grid, Value, render

TITLE = "选房工作票"
GRID: Grid = (
    (Cell("project", "项目名称", 22, 78), Cell("commissioning_unit", "委建房单位", 22, 91)),
    (Cell("buyer_name", "购房人", 22, 40), Cell("buyer_id_number", "身份证号码", 22, 62),
     Cell("queue_no", "选房顺序号", 22, 45)),
    (Cell("unit", "房号", 22, 78), Cell("unit_type", "户型", 22, 91)),
    (Cell("area", "建筑面积", 22, 40), Cell("price_per_m2", "单价(元/m²)", 22, 62), Cell("total", "总价", 22, 45)),
    (Cell("total_words", "总价大写", 22, 191),),
    (Cell("payment_ratio", "付款比例", 22, 40), Cell("amount_now", "本次应付", 22, 62),
     Cell("deposit", "封户费", 22, 45)),
    (Cell("amount_now_words", "本次应付大写", 22, 191),),
    (Cell("discounts", "优惠政策", 22, 191),),
    (Cell("note", "备注", 22, 191),),
)
FORM = Form(TITLE, TICKET_COPIES, GRID,
            confirm="购房人确认:以上房号、面积、单价、总价、付款比例及优惠政策(■享受 / □放弃)均已核对无误。",
            sign_y=111.0, stamp_at=(188, 98), notice="本票一式四联:" + "·".join(TICKET_COPIES) + "  涂改无效")


def ticket_values(doc: TicketDoc) -> dict[str, Value]:
    red = doc.reversal_of is not None
    total, now = sd.signed(doc.total, red), sd.signed(doc.amount_now, red)
    deposit = sd.money(sd.signed(doc.deposit, red)) if doc.deposit is not None else "全款,不收封户费"
    return {
        "project": Value(doc.project), "commissioning_unit": Value(doc.commissioning_unit),
        "buyer_name": Value(doc.buyer_name), "buyer_id_number": Value(doc.buyer_id_number),
        "queue_no": Value("" if doc.queue_no is None else str(doc.queue_no)),
        "unit": Value(sd.unit_text(doc.building, doc.entrance, doc.floor, doc.room)),
        "unit_type": Value(doc.unit_type), "area": Value(sd.area(doc.area)),
        "price_per_m2": Value(sd.money(doc.price_per_m2)),
        "total": Value(sd.money(total), red), "total_words": Value(sd.capital(total), red),
        "payment_ratio": Value(sd.ratio(doc.payment_ratio)),
        "amount_now": Value(sd.money(now), red), "amount_now_words": Value(sd.capital(now), red),
        "deposit": Value(deposit, red and doc.deposit is not None),
        "discounts": Value(sd.discounts_text(doc.discounts)), "note": Value(doc.note),
    }


def ticket_pdf(doc: TicketDoc, *, mode: str = "plain", offset_mm: tuple[float, float] = (0, 0)) -> bytes:
    """The ticket's PDF: four copies (plain) or one page of values for pre-printed paper (overlay)."""
    return render(FORM, number=doc.number, company=doc.company, issued=sd.when(doc.issued_at),
                  reprint=doc.reprint, reversal_of=doc.reversal_of, reversed_by=doc.reversed_by, values=ticket_values(doc),
                  signers=(("购房人签字", ""), ("开票人", doc.issued_by), ("复核人", doc.reviewed_by), ("日期", "")),
                  printed=(doc.printed_by, doc.printed_at), mode=mode, offset_mm=offset_mm)
