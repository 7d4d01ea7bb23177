"""The key-customer, important-customer and problem-customer tables as Excel (openpyxl), in the forms'
columns; money as numbers with two decimals, rates as percentages."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports import excel_safe as xs

MONEY = "#,##0.00"
PERCENT = "0.0%"
_THIN = Side(style="thin", color="404040")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="EEEEEE")
_WRAP = Alignment(wrap_text=True, vertical="center")


def _title(ws, text: str, sub: str, width: int) -> None:
    xs.put(ws, 1, 1, text).font = Font(size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    xs.put(ws, 2, 1, sub).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _row(ws, r: int, values, *, head: bool = False, formats: dict | None = None) -> None:
    for c, v in enumerate(values, start=1):
        cell = xs.put(ws, r, c, v)
        cell.border, cell.alignment = _BOX, _WRAP
        if head:
            cell.fill, cell.font = _HEAD, Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        elif formats and c in formats and v is not None and v != "":
            cell.number_format = formats[c]


def _widths(ws, widths) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def write_key_customers(path: Path, table, *, printed_by: str, printed_at: str, top_n: int = 10) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "重点客户管理表"
    _title(ws, "重点客户管理表", f"{table.year} 年度    制表:{printed_by}  {printed_at}", 7)
    _row(ws, 3, ["序号", f"销售额前{top_n}名", "", f"销售增长率前{top_n}名", "", f"销售利润率前{top_n}名", ""],
         head=True)
    _row(ws, 4, ["", "客户名称", "销售额(元)", "客户名称", "增长率", "客户名称", "利润率"], head=True)
    for cells in ("A3:A4", "B3:C3", "D3:E3", "F3:G3"):
        ws.merge_cells(cells)
    r = table.rankings
    n = max(top_n, len(r.by_sales), len(r.by_growth), len(r.by_margin))
    for i in range(n):
        def pair(lst, i=i):
            return [lst[i].name, float(lst[i].value)] if i < len(lst) else ["", ""]
        _row(ws, 5 + i, [i + 1, *pair(r.by_sales), *pair(r.by_growth), *pair(r.by_margin)],
             formats={3: MONEY, 5: PERCENT, 7: PERCENT})
    start = 6 + n
    _row(ws, start, ["重点管理客户", "销售额目标(元)", "将其设为重点客户的原因", "实现目标的行动措施",
                     "营销中心总经理建议", "董事长意见", "本年销售额(元)"], head=True)
    for j, p in enumerate(table.plans, start=1):
        _row(ws, start + j, [p.name, None if p.sales_target is None else float(p.sales_target), p.reason,
                             p.actions, p.gm_suggestion, p.chairman_opinion, float(p.sales)],
             formats={2: MONEY, 7: MONEY})
    _widths(ws, (16, 30, 18, 30, 24, 30, 18))
    wb.save(path)


def write_strategy(path: Path, table, *, printed_by: str, printed_at: str) -> None:
    important = table.kind == "important"
    title = "重要客户对策表" if important else "问题客户对策表"
    wb = Workbook()
    ws = wb.active
    ws.title = title
    if important:
        heads = ["序号", "客户名称", "负责人", "销售情况", "问题所在", "应对策略"]
        rows = [[i, r.name, r.responsible, r.sales, r.problem, r.strategy] for i, r in enumerate(table.rows, 1)]
        widths = (6, 30, 10, 30, 30, 40)
    else:
        heads = ["序号", "客户名称", "负责人", "销售范围", "所在位置", "恶化趋势", "问题表现", "应对策略"]
        rows = [[i, r.name, r.responsible, r.sales, r.location, r.trend, r.problem, r.strategy]
                for i, r in enumerate(table.rows, 1)]
        widths = (6, 30, 10, 24, 14, 30, 30, 40)
    _title(ws, title, f"期间:{table.period}    制表:{printed_by}  {printed_at}", len(heads))
    _row(ws, 3, heads, head=True)
    for i, row in enumerate(rows, start=4):
        _row(ws, i, row)
    r = 4 + len(rows)
    notes = ([("扩大重要客户数量的基本方针", table.policy)] if important else []) + [("备注", table.note)]
    for label, text in notes:
        _row(ws, r, [label, text] + [""] * (len(heads) - 2))
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(heads))
        r += 1
    _widths(ws, widths)
    wb.save(path)
