"""客户联络计划表, 客户联系预定表 and 客户拜访记录表 (DOMAIN.md §4) in the regulation's columns, as Excel and PDF.

The regulation's appendix (客户关系管理制度 附表 9–11):
* 客户联络计划表 — 序号、客户名称、地址、联系方式、联络人员、联络时间、联络目的、联络地点;
* 客户联系预定表 — 序号、日期、客户名称、具体时间、负责人、针对部门、备注;
* 客户拜访记录表 — 制表、填写日期; 客户名称、详细地址、拜访对象、注意事项、成长率、信用度、总利润率.
Rows are plain objects with the attributes the columns name (app.services.visit_forms); the layout is the
shared table of reports.visit_tables (A4 landscape, repeated heads, printed-by footer, 审核/填写/编制 line).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from reports.visit_tables import Column, _pdf, _xlsx

PLAN_COLUMNS = (
    Column("序号", 12, lambda r: r.no, "int"), Column("客户名称", 48, lambda r: r.customer),
    Column("地址", 60, lambda r: r.address), Column("联系方式", 18, lambda r: r.contact_way),
    Column("联络人员", 20, lambda r: r.staff), Column("联络时间", 34, lambda r: r.when),
    Column("联络目的", 40, lambda r: r.purpose), Column("联络地点", 30, lambda r: r.place),
)
SCHEDULE_COLUMNS = (
    Column("序号", 12, lambda r: r.no, "int"), Column("日期", 24, lambda r: r.day),
    Column("客户名称", 60, lambda r: r.customer), Column("具体时间", 26, lambda r: r.time),
    Column("负责人", 24, lambda r: r.staff), Column("针对部门", 30, lambda r: r.department),
    Column("备注", 70, lambda r: r.note),
)
RECORD_COLUMNS = (
    Column("序号", 12, lambda r: r.no, "int"), Column("拜访日期", 22, lambda r: r.day),
    Column("客户名称", 48, lambda r: r.customer), Column("详细地址", 56, lambda r: r.address),
    Column("拜访对象", 24, lambda r: r.person), Column("注意事项", 60, lambda r: r.notes),
    Column("成长率", 16, lambda r: r.growth), Column("信用度", 24, lambda r: r.credit),
    Column("总利润率", 16, lambda r: r.margin),
)
FORMS = {"plan": ("客户联络计划表", PLAN_COLUMNS), "schedule": ("客户联系预定表", SCHEDULE_COLUMNS),
         "record": ("客户拜访记录表", RECORD_COLUMNS)}
SIGN_LINE = "审核:                    填写:                    编制:"


def form_xlsx(kind: str, target: Path | BinaryIO, rows: Sequence, *, scope: str) -> int:
    title, columns = FORMS[kind]
    return _xlsx(target, title, scope, columns, rows)


def form_pdf(kind: str, rows: Sequence, *, scope: str, company: str, printed_by: str, printed_at: datetime) -> bytes:
    """The form as the regulation lays it out; the record form's head names who made it and when (制表, 填写日期)."""
    title, columns = FORMS[kind]
    head = f"{scope}    制表:{printed_by}    填写日期:{printed_at:%Y-%m-%d}" if kind == "record" else scope
    return _pdf(title, head, columns, rows, company=company, printed_by=printed_by, printed_at=printed_at,
                footnote=SIGN_LINE)
