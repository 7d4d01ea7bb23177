"""Tour documents: the visitor badges (客户参观胸卡, card size, ten to an A4 page) and the permit
(客户参观许可证) with its number (许可编号). They take a plain tour row (app.services.tours.TourRow)."""
from __future__ import annotations

import io
from datetime import tzinfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer, Table

from reports import pdf_common as pc
from reports.fonts import register_cjk_font

CARD_W, CARD_H = 90 * mm, 54 * mm  # ISO ID-1 is 85.6 × 54; a little wider for long unit names
COLS, ROWS = 2, 5
BAND = colors.Color(0.10, 0.27, 0.50)


def _when(dt, zone: tzinfo) -> str:
    return dt.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _photo_text(tour) -> tuple[str, colors.Color]:
    return ("经批准可以拍照", colors.Color(0.1, 0.45, 0.1)) if tour.photos_allowed else ("禁止拍照", pc.STAMP_RED)


def _badge(c: Canvas, x: float, y: float, tour, name: str, index: int, total: int, font: str, company: str,
           zone: tzinfo) -> None:
    c.saveState()
    c.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
    c.setDash(2, 2)
    c.rect(x, y, CARD_W, CARD_H)  # cutting line
    c.setDash()
    c.setFillColor(BAND)
    c.rect(x, y + CARD_H - 13 * mm, CARD_W, 13 * mm, stroke=0, fill=1)
    pc.bold_string(c, x + CARD_W / 2, y + CARD_H - 8 * mm, "客户参观胸卡", font=font, size=14, align="center",
                   color=colors.white)
    c.setFillColor(colors.white)
    c.setFont(font, 7)
    c.drawCentredString(x + CARD_W / 2, y + CARD_H - 11.5 * mm, company)
    c.setFillColor(colors.black)
    if name:
        pc.bold_string(c, x + CARD_W / 2, y + CARD_H - 24 * mm, pc.fit(name, CARD_W - 10 * mm, font, 18),
                       font=font, size=18, align="center")
    else:
        c.setFont(font, 10)
        c.drawCentredString(x + CARD_W / 2, y + CARD_H - 23 * mm, "姓名:____________________")
    c.setFont(font, 9)
    c.drawCentredString(x + CARD_W / 2, y + CARD_H - 30.5 * mm, pc.fit(tour.visitor_unit, CARD_W - 8 * mm, font, 9))
    c.setFont(font, 8)
    c.drawString(x + 4 * mm, y + 14 * mm, f"许可编号:{tour.permit_no}")
    c.drawString(x + 4 * mm, y + 9.5 * mm, f"参观时间:{_when(tour.visit_at, zone)}")
    c.drawString(x + 4 * mm, y + 5 * mm, f"{tour.kind_label}  第 {index}/{total} 张")
    text, color = _photo_text(tour)
    c.setStrokeColor(color)
    c.setLineWidth(1)
    w = c.stringWidth(text, font, 9) + 4 * mm
    c.roundRect(x + CARD_W - w - 4 * mm, y + 4 * mm, w, 6.5 * mm, 1.5 * mm)
    pc.bold_string(c, x + CARD_W - w / 2 - 4 * mm, y + 6 * mm, text, font=font, size=9, align="center", color=color)
    c.restoreState()


def badges_pdf(tour, *, zone: tzinfo, company: str = "营销中心") -> bytes:
    """One badge per visitor named, blank-name badges up to the headcount; ten per A4 page. Times are printed in
    `zone` (the business's, not this computer's)."""
    font = register_cjk_font()
    names = list(tour.visitors) + [""] * max(0, tour.headcount - len(tour.visitors))
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    c.setTitle(f"客户参观胸卡 {tour.permit_no}")
    c.setAuthor(company)
    left = (A4[0] - COLS * CARD_W) / 2
    top = A4[1] - (A4[1] - ROWS * CARD_H) / 2
    per_page = COLS * ROWS
    for i, name in enumerate(names):
        if i and i % per_page == 0:
            c.showPage()
        slot = i % per_page
        x = left + (slot % COLS) * CARD_W
        y = top - (slot // COLS + 1) * CARD_H
        _badge(c, x, y, tour, name, i + 1, len(names), font, company, zone)
    c.save()
    return out.getvalue()


def permit_pdf(tour, *, zone: tzinfo, company: str, printed_by: str, printed_at: str) -> bytes:
    """客户参观许可证: the application as approved, with the permit number and the approvals; times in `zone`."""
    font = register_cjk_font()
    st = pc.styles(font)
    p = pc.paragraph
    text, _color = _photo_text(tour)
    rows = [
        ["许可编号", p(tour.permit_no, st["big"]), "参观类型", p(tour.kind_label, st["cell"])],
        ["参观单位", p(tour.visitor_unit, st["cell"]), "参观人数", p(f"{tour.headcount} 人", st["cell"])],
        ["参观时间", p(_when(tour.visit_at, zone), st["cell"]), "陪同人员", p(tour.host, st["cell"])],
        ["参观人员", p("、".join(tour.visitors) or "—", st["cell"]), "", ""],
        ["参观目的", p(tour.purpose or "—", st["cell"]), "", ""],
        ["内容、范围与线路", p(tour.route or "—", st["cell"]), "", ""],
        ["拍照", p(text, st["alert"] if not tour.photos_allowed else st["cell"]), "电话通知",
         p("是" if tour.by_phone else "否", st["cell"])],
        ["申请人", p(f"{tour.applied_by}  {_when(tour.applied_at, zone)}", st["cell"]), "审核(营销中心总经理)",
         p(tour.reviewed_by, st["cell"])],
        ["批准", p(tour.approved_by, st["cell"]), "审批意见", p(tour.decision_note or "同意", st["cell"])],
    ]
    table = Table(rows, colWidths=[32 * mm, 66 * mm, 36 * mm, 46 * mm])
    table.setStyle(pc.table_style([
        ("FONTSIZE", (0, 0), (-1, -1), 9), ("GRID", (0, 0), (-1, -1), 0.5, pc.GRID),
        ("BACKGROUND", (0, 0), (0, -1), pc.LABEL_FILL), ("BACKGROUND", (2, 0), (2, 2), pc.LABEL_FILL),
        ("BACKGROUND", (2, 6), (2, -1), pc.LABEL_FILL),
        ("SPAN", (1, 3), (3, 3)), ("SPAN", (1, 4), (3, 4)), ("SPAN", (1, 5), (3, 5)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    heading = "客户参观许可证"

    def story(_i, _label):
        return [pc.BoldLine(heading, font=font, size=18, align="center", space_after=4 * mm), table,
                Spacer(1, 6 * mm),
                p("凭本许可证及客户参观申请书到行政部领取“客户参观胸卡”;参观时请佩戴胸卡,由陪同人员引导,"
                  "除经特许外一律谢绝拍照。", st["small"]),
                Spacer(1, 14 * mm),
                p("行政部经办:______________      门卫核验:______________      日期:______________", st["cell"])]

    def decorate(canvas, page: pc.PageInfo) -> None:
        pc.draw_header(canvas, page, font=font, company=company, subtitle=tour.permit_no)
        pc.draw_footer(canvas, page, font=font, left=f"打印人:{printed_by}    打印时间:{printed_at}")

    return pc.build_copies(copies=(heading,), story=story, decorate=decorate, title=f"{heading} {tour.permit_no}",
                           author=company)
