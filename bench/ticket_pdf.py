"""Ticket PDF benchmark (选房工作票打印): one 4-copy ticket through reports.ticket_pdf against raw canvas calls.

The baseline draws the same content (title, copy band, number, QR of the number, the grid of labels and
values with 大写, the confirmation line, signature lines and footer) with plain reportlab Canvas calls at
fixed positions, in the same embedded WenQuanYi font, in the same process. Both encode the QR once a
document. Times are medians of alternating runs; the first runs (font loading) are discarded.

`ticket_print_job` is what a desk sends to the printer: the PDF placed on the 241-2 form with an offset
(reports/print_job.make_job, docs/printing.md), against the same raw canvas drawing (issue #13: ≤ 1.3×).

    python bench/ticket_pdf.py --quick
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import UTC, datetime
from decimal import Decimal as D

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from bench.common import Report, arguments, median, note, timed
from reports.fonts import register_cjk_font
from reports.print_job import make_job
from reports.selection_docs import TICKET_COPIES, TicketDoc
from reports.slip_layout import GRID_TOP, LEFT, PAGE, ROW_H, WIDTH, value_positions
from reports.ticket_pdf import FORM, GRID, ticket_pdf, ticket_values

TARGET = 1.3
FULL, QUICK = 200, 40  # documents per side


def sample() -> TicketDoc:
    return TicketDoc(
        number="XFP-2026-000123", project="锦绣花园二期", commissioning_unit="北京华盛建筑工程有限公司",
        buyer_name="张国华", buyer_id_number="110105196805120031", queue_no=17, building="3", entrance="2",
        floor="15", room="1502", unit_type="三室两厅两卫", area=D("89.50"), price_per_m2=D("12345.00"),
        total=D("1104877.50"), payment_ratio=D("0.5"), amount_now=D("552438.75"), deposit=D("20000.00"),
        discounts=(("一次性付款九八折", False), ("团购优惠", True)), issued_by="王丽",
        issued_at=datetime(2026, 11, 25, 6, 30, tzinfo=UTC), reviewed_by="李会计", printed_by="王丽",
        printed_at=datetime(2026, 11, 25, 14, 31), company="锦绣置业有限公司")


def raw_ticket(doc: TicketDoc, texts: dict[str, str], font: str) -> bytes:
    """The same page content with bare canvas calls: no fitting, no layout helpers."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=PAGE, initialFontName=font)
    h = PAGE[1]
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(doc.number)
    code.make()
    modules = code.modules
    box = 18 * mm / (len(modules) + 4)
    positions = value_positions(GRID)
    for copy in TICKET_COPIES:
        c.setFont(font, 10.5)
        c.drawString(LEFT * mm, h - 13 * mm, doc.company)
        c.setFont(font, 19)
        c.drawCentredString(120.5 * mm, h - 21 * mm, "选房工作票")
        c.line(100 * mm, h - 22.6 * mm, 141 * mm, h - 22.6 * mm)
        c.line(100 * mm, h - 23.4 * mm, 141 * mm, h - 23.4 * mm)
        c.setFillColor(colors.black)
        c.rect(200 * mm, h - 13 * mm, 27 * mm, 6 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(font, 10)
        c.drawString(202 * mm, h - 11.6 * mm, copy)
        c.setFillColor(colors.red)
        c.setFont(font, 13)
        c.drawRightString(207 * mm, h - 21 * mm, "No. " + doc.number)
        c.setFillColor(colors.black)
        c.setFont(font, 9)
        c.drawString(LEFT * mm, h - 29.5 * mm, "开票日期:2026-11-25 14:30")
        path = c.beginPath()
        for r, row in enumerate(modules):
            for col, dark in enumerate(row):
                if dark:
                    path.rect(209 * mm + (col + 2) * box, h - 15 * mm - (r + 3) * box, box, box)
        c.drawPath(path, stroke=0, fill=1)
        for r, row in enumerate(GRID):
            x, y = LEFT, GRID_TOP + r * ROW_H
            for cell in row:
                c.setFillColor(colors.lightgrey)
                c.rect(x * mm, h - (y + ROW_H) * mm, cell.label_w * mm, ROW_H * mm, stroke=1, fill=1)
                c.rect((x + cell.label_w) * mm, h - (y + ROW_H) * mm, cell.value_w * mm, ROW_H * mm)
                c.setFillColor(colors.black)
                c.setFont(font, 8.5)
                c.drawCentredString((x + cell.label_w / 2) * mm, h - (y + 4.4) * mm, cell.label)
                vx, vy, _w = positions[cell.key]
                c.setFont(font, 10)
                c.drawString(vx * mm, h - vy * mm, texts[cell.key])
                x += cell.label_w + cell.value_w
        c.rect(LEFT * mm, h - 93.5 * mm, WIDTH * mm, 58.5 * mm)
        c.setFont(font, 8.5)
        c.drawString(LEFT * mm, h - 99 * mm, FORM.confirm)
        c.setFont(font, 9.5)
        for i, (role, name) in enumerate((("购房人签字", ""), ("开票人", "王丽"), ("复核人", "李会计"), ("日期", ""))):
            x = LEFT + i * WIDTH / 4
            c.drawString(x * mm, h - 111 * mm, role + ":")
            c.line((x + 12) * mm, h - 112 * mm, (x + 48) * mm, h - 112 * mm)
            c.drawString((x + 14) * mm, h - 111 * mm, name)
        c.setFont(font, 7.5)
        c.line(LEFT * mm, h - 129 * mm, (LEFT + WIDTH) * mm, h - 129 * mm)
        c.drawString(LEFT * mm, h - 133 * mm, "打印人:王丽    打印时间:2026-11-25 14:31")
        c.drawRightString((LEFT + WIDTH) * mm, h - 133 * mm, FORM.notice)
        c.showPage()
    c.save()
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args(argv)
    n = QUICK if args.quick else FULL
    font = register_cjk_font()
    doc = sample()
    texts = {key: value.text for key, value in ticket_values(doc).items()}
    for _ in range(3):  # warm up: font subsetting tables, cn2an, reportlab's caches
        ticket_pdf(doc)
        raw_ticket(doc, texts, font)
    def print_job():
        return make_job(ticket_pdf(doc), doc.number, paper_key="241-2", offset_mm=(1.5, -0.5))

    ours, raw, jobs = [], [], []
    for _ in range(n):  # alternate, so load from other processes hits both sides alike
        ours.append(timed(ticket_pdf, doc)[1])
        raw.append(timed(raw_ticket, doc, texts, font)[1])
        jobs.append(timed(print_job)[1])
    note(f"ticket PDF: {n} documents a side, {len(ticket_pdf(doc)):,} bytes ours, "
         f"{len(raw_ticket(doc, texts, font)):,} bytes raw")
    report = Report()
    report.add("ticket_pdf", median(ours) * 1000, "ms", median(raw) * 1000, TARGET)
    report.add("ticket_print_job", median(jobs) * 1000, "ms", median(raw) * 1000, TARGET)
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
