"""Excel halves of the customer benchmark: export and import against raw openpyxl (bench/customers.py)."""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from app.bootstrap import open_database
from app.db import Database
from app.domain.fields import CUSTOMER_FIELDS
from app.services import customer_export, customer_import
from app.services.customer_search import CustomerFilter
from bench.common import MemoryLog, Report, note, timed, timed_cpu, traced_peak_mb

TARGETS = {"export": 1.5, "import": 3.0, "export_mem": 2.0, "import_mem": 5.0}  # *_mem: proposed


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"

# ---------------------------------------------------------------- 3. Excel export


def _raw_export_sql() -> str:
    cols = []
    for f in CUSTOMER_FIELDS:
        cols.append({"staff": "owner.name", "department": "department.name"}.get(f.kind, f"customer.{f.key}"))
    return (f"SELECT {', '.join(cols)}, EXISTS (SELECT * FROM blacklist_entry WHERE blacklist_entry.customer_id"
            " = customer.id AND blacklist_entry.removed_on IS NULL) FROM customer"
            " LEFT OUTER JOIN staff AS owner ON owner.id = customer.owner_id"
            " LEFT OUTER JOIN department ON department.id = customer.department_id"
            " WHERE customer.merged_into_id IS NULL ORDER BY customer.code")


def _raw_cells():
    """Per column: stored value → the cell the export writes (labels for codes, dates, None for empty)."""
    out = []
    for f in CUSTOMER_FIELDS:
        if f.kind == "vocab":
            labels = {t.code: t.zh for t in f.vocabulary.terms}
            out.append(lambda v, labels=labels: labels.get(v, v) or None)
        elif f.kind == "date":
            out.append(lambda v: date.fromisoformat(v) if v else None)
        elif f.kind in ("amount", "int"):
            out.append(lambda v: v)
        elif f.kind == "bool":
            out.append(lambda v: "是" if v else "否")
        else:
            out.append(lambda v: v or None)
    return out


def raw_rows(path: Path):
    con = sqlite3.connect(path)
    try:
        makers = _raw_cells()
        cursor = con.execute(_raw_export_sql())
        while chunk := cursor.fetchmany(customer_export.CHUNK):  # the service's chunk: a fair memory peak
            for r in chunk:
                cells = [make(v) for make, v in zip(makers, r, strict=False)]
                cells.append("是" if r[-1] else "否")
                yield cells
    finally:
        con.close()


def raw_export(path: Path, out: Path) -> int:
    """The baseline: raw sqlite3 read + openpyxl write_only write of the same cell values."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("客户")
    ws.append([f.label for f in CUSTOMER_FIELDS] + [customer_export.BLACKLIST_LABEL])
    count = 0
    for cells in raw_rows(path):
        ws.append(cells)
        count += 1
    wb.save(out)
    return count


def _first_rows(path: Path, n: int = 200) -> list[tuple]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [row for row, _ in zip(wb.active.iter_rows(values_only=True), range(n + 1), strict=False)]
    finally:
        wb.close()


def bench_export(db: Database, path: Path, workdir: Path, report: Report, mem: MemoryLog, *, trace: bool) -> Path:
    service_file, raw_file = workdir / "export-service.xlsx", workdir / "export-raw.xlsx"
    with mem.phase("export"):
        count, t_service, cpu = timed_cpu(customer_export.export_customers, db, path=service_file,
                                          flt=CustomerFilter())
    with mem.phase("export_raw"):
        raw_count, t_raw, cpu_raw = timed_cpu(raw_export, path, raw_file)
    _, t_read = timed(lambda: sum(1 for _ in raw_rows(path)))
    same = _first_rows(service_file) == _first_rows(raw_file)
    note(f"export: {count:,} rows ({service_file.stat().st_size / 1e6:.1f} MB) in {t_service:.2f} s; raw {raw_count:,}"
         f" rows in {t_raw:.2f} s of which the sqlite3 read alone takes {t_read:.2f} s; first 200 rows "
         + ("identical" if same else "DIFFER between the service and the raw file"))
    note(f"export CPU time: {cpu:.2f} s, raw {cpu_raw:.2f} s, ratio {cpu / cpu_raw:.3g}")
    report.add("export_xlsx", t_service, "s", t_raw, TARGETS["export"])
    if trace:
        (_, peak), t = timed(traced_peak_mb, customer_export.export_customers, db,
                             path=workdir / "export-traced.xlsx", flt=CustomerFilter())
        (_, raw_peak), t_raw = timed(traced_peak_mb, raw_export, path, workdir / "export-raw-traced.xlsx")
        note(f"export under tracemalloc: {t:.1f} s, raw {t_raw:.1f} s")
        report.add("export_tracemalloc_peak", peak, "MB", raw_peak, TARGETS["export_mem"])
    return service_file


# ---------------------------------------------------------------- 4. Excel import


def fresh_database(workdir: Path, name: str, source: Path) -> Database:
    """An empty database with the source's departments and staff, so owner names in the sheet resolve."""
    target = workdir / f"{name}.sqlite3"
    open_database(sqlite_url(target)).dispose()
    con = sqlite3.connect(target)
    con.execute("ATTACH DATABASE ? AS src", (str(source),))
    for table in ("department", "staff"):
        con.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
    con.commit()
    con.execute("DETACH DATABASE src")
    con.close()
    return open_database(sqlite_url(target))


def raw_read(path: Path) -> int:
    """The baseline: one openpyxl read_only pass touching every cell value."""
    wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    cells = 0
    try:
        for row in wb.active.iter_rows(values_only=True):
            for _value in row:
                cells += 1
    finally:
        wb.close()
    return cells


def bench_import(source: Path, sheet: Path, workdir: Path, report: Report, mem: MemoryLog, *, trace: bool) -> None:
    db = fresh_database(workdir, "import", source)
    try:
        with mem.phase("import"):
            result, t_service, cpu = timed_cpu(customer_import.import_customers, db, actor="基准测试",
                                               path=sheet, mode="all_or_nothing")
    finally:
        db.dispose()
    with mem.phase("import_raw"):
        cells, t_raw, cpu_raw = timed_cpu(raw_read, sheet)
    note(f"import: {result.imported:,} imported, {result.rejected:,} rejected of {result.total:,} in "
         f"{t_service:.2f} s; raw read of {cells:,} cells in {t_raw:.2f} s")
    for number, message in list(result.messages.items())[:3]:
        note(f"import: row {number}: {message}")
    note(f"import CPU time: {cpu:.2f} s, raw {cpu_raw:.2f} s, ratio {cpu / cpu_raw:.3g}")
    report.add("import_xlsx", t_service, "s", t_raw, TARGETS["import"])
    if trace:
        db = fresh_database(workdir, "import-traced", source)
        try:
            (_, peak), t = timed(traced_peak_mb, customer_import.import_customers, db, actor="基准测试",
                                 path=sheet, mode="all_or_nothing")
        finally:
            db.dispose()
        (_, raw_peak), t_raw = timed(traced_peak_mb, raw_read, sheet)
        note(f"import under tracemalloc: {t:.1f} s, raw {t_raw:.1f} s")
        report.add("import_tracemalloc_peak", peak, "MB", raw_peak, TARGETS["import_mem"])

