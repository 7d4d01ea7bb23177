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
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, RectangleObject

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
    coordinates, moved against the offset; the content streams, fonts and images stay byte for byte."""
    placed, pages, _ = _place(pdf, form, offset_mm)
    return placed, pages


def _place(pdf: bytes, form: Paper, offset_mm: tuple[float, float]) -> tuple[bytes, int, float]:
    """place_on_paper, and how many mm of the tallest page fall below the paper (one parse for both)."""
    reader = PdfReader(io.BytesIO(pdf))
    width, height = form.size_pt
    dx, dy = offset_mm[0] * MM, offset_mm[1] * MM
    boxes, tallest = [], 0.0
    for page in reader.pages:
        box = page.mediabox
        tallest = max(tallest, float(box.height))
        left, top = float(box.left) - dx, float(box.top) + dy
        boxes.append(RectangleObject([left, top - height, left + width, top]))
    cut = round(max(tallest / MM + offset_mm[1] - form.height_mm, 0.0), 1)
    return _with_boxes(pdf, reader, boxes), len(boxes), cut


def _with_boxes(pdf: bytes, reader: PdfReader, boxes: list[RectangleObject]) -> bytes:
    """The PDF with new page boxes as an incremental update (PDF 1.7 §7.5.6): the original bytes, then the
    changed page objects, an xref section for them and a trailer pointing back. Written here for the
    classic xref table every reportlab PDF has (~1.5 ms for a 4-copy ticket); any other PDF (xref streams,
    encryption) is rewritten whole by pypdf."""
    startxref = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    classic = startxref and pdf[int(startxref.group(1)):int(startxref.group(1)) + 4] == b"xref"
    if not classic or reader.is_encrypted:
        if reader.is_encrypted:
            reader.decrypt("")  # printable documents open without a password; otherwise pypdf says why
        writer = PdfWriter(clone_from=reader)
        for page, box in zip(writer.pages, boxes, strict=True):
            page.mediabox = box
            page.cropbox = box
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    out = io.BytesIO(pdf)
    out.seek(0, io.SEEK_END)
    out.write(b"\n")
    where: dict[int, tuple[int, int]] = {}
    for page, box in zip(reader.pages, boxes, strict=True):
        ref = page.indirect_reference
        page[NameObject("/MediaBox")] = box
        page[NameObject("/CropBox")] = box
        where[ref.idnum] = (out.tell(), ref.generation)
        out.write(b"%d %d obj\n" % (ref.idnum, ref.generation))
        page.write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")  # the free-list head, as readers expect in each section
    for idnum in sorted(where):
        offset, generation = where[idnum]
        out.write(b"%d 1\n%010d %05d n \n" % (idnum, offset, generation))
    trailer = DictionaryObject({NameObject(k): v for k, v in reader.trailer.items()
                                if k in ("/Size", "/Root", "/Info", "/ID")})
    trailer[NameObject("/Prev")] = NumberObject(int(startxref.group(1)))
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def make_job(pdf: bytes, title: str, *, paper_key: str | None = DEFAULT_PAPER, printer: str = "",
             offset_mm: tuple[float, float] = (0.0, 0.0)) -> PrintJob:
    """paper_key None: the document's own page size (paper_of)."""
    form = paper_of(pdf) if paper_key is None else paper(paper_key)
    placed, pages, cut = _place(pdf, form, offset_mm)
    return PrintJob(placed, title, form, printer, pages, cut)


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
