"""Complaint statistics workbook (投诉原因统计): causes by month, then the list of complaints."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from reports import excel_safe as xs

LIST_HEADER = ("编号", "受理时间", "客户/投诉人", "渠道", "原因", "事由", "状态", "答复时间", "答复用时(小时)", "超时")
_BOLD = Font(bold=True)
_LATE = PatternFill("solid", fgColor="FFE5E5")


def write_excel(path: Path, months: Sequence[str], table: Sequence[tuple[str, list[int], int]],
                listing: Sequence[Sequence], *, exported_by: str, exported_at: str) -> None:
    wb = Workbook()
    wb.properties.creator = exported_by
    wb.properties.description = f"导出人:{exported_by};导出时间:{exported_at}"
    ws = wb.active
    ws.title = "按原因与月份"
    ws.append(["投诉原因", *months, "合计"])
    for cause, counts, total in table:
        ws.append(xs.row(ws, [cause, *counts, total]))
    ws.append(["合计", *[sum(t[1][i] for t in table) for i in range(len(months))], sum(t[2] for t in table)])
    for cell in (*ws[1], *ws[ws.max_row]):
        cell.font = _BOLD
    ws.column_dimensions["A"].width = 14
    ws.freeze_panes = "B2"

    ws2 = wb.create_sheet("投诉清单")
    ws2.append(LIST_HEADER)
    for cell in ws2[1]:
        cell.font = _BOLD
    for row in listing:
        ws2.append(xs.row(ws2, row))
        if row[-1]:
            for cell in ws2[ws2.max_row]:
                cell.fill = _LATE
    for i, width in enumerate((14, 17, 26, 8, 10, 36, 10, 17, 12, 6), 1):
        ws2.column_dimensions[get_column_letter(i)].width = width
    ws2.freeze_panes = "A2"
    wb.save(path)
