"""客户地址分类表 and 客户区域分析表 (DOMAIN.md §4): Excel (openpyxl write_only) and PDF (A4 landscape).

Rows are plain objects with the attributes the columns name (app.services.areas.AddressRow / RegionRow);
this module does not import the services. Distances in km with one decimal, shares as percentages.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from reports import excel_safe as xs
from reports import pdf_common as pc
from reports.fonts import register_cjk_font


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    value: Callable[[object], object]
    kind: str = "text"  # text / km / share / money / int


def _opt(value, fn):
    return None if value is None else fn(value)


ADDRESS_COLUMNS = (
    Column("序号", 12, lambda r: r.no, "int"), Column("客户名称", 52, lambda r: r.name),
    Column("客户编号", 22, lambda r: r.code), Column("地址", 70, lambda r: r.address),
    Column("距离(公里)", 20, lambda r: r.distance_km, "km"), Column("业务类型", 20, lambda r: r.business_type),
    Column("不宜拜访时间", 30, lambda r: r.unsuitable_times), Column("备注", 40, lambda r: r.note),
)
REGION_COLUMNS = (
    Column("年度", 16, lambda r: r.year, "int"), Column("区域", 30, lambda r: r.region),
    Column("客户数", 22, lambda r: r.customers, "int"), Column("客户数占比", 26, lambda r: r.customer_share, "share"),
    Column("销售额(元)", 40, lambda r: r.sales, "money"), Column("销售额占比", 26, lambda r: r.sales_share, "share"),
)
FORMATS = {"km": "0.0", "share": "0.00%", "money": "#,##0.00", "int": "0"}


def show(value, kind: str) -> str:
    if value is None:
        return "—" if kind in ("km", "share", "money") else ""
    if kind == "km":
        return f"{value:.1f}"
    if kind == "share":
        return f"{Decimal(value) * 100:.2f}%"
    if kind == "money":
        return f"{value:,.2f}"
    return str(value)


def region_totals(rows: Sequence) -> list:
    """The 合计 line of 客户区域分析表: all customers (100%), and the sales when there are any."""
    sales = [r.sales for r in rows if r.sales is not None]
    total = sum(sales, Decimal(0)) if sales else None
    return ["合计", "", sum(r.customers for r in rows), Decimal(1) if rows else None, total,
            Decimal(1) if total else None]


def _xlsx(target: Path | BinaryIO, title: str, subtitle: str, columns: Sequence[Column], rows: Sequence,
          totals: list | None = None) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    for i, c in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = c.width_mm / 2.2
    bold = Font(bold=True)

    def cell(value, *, font=None, kind="text"):
        out = xs.cell(ws, float(value) if isinstance(value, Decimal) else value)
        if font:
            out.font = font
        if kind in FORMATS and value is not None:
            out.number_format = FORMATS[kind]
        return out

    ws.append([cell(title, font=Font(bold=True, size=14))])
    ws.append([cell(subtitle)])
    ws.append([cell(c.title, font=bold) for c in columns])
    for r in rows:
        ws.append([cell(c.value(r), kind=c.kind) for c in columns])
    if totals:
        ws.append([cell(v, font=bold, kind=c.kind if i else "text") for i, (c, v) in enumerate(zip(columns, totals,
                                                                                                 strict=True))])
    wb.save(target)
    return len(rows)


def _pdf(title: str, subtitle: str, columns: Sequence[Column], rows: Sequence, *, company: str, printed_by: str,
         printed_at: datetime, footnote: str = "", totals: list | None = None) -> bytes:
    font = register_cjk_font()
    st = pc.styles(font)
    right = {"km", "share", "money", "int"}
    data = [[pc.paragraph(c.title, st["head"]) for c in columns]]  # long product names wrap
    data += [[pc.paragraph(show(c.value(r), c.kind), st["num"] if c.kind in right else st["cell"]) for c in columns]
             for r in rows]
    if not rows:
        data.append(["(没有数据)", *[""] * (len(columns) - 1)])
    elif totals:
        data.append([pc.paragraph(show(v, c.kind) if i else v, st["num"] if c.kind in right else st["cell"])
                     for i, (c, v) in enumerate(zip(columns, totals, strict=True))])
    table = Table(data, colWidths=[c.width_mm * mm for c in columns], repeatRows=1)
    table.setStyle(pc.table_style([
        *([("BACKGROUND", (0, -1), (-1, -1), pc.LABEL_FILL)] if rows and totals else []),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5), ("GRID", (0, 0), (-1, -1), 0.4, pc.GRID),
        ("BACKGROUND", (0, 0), (-1, 0), pc.LABEL_FILL), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
    ]))

    def story(_index: int, _label: str) -> list:
        out = [pc.BoldLine(title, font=font, size=15, align="center", space_after=2 * mm),
               pc.paragraph(subtitle, st["head"]), Spacer(1, 3 * mm), table]
        if footnote:
            out += [Spacer(1, 2 * mm), pc.paragraph(footnote, st["small"])]
        return out

    def decorate(canvas, page: pc.PageInfo) -> None:
        pc.draw_header(canvas, page, font=font, company=company, subtitle=subtitle)
        pc.draw_footer(canvas, page, font=font,
                       left=f"打印人:{printed_by or '—'}    打印时间:{printed_at:%Y-%m-%d %H:%M}")

    return pc.build_copies(copies=(title,), story=story, decorate=decorate, title=title, author=company,
                           margins=pc.Margins(), pagesize=landscape(A4))


def address_table_xlsx(target: Path | BinaryIO, rows: Sequence, *, scope: str) -> int:
    return _xlsx(target, "客户地址分类表", scope, ADDRESS_COLUMNS, rows)


def address_table_pdf(rows: Sequence, *, scope: str, company: str, printed_by: str, printed_at: datetime) -> bytes:
    return _pdf("客户地址分类表", scope, ADDRESS_COLUMNS, rows, company=company, printed_by=printed_by,
                printed_at=printed_at, footnote="距离:卡片上填写的距公司距离;未填写的按坐标直线距离乘道路系数估算。")


def region_table_xlsx(target: Path | BinaryIO, rows: Sequence, *, year: int) -> int:
    return _xlsx(target, "客户区域分析表", f"{year} 年度", REGION_COLUMNS, rows, region_totals(rows))


def region_table_pdf(rows: Sequence, *, year: int, company: str, printed_by: str, printed_at: datetime) -> bytes:
    has_sales = any(getattr(r, "sales", None) is not None for r in rows)
    note = "客户数:本年度有销售(净销售额大于0)的客户。"
    if not rows:
        note += f"{year} 年度没有销售记录。"
    elif not has_sales:
        note += "销售额:尚未接入年度销售数据,销售额与占比暂空。"
    return _pdf("客户区域分析表", f"{year} 年度", REGION_COLUMNS, rows, company=company, printed_by=printed_by,
                printed_at=printed_at, totals=region_totals(rows), footnote=note)


def _sales_columns(products: Sequence[str]) -> list[Column]:
    cols = [Column("序号", 12, lambda r: r.no, "int"), Column("客户名称", 46, lambda r: r.customer)]
    width = max(16.0, 200 / (len(products) + 1))
    cols += [Column(p, width, lambda r, p=p: r.amounts.get(p) or None, "money") for p in products]  # 0 → "—"
    return cols + [Column("合计", width, lambda r: r.total, "money")]


@dataclass(frozen=True)
class _Numbered:
    no: object
    customer: str
    amounts: dict
    total: object


def _numbered(rows: Sequence, totals) -> tuple[list, list]:
    out = [_Numbered(i, r.customer, r.amounts, r.total) for i, r in enumerate(rows, start=1)]
    return out, ["合计", "", *[totals.amounts[c] for c in totals.amounts], totals.total]


def sales_table_xlsx(target: Path | BinaryIO, products: Sequence[str], rows: Sequence, totals, *, year: int) -> int:
    """客户销售分析表 (年度; 客户名称 × 产品 … 合计; 合计 row)."""
    numbered, last = _numbered(rows, totals)
    return _xlsx(target, "客户销售分析表", f"{year} 年度  单位:元", _sales_columns(products), numbered, last)


def sales_table_pdf(products: Sequence[str], rows: Sequence, totals, *, year: int, company: str, printed_by: str,
                    printed_at: datetime) -> bytes:
    numbered, last = _numbered(rows, totals)
    return _pdf("客户销售分析表", f"{year} 年度  单位:元", _sales_columns(products), numbered, company=company,
                printed_by=printed_by, printed_at=printed_at, totals=last,
                footnote="审核:                    填写:                    编制:")
