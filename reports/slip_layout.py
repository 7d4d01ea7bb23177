"""The layout of the desk's slips (联单): 选房工作票, 收据, 选房凭证, drawn straight on the canvas.

Paper: 241 × 140 mm, the "241-2 等分" continuous form that Chinese dot-matrix document printers feed
(9.5 × 5.5 inch, tractor strips included) and that pre-printed multi-part carbonless slips (多联无碳复写)
come as. Plain mode prints every copy on its own sheet of the same size, so one printer setting serves
both modes; 14 mm side margins keep the tractor strips clear.

Coordinates are millimetres from the TOP-LEFT corner of the slip (the way a ruler is laid on a
pre-printed form). A grid is a tuple of rows, each row a tuple of Cells (label width + value width,
which add up to WIDTH); rows are ROW_H apart from the grid's top. `value_positions` gives where each
value is printed: the calibration table of 套打 (overlay) mode, where only the values are printed, at
these positions plus the desk's offset. Drawn without platypus: a 4-copy ticket costs about what raw
canvas calls cost (bench/ticket_pdf.py).
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports import pdf_common as pc
from reports import selection_docs as sd
from reports.fonts import register_cjk_font

PAGE = (241 * mm, 140 * mm)
LEFT = 14.0  # mm
WIDTH = 213.0
RIGHT = LEFT + WIDTH
CENTRE = LEFT + WIDTH / 2
ROW_H = 6.5
GRID_TOP = 35.0
LABEL_SIZE, VALUE_SIZE, MIN_SIZE = 8.5, 10.0, 6.5
RED = pc.STAMP_RED
LABEL_FILL = pc.LABEL_FILL

# header positions (mm from the top-left): the same in plain and overlay mode
QR_SIZE = 18.0
QR_AT = (RIGHT - QR_SIZE, 15.0)  # top-left corner of the QR
NUMBER_AT = (RIGHT - QR_SIZE - 2.0, 21.0)  # right-aligned, baseline
REPRINT_AT = (RIGHT - QR_SIZE - 2.0, 29.5)  # right-aligned, baseline
TITLE_AT = (CENTRE, 21.0)  # centred, baseline
REVERSAL_AT = (CENTRE, 29.5)  # centred, baseline
ISSUED_AT = (LEFT, 29.5)  # baseline; plain mode puts 开票日期: before the date
COMPANY_AT = (LEFT, 13.0)
FOOTER_Y = 133.0


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    label_w: float  # mm
    value_w: float  # mm


Grid = tuple[tuple[Cell, ...], ...]


def value_positions(grid: Grid, top: float = GRID_TOP) -> dict[str, tuple[float, float, float]]:
    """key → (x, baseline y, width) in mm from the top-left: where each value is printed."""
    out = {}
    for r, row in enumerate(grid):
        x = LEFT
        for cell in row:
            out[cell.key] = (x + cell.label_w + 1.5, top + r * ROW_H + 4.5, cell.value_w - 3.0)
            x += cell.label_w + cell.value_w
    return out


@dataclass(frozen=True)
class Value:
    text: str
    red: bool = False


class Slip:
    """One PDF of slips: a canvas in mm-from-the-top coordinates, shifted by the overlay offset."""

    def __init__(self, title: str, *, offset_mm: tuple[float, float] = (0.0, 0.0)):
        self.font = register_cjk_font()
        self.out = io.BytesIO()
        self.c = Canvas(self.out, pagesize=PAGE, initialFontName=self.font)
        self.c.setTitle(title)
        self.c.setCreator("KeDesk 客台")
        self.dx, self.dy = offset_mm

    def x(self, mm_x: float) -> float:
        return (mm_x + self.dx) * mm

    def y(self, mm_y: float) -> float:
        return PAGE[1] - (mm_y + self.dy) * mm

    def finish(self) -> bytes:
        self.c.save()
        return self.out.getvalue()

    # ---------------------------------------------------------------- text

    def text(self, s: str, x: float, y: float, *, size: float = VALUE_SIZE, align: str = "left",
             color=colors.black, width: float | None = None, bold: bool = False) -> None:
        """One line at (x, baseline y) mm; shrunk (down to MIN_SIZE) and then cut to fit width mm."""
        if not s:
            return
        if width is not None:
            limit = width * mm
            while size > MIN_SIZE and stringWidth(s, self.font, size) > limit:
                size -= 0.5
            s = pc.fit(s, limit, self.font, size)
        if bold:
            pc.bold_string(self.c, self.x(x), self.y(y), s, font=self.font, size=size, align=align, color=color)
            return
        c = self.c
        c.setFont(self.font, size)
        c.setFillColor(color)
        if align == "right":
            c.drawRightString(self.x(x), self.y(y), s)
        elif align == "center":
            c.drawCentredString(self.x(x), self.y(y), s)
        else:
            c.drawString(self.x(x), self.y(y), s)

    def block(self, s: str, x: float, y: float, width: float, *, lines: int = 2, size: float = 8.5) -> None:
        """Text wrapped between any two characters (CJK) into at most `lines` lines at baseline y."""
        limit, rows, current = width * mm, [], ""
        for ch in s:
            if ch == "\n" or stringWidth(current + ch, self.font, size) > limit:
                rows.append(current)
                current = "" if ch == "\n" else ch
            else:
                current += ch
        rows.append(current)
        if len(rows) > lines:
            rows = rows[:lines - 1] + [pc.fit("".join(rows[lines - 1:]) + "…", limit, self.font, size)]
        for i, row in enumerate(rows):
            self.text(row, x, y + i * size * 1.3 / mm, size=size)

    # ---------------------------------------------------------------- the form

    def grid(self, grid: Grid, values: dict[str, Value], *, top: float = GRID_TOP, frame: bool = True) -> None:
        """The label/value table; with frame=False (套打) only the values."""
        c = self.c
        if frame:
            c.setLineWidth(0.45)
            c.setStrokeColor(pc.GRID)
            for r, row in enumerate(grid):
                x, y = LEFT, top + r * ROW_H
                for cell in row:
                    c.setFillColor(LABEL_FILL)
                    c.rect(self.x(x), self.y(y + ROW_H), cell.label_w * mm, ROW_H * mm, stroke=1, fill=1)
                    c.rect(self.x(x + cell.label_w), self.y(y + ROW_H), cell.value_w * mm, ROW_H * mm, stroke=1)
                    self.text(cell.label, x + cell.label_w / 2, y + 4.4, size=LABEL_SIZE, align="center",
                              color=colors.Color(0.15, 0.15, 0.15), width=cell.label_w - 1)
                    x += cell.label_w + cell.value_w
            c.setLineWidth(1.0)
            c.rect(self.x(LEFT), self.y(top + len(grid) * ROW_H), WIDTH * mm, len(grid) * ROW_H * mm)
        for key, (x, y, width) in value_positions(grid, top).items():
            value = values.get(key)
            if value is not None:
                self.text(value.text, x, y, color=RED if value.red else colors.black, width=width)

    def header(self, *, title: str, copy: str | None, company: str, number: str, qr: pc.QrCode,
               issued: str, reprint: int, reversal_of: str | None, frame: bool = True) -> None:
        """Company, title, copy band, number with its QR, issue date, and the 重打 / 红字 marks."""
        if frame:
            self.text(company, *COMPANY_AT, size=10.5, bold=True, width=120)
            self.text(title, *TITLE_AT, size=19, align="center", bold=True, color=RED if reversal_of else colors.black)
            half = stringWidth(title, self.font, 19) / 2 / mm + 2
            for gap in (1.6, 2.4):
                self.c.setLineWidth(0.5)
                self.c.line(self.x(TITLE_AT[0] - half), self.y(TITLE_AT[1] + gap),
                            self.x(TITLE_AT[0] + half), self.y(TITLE_AT[1] + gap))
            if copy:
                pc.draw_copy_band(self.c, copy, right=self.x(RIGHT), top=self.y(7.0), font=self.font)
        self.text(("开票日期:" if frame else "") + issued, *ISSUED_AT, size=9)
        self.text(("No. " if frame else "") + number, *NUMBER_AT, size=13, align="right", bold=True,
                  color=RED if frame else colors.black)
        qr.drawOn(self.c, self.x(QR_AT[0]), self.y(QR_AT[1] + QR_SIZE))
        if reprint:
            self.reprint_mark(reprint)
        if reversal_of:
            self.text(f"红字冲销  原单号 {reversal_of}", *REVERSAL_AT, size=11, align="center", bold=True, color=RED)

    def reprint_mark(self, n: int) -> None:
        s = f"重打 {n}"
        size = 10.5
        w = stringWidth(s, self.font, size) / mm + 4
        x, y = REPRINT_AT
        self.c.setStrokeColor(colors.black)
        self.c.setLineWidth(0.8)
        self.c.rect(self.x(x - w), self.y(y + 1.6), w * mm, 5.6 * mm)
        self.text(s, x - 2, y, size=size, align="right", bold=True)

    def cancelled_mark(self, red_number: str, *, cx: float, cy: float) -> None:
        """已冲销: the original a red-letter document cancelled, stamped and named on every copy."""
        self.text(f"已冲销  红字单号 {red_number}", *REVERSAL_AT, size=11, align="center", bold=True, color=RED)
        pc.draw_stamp(self.c, "已冲销", cx=self.x(cx), cy=self.y(cy), font=self.font, size=22)

    def reversal_stamp(self, *, cx: float, cy: float) -> None:
        pc.draw_stamp(self.c, "红字冲销", cx=self.x(cx), cy=self.y(cy), font=self.font, size=18)

    def signatures(self, roles: Sequence[tuple[str, str]], y: float, *, frame: bool = True) -> None:
        """Signature lines (签字) side by side; a known name is printed on its line."""
        column = WIDTH / len(roles)
        for i, (role, name) in enumerate(roles):
            x = LEFT + i * column
            label = f"{role}:"
            start = x + stringWidth(label, self.font, 9.5) / mm + 1
            if frame:
                self.text(label, x, y, size=9.5)
                self.c.setLineWidth(0.5)
                self.c.setStrokeColor(colors.black)
                self.c.line(self.x(start), self.y(y + 1), self.x(x + column - 5), self.y(y + 1))
            self.text(name, start + 2, y - 0.3, size=10, width=column - (start - x) - 8)

    def footer(self, left: str, right: str = "") -> None:
        self.c.setLineWidth(0.4)
        self.c.setStrokeColor(pc.GRID)
        self.c.line(self.x(LEFT), self.y(FOOTER_Y - 4), self.x(RIGHT), self.y(FOOTER_Y - 4))
        grey = colors.Color(0.3, 0.3, 0.3)
        self.text(left, LEFT, FOOTER_Y, size=7.5, color=grey)
        if right:
            self.text(right, RIGHT, FOOTER_Y, size=7.5, color=grey, align="right")

    def printed(self, printed_by: str, printed_at) -> str:
        return f"打印人:{printed_by or '—'}    打印时间:{sd.when(printed_at)}"

    def next_page(self) -> None:
        self.c.showPage()


def copies_or_overlay(mode: str, copies: Iterable[str]) -> list[str | None]:
    """The pages to draw: each copy's name in plain mode; one unnamed page in overlay (the paper has the copies)."""
    if mode == "plain":
        return list(copies)
    if mode == "overlay":
        return [None]
    raise ValueError(f"unknown print mode {mode!r}: 'plain' or 'overlay'")


@dataclass(frozen=True)
class Form:
    """One kind of slip: its title, grid, the line the customer confirms, where signatures and the 红字 stamp go."""

    title: str
    copies: tuple[str, ...]
    grid: Grid
    confirm: str
    sign_y: float
    stamp_at: tuple[float, float]
    notice: str


def render(form: Form, *, number: str, company: str, issued: str, reprint: int, reversal_of: str | None,
           values: dict[str, Value], signers: Sequence[tuple[str, str]], printed: tuple[str, object],
           mode: str = "plain", offset_mm: tuple[float, float] = (0, 0), reversed_by: str | None = None) -> bytes:
    """Every copy on its own page (plain), or one page of values at the calibrated positions (overlay)."""
    pages = copies_or_overlay(mode, form.copies)
    slip = Slip(f"{form.title} {number}", offset_mm=offset_mm if mode == "overlay" else (0, 0))
    qr = pc.qr_code(number, QR_SIZE * mm)
    title = form.title + ("(红字)" if reversal_of else "")
    for i, copy in enumerate(pages):
        frame = copy is not None
        if i:
            slip.next_page()
        slip.header(title=title, copy=copy, company=company, number=number, qr=qr, issued=issued,
                    reprint=reprint, reversal_of=reversal_of, frame=frame)
        slip.grid(form.grid, values, frame=frame)
        if frame:
            slip.text(form.confirm, LEFT, form.sign_y - 12, size=8.5, width=WIDTH)
        slip.signatures(signers, form.sign_y, frame=frame)
        if reversal_of:
            slip.reversal_stamp(cx=form.stamp_at[0], cy=form.stamp_at[1])
        if reversed_by:  # a reprint of a cancelled original can never pass for a valid document
            slip.cancelled_mark(reversed_by, cx=form.stamp_at[0], cy=form.stamp_at[1])
        if frame:
            slip.footer(slip.printed(*printed), form.notice)
    return slip.finish()
