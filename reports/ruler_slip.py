"""The ruler slip (校准尺): calibrates one printer's offset for pre-printed forms (套打).

Printed at 100 % on the form's paper through the same print job as the documents: a millimetre scale
along the top and the left edge (a real ruler laid on it shows the printer does not scale) and a cross
at a known point. Measure the cross's centre from the paper's left and top edges; the new offset is the
current one plus (known point − measured point), `corrected_offset`.
"""
from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import register_cjk_font
from reports.print_job import Paper

CROSS_AT = (60.0, 40.0)  # mm from the paper's top-left corner
SCALE_AT = 6.0  # the scales' base lines, mm in from the edges (clear of a laser's unprintable margin)


def corrected_offset(current: tuple[float, float], measured: tuple[float, float],
                     known: tuple[float, float] = CROSS_AT) -> tuple[float, float]:
    """The offset that puts the cross on its known point, from where it landed (mm, x right, y down)."""
    return (round(current[0] + known[0] - measured[0], 1), round(current[1] + known[1] - measured[1], 1))


def ruler_slip_pdf(paper: Paper, *, printer: str = "", offset_mm: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """One page the size of the paper: scales, the cross, and how to read them (Chinese, for the desk)."""
    font = register_cjk_font()
    out = io.BytesIO()
    width, height = paper.width_mm, paper.height_mm
    c = Canvas(out, pagesize=(width * mm, height * mm), initialFontName=font)
    c.setTitle("校准尺 " + paper.key)
    c.setCreator("KeDesk 客台")

    def at(x: float, y: float) -> tuple[float, float]:  # mm from the top-left → PDF points
        return x * mm, (height - y) * mm

    c.setLineWidth(0.25)
    c.setFont(font, 6)
    for n in range(int(width) + 1):  # along the top edge
        tick = 4.0 if n % 10 == 0 else 2.5 if n % 5 == 0 else 1.5
        c.line(*at(n, SCALE_AT), *at(n, SCALE_AT + tick))
        if n % 10 == 0 and n:
            c.drawCentredString(*at(n, SCALE_AT + 6.5), str(n))
    for n in range(int(height) + 1):  # along the left edge
        tick = 4.0 if n % 10 == 0 else 2.5 if n % 5 == 0 else 1.5
        c.line(*at(SCALE_AT, n), *at(SCALE_AT + tick, n))
        if n % 10 == 0 and n > 10:  # 10 would sit on the top scale's labels
            c.drawString(*at(SCALE_AT + 5, n + 1), str(n))
    c.line(*at(0, SCALE_AT), *at(width, SCALE_AT))
    c.line(*at(SCALE_AT, 0), *at(SCALE_AT, height))

    cx, cy = CROSS_AT
    c.setStrokeColor(colors.red)
    c.setLineWidth(0.2)
    c.line(*at(cx - 8, cy), *at(cx + 8, cy))
    c.line(*at(cx, cy - 8), *at(cx, cy + 8))
    c.circle(*at(cx, cy), 2 * mm)
    c.setFillColor(colors.black)
    c.setFont(font, 9)
    lines = [
        f"校准点:距纸左边 {cx:g} mm,距纸上边 {cy:g} mm",
        f"纸张:{paper.key}({width:g} × {height:.1f} mm)  打印机:{printer or '默认打印机'}",
        f"本次打印已按偏移 右 {offset_mm[0]:+.1f} mm、下 {offset_mm[1]:+.1f} mm",
        f"量出十字中心距纸左边 x、距纸上边 y,新偏移 = 右 {offset_mm[0]:+.1f} + ({cx:g} − x),"
        f"下 {offset_mm[1]:+.1f} + ({cy:g} − y)",
        "用直尺量刻度 0–100 mm 应正好 100 mm(100% 打印,无缩放)",
    ]
    for i, text in enumerate(lines):
        c.drawString(*at(cx + 14, cy - 6 + i * 5.5), text)
    c.showPage()
    c.save()
    return out.getvalue()
