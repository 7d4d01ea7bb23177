"""The grading table on paper and in Excel (客户分级表): per grade its band, then industry / name / code.
"""

import json
import uuid
from datetime import datetime

from app.db import Database
from app.domain.grading import schemes
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
    count = grading_xlsx(Path(path), f"客户分级 {info.year}年度 {info.scheme_name}", EXPORT_HEADER, (
        (r.rank, r.code, r.name, r.industry, r.grade, r.computed_grade, r.score, r.sales, r.previous_grade,
         CHANGE_LABELS.get(r.change, r.change), r.override_reason) for r in rows))
    if user is not None:
        access.log_export(db, user, count=count, note=f"客户分级 {info.year} {info.scheme_name}:{Path(path).name}")
    return count
