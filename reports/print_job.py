"""Print jobs (打印作业) at 100 % scale onto the form's paper, vector all the way; no Qt.

A document's PDF is laid out in mm from its page's TOP-LEFT corner (reports/slip_layout.py), the way a
ruler is laid on a pre-printed form (套打). `place_on_paper` turns it into pages exactly the size of the
paper loaded in the printer, the content kept at the top-left and shifted by the printer's calibrated
offset (by moving the page boxes, not the content); what falls below the paper's edge is cut (a 241-3 form holds the slip's values, not the
signature lines). The job then names the same paper size to the print system, so no driver has a reason
to scale, centre or rotate anything (docs/printing.md):

* Linux / macOS: the PDF itself goes to CUPS through `lp` (`build_lp_command`), vector.
* Windows: pdfium draws the pages onto the printer's device context (reports/print_windows.py).

pypdf (pure Python, maintained) sets the page boxes: it works for any PDF, not only for the layouts we
draw, and leaves the content streams and fonts untouched.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

MM = 72 / 25.4  # PDF points per millimetre
INCH = 25.4


@dataclass(frozen=True)
class Paper:
    """A paper the desk prints on: continuous multi-part forms (连续多联, fed by the tractor of a
    dot-matrix printer: 241 mm wide, 1/2 or 1/3 of 11 inch per form) or cut sheets (A4, A5)."""

    key: str
    label: str  # English; the UI translates it
    width_mm: float
    height_mm: float
    cups_name: str = ""  # a standard media name CUPS knows; empty: a custom size

    @property
    def size_pt(self) -> tuple[int, int]:
        """The paper in whole points: CUPS truncates custom sizes to whole points, so the page is made to match."""
        return (round(self.width_mm * MM), round(self.height_mm * MM))

    def cups_media(self) -> str:
        w, h = self.size_pt
        # points are CUPS's default unit for custom sizes; the chain truncates them to whole points after a
        # float conversion that can land just below (683 → 682, seen through cups-pdf), so ask for 0.4 pt more
        return self.cups_name or f"Custom.{w}.4x{h}.4"


PAPERS: dict[str, Paper] = {p.key: p for p in (
    Paper("241-2", "Continuous form 241 mm × 1/2 of 11 in (241-2 等分)", 241.0, 11 * INCH / 2),
    Paper("241-3", "Continuous form 241 mm × 1/3 of 11 in (241-3 等分)", 241.0, 11 * INCH / 3),
    Paper("A4", "A4 plain paper", 210.0, 297.0, "A4"),
    Paper("A5", "A5 plain paper", 148.0, 210.0, "A5"),
)}
DEFAULT_PAPER = "241-2"  # the slips' own size (241 × 140 mm)


def paper(key: str) -> Paper:
    try:
        return PAPERS[key]
    except KeyError:
        raise ValueError(f"unknown paper {key!r}: one of {', '.join(PAPERS)}") from None


def paper_of(pdf: bytes) -> Paper:
    """The paper a document was laid out for (its first page): a known paper in the page's orientation, else
    a custom size. Reports previewed and printed as they are (A4 tables, landscape lists) use this."""
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    width, height = float(box.width) / MM, float(box.height) / MM
    for known in PAPERS.values():
        for w, h in ((known.width_mm, known.height_mm), (known.height_mm, known.width_mm)):
            if abs(w - width) < 1 and abs(h - height) < 1:
                return Paper(known.key, known.label, w, h, known.cups_name)
    return Paper("custom", "The document's own size", width, height)


@dataclass(frozen=True)
class PrintJob:
    """What goes to the printer: the placed PDF, its paper, the printer's name ("" = the default)."""

    pdf: bytes
    title: str
    paper: Paper
    printer: str = ""
    pages: int = 0
    cut_mm: float = 0.0  # how much of the tallest page lies below the paper's bottom edge (a smaller form)


def place_on_paper(pdf: bytes, form: Paper, offset_mm: tuple[float, float] = (0.0, 0.0)) -> tuple[bytes, int]:
    """Every page as a page of the paper's size at 100 %: top-left corners together, the content moved
    offset_mm (x right, y down). Returns the new PDF and its page count.

    Only the page boxes change: the paper is a window the size of the form over the page's own
    coordinates, moved against the offset; the content streams, fonts and images stay byte for byte
    (an incremental update appended to the original PDF), so the job costs little over the rendering."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(reader, incremental=True)
    width, height = form.size_pt
    dx, dy = offset_mm[0] * MM, offset_mm[1] * MM
    for page in writer.pages:
        box = page.mediabox
        left, top = float(box.left) - dx, float(box.top) + dy
        window = RectangleObject([left, top - height, left + width, top])
        page.mediabox = window
        page.cropbox = window
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def make_job(pdf: bytes, title: str, *, paper_key: str | None = DEFAULT_PAPER, printer: str = "",
             offset_mm: tuple[float, float] = (0.0, 0.0)) -> PrintJob:
    """paper_key None: the document's own page size (paper_of)."""
    form = paper_of(pdf) if paper_key is None else paper(paper_key)
    placed, pages = place_on_paper(pdf, form, offset_mm)
    return PrintJob(placed, title, form, printer, pages, cut_below_mm(pdf, form, offset_mm))


def cut_below_mm(pdf: bytes, form: Paper, offset_mm: tuple[float, float] = (0.0, 0.0)) -> float:
    """How many mm of the tallest page fall below the paper's bottom edge (a 140 mm slip on a 93 mm form)."""
    tallest = max(float(p.mediabox.height) for p in PdfReader(io.BytesIO(pdf)).pages) / MM
    return round(max(tallest + offset_mm[1] - form.height_mm, 0.0), 1)


def build_lp_command(job: PrintJob) -> list[str]:
    """`lp` reading the PDF from stdin: the paper named, every kind of fitting switched off.

    print-scaling=none (CUPS 2.3+) and fit-to-page=false (older filters) stop pdftopdf from fitting the
    page into the printable area; media= is the form. The page already is the paper's size, so nothing is
    centred either."""
    command = ["lp"]
    if job.printer:
        command += ["-d", job.printer]
    command += ["-t", job.title or "KeDesk", "-o", f"media={job.paper.cups_media()}",
                "-o", "print-scaling=none", "-o", "fit-to-page=false", "-"]
    return command


class PrintError(RuntimeError):
    """The print system refused the job; the message says why (shown to the operator)."""


def send(job: PrintJob, *, timeout: float = 30.0) -> str:
    """Hand the job to the print system; returns its job id (CUPS: "PRINTER-N")."""
    if sys.platform == "win32":
        from reports.print_windows import print_job_win32

        return print_job_win32(job)
    if shutil.which("lp") is None:
        raise PrintError("no print system: the `lp` command (CUPS) is not installed")
    done = subprocess.run(build_lp_command(job), input=job.pdf, capture_output=True, timeout=timeout)
    if done.returncode:
        raise PrintError((done.stderr or done.stdout).decode(errors="replace").strip() or f"lp exit {done.returncode}")
    text = done.stdout.decode(errors="replace")  # "request id is KeDeskPDF-3 (1 file(s))"
    return text.split("request id is", 1)[-1].split("(")[0].strip()
