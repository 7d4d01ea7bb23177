"""信用额度超限审批单 (客户信用管理制度 第7条: a customer over the limit goes to the 部长, and further to the
总经理): the customer, the position kept when the request was filed, the order and how far it goes over, the
reason, and each approval step — decided (decision, comment, who, when) or a blank line to sign.

Takes a plain form (CreditForm; attributes only, no database here) and gives PDF bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table

from reports import pdf_common as pc
from reports.fonts import register_cjk_font

TITLE = "信用额度超限审批单"
COPIES = ("财务部存档",)
CLOSED = ("已批准", "未批准", "已过期失效")
RULE = "依据客户信用管理制度第7条:业务员所负责的客户超过规定的信用限度时,须向部长乃至总经理报批;" \
       "超出额度不超过{pct}%的由部长审批,超出更多的经部长审批后再报总经理审批。未审批完的申请{days}天后失效。"
WIDTH = 180 * mm  # A4 less the 15 mm margins


@dataclass(frozen=True)
class Step:
    role: str  # 部长 / 总经理
    decision: str  # 批准 / 不批准 / "" (not decided)
    comment: str
    by: str
    at: datetime | None  # in the business's zone


@dataclass(frozen=True)
class CreditForm:
    number: str
    company: str
    customer_code: str
    customer_name: str
    confidentiality: str  # 公司级 / 部门级 / 个人级
    grade: str  # A–D, "" when the card's limit was used
    limit: Decimal
    exposure: Decimal
    amount: Decimal
    reason: str
    applicant: str
    filed_at: datetime
    expires_at: datetime
    state: str  # 待部长审批 / 待总经理审批 / 已批准 / 未批准 / 已过期失效
    steps: tuple[Step, ...]
    minister_pct: int
    request_days: int
    printed_by: str
    printed_at: datetime

    @property
    def over(self) -> Decimal:
        return self.exposure + self.amount - self.limit

    @property
    def over_pct(self) -> str:
        if self.limit <= 0:
            return "无信用额度"
        return f"{self.over / self.limit * 100:.1f}%"


def _money(v: Decimal) -> str:
    return f"{v:,.2f} 元"


def _when(dt: datetime | None) -> str:
    return "" if dt is None else f"{dt:%Y-%m-%d %H:%M}"


def _fields(form: CreditForm, st: dict) -> Table:
    p = pc.paragraph
    grade = f"{form.grade}级" if form.grade else "未评级(按客户档案额度)"
    rows = [
        ["客户编号", p(form.customer_code, st["cell"]), "客户名称", p(form.customer_name, st["cell"])],
        ["信用等级", p(grade, st["cell"]), "信用额度", p(_money(form.limit), st["num"])],
        ["未收回款", p(_money(form.exposure), st["num"]), "本次订单金额", p(_money(form.amount), st["num"])],
        ["合计占用", p(_money(form.exposure + form.amount), st["num"]), "超出额度",
         pc.Paragraph(f'<font color="#cc0d0d">{pc.text(_money(form.over))}({form.over_pct})</font>', st["num"])],
        ["申请理由", p(form.reason or "—", st["cell"]), "", ""],
        ["申请人", p(form.applicant, st["cell"]), "申请时间", p(_when(form.filed_at), st["cell"])],
        ["审批路径", p(" → ".join(s.role for s in form.steps), st["cell"]), "有效期至",
         p(_when(form.expires_at), st["cell"])],
        ["审批状态", p(form.state, st["big"]), "", ""],
    ]
    table = Table(rows, colWidths=[24 * mm, 66 * mm, 26 * mm, 64 * mm])
    table.setStyle(pc.table_style([
        ("FONTSIZE", (0, 0), (-1, -1), 9), ("GRID", (0, 0), (-1, -1), 0.5, pc.GRID),
        ("BACKGROUND", (0, 0), (0, -1), pc.LABEL_FILL), ("BACKGROUND", (2, 0), (2, 3), pc.LABEL_FILL),
        ("BACKGROUND", (2, 5), (2, 6), pc.LABEL_FILL),
        ("SPAN", (1, 4), (3, 4)), ("SPAN", (1, 7), (3, 7)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _steps(form: CreditForm, st: dict) -> Table:
    p = pc.paragraph
    head = [p(h, st["head"]) for h in ("审批环节", "审批意见", "说明", "审批人", "审批时间")]
    rows = [head]
    for s in form.steps:
        if s.decision:
            style = st["head"] if s.decision == "批准" else pc.styles(register_cjk_font())["alert"]
            rows.append([p(s.role, st["head"]), p(s.decision, style), p(s.comment or "—", st["cell"]),
                         p(s.by, st["head"]), p(_when(s.at), st["head"])])
        elif form.state in CLOSED:  # refused before this step, or lapsed: nothing to sign any more
            rows.append([p(s.role, st["head"]), p("未审批", st["small"]), p("—", st["cell"]), "", ""])
        else:  # waiting: room to write and sign by hand
            blank = "□ 同意    □ 不同意"
            rows.append([p(s.role, st["head"]), p(blank, st["head"]), "", p("(签字)", st["small"]),
                         pc.Paragraph("&nbsp;" * 8 + "年" + "&nbsp;" * 5 + "月" + "&nbsp;" * 5 + "日", st["head"])])
    table = Table(rows, colWidths=[22 * mm, 30 * mm, 64 * mm, 30 * mm, 34 * mm])
    table.setStyle(pc.table_style([
        ("GRID", (0, 0), (-1, -1), 0.5, pc.GRID), ("BACKGROUND", (0, 0), (-1, 0), pc.LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 1), (-1, -1), 9),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 9),
    ]))
    return table


def _story(form: CreditForm, font: str) -> list[Flowable]:
    st = pc.styles(font)
    return [
        pc.BoldLine(TITLE, font=font, size=18, align="center", space_after=1.5 * mm),
        pc.paragraph(f"编号:{form.number}", pc.styles(font)["num"]),
        Spacer(1, 2 * mm),
        pc.BoldLine("一、申请", font=font, size=11, space_after=1.5 * mm),
        _fields(form, st),
        pc.BoldLine("二、审批", font=font, size=11, space_before=5 * mm, space_after=1.5 * mm),
        _steps(form, st),
        Spacer(1, 4 * mm),
        pc.paragraph(RULE.format(pct=form.minister_pct, days=form.request_days), st["small"]),
        Spacer(1, 4 * mm),
        pc.AtBottom(pc.SignatureLines(("申请人", "财务部经办"), font=font)),
    ]


def credit_request_pdf(form: CreditForm) -> bytes:
    font = register_cjk_font()

    def decorate(canvas: Canvas, page: pc.PageInfo) -> None:
        pc.draw_header(canvas, page, font=font, company=form.company,
                       subtitle=f"{TITLE} · {form.customer_code} {form.customer_name}")
        pc.draw_footer(canvas, page, font=font, left=pc.printed_line(form.printed_by, form.printed_at),
                       right=f"保密级别:{form.confidentiality} · 未经批准不得复印、外传")
        if form.state in CLOSED:  # decided: stamped left of the title, clear of the number and the table
            pc.draw_stamp(canvas, form.state, cx=page.margins.left + 22 * mm,
                          cy=page.height - page.margins.top - 6 * mm, font=font, size=16)

    return pc.build_copies(copies=COPIES, story=lambda _i, _label: _story(form, font), decorate=decorate,
                           title=f"{TITLE} {form.number} {form.customer_code}", author=form.company)
