"""The printed customer archive form (客户基本资料档案), one copy per holder (一式三份).

The regulation: 客户基本资料档案一式三份,销售分公司经理本人留存一份;两份交区域总监或营销中心总经理存档.
Plain data in (CardPrint), PDF bytes out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from reports import pdf_common as pc
from reports.fonts import register_cjk_font

COPIES = ("第一联 销售分公司经理留存", "第二联 区域总监存档", "第三联 营销中心存档")
TITLE = "客户基本资料档案"
SIGNERS = ("填表人", "部门经理", "区域总监")
# free-text fields a clerk reads (and amends by hand) as whole lines, however short today
WIDE_LABELS = frozenset({"地址", "经营范围", "不宜拜访时间", "流失原因", "备注"})
COPY_RULE = "本档案一式三份:销售分公司经理本人留存一份,区域总监、营销中心各存档一份。"

WIDTH = 180 * mm  # A4 less 15 mm margins
FIELD_COLS = (29 * mm, 61 * mm, 29 * mm, 61 * mm)
PERSON_COLS = (18 * mm, 24 * mm, 40 * mm, 17 * mm, 20 * mm, 61 * mm)
ARCHIVE_COLS = (20 * mm, 21 * mm, 17 * mm, 94 * mm, 28 * mm)


@dataclass(frozen=True)
class PersonLine:
    """One key person (关键人) row."""

    name: str
    position: str = ""
    phone: str = ""  # phone and mobile, already joined
    role: str = ""  # decision role label, e.g. 决策者
    birthday: date | None = None
    summary: str = ""  # hobbies / personality


@dataclass(frozen=True)
class ArchiveLine:
    """One archive entry (档案记录) in the summary."""

    entry_date: date
    kind: str  # Chinese label, e.g. 合同
    subject: str
    amount: str = ""  # already formatted, e.g. 1,200,000.00


@dataclass(frozen=True)
class ArchiveSection:
    """The latest entries of one archive section (合同协议 / 欠款还款 / 投诉折价 / 联络记录)."""

    title: str
    lines: list[ArchiveLine] = field(default_factory=list)
    total: int = 0  # entries in the whole section, to say how many are not listed


@dataclass
class CardPrint:
    """Everything printed on the form, as text and dates; no database objects."""

    code: str
    name: str
    printed_at: datetime
    printed_by: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (Chinese label, value) in print order
    persons: list[PersonLine] = field(default_factory=list)
    archive: list[ArchiveSection] = field(default_factory=list)
    blacklist: str | None = None  # the notice text when the customer is blacklisted
    last_verified: date | None = None  # 最近核定
    next_verify: date | None = None  # 下次核定
    verify_status: str = ""  # e.g. 正常 / 即将到期 / 已逾期
    verify_overdue: bool = False
    confidentiality: str = "部门级"
    issuer: str = "客台示范公司"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _grid(extra: list | None = None, *, box: bool = True, inner_from: int = 0) -> TableStyle:
    return pc.table_style([
        *([("BOX", (0, 0), (-1, -1), 0.9, pc.GRID)] if box else []),
        ("INNERGRID", (inner_from, 0), (-1, -1), 0.4, pc.GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.0),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),  # room for CJK punctuation hanging at a line end
        *(extra or []),
    ])


def _field_rows(pairs: list[tuple[str, str]], font: str, size: float) -> list[list[tuple[str, str]]]:
    """Rows of one or two (label, value) pairs: two a row; free text or a value too long for half a row
    gets a whole row.

    A narrow pair waits for the next narrow one, so no half row stays empty in the middle.
    """
    fits = FIELD_COLS[1] - 7
    rows, pending = [], None
    for label, value in pairs:
        if label in WIDE_LABELS or "\n" in value or stringWidth(value, font, size) > fits:
            rows.append([(label, value)])
        elif pending is None:
            pending = (label, value)
        else:
            rows.append([pending, (label, value)])
            pending = None
    if pending is not None:
        rows.append([pending])
    return rows


def _fields_tables(card: CardPrint, st: dict, font: str) -> list[Table]:
    """The bordered field grid, as stacked tables of two-pair rows and whole-width rows.

    Whole-width rows get a two-column table of their own instead of a SPAN: reportlab can split a row
    across pages (a 2,000-character 经营范围) only when it spans nothing.
    """
    rows = _field_rows(card.fields, font, st["cell"].fontSize)
    groups: list[list[list[tuple[str, str]]]] = []
    for row in rows:
        if groups and len(groups[-1][0]) == len(row):
            groups[-1].append(row)
        else:
            groups.append([row])
    tables = []
    for n, group in enumerate(groups):
        wide = len(group[0]) == 1
        data = [[cell for label, value in row for cell in (pc.paragraph(label, st["label"]),
                                                             pc.paragraph(value, st["cell"]))]
                for row in group]
        last = n == len(groups) - 1
        style = [
            ("LINEBEFORE", (0, 0), (0, -1), 0.9, pc.GRID), ("LINEAFTER", (-1, 0), (-1, -1), 0.9, pc.GRID),
            ("LINEABOVE", (0, 0), (-1, 0), 0.9 if n == 0 else 0.4, pc.GRID),
            ("LINEBELOW", (0, -1), (-1, -1), 0.9 if last else 0.4, pc.GRID),
            # a grid cut by a page break is closed on both pages
            ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.4, pc.GRID),
            ("LINEABOVE", (0, "splitfirst"), (-1, "splitfirst"), 0.4, pc.GRID),
            *[("BACKGROUND", (col, 0), (col, -1), pc.LABEL_FILL) for col in ((0,) if wide else (0, 2))],
            *([("VALIGN", (0, 0), (0, -1), "TOP")] if wide else []),  # a label stays beside the text's start
        ]
        widths = (FIELD_COLS[0], WIDTH - FIELD_COLS[0]) if wide else FIELD_COLS
        tables.append(Table(data, colWidths=widths, style=_grid(style, box=False), splitInRow=1))
    return tables


def _head_table(card: CardPrint, st: dict) -> Table:
    status = pc.text(card.verify_status or "未核定")
    if card.verify_overdue:
        status = f'<font color="#cc0d0d">{status}</font>'
    gap = "&nbsp;" * 6
    verify = (f"最近核定:{_day(card.last_verified) or '—'}{gap}下次核定:{_day(card.next_verify) or '—'}"
              f"{gap}核定状态:{status}")
    info = [
        [pc.paragraph("客户名称", st["label"]), pc.paragraph(card.name, st["big"])],
        [pc.paragraph("客户编号", st["label"]), pc.paragraph(card.code, st["big"])],
        [pc.paragraph("保密级别", st["label"]), pc.paragraph(card.confidentiality, st["cell"])],
        [pc.paragraph("档案核定", st["label"]), pc.Paragraph(verify, st["cell"])],
    ]
    left = Table(info, colWidths=(20 * mm, 128 * mm), style=pc.table_style([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LINEBELOW", (1, 0), (1, 1), 0.4, pc.GRID),
    ]))
    qr = Table([[pc.qr_code(card.code, 24 * mm)], [pc.paragraph(card.code, st["small"])]],
               colWidths=(28 * mm,), style=pc.table_style([
                   ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return Table([[left, qr]], colWidths=(WIDTH - 30 * mm, 30 * mm), style=pc.table_style([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))


def _blacklist_banner(notice: str, st: dict, font: str) -> Table:
    rows = [[pc.BoldLine("黑名单客户", font=font, size=13, align="center"),
             pc.paragraph(notice, st["alert"])]]
    return Table(rows, colWidths=(34 * mm, WIDTH - 34 * mm), style=pc.table_style([
        ("BOX", (0, 0), (-1, -1), 1.6, pc.STAMP_RED),
        ("LINEAFTER", (0, 0), (0, 0), 0.6, pc.STAMP_RED),
        ("BACKGROUND", (0, 0), (-1, -1), colors.Color(1, 0.94, 0.94)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))


def _persons_table(card: CardPrint, st: dict) -> Table:
    head = [pc.paragraph(h, st["head"]) for h in ("姓名", "职位", "电话 / 手机", "决策作用", "生日", "爱好 / 性格")]
    rows = [[pc.paragraph(p.name, st["cell"]), pc.paragraph(p.position, st["cell"]),
             pc.paragraph(p.phone, st["cell"]), pc.paragraph(p.role, st["head"]),
             pc.paragraph(_day(p.birthday), st["head"]), pc.paragraph(p.summary, st["cell"])]
            for p in card.persons]
    extra = [("BACKGROUND", (0, 0), (-1, 0), pc.LABEL_FILL)]
    if not rows:
        rows = [[pc.paragraph("(尚未登记关键人)", st["small"]), "", "", "", "", ""]]
        extra.append(("SPAN", (0, 1), (-1, 1)))
    return Table([head, *rows], colWidths=PERSON_COLS, repeatRows=1, style=_grid(extra))


def _archive_table(card: CardPrint, st: dict) -> Table:
    """Sections one under another; the section name heads its rows (no SPAN, so a long section can split)."""
    head = [pc.paragraph(h, st["head"]) for h in ("档案分类", "日期", "类型", "摘要", "金额(元)")]
    rows = [head]
    extra = [("BACKGROUND", (0, 0), (-1, 0), pc.LABEL_FILL), ("LINEAFTER", (0, 0), (0, -1), 0.4, pc.GRID),
             ("LINEBELOW", (0, 0), (-1, 0), 0.4, pc.GRID), ("VALIGN", (0, 1), (0, -1), "TOP"),
             ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.9, pc.GRID)]
    for section in card.archive:
        first = len(rows)
        title = pc.text(section.title)
        if section.total > len(section.lines):
            title += f"<br/><font size=7>共{section.total}条,列{len(section.lines)}条</font>"
        label = pc.Paragraph(title, st["head"])
        if not section.lines:
            rows.append([label, pc.paragraph("(无记录)", st["small"]), "", "", ""])
            extra.append(("SPAN", (1, first), (-1, first)))
        for n, line in enumerate(section.lines):
            rows.append([label if n == 0 else "", pc.paragraph(_day(line.entry_date), st["head"]),
                         pc.paragraph(line.kind, st["head"]), pc.paragraph(line.subject, st["cell"]),
                         pc.paragraph(line.amount, st["num"])])
        extra.append(("LINEABOVE", (0, first), (-1, first), 0.9 if first > 1 else 0.4, pc.GRID))
    return Table(rows, colWidths=ARCHIVE_COLS, repeatRows=1, style=_grid(extra, inner_from=1))


def _story(card: CardPrint, font: str) -> list[Flowable]:
    st = pc.styles(font)
    story: list[Flowable] = [pc.BoldLine(TITLE, font=font, size=20, align="center", space_after=2 * mm),
                             _head_table(card, st), Spacer(1, 2.5 * mm)]
    if card.blacklist:
        story += [_blacklist_banner(card.blacklist, st, font), Spacer(1, 2.5 * mm)]
    story += [pc.BoldLine("一、基本资料", font=font, size=11, space_after=1.5 * mm),
              *_fields_tables(card, st, font),
              pc.BoldLine("二、关键人", font=font, size=11, space_before=3.5 * mm, space_after=1.2 * mm),
              _persons_table(card, st),
              pc.BoldLine("三、档案摘要", font=font, size=11, space_before=3.5 * mm, space_after=1.2 * mm),
              _archive_table(card, st),
              Spacer(1, 3 * mm),
              pc.AtBottom(pc.SignatureLines(SIGNERS, font=font), pc.paragraph(COPY_RULE, st["small"]))]
    return story


def render_customer_card(card: CardPrint) -> bytes:
    """The archive form as PDF bytes: three copies, each starting on its own A4 page."""
    font = register_cjk_font()

    def decorate(canvas: Canvas, page: pc.PageInfo) -> None:
        # loose continuation pages still say whose archive they belong to
        pc.draw_header(canvas, page, font=font, company=card.issuer, subtitle=f"{TITLE} · {card.code} {card.name}")
        pc.draw_footer(canvas, page, font=font, left=pc.printed_line(card.printed_by, card.printed_at),
                       right=f"保密级别:{card.confidentiality} · 未经批准不得复印、外传")
        if card.blacklist:
            # beside the title, over the name line, clear of the QR code: where a clerk would stamp it
            pc.draw_stamp(canvas, "黑名单客户", cx=page.width - page.margins.right - 54 * mm,
                          cy=page.height - page.margins.top - 15 * mm, font=font)

    return pc.build_copies(copies=COPIES, story=lambda _i, _label: _story(card, font), decorate=decorate,
                           title=f"{TITLE} {card.code} {card.name}", author=card.printed_by)
