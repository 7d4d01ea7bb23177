"""公证处机选结果 (the notarised draw of the selection order), A4: seed, list hash, algorithm, the order.

One copy, for the notary's file and the commissioning unit; the ordered list runs over as many pages as
it needs, its column heads repeated, the pages numbered, the signatures of 公证员 and 操作员 at the end.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from reports import pdf_common as pc
from reports import selection_docs as sd
from reports.fonts import register_cjk_font
from reports.selection_docs import DrawResultDoc

TITLE = "公证处机选选房顺序号结果"
COLUMNS = (14 * mm, 24 * mm, 47 * mm)  # 顺序号 / 姓名 / 身份证号, twice side by side: 180 mm with the gap
GAP = 10 * mm
PER_ROW = 2
HEAD = ["顺序号", "姓名", "身份证号码"]
KEEP_WITH_SIGNATURES = 4  # lines of the list
ATTEST = "以上顺序由计算机按上述方法当场机选产生,经公证员现场监督,结果真实有效。"


def _facts(doc: DrawResultDoc, st: dict) -> Table:
    rows = [("项目", doc.project), ("委建房单位", doc.commissioning_unit),
            ("机选时间", sd.when(doc.performed_at, seconds=True)), ("随机种子", doc.seed),
            ("名单摘要(SHA-256)", doc.list_hash), ("人数", str(len(doc.rows)))]
    data = [[pc.paragraph(label, st["label"]), pc.paragraph(value, st["cell"])] for label, value in rows]
    table = Table(data, colWidths=(36 * mm, 144 * mm))
    table.setStyle(pc.table_style([("GRID", (0, 0), (-1, -1), 0.4, pc.GRID),
                                   ("BACKGROUND", (0, 0), (0, -1), pc.LABEL_FILL), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _order_rows(doc: DrawResultDoc) -> list[list[str]]:
    """The order two to a line (1 | 2, 3 | 4 …): it reads the same on every page, however long the list."""
    rows = []
    for i in range(0, len(doc.rows), PER_ROW):
        pair = list(doc.rows[i:i + PER_ROW]) + [("", "", "")] * (PER_ROW - len(doc.rows[i:i + PER_ROW]))
        rows.append([str(pair[0][0]), pair[0][1], pair[0][2], "", str(pair[1][0]), pair[1][1], pair[1][2]])
    return rows


def _table(rows: list[list[str]], *, head: bool) -> Table:
    data = [HEAD + [""] + HEAD] + rows if head else rows
    table = Table(data, colWidths=(*COLUMNS, GAP, *COLUMNS), repeatRows=1 if head else 0)
    table.setStyle(pc.table_style([
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (2, -1), 0.4, pc.GRID), ("GRID", (4, 0), (6, -1), 0.4, pc.GRID),
        *([("BACKGROUND", (0, 0), (2, 0), pc.LABEL_FILL), ("BACKGROUND", (4, 0), (6, 0), pc.LABEL_FILL)] if head else []),
        ("ALIGN", (0, 0), (0, -1), "RIGHT"), ("ALIGN", (4, 0), (4, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2)]))
    return table


def draw_pdf(doc: DrawResultDoc) -> bytes:
    font = register_cjk_font()
    st = pc.styles(font)

    def story(_index: int, _label: str) -> list:
        rows = _order_rows(doc)
        body = [_table(rows[:-KEEP_WITH_SIGNATURES], head=True)] if len(rows) > KEEP_WITH_SIGNATURES else []
        tail = [_table(rows[-KEEP_WITH_SIGNATURES:], head=not body)] if rows else []
        return [
            pc.BoldLine(TITLE, font=font, size=16, align="center", space_after=4 * mm),
            _facts(doc, st), Spacer(1, 3 * mm),
            pc.BoldLine("机选方法", font=font, size=11, rule=True, space_after=1.5 * mm),
            pc.paragraph(doc.algorithm, st["cell"]), Spacer(1, 3 * mm),
            pc.BoldLine("选房顺序", font=font, size=11, rule=True, space_after=1.5 * mm),
            *body,
            # the last lines go with the signatures, so a signature page never stands apart from the list
            KeepTogether([*tail, Spacer(1, 8 * mm), pc.paragraph(ATTEST, st["cell"]), Spacer(1, 5 * mm),
                          pc.SignatureLines(("公证员", "操作员"), font=font)]),
        ]

    def decorate(canvas, page: pc.PageInfo) -> None:
        pc.draw_header(canvas, page, font=font, company=doc.company,
                       subtitle=f"{doc.project} · {doc.commissioning_unit}")
        pc.draw_footer(canvas, page, font=font, left=f"打印人:{doc.printed_by or '—'}    打印时间:{sd.when(doc.printed_at)}",
                       right=f"公证员:{doc.notary}  操作员:{doc.performed_by}")

    """The draw result on A4, as many pages as the list needs."""
    return pc.build_copies(copies=("机选结果",), story=story, decorate=decorate, title=TITLE, author=doc.company)
