"""Read-log workbook (借阅记录 Excel): the rows the viewer shows, with who exported them and when."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from reports.excel_customers import Column, write_table

COLUMNS = (Column("时间", width=18), Column("用户名", width=12), Column("姓名", width=12), Column("操作", width=8),
           Column("客户", width=30), Column("保密级别", width=10), Column("结果", width=8), Column("说明", width=40))


def write_read_log(path: Path, rows: Iterable[Sequence], *, exported_by: str, exported_at: str) -> int:
    """rows are plain values in COLUMNS order; returns how many were written."""
    return write_table(path, COLUMNS, rows, sheet_title="借阅记录", exported_by=exported_by,
                       exported_at=exported_at)
