"""选房明细表 (the list of all selections the commissioning unit stamps as a contract appendix) and the
台帐 (ledger of tickets and receipts): Excel (openpyxl write_only) and PDF (A4 landscape) from plain rows.
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
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from reports import excel_safe as xs
from reports import pdf_common as pc
from reports import selection_docs as sd
from reports.fonts import register_cjk_font

MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class SelectionRow:
    """One line of the 选房明细表."""

    order: int  # 选房顺序号
    buyer_name: str
    id_masked: str  # e.g. 110105********0031
    unit: str
    area: Decimal
    price_per_m2: Decimal
    total: Decimal
    paid: Decimal
    certificate_number: str = ""


@dataclass(frozen=True)
class LedgerRow:
    """One document in the 台帐: a ticket, a receipt or a certificate, a reversal with a negative amount."""

    issued_at: datetime
    kind: str  # 选房工作票 / 收据 / 选房凭证
    number: str
    buyer_name: str
    unit: str
    purpose: str
    amount: Decimal
    issued_by: str
    reversal_of: str = ""


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    value: Callable[[object], object]
    summed: bool | Callable[[object], bool] = False  # summed in the totals line (only the rows it accepts)


SELECTION_COLUMNS = (
    Column("顺序号", 15, lambda r: r.order), Column("购房人", 24, lambda r: r.buyer_name),
    Column("身份证号码", 42, lambda r: r.id_masked), Column("房号", 48, lambda r: r.unit),
    Column("面积(m²)", 20, lambda r: r.area, summed=True), Column("单价(元/m²)", 24, lambda r: r.price_per_m2),
    Column("总价(元)", 30, lambda r: r.total, summed=True), Column("已付(元)", 30, lambda r: r.paid, summed=True),
    Column("选房凭证号", 34, lambda r: r.certificate_number),
)
LEDGER_COLUMNS = (
    Column("开具时间", 28, lambda r: sd.when(r.issued_at)), Column("单据", 20, lambda r: r.kind),
    Column("单号", 34, lambda r: r.number), Column("购房人", 22, lambda r: r.buyer_name),
    Column("房号", 40, lambda r: r.unit), Column("摘要", 42, lambda r: r.purpose),
    # the total is money received: ticket prices and certificates are not money
    Column("金额(元)", 30, lambda r: r.amount, summed=lambda r: r.kind == "收据"),
    Column("开具人", 18, lambda r: r.issued_by),
    Column("冲销原单", 33, lambda r: r.reversal_of),
)


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


# 关系房 lists (rows: app.services.selection.relationship.ApprovalRow)
PAPERWORK_COLUMNS = (
    Column("房号", 40, lambda r: r.flat), Column("受益人", 22, lambda r: r.beneficiary),
    Column("来电审批人", 24, lambda r: r.approver), Column("经办人", 22, lambda r: r.handled_by),
    Column("来电时间", 30, lambda r: sd.when(r.phoned_at) if r.phoned_at else ""),
    Column("补办期限", 24, lambda r: _day(r.paperwork_due)), Column("状态", 22, lambda r: r.paperwork_state),
    Column("审批均价(元/m²)", 28, lambda r: r.average_price),
    Column("交款比例", 18, lambda r: f"{r.payment_ratio:.0%}"), Column("交款期限", 24, lambda r: _day(r.pay_deadline)),
)
LATE_COLUMNS = (
    Column("房号", 40, lambda r: r.flat), Column("受益人", 22, lambda r: r.beneficiary),
    Column("审批", 44, lambda r: r.basis), Column("审批均价(元/m²)", 28, lambda r: r.average_price),
    Column("交款比例", 18, lambda r: f"{r.payment_ratio:.0%}"), Column("交款期限", 24, lambda r: _day(r.pay_deadline)),
    Column("选房工作票", 34, lambda r: r.ticket_number or "未开票"),
    Column("应交(元)", 28, lambda r: r.required if r.required is not None else None, summed=lambda r: r.required is not None),
    Column("已交(元)", 28, lambda r: r.paid, summed=True), Column("处理", 26, lambda r: "转新价格政策"),
)


def _totals(columns: Sequence[Column], rows: Sequence) -> list:
    def total(c: Column):
        accept = c.summed if callable(c.summed) else (lambda _r: True)
        return sum((c.value(r) for r in rows if accept(r)), Decimal(0))

    return [total(c) if c.summed else None for c in columns]


# ---------------------------------------------------------------- Excel


def _xlsx(target: Path | BinaryIO, title: str, subtitle: str, columns: Sequence[Column], rows: Sequence) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    for i, c in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = c.width_mm / 2.2
    bold = Font(bold=True)

    def cell(value, *, font=None, money=False):
        out = xs.cell(ws, float(value) if isinstance(value, Decimal) else value)
        if font:
            out.font = font
        if money:
            out.number_format = MONEY_FORMAT
        return out

    ws.append([cell(title, font=Font(bold=True, size=14))])
    ws.append([cell(subtitle)])
    ws.append([cell(c.title, font=bold) for c in columns])
    for r in rows:
        ws.append([cell(c.value(r), money=isinstance(c.value(r), Decimal)) for c in columns])
    totals = _totals(columns, rows)
    ws.append([cell("合计", font=bold), cell(f"{len(rows)} 条", font=bold),
               *[cell(v, font=bold, money=True) if v is not None else cell(None) for v in totals[2:]]])
    wb.save(target)


def selection_list_xlsx(target: Path | BinaryIO, rows: Sequence[SelectionRow], *, project: str,
                        commissioning_unit: str) -> None:
    _xlsx(target, "选房明细表", f"{project}  委建房单位:{commissioning_unit}", SELECTION_COLUMNS, rows)


def ledger_xlsx(target: Path | BinaryIO, rows: Sequence[LedgerRow], *, project: str) -> None:
    _xlsx(target, "票据台帐", f"{project}", LEDGER_COLUMNS, rows)


def relationship_xlsx(target: Path | BinaryIO, rows: Sequence, *, what: str, title: str, project: str) -> None:
    """关系房补办书面手续清单 (what="paperwork") or 逾期付款转新价格政策清单 (what="late")."""
    _xlsx(target, title, project, PAPERWORK_COLUMNS if what == "paperwork" else LATE_COLUMNS, rows)


# ---------------------------------------------------------------- PDF


class StampBox(Flowable):
    """An empty box for the commissioning unit's seal (委建房单位盖章) with a signature and date line."""

    def __init__(self, label: str, font: str):
        super().__init__()
        self.label, self.font = label, font

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, 42 * mm
        return self.width, self.height

    def draw(self):
        c, w = self.canv, 70 * mm
        x = self.width - w
        c.setLineWidth(0.6)
        c.setDash(3, 2)
        c.rect(x, 8 * mm, w, 34 * mm)
        c.setDash()
        c.setFont(self.font, 10)
        c.drawCentredString(x + w / 2, 36 * mm, self.label)
        c.drawRightString(self.width, 2 * mm, "经办人签字:______________   日期:      年    月    日")
        c.drawString(0, 36 * mm, "审核:财务部 ______________   审计部 ______________")


def _pdf(title: str, subtitle: str, columns: Sequence[Column], rows: Sequence, *, company: str,
         printed_by: str, printed_at: datetime, stamp: str) -> bytes:
    font = register_cjk_font()
    st = pc.styles(font)
    totals = _totals(columns, rows)

    def show(value) -> str:
        return f"{value:,.2f}" if isinstance(value, Decimal) else ("" if value is None else str(value))

    data = [[c.title for c in columns]]
    data += [[pc.paragraph(show(c.value(r)), st["num"] if isinstance(c.value(r), Decimal) else st["cell"])
              for c in columns] for r in rows]
    data.append(["合计", f"{len(rows)} 条", *[show(v) for v in totals[2:]]])
    table = Table(data, colWidths=[c.width_mm * mm for c in columns], repeatRows=1)
    money_cols = [i for i, c in enumerate(columns) if c.summed]
    table.setStyle(pc.table_style([
        ("FONTSIZE", (0, 0), (-1, -1), 8.5), ("GRID", (0, 0), (-1, -1), 0.4, pc.GRID),
        ("BACKGROUND", (0, 0), (-1, 0), pc.LABEL_FILL), ("BACKGROUND", (0, -1), (-1, -1), pc.LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *[("ALIGN", (i, -1), (i, -1), "RIGHT") for i in money_cols],
    ]))

    def story(_index: int, _label: str) -> list:
        return [pc.BoldLine(title, font=font, size=15, align="center", space_after=2 * mm),
                pc.paragraph(subtitle, st["head"]), Spacer(1, 3 * mm), table,
                KeepTogether([Spacer(1, 6 * mm), StampBox(stamp, font)])]

    def decorate(canvas, page: pc.PageInfo) -> None:
        pc.draw_header(canvas, page, font=font, company=company, subtitle=subtitle)
        pc.draw_footer(canvas, page, font=font,
                       left=f"打印人:{printed_by or '—'}    打印时间:{sd.when(printed_at)}")

    return pc.build_copies(copies=(title,), story=story, decorate=decorate, title=title, author=company,
                           margins=pc.Margins(), pagesize=landscape(A4))


def selection_list_pdf(rows: Sequence[SelectionRow], *, project: str, commissioning_unit: str, company: str,
                       printed_by: str, printed_at: datetime) -> bytes:
    return _pdf("选房明细表", f"{project}  委建房单位:{commissioning_unit}", SELECTION_COLUMNS, rows,
                company=company, printed_by=printed_by, printed_at=printed_at, stamp="委建房单位盖章")


def ledger_pdf(rows: Sequence[LedgerRow], *, project: str, company: str, printed_by: str,
               printed_at: datetime) -> bytes:
    return _pdf("票据台帐", project, LEDGER_COLUMNS, rows, company=company, printed_by=printed_by,
                printed_at=printed_at, stamp="财务部盖章")



# the generic writers, for other lists in the same look (e.g. reports.bank_reconciliation)
write_xlsx = _xlsx
write_pdf = _pdf
