"""The grading table (客户分级表) as a PDF in the regulation's layout, and the visible grading list as Excel.

Layout (客户分级管理制度 附录4): a title, the period and scheme, then for every grade a band naming the grade
and its rule ("A级(销售额所占比例90%以上)"), followed by the grade's customers in three columns —
业种 (industry), 客户名称 (customer name), 客户代码 (customer code); an empty grade shows one empty row.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from reports import excel_safe as xs
from reports import pdf_common as pc
from reports.fonts import register_cjk_font


@dataclass(frozen=True)
class GradeGroup:
    band: str  # A级(销售额所占比例90%以上)
    rows: Sequence[tuple[str, str, str]]  # (industry, name, code)


def grading_table_pdf(groups: Sequence[GradeGroup], *, title: str, subtitle: str, footer: str) -> bytes:
    font = register_cjk_font()
    st = pc.styles(font)
    head = pc.ParagraphStyle("title", parent=st["head"], fontSize=16, leading=22)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=title, author=footer)
    widths = (40 * mm, 104 * mm, 30 * mm)
    story = [Paragraph(pc.text(title), head), Spacer(1, 2 * mm), Paragraph(pc.text(subtitle), st["head"]),
             Spacer(1, 4 * mm)]
    for group in groups:
        # one table per grade: its band and the column heads repeat on every page the grade runs over
        data = [[Paragraph(pc.text(group.band), st["cell"]), "", ""],
                [Paragraph("业 种", st["head"]), Paragraph("客户名称", st["head"]), Paragraph("客户代码", st["head"])]]
        for industry, name, code in group.rows or [("", "", "")]:
            data.append([Paragraph(pc.text(industry), st["cell"]), Paragraph(pc.text(name), st["cell"]),
                         Paragraph(pc.text(code), st["cell"])])
        table = Table(data, colWidths=widths, repeatRows=2)
        table.setStyle(pc.table_style([
            ("GRID", (0, 0), (-1, -1), 0.5, pc.GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), pc.LABEL_FILL),
            ("BACKGROUND", (0, 1), (-1, 1), colors.Color(0.97, 0.97, 0.97))]))
        story += [table, Spacer(1, 3 * mm)]
    story += [Spacer(1, 3 * mm), Paragraph(pc.text("审核:                    填写:                    编制:"), st["cell"]),
              Spacer(1, 2 * mm), Paragraph(pc.text(footer), st["small"])]

    def page_number(canvas, _doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"客户分级表  第 {canvas.getPageNumber()} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()


def grading_xlsx(target: Path, title: str, header: Sequence[str], rows: Sequence[Sequence]) -> int:
    """The rows as shown (streaming write-only workbook); returns how many were written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("客户分级")
    ws.append([xs.cell(ws, title)])
    bold = Font(bold=True)
    cells = []
    for h in header:
        cells.append(xs.cell(ws, h, font=bold))
    ws.append(cells)
    count = 0
    for r in rows:
        ws.append(xs.row(ws, (float(v) if isinstance(v, Decimal) else v for v in r)))
        count += 1
    wb.save(target)
    return count
