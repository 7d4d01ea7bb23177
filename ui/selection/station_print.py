"""Printing straight to this station's printer (no dialog, no preview): the event day prints every document
the moment it is issued; the preview stays one click away for those who ask (LocalConfig.preview_first).

The job is built by reports.print_job (no Qt): the PDF itself, vector, at 100 % on the form's paper with
this printer's calibrated offset; never a page bitmap at printer resolution (docs/printing.md)."""
from __future__ import annotations

from reports.print_job import DEFAULT_PAPER, PrintError, cut_below_mm, make_job, paper, send

__all__ = ["PrintError", "print_pdf"]


def print_pdf(pdf: bytes, title: str, printer_name: str = "", *, paper_key: str | None = DEFAULT_PAPER,
              offset_mm: tuple[float, float] = (0.0, 0.0)) -> int:
    """Send every page of the PDF to the printer ("" = the default); returns the number of pages sent.
    paper None prints on the document's own page size. Raises PrintError with the print system's reason."""
    job = make_job(pdf, title, paper_key=paper_key, printer=printer_name, offset_mm=offset_mm)
    send(job)
    return job.pages


def cut_mm(pdf: bytes, paper_key: str | None, offset_mm: tuple[float, float] = (0.0, 0.0)) -> float:
    """How many mm of the document fall below the paper (a 140 mm slip on a 93 mm 241-3 form): shown to the desk."""
    return 0.0 if paper_key is None else cut_below_mm(pdf, paper(paper_key), offset_mm)
