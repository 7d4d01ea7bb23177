"""The grading forms of the regulations as PDF (客户关系管理制度 附表 5–8, 销售客户进阶管理制度):
重点客户管理表, 重要客户对策表, 问题客户对策表, 客户关系评估表 and 进阶申请表.

Each takes the plain rows the services return (attributes only: no database here) and gives PDF bytes.
Tables keep the regulation's columns and show at least the blank lines the forms print (1–4, 1–10).
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from reports import pdf_common as pc
from reports.fonts import register_cjk_font

# boxes from GB2312 (every CJK font has them; ☑ is missing from most)
CHECKED, UNCHECKED = "■", "□"


def money(v: Decimal | None) -> str:
    return "" if v is None else f"{v:,.2f}"


def percent(v: Decimal | None) -> str:
    return "" if v is None else f"{v * 100:.1f}%"


class _Form:
    def __init__(self, title: str, *, wide: bool, printed_by: str, printed_at: datetime):
        self.font = register_cjk_font()
        self.st = pc.styles(self.font)
        self.title, self.printed = title, pc.printed_line(printed_by, printed_at)
        self.pagesize = landscape(A4) if wide else A4
        self.width = self.pagesize[0] - 30 * mm

    def p(self, value, style="cell") -> Paragraph:
        return pc.paragraph(value, self.st[style])

    def heading(self, subtitle: str = "") -> list:
        out = [Paragraph(pc.text(self.title), ParagraphStyle(
            "title", fontName=self.font, fontSize=16, leading=22, alignment=1))]
        if subtitle:
            out.append(Paragraph(pc.text(subtitle), ParagraphStyle(
                "sub", fontName=self.font, fontSize=9, leading=12, alignment=1)))
        out.append(Spacer(1, 4 * mm))
        return out

    def table(self, rows: list[list], widths_mm: Sequence[float], *, head_rows: int = 1, spans=(),
              extra=()) -> Table:
        scale = self.width / (sum(widths_mm) * mm)
        t = Table(rows, colWidths=[w * mm * scale for w in widths_mm], repeatRows=head_rows)
        t.setStyle(pc.table_style([
            ("GRID", (0, 0), (-1, -1), 0.5, pc.GRID),
            ("BACKGROUND", (0, 0), (-1, head_rows - 1), pc.LABEL_FILL),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            *[("SPAN", a, b) for a, b in spans],
            *extra,
        ]))
        return t

    def build(self, story: list) -> bytes:
        out = io.BytesIO()

        def decorate(canvas, doc):
            canvas.saveState()
            canvas.setFont(self.font, 8)
            canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
            canvas.drawString(15 * mm, 10 * mm, self.printed)
            canvas.drawRightString(self.pagesize[0] - 15 * mm, 10 * mm, f"第 {doc.page} 页")
            canvas.restoreState()

        doc = SimpleDocTemplate(out, pagesize=self.pagesize, leftMargin=15 * mm, rightMargin=15 * mm,
                                topMargin=14 * mm, bottomMargin=18 * mm, title=self.title)
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
        return out.getvalue()


def _pad(rows: list, n: int, width: int) -> list:
    return rows + [[str(len(rows) + i + 1)] + [""] * (width - 1) for i in range(max(0, n - len(rows)))]


def key_customer_pdf(table, *, printed_by: str, printed_at: datetime, top_n: int = 10) -> bytes:
    """重点客户管理表: the three top-N lists side by side, then the key customers' plans."""
    f = _Form("重点客户管理表", wide=True, printed_by=printed_by, printed_at=printed_at)
    r = table.rankings
    head = [["序号", f"销售额前{top_n}名", "", f"销售增长率前{top_n}名", "", f"销售利润率前{top_n}名", ""],
            ["", "客户名称", "销售额(元)", "客户名称", "增长率", "客户名称", "利润率"]]
    body = []
    for i in range(max(top_n, len(r.by_sales), len(r.by_growth), len(r.by_margin))):
        def cell(lst, fmt, i=i):
            return [f.p(lst[i].name), f.p(fmt(lst[i].value), "num")] if i < len(lst) else ["", ""]
        body.append([str(i + 1), *cell(r.by_sales, money), *cell(r.by_growth, percent),
                     *cell(r.by_margin, percent)])
    rank_table = f.table(head + body, (12, 52, 30, 52, 22, 52, 22), head_rows=2,
                         spans=[((0, 0), (0, 1)), ((1, 0), (2, 0)), ((3, 0), (4, 0)), ((5, 0), (6, 0))],
                         extra=[("ALIGN", (0, 0), (-1, 1), "CENTER"), ("ALIGN", (0, 2), (0, -1), "CENTER")])
    plan_head = [[f.p(h, "head") for h in ("重点管理客户", "销售额目标(元)", "将其设为重点客户的原因",
                                           "实现目标的行动措施", "营销中心总经理建议", "董事长意见")]]
    plans = [[f.p(p.name), f.p(money(p.sales_target), "num"), f.p(p.reason), f.p(p.actions),
              f.p(p.gm_suggestion), f.p(p.chairman_opinion)] for p in table.plans]
    plans += [[""] * 6 for _ in range(max(0, 4 - len(plans)))]
    plan_table = f.table(plan_head + plans, (40, 26, 45, 45, 40, 36))
    return f.build([*f.heading(f"{table.year} 年度"), rank_table, Spacer(1, 6 * mm), plan_table])


def strategy_pdf(table, *, printed_by: str, printed_at: datetime) -> bytes:
    """重要客户对策表 or 问题客户对策表 of a period, with the notes under it."""
    important = table.kind == "important"
    f = _Form("重要客户对策表" if important else "问题客户对策表", wide=not important,
              printed_by=printed_by, printed_at=printed_at)
    if important:
        heads = ("序号", "客户名称", "负责人", "销售情况", "问题所在", "应对策略")
        widths = (12, 38, 18, 38, 40, 46)
        rows = [[str(i), f.p(r.name), f.p(r.responsible), f.p(r.sales), f.p(r.problem), f.p(r.strategy)]
                for i, r in enumerate(table.rows, start=1)]
    else:
        heads = ("序号", "客户名称", "负责人", "销售范围", "所在位置", "恶化趋势", "问题表现", "应对策略")
        widths = (12, 40, 18, 34, 24, 40, 40, 46)
        rows = [[str(i), f.p(r.name), f.p(r.responsible), f.p(r.sales), f.p(r.location), f.p(r.trend),
                 f.p(r.problem), f.p(r.strategy)] for i, r in enumerate(table.rows, start=1)]
    rows = _pad(rows, 4, len(heads))
    body = [[f.p(h, "head") for h in heads], *rows]
    n = len(heads)
    spans, extra = [], [("ALIGN", (0, 1), (0, -1), "CENTER")]
    notes = ([("扩大重要客户数量的基本方针", table.policy or "1.\n2.\n3.")] if important else []) + [("备注", table.note)]
    for label, value in notes:  # the label over the first two columns, the text over the rest
        body.append([f.p(label), "", f.p(value)] + [""] * (n - 3))
        row = len(body) - 1
        spans += [((0, row), (1, row)), ((2, row), (n - 1, row))]
    return f.build([*f.heading(f"期间:{table.period}"), f.table(body, widths, spans=spans, extra=extra)])


def evaluation_pdf(info, *, printed_by: str, printed_at: datetime, results: dict[str, str]) -> bytes:
    """客户关系评估表 of one evaluation; `results` maps develop/maintain/terminate to their labels."""
    f = _Form("客户关系评估表", wide=False, printed_by=printed_by, printed_at=printed_at)
    heads = ("评估指标", "指标权重", "得分", "等级", "得分依据", "备注")
    rows = [[f.p(i.name), f.p(f"{i.weight:g}", "num"), f.p(f"{i.score:g}", "num"), f.p(i.grade, "head"),
             f.p(i.basis), f.p(i.note)] for i in info.items]
    weight = sum((i.weight for i in info.items), Decimal(0))
    rows.append([f.p("合计"), f.p(f"{weight:g}", "num"), f.p(f"{info.total}", "num"), f.p(info.grade, "head"),
                 f.p("标准分 100"), ""])
    marks = "    ".join(f"{CHECKED if code == info.result else UNCHECKED} {label}" for code, label in results.items())
    rows.append([f.p("评估结果及建议"), f.p(marks + ("\n" + info.suggestion if info.suggestion else ""))]
                + [""] * 4)
    body = [[f.p(h, "head") for h in heads], *rows]
    t = f.table(body, (32, 16, 14, 12, 58, 36), spans=[((1, len(body) - 1), (5, len(body) - 1))])
    meta = f.table([[f.p("客户名称"), f.p(info.customer_name), f.p("编号"), f.p(info.customer_code)],
                    [f.p("评估日期"), f.p(info.evaluated_on.isoformat()), f.p("评估人"), f.p(info.evaluator)]],
                   (22, 80, 18, 48), head_rows=0)
    return f.build([*f.heading(), meta, Spacer(1, 3 * mm), t])


def application_pdf(info, *, printed_by: str, printed_at: datetime, criteria: Sequence[str] = ()) -> bytes:
    """进阶申请表: the application, the criteria (ticked those met) and every step of its history."""
    f = _Form("客户进阶申请表", wide=False, printed_by=printed_by, printed_at=printed_at)
    met = set(info.criteria_met)
    listed = list(criteria) or list(info.criteria_met)
    listed += [c for c in info.criteria_met if c not in listed]
    crit = "\n".join(f"{CHECKED if c in met else UNCHECKED} {c}" for c in listed)
    rows = [
        [f.p("申请编号"), f.p(info.number), f.p("申请日期"), f.p(f"{info.created_at.astimezone():%Y-%m-%d}")],
        [f.p("客户名称"), f.p(info.customer_name), f.p("客户编号"), f.p(info.customer_code)],
        [f.p("进阶类别"), f.p(info.step_label), f.p("申请人"), f.p(info.applicant)],
        [f.p("进阶理由"), f.p(info.reasons), "", ""],
        [f.p("符合的进阶标准"), f.p(crit), "", ""],
        [f.p("销售主管审核"), f.p(info.reviewer), f.p("销售经理审批"), f.p(info.approver)],
        [f.p("当前状态"), f.p(info.state_label), f.p("进阶通知日期"),
         f.p(info.notified_on.isoformat() if info.notified_on else "")],
    ]
    main = f.table(rows, (28, 70, 28, 54), head_rows=0, spans=[((1, 3), (3, 3)), ((1, 4), (3, 4))],
                   extra=[("BACKGROUND", (0, 0), (0, -1), pc.LABEL_FILL),
                          ("BACKGROUND", (2, 0), (2, 2), pc.LABEL_FILL),
                          ("BACKGROUND", (2, 5), (2, 6), pc.LABEL_FILL)])
    hist = [[f.p(h, "head") for h in ("时间", "经办人", "环节", "结果", "意见")]]
    hist += [[f.p(f"{e.at.astimezone():%Y-%m-%d %H:%M}"), f.p(e.actor), f.p(e.action), f.p(e.state),
              f.p(e.comment)] for e in info.events]
    return f.build([*f.heading(), main, Spacer(1, 5 * mm), f.p("审核审批记录"), Spacer(1, 1.5 * mm),
                    f.table(hist, (30, 20, 28, 22, 80))])
