"""The key-customer card (重点客户卡片) of one key person: personal details, role in the decision,
relations, greetings — one A4 page kept by the owning rep. Plain data in, PDF bytes out."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table

from reports import pdf_common as pc
from reports.fonts import register_cjk_font

TITLE = "重点客户卡片"
COLS = (26 * mm, 64 * mm, 26 * mm, 64 * mm)


@dataclass
class KeyPersonCardPrint:
    customer_code: str
    customer_name: str
    name: str
    printed_at: datetime
    printed_by: str
    issuer: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, value) in print order
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (direction, relation, other person)
    greetings: list[tuple[date, str, str]] = field(default_factory=list)  # (date, kind, subject)
    blacklist: str | None = None
    confidentiality: str = "部门级"


def _grid(extra: list | None = None):
    return pc.table_style([("BOX", (0, 0), (-1, -1), 0.9, pc.GRID), ("INNERGRID", (0, 0), (-1, -1), 0.4, pc.GRID),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 3), *(extra or [])])


def _fields(card: KeyPersonCardPrint, st: dict) -> Table:
    rows, pairs = [], list(card.fields)
    for i in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[i:i + 2]:
            row += [pc.paragraph(label, st["label"]), pc.paragraph(value, st["cell"])]
        rows.append(row + ["", ""] * (2 - len(pairs[i:i + 2])))
    fill = [("BACKGROUND", (c, 0), (c, -1), pc.LABEL_FILL) for c in (0, 2)]
    return Table(rows, colWidths=COLS, style=_grid(fill))


def _list(head: tuple[str, ...], rows: list[tuple], widths: tuple, empty: str, st: dict) -> Table:
    body = [[pc.paragraph(c if not isinstance(c, date) else c.isoformat(), st["cell"]) for c in r] for r in rows]
    extra = [("BACKGROUND", (0, 0), (-1, 0), pc.LABEL_FILL)]
    if not body:
        body = [[pc.paragraph(empty, st["small"])] + [""] * (len(head) - 1)]
        extra.append(("SPAN", (0, 1), (-1, 1)))
    return Table([[pc.paragraph(h, st["head"]) for h in head], *body], colWidths=widths, repeatRows=1,
                 style=_grid(extra))


def _story(card: KeyPersonCardPrint, font: str) -> list[Flowable]:
    st = pc.styles(font)
    story: list[Flowable] = [
        pc.BoldLine(TITLE, font=font, size=20, align="center", space_after=2 * mm),
        pc.Paragraph(f"客户:{pc.text(card.customer_name)}({pc.text(card.customer_code)})"
                     f"&nbsp;&nbsp;&nbsp;关键人:{pc.text(card.name)}", st["big"]),
        Spacer(1, 3 * mm)]
    if card.blacklist:
        story += [pc.paragraph(f"该客户已列入黑名单:{card.blacklist}", st["alert"]), Spacer(1, 2 * mm)]
    story += [pc.BoldLine("一、个人资料与决策作用", font=font, size=11, space_after=1.5 * mm), _fields(card, st),
              pc.BoldLine("二、关键人物关系", font=font, size=11, space_before=3.5 * mm, space_after=1.2 * mm),
              _list(("方向", "关系", "关键人"), card.relations, (30 * mm, 60 * mm, 90 * mm), "(尚未登记关系)", st),
              pc.BoldLine("三、问候与关怀记录", font=font, size=11, space_before=3.5 * mm, space_after=1.2 * mm),
              _list(("日期", "方式", "内容"), card.greetings, (30 * mm, 30 * mm, 120 * mm), "(尚无问候记录)", st),
              Spacer(1, 3 * mm), pc.AtBottom(pc.SignatureLines(("填表人", "部门经理"), font=font))]
    return story


def render_key_person_card(card: KeyPersonCardPrint) -> bytes:
    font = register_cjk_font()

    def decorate(canvas: Canvas, page: pc.PageInfo) -> None:
        pc.draw_header(canvas, page, font=font, company=card.issuer,
                       subtitle=f"{TITLE} · {card.customer_code} {card.name}")
        pc.draw_footer(canvas, page, font=font, left=pc.printed_line(card.printed_by, card.printed_at),
                       right=f"保密级别:{card.confidentiality} · 未经批准不得复印、外传")

    return pc.build_copies(copies=("",), story=lambda _i, _l: _story(card, font), decorate=decorate,
                           title=f"{TITLE} {card.customer_code} {card.name}", author=card.printed_by)
