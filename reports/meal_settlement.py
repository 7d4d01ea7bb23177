"""Month-end settlement list of hospitality meals (招待用餐月底结算表): Excel and PDF from plain rows.

Rows are in COLUMNS order (app.services.meals.settlement_cells); a meal not reimbursed (不予报销) is
printed in red.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from reports import pdf_common as pc
from reports.excel_customers import Column, write_table
from reports.fonts import register_cjk_font

COLUMNS = (Column("序号", "int", 6), Column("用餐时间", width=16), Column("招待客户单位", width=26),
           Column("餐厅", width=18), Column("方式", width=8), Column("客人+陪同", width=9),
           Column("标准(元/人)", "amount", 11), Column("账单金额", "amount", 12), Column("酒水饮料水果", "amount", 12),
           Column("审批状态", width=14), Column("批准人", width=10), Column("报销", width=9),
           Column("说明", width=44))
WIDTHS_MM = (8, 25, 36, 22, 14, 13, 15, 18, 17, 18, 13, 14, 54)  # 267 mm: landscape A4 inside the margins


def title(year: int, month: int) -> str:
    return f"{year} 年 {month} 月招待用餐结算表"


def write_excel(path: Path, year: int, month: int, rows: Sequence[Sequence], *, total_billed: Decimal,
                total_reimbursed: Decimal, exported_by: str, exported_at: str) -> int:
    footer = [["", "", "合计", "", "", "", None, total_billed, None, "", "", "", f"予以报销 {total_reimbursed:,.2f} 元"]]
    return write_table(path, COLUMNS, [*rows, *footer], sheet_title=f"{year}-{month:02d}结算",
                       exported_by=exported_by, exported_at=exported_at) - 1


def pdf_bytes(year: int, month: int, rows: Sequence[Sequence], *, total_billed: Decimal, total_reimbursed: Decimal,
              printed_by: str, printed_at: str, company: str = "营销中心") -> bytes:
    font = register_cjk_font()
    st = pc.styles(font)

    def show(v) -> str:
        return f"{v:,.2f}" if isinstance(v, Decimal) else ("" if v is None else str(v))

    data = [[pc.paragraph(c.label, st["head"]) for c in COLUMNS]]
    refused = []
    for i, r in enumerate(rows, 1):
        data.append([pc.paragraph(show(v), st["num"] if isinstance(v, Decimal) else st["cell"]) for v in r])
        if r[11] != "是":
            refused.append(i)
    data.append(["", "合计", f"{len(rows)} 次", "", "", "", "", show(total_billed), "", "", "",
                 "", f"予以报销 {total_reimbursed:,.2f} 元"])
    table = Table(data, colWidths=[w * mm for w in WIDTHS_MM], repeatRows=1)
    table.setStyle(pc.table_style([
        ("FONTSIZE", (0, 0), (-1, -1), 8), ("GRID", (0, 0), (-1, -1), 0.4, pc.GRID),
        ("BACKGROUND", (0, 0), (-1, 0), pc.LABEL_FILL), ("BACKGROUND", (0, -1), (-1, -1), pc.LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *[("BACKGROUND", (0, i), (-1, i), colors.Color(1, 0.92, 0.92)) for i in refused],
    ]))
    heading = title(year, month)

    def story(_i, _label):
        return [pc.BoldLine(heading, font=font, size=15, align="center", space_after=2 * mm), Spacer(1, 2 * mm),
                table, Spacer(1, 8 * mm),
                pc.paragraph("未办理审批手续(或口头批准后未补办手续)的客餐不予报销。", st["small"]),
                Spacer(1, 8 * mm),
                pc.paragraph("经办人:______________    营销中心审核:______________    财务结算:______________",
                             st["cell"])]

    def decorate(canvas, page: pc.PageInfo) -> None:
        pc.draw_header(canvas, page, font=font, company=company, subtitle=heading)
        pc.draw_footer(canvas, page, font=font, left=f"打印人:{printed_by}    打印时间:{printed_at}")

    return pc.build_copies(copies=(heading,), story=story, decorate=decorate, title=heading, author=company,
                           margins=pc.Margins(), pagesize=landscape(A4))


def write_pdf(path: Path, year: int, month: int, rows: Sequence[Sequence], **kw) -> None:
    Path(path).write_bytes(pdf_bytes(year, month, rows, **kw))
