"""Export the read log (借阅记录导出) to Excel; the export itself is a reading and is logged."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.db import Database
from app.domain.vocab import CONFIDENTIALITY
from app.errors import UserError
from app.services import access
from app.services.access import ACTION_WHAT, ReadLogFilter, ReadLogRow
from app.services.users import Principal
from reports.excel_customers import WorkbookError
from reports.excel_read_log import write_read_log


def as_cells(r: ReadLogRow) -> tuple:
    """One row as the viewer and the workbook show it (local time, Chinese labels)."""
    return (r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), r.username, r.display_name,
            ACTION_WHAT.get(r.action, r.action), r.customer_name,
            CONFIDENTIALITY.label(r.level) if r.level else "", "允许" if r.allowed else "拒绝",
            f"{r.note}(审批人:{r.approved_by})" if r.approved_by else r.note)


def export_read_log(db: Database, *, user: Principal, path: Path, flt: ReadLogFilter | None = None) -> int:
    """Write the filtered log (newest first) to path; returns the row count."""
    access.require_logged(db, user, "readlog.view", "导出借阅记录")
    rows = access.read_log(db, user=user, flt=flt)
    try:
        count = write_read_log(Path(path), (as_cells(r) for r in rows),
                               exported_by=f"{user.display_name}({user.username})",
                               exported_at=datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
    except WorkbookError as exc:
        raise UserError(str(exc)) from exc
    db.transact(lambda s: access.log(s, user, action="export", customer_id=None, level="", allowed=True,
                                     note=f"导出借阅记录 {count} 行;{Path(path).name}"))
    return count
