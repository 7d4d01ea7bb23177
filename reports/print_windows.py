"""Windows printing: pdfium draws each page straight onto the printer's device context (vector GDI).

UNTESTED HERE: the project's CI runs on Linux; this path is kept small so it can be read line by line
(docs/printing.md). Only imported when sys.platform == "win32". pdfium's FPDF_RenderPage (Windows-only
in pdfium's API, so pypdfium2's generated bindings may not carry it) is taken from the pdfium DLL that
pypdfium2 ships; with FPDF_PRINTING it emits GDI text and paths, not a page bitmap. The paper size is set
in the job's DEVMODE, the page is drawn at 100 % (one PDF point = 1/72 inch at the device's resolution),
and the printable-area margin the driver reserves is undone so the top-left corners meet.
"""
from __future__ import annotations

import ctypes
import sys

from reports.print_job import PrintError, PrintJob

assert sys.platform == "win32", "reports.print_windows is the Windows print path"

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2_raw  # noqa: E402
import win32gui  # noqa: E402  (pywin32)
import win32print  # noqa: E402

DM_PAPERSIZE, DM_PAPERLENGTH, DM_PAPERWIDTH = 0x2, 0x4, 0x8
DM_IN_BUFFER, DM_OUT_BUFFER = 8, 2
PAPER_CODES = {"A4": 9, "A5": 11}  # DMPAPER_*; the continuous forms are DMPAPER_USER with width × length
DMPAPER_USER = 256
LOGPIXELSX, LOGPIXELSY, PHYSICALOFFSETX, PHYSICALOFFSETY = 88, 90, 112, 113
FPDF_ANNOT, FPDF_PRINTING = 0x01, 0x800


def _render_page():
    render = getattr(pypdfium2_raw, "FPDF_RenderPage", None)
    if render is None:
        render = pypdfium2_raw.bindings._libs["pdfium"].FPDF_RenderPage
        render.argtypes = [ctypes.c_void_p, ctypes.c_void_p] + [ctypes.c_int] * 6
        render.restype = None
    return render


def print_job_win32(job: PrintJob) -> str:
    name = job.printer or win32print.GetDefaultPrinter()
    handle = win32print.OpenPrinter(name)
    try:
        devmode = win32print.GetPrinter(handle, 2)["pDevMode"]
        devmode.PaperSize = PAPER_CODES.get(job.paper.cups_name, DMPAPER_USER)
        devmode.PaperWidth = round(job.paper.width_mm * 10)  # tenths of a millimetre
        devmode.PaperLength = round(job.paper.height_mm * 10)
        devmode.Fields |= DM_PAPERSIZE | DM_PAPERWIDTH | DM_PAPERLENGTH
        win32print.DocumentProperties(0, handle, name, devmode, devmode, DM_IN_BUFFER | DM_OUT_BUFFER)
    finally:
        win32print.ClosePrinter(handle)
    hdc = win32gui.CreateDC("WINSPOOL", name, devmode)
    if not hdc:
        raise PrintError(f"cannot open printer {name}")
    render, document = _render_page(), pdfium.PdfDocument(job.pdf)
    dpi_x, dpi_y = win32print.GetDeviceCaps(hdc, LOGPIXELSX), win32print.GetDeviceCaps(hdc, LOGPIXELSY)
    margin_x, margin_y = win32print.GetDeviceCaps(hdc, PHYSICALOFFSETX), win32print.GetDeviceCaps(hdc, PHYSICALOFFSETY)
    try:
        job_id = win32print.StartDoc(hdc, (job.title, None, None, 0))
        for page in document:
            width, height = page.get_size()  # points
            win32print.StartPage(hdc)
            render(hdc, page.raw, -margin_x, -margin_y, round(width / 72 * dpi_x), round(height / 72 * dpi_y),
                   0, FPDF_ANNOT | FPDF_PRINTING)
            win32print.EndPage(hdc)
        win32print.EndDoc(hdc)
    finally:
        win32gui.DeleteDC(hdc)
        document.close()
    return f"{name}-{job_id}"
