"""Shared pieces of the printed documents (打印单据): copies (联), header, footer, signatures, QR, stamps.

A multi-copy document is built by `build_copies`: each copy (联) gets its own page template, so the copy
label is printed on every page of that copy, and pages are numbered within the copy (第 n 页 共 m 页)
only when a copy runs over one page.
"""
from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    TableStyle,
)

from reports.fonts import register_cjk_font

STAMP_RED = colors.Color(0.80, 0.05, 0.05)
LABEL_FILL = colors.Color(0.93, 0.93, 0.93)
GRID = colors.Color(0.25, 0.25, 0.25)


@dataclass(frozen=True)
class Margins:
    left: float = 15 * mm
    right: float = 15 * mm
    top: float = 22 * mm  # the header (company, copy band) lives above the frame
    bottom: float = 18 * mm  # the footer (printed by/at, page number) lives below it


@dataclass(frozen=True)
class PageInfo:
    """What a page decorator needs to know about the page it draws on."""

    copy_index: int  # 0-based
    copy_label: str  # e.g. 第一联 销售分公司经理留存
    width: float
    height: float
    margins: Margins


def text(value: object) -> str:
    """User text made safe for a Paragraph: markup characters escaped, line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def table_style(commands: list) -> TableStyle:
    """A TableStyle in the CJK font: reportlab's default cell font (Helvetica) would land in the PDF unembedded."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), register_cjk_font()), *commands])


def styles(font: str) -> dict[str, ParagraphStyle]:
    """Paragraph styles in the CJK font; wordWrap CJK lets Chinese wrap between any two characters."""
    base = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    return {
        "cell": base,
        "label": ParagraphStyle("label", parent=base, textColor=colors.Color(0.15, 0.15, 0.15)),
        "head": ParagraphStyle("head", parent=base, alignment=TA_CENTER),
        "num": ParagraphStyle("num", parent=base, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5,
                                textColor=colors.Color(0.3, 0.3, 0.3)),
        "big": ParagraphStyle("big", parent=base, fontSize=13, leading=17),
        "alert": ParagraphStyle("alert", parent=base, textColor=STAMP_RED),
    }


def bold_string(canvas: Canvas, x: float, y: float, s: str, *, font: str, size: float,
                align: str = "left", color=colors.black) -> None:
    """Draw text fake-bold (fill + thin stroke): CJK system fonts usually ship without a bold face."""
    canvas.saveState()
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    canvas.setStrokeColor(color)
    canvas.setLineWidth(size * 0.035)
    width = canvas.stringWidth(s, font, size)
    x = x - width if align == "right" else x - width / 2 if align == "center" else x
    canvas.drawString(x, y, s, mode=2)
    canvas.restoreState()


class BoldLine(Flowable):
    """A one-line fake-bold title or section heading, optionally ruled underneath."""

    def __init__(self, s: str, *, font: str, size: float, align: str = "left", rule: bool = False,
                 space_before: float = 0, space_after: float = 0):
        super().__init__()
        self.s, self.font, self.size, self.align, self.rule = s, font, size, align, rule
        self.spaceBefore, self.spaceAfter = space_before, space_after

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.size * 1.35 + (3 if self.rule else 0)
        return self.width, self.height

    def draw(self):
        x = {"left": 0, "center": self.width / 2, "right": self.width}[self.align]
        base = 3 if self.rule else 0
        bold_string(self.canv, x, base + self.size * 0.3, self.s, font=self.font, size=self.size, align=self.align)
        if self.rule:
            self.canv.setLineWidth(0.6)
            self.canv.line(0, 1, self.width, 1)


class SignatureLines(Flowable):
    """Signature and date lines (签字 / 日期) side by side, e.g. 填表人、部门经理、区域总监."""

    def __init__(self, roles: Sequence[str], *, font: str, size: float = 9.5):
        super().__init__()
        self.roles, self.font, self.size = list(roles), font, size

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.size * 4.2
        return self.width, self.height

    def draw(self):
        c, size = self.canv, self.size
        column = self.width / len(self.roles)
        c.setFont(self.font, size)
        c.setLineWidth(0.5)
        for i, role in enumerate(self.roles):
            x = i * column
            label = f"{role}(签字):"
            c.drawString(x, size * 2.6, label)
            start, end = x + c.stringWidth(label, self.font, size) + 2, x + column - 10
            c.line(start, size * 2.45, end, size * 2.45)
            c.drawString(x, size * 0.5, "日期:")
            date_x = x + c.stringWidth("日期:", self.font, size) + 2
            c.drawString(date_x, size * 0.5, "        年      月      日")


class AtBottom(Flowable):
    """Pushes its content to the bottom of the frame (signatures close the form, not float mid-page)."""

    def __init__(self, *content: Flowable):
        super().__init__()
        self.content = list(content)

    def _heights(self, avail_width, avail_height):
        return [f.wrap(avail_width, avail_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                for f in self.content]

    def wrap(self, avail_width, avail_height):
        need = sum(self._heights(avail_width, avail_height))
        self.width = avail_width
        self.height = avail_height if need <= avail_height else need  # too tall: the frame moves it on
        return self.width, self.height

    def draw(self):
        y = 0.0
        for f, h in reversed(list(zip(self.content, self._heights(self.width, self.height), strict=True))):
            f.drawOn(self.canv, 0, y + f.getSpaceAfter())
            y += h


class QrCode(Flowable):
    """A QR code of value (customer code, document number), size × size with its quiet zone.

    Drawn as one filled path straight on the canvas: ~40× faster than reportlab's QrCodeWidget drawing,
    which re-encodes and builds a shape per module for every copy.
    """

    def __init__(self, value: str, size: float, *, border: int = 2):
        super().__init__()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(value)
        code.make()
        self.modules = [[bool(m) for m in row] for row in code.modules]
        self.size, self.border = size, border

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        count = len(self.modules)
        box = self.size / (count + 2 * self.border)
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            c = 0
            for dark, run in itertools.groupby(row):
                n = len(list(run))
                if dark:
                    path.rect((c + self.border) * box, self.size - (r + self.border + 1) * box, n * box, box)
                c += n
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def qr_code(value: str, size: float) -> QrCode:
    return QrCode(value, size)


def fit(s: str, width: float, font: str, size: float) -> str:
    """s cut with an ellipsis to fit one line of width (header lines must not run into the copy band)."""
    if stringWidth(s, font, size) <= width:
        return s
    while s and stringWidth(s + "…", font, size) > width:
        s = s[:-1]
    return s + "…"


def draw_copy_band(canvas: Canvas, label: str, *, right: float, top: float, font: str, size: float = 10) -> float:
    """The copy label (联名) in a dark band at the top right, so each copy is told apart at a glance.

    Returns the band's left edge.
    """
    pad = 2.5 * mm
    width, height = canvas.stringWidth(label, font, size) + 2 * pad, size + 2 * mm
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.18, 0.18, 0.18))
    canvas.rect(right - width, top - height, width, height, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(font, size)
    canvas.drawString(right - width + pad, top - height + 1.35 * mm, label)
    canvas.restoreState()
    return right - width


def draw_header(canvas: Canvas, page: PageInfo, *, font: str, company: str, subtitle: str = "") -> None:
    """Company name (and a subtitle) at the top left, the copy band at the top right, a thin rule below."""
    m = page.margins
    top = page.height - 10 * mm
    bold_string(canvas, m.left, top - 4.2 * mm, company, font=font, size=11)
    band_left = draw_copy_band(canvas, page.copy_label, right=page.width - m.right, top=top, font=font)
    if subtitle:
        x = m.left + canvas.stringWidth(company, font, 11) + 4 * mm
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
        canvas.drawString(x, top - 4.2 * mm, fit(subtitle, band_left - x - 4 * mm, font, 8))
        canvas.setFillColor(colors.black)
    canvas.setLineWidth(0.4)
    canvas.line(m.left, top - 7.5 * mm, page.width - m.right, top - 7.5 * mm)


def draw_footer(canvas: Canvas, page: PageInfo, *, font: str, left: str, right: str = "") -> None:
    """A rule and one line of small print under the frame: who printed it and when, a notice on the right."""
    m = page.margins
    y = m.bottom - 9 * mm
    canvas.saveState()
    canvas.setLineWidth(0.4)
    canvas.line(m.left, y + 4 * mm, page.width - m.right, y + 4 * mm)
    canvas.setFont(font, 8)
    canvas.setFillColor(colors.Color(0.25, 0.25, 0.25))
    canvas.drawString(m.left, y, left)
    if right:
        canvas.drawRightString(page.width - m.right, y, right)
    canvas.restoreState()


def printed_line(printed_by: str, printed_at) -> str:
    return f"打印人:{printed_by or '—'}    打印时间:{printed_at:%Y-%m-%d %H:%M}"


def draw_stamp(canvas: Canvas, label: str, *, cx: float, cy: float, font: str, size: float = 20,
               angle: float = 12) -> None:
    """A red rubber-stamp mark (e.g. 黑名单客户), slightly rotated and translucent so text below stays legible."""
    canvas.saveState()
    canvas.translate(cx, cy)
    canvas.rotate(angle)
    width = canvas.stringWidth(label, font, size) + size
    height = size * 1.9
    canvas.setStrokeColor(STAMP_RED)
    canvas.setFillColor(STAMP_RED)
    canvas.setStrokeAlpha(0.85)
    canvas.setFillAlpha(0.85)
    canvas.setLineWidth(2.2)
    canvas.roundRect(-width / 2, -height / 2, width, height, 4)
    canvas.setLineWidth(0.7)
    canvas.roundRect(-width / 2 + 3, -height / 2 + 3, width - 6, height - 6, 3)
    bold_string(canvas, 0, -size * 0.36, label, font=font, size=size, align="center", color=STAMP_RED)
    canvas.restoreState()


class _CopyCanvas(Canvas):
    """Keeps pages until the end so each can say 第 n 页 共 m 页 within its copy."""

    def __init__(self, *args, page_font: str = "", page_margins: Margins = Margins(), **kwargs):
        super().__init__(*args, **kwargs)
        self._page_font, self._page_margins = page_font, page_margins
        self._kept: list[dict] = []
        self.copy_mark = (0, 1)  # (copy index, page within the copy), set by the page template

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        totals = Counter(state["copy_mark"][0] for state in self._kept)
        for state in self._kept:
            self.__dict__.update(state)
            copy, page = self.copy_mark
            if totals[copy] > 1:
                self.setFont(self._page_font, 8)
                self.drawCentredString(self._pagesize[0] / 2, self._page_margins.bottom - 9 * mm,
                                       f"第 {page} 页  共 {totals[copy]} 页")
            super().showPage()
        super().save()


def build_copies(*, copies: Sequence[str], story: Callable[[int, str], list[Flowable]],
                 decorate: Callable[[Canvas, PageInfo], None], title: str, author: str = "",
                 margins: Margins = Margins(), pagesize=A4) -> bytes:
    """Render one story per copy (联), each copy starting on a new page; returns the PDF bytes.

    story(index, label) must return fresh flowables for each copy (flowables keep layout state).
    """
    font = register_cjk_font()
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=pagesize, leftMargin=margins.left, rightMargin=margins.right,
                          topMargin=margins.top, bottomMargin=margins.bottom, title=title, author=author,
                          creator="KeDesk 客台", initialFontName=font)
    first_page: dict[int, int] = {}

    def on_page(index: int, label: str):
        def draw(canvas: Canvas, _doc) -> None:
            start = first_page.setdefault(index, canvas.getPageNumber())
            canvas.copy_mark = (index, canvas.getPageNumber() - start + 1)
            canvas.saveState()
            decorate(canvas, PageInfo(index, label, pagesize[0], pagesize[1], margins))
            canvas.restoreState()
        return draw

    frame = Frame(margins.left, margins.bottom, pagesize[0] - margins.left - margins.right,
                  pagesize[1] - margins.top - margins.bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id=f"copy{i}", frames=[frame], onPage=on_page(i, label))
                          for i, label in enumerate(copies)])
    flowables: list[Flowable] = []
    for i, label in enumerate(copies):
        if i:
            flowables += [NextPageTemplate(f"copy{i}"), PageBreak()]
        flowables += story(i, label)
    doc.build(flowables, canvasmaker=lambda *a, **k: _CopyCanvas(*a, page_font=font, page_margins=margins, **k))
    return out.getvalue()


def paragraph(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)
