"""The grading table on paper and in Excel (客户分级表): per grade its band, then industry / name / code.
"""

import json
import uuid
from datetime import datetime
from decimal import Decimal

from app.db import Database
from app.domain.grading import schemes, scoring
from app.services import access
from app.services.grading_runs import _actor, _require, get_run, run_rows
from app.services.users import Principal
from models import (
    GradingRun,
)

# ---------------------------------------------------------------- printing and export


def band_label(kind: str, grade: str, params: dict) -> str:
    """The grade's band as the regulation's table names it: A级(销售额所占比例90%以上)."""
    if kind == "sales_share":
        limits = [params.get(f"grading.share.{g}") for g in "abcd"]
        i = "ABCDE".index(grade)
        if i == 0:
            return f"A级(销售额所占比例{limits[0]}%以上)"
        if i == 4:
            return f"E级(销售额所占比例{limits[3]}%以下)"
        return f"{grade}级(销售额所占比例{limits[i]}%–{limits[i - 1]}%)"
    label = schemes.grade_label(kind, grade)
    return f"{grade}级" if label == grade else label


def grade_text(kind: str, grade: str) -> str:
    """A grade as people read it: 战略性大客户 / 钻石 for the tiers, the letter otherwise; '' → 未分级."""
    return schemes.grade_label(kind, grade) if grade else "未分级"


def extra_header(kind: str) -> tuple[str, ...]:
    """The columns behind a grade: the eight item scores of a 100-point total, a credit limit, a city's
    coefficient."""
    if kind == "scoring":
        return tuple(scoring.ITEM_LABELS[k] for k in scoring.ITEMS)
    if kind == "credit":
        return ("信用额度(元)",)
    if kind in ("key_account", "membership"):
        return ("城市", "城市系数(%)")
    return ()


def extra_values(kind: str, items) -> tuple:
    """The values of extra_header from a row's stored items (a hidden row's are empty)."""
    if not items:
        return tuple("" for _ in extra_header(kind))
    if kind == "scoring":
        return tuple(Decimal(str(items.get(k, 0))).quantize(Decimal("0.01")) for k in scoring.ITEMS)
    if kind == "credit":
        return (Decimal(items["limit"]) if "limit" in items else "",)
    if kind in ("key_account", "membership"):
        return (items.get("city", ""), items.get("coefficient", ""))
    return ()


def grading_table_pdf(db: Database, *, user: Principal | None, run_id: uuid.UUID, company: str = "") -> bytes:
    """The 客户分级表 of a run: per grade, its band then industry / name / code (reports.grading_table)."""
    from reports.grading_table import GradeGroup
    from reports.grading_table import grading_table_pdf as render

    _require(user, "grading.view", "打印客户分级表")
    info = get_run(db, user=user, run_id=run_id)
    with db.read() as s:
        params = json.loads(s.get(GradingRun, run_id).params or "{}")
    rows = run_rows(db, user=user, run_id=run_id)
    groups = [GradeGroup(band_label(info.kind, g, params),
                         [(r.industry, r.name, r.code) for r in rows if r.grade == g])
              for g in schemes.ORDERS[info.kind]]
    ungraded = [(r.industry, r.name, r.code) for r in rows if r.grade not in schemes.ORDERS[info.kind]]
    if ungraded:  # customers without sales who had no grade to keep (无销售)
        groups.append(GradeGroup("未分级(本年度无销售)", ungraded))
    state = "已确认" if info.status == "committed" else "草稿(未确认)"
    subtitle = f"{company + '  ' if company else ''}{info.year}年度  方案:{info.scheme_name}  {state}  共{len(rows)}户"
    footer = f"打印:{_actor(user)}  {datetime.now().strftime('%Y-%m-%d %H:%M')}"
    return render(groups, title="客户分级表", subtitle=subtitle, footer=footer)


EXPORT_HEADER = ("名次", "客户代码", "客户名称", "业种", "等级", "计算等级", "得分", "销售额", "上次等级", "变化", "调整原因")


def export_rows(db: Database, *, user: Principal | None, path, run_id: uuid.UUID, change_filter: str | None = None,
                grade: str | None = None) -> int:
    """Write the rows the tab shows (same filter) to an Excel workbook; logged as an export."""
    from pathlib import Path

    from app.domain.grading import CHANGE_LABELS
    from reports.grading_table import grading_xlsx

    _require(user, "grading.view", "导出客户分级")
    info = get_run(db, user=user, run_id=run_id)
    rows = run_rows(db, user=user, run_id=run_id, change_filter=change_filter, grade=grade)
    k = info.kind
    count = grading_xlsx(Path(path), f"客户分级 {info.year}年度 {info.scheme_name}", EXPORT_HEADER + extra_header(k), (
        (r.rank, r.code, r.name, r.industry, grade_text(k, r.grade), grade_text(k, r.computed_grade), r.score,
         r.sales, grade_text(k, r.previous_grade) if r.previous_grade else "", CHANGE_LABELS.get(r.change, r.change),
         r.override_reason, *extra_values(k, r.items)) for r in rows))
    if user is not None:
        access.log_export(db, user, count=count, note=f"客户分级 {info.year} {info.scheme_name}:{Path(path).name}")
    return count
