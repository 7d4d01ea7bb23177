"""Read back printed PDFs in tests with pip-installable libraries (no poppler needed).

pypdfium2 (Chrome's PDF engine) extracts text and character boxes and renders pages; pypdf lists the fonts.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.generic import IndirectObject


def _open(source: bytes | str | Path) -> pdfium.PdfDocument:
    if isinstance(source, bytes | bytearray):
        assert bytes(source[:5]) == b"%PDF-", "not a PDF"
        return pdfium.PdfDocument(bytes(source))
    return pdfium.PdfDocument(str(source))


def pages(source: bytes | str | Path) -> list[str]:
    """The text of each page in reading order (lines end with a newline)."""
    doc = _open(source)
    try:
        out = []
        for page in doc:
            text = page.get_textpage().get_text_bounded()
            out.append(text.replace("\r\n", "\n").replace("\r", "\n"))
        return out
    finally:
        doc.close()


def text(source: bytes | str | Path) -> str:
    """All pages' text, pages separated by a form feed."""
    return "\f".join(pages(source))


def page_count(source: bytes | str | Path) -> int:
    doc = _open(source)
    try:
        return len(doc)
    finally:
        doc.close()


@dataclass(frozen=True)
class Word:
    """A run of characters without white space or a visible gap; y grows downwards like pdftotext -bbox."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    page: int


def words(source: bytes | str | Path, gap: float = 2.0) -> tuple[list[Word], float, float]:
    """Every word on every page with its box in points from the top left, and the first page's size."""
    doc = _open(source)
    try:
        found: list[Word] = []
        width, height = doc[0].get_size()
        for number, page in enumerate(doc):
            _, page_h = page.get_size()
            tp = page.get_textpage()
            run: list[tuple[str, tuple[float, float, float, float]]] = []

            def flush(number=number, page_h=page_h, run=run):
                if run:
                    boxes = [b for _, b in run]
                    found.append(Word(min(b[0] for b in boxes), page_h - max(b[3] for b in boxes),
                                      max(b[2] for b in boxes), page_h - min(b[1] for b in boxes),
                                      "".join(c for c, _ in run), number))
                    run.clear()

            for i in range(tp.count_chars()):
                char = tp.get_text_range(i, 1)
                if not char or char.isspace():
                    flush()
                    continue
                box = tp.get_charbox(i, loose=True)  # left, bottom, right, top (advance width)
                if run:
                    last = run[-1][1]
                    height_ = max(last[3] - last[1], box[3] - box[1], 1.0)
                    same_line = abs(box[1] - last[1]) < height_ / 2
                    if not same_line or box[0] - last[2] > gap or box[0] < last[0]:
                        flush()
                run.append((char, box))
            flush()
        return found, width, height
    finally:
        doc.close()


def fonts(source: bytes | str | Path) -> list[tuple[str, bool]]:
    """(BaseFont name, embedded?) of every font the pages use, once each (like pdffonts)."""
    import io

    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes | bytearray) else str(source))
    seen: set = set()
    out: list[tuple[str, bool]] = []

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(ref)
            if key in seen:
                continue
            seen.add(key)
            font = ref.get_object()
            described = font
            if font.get("/Subtype") == "/Type0":
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out.append((str(font.get("/BaseFont", "")).lstrip("/"), embedded))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return out


def render_png(source: bytes | str | Path, target_prefix: str | Path, dpi: int = 60) -> list[Path]:
    """Render each page to target_prefix-N.png (like pdftoppm -r dpi -png) and return the paths."""
    doc = _open(source)
    try:
        paths = []
        for n, page in enumerate(doc, start=1):
            path = Path(f"{target_prefix}-{n}.png")
            page.render(scale=dpi / 72).to_pil().save(path)
            paths.append(path)
        return paths
    finally:
        doc.close()
