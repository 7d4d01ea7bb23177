"""Where a printed field landed: pdfium's text boxes, in mm from the page's top-left corner."""
from __future__ import annotations

import pypdfium2 as pdfium

MM = 72 / 25.4


def page_size_mm(pdf, page: int = 0) -> tuple[float, float]:
    document = pdfium.PdfDocument(pdf)
    width, height = document[page].get_size()
    return width / MM, height / MM


def text_at(pdf, text: str, page: int = 0) -> tuple[float, float]:
    """(left, baseline) in mm from the top-left of the first character of `text` on the page."""
    document = pdfium.PdfDocument(pdf)
    p = document[page]
    box_left, _, _, box_top = p.get_cropbox()  # what shows on paper: the box may not start at the origin
    textpage = p.get_textpage()
    found = textpage.search(text).get_next()  # pdfium's own character index (text ranges may differ)
    assert found, f"{text!r} not on the page: {textpage.get_text_range()[:300]!r}"
    left, bottom, _, _ = textpage.get_charbox(found[0])
    return (left - box_left) / MM, (box_top - bottom) / MM
