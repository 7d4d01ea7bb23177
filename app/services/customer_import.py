"""Excel import of customer cards (Excel导入客户).

The import run: every row is read and checked as the card editor would (customer_import_rows), so
the messages are the same; here duplicates are found inside the file and against the database, codes
handed out, and the rows written. Two passes at most:
1. stream the sheet, check each row and park the prepared valid rows in a temporary file;
2. only if some row failed, stream it again into an error report (a copy with 错误说明);
then one short write transaction inserts the parked rows with Core executemany, in chunks.
Memory stays flat whatever the sheet's size; cancelling at any point writes nothing.
"""
from __future__ import annotations

import os
import pickle
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import size
from app.domain.fields import CUSTOMER_FIELDS
from app.errors import UserError
from app.services import customers
from app.services.customer_import_rows import Row, map_headers, missing_required, read_row, readers
from app.services.offline.codes import offline_prefix
from app.services.users import Principal
from models import AuditRecord, Customer, Staff
from models.base import utcnow
from reports import excel_customers as xl

MODES = ("all_or_nothing", "valid_only")
CHUNK = 1000  # rows per duplicate query, per cancel check and per executemany
Progress = Callable[[int, int], None]
__all__ = ["MODES", "ImportPreview", "ImportResult", "import_customers", "map_headers", "preview"]


@dataclass
class ImportPreview:
    """What the import dialog shows before importing (导入预览)."""

    headers: list[str]
    mapped: dict[str, str | None]  # header → field key, None for columns that are ignored
    rows: list[list[str]]  # first rows as the user would read them
    total_rows: int  # non-blank data rows
    missing_required: list[str]  # labels of required columns the sheet lacks
    numbers: list[int] = field(default_factory=list)  # the sheet's row numbers of `rows` (errors cite them)
    sheet: str = ""  # the name of the sheet that was read (the active one)


@dataclass
class ImportResult:
    """How an import went: counts, whether it was cancelled, and where the error report is."""

    imported: int = 0
    rejected: int = 0
    total: int = 0
    cancelled: bool = False
    error_report: Path | None = None
    messages: dict[int, str] = field(default_factory=dict)  # sheet row number → 错误说明


class _Cancelled(Exception):
    pass


class _Spool:
    """Prepared rows parked on disk in pickled chunks (100k rows held in memory would be ~300 MB)."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()
        self._buffer: list[tuple] = []
        self.count = 0

    def append(self, row: tuple) -> None:
        self._buffer.append(row)
        self.count += 1
        if len(self._buffer) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._file.seek(0, os.SEEK_END)  # chunks() may have left the position elsewhere
            pickle.dump(self._buffer, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._buffer = []

    def chunks(self) -> Iterator[list[tuple]]:
        self._flush()
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return

    def close(self) -> None:
        self._file.close()


@contextmanager
def _open(path: Path) -> Iterator[xl.Sheet]:
    """The sheet, with workbook problems turned into the user's Chinese message."""
    try:
        with xl.open_sheet(path) as sheet:
            yield sheet
    except xl.WorkbookError as exc:
        raise UserError(str(exc)) from exc


def preview(path: Path, *, limit: int = 50, count_rows: bool = True) -> ImportPreview:
    """What the import dialog shows first: headers, how they map, the first rows, the row count."""
    with _open(path) as sheet:
        keys = map_headers(sheet.header)
        rows, numbers, total = [], [], 0
        for number, values in sheet.data():
            if len(rows) < limit:
                rows.append([xl.display(v) for v in values])
                numbers.append(number)
            total += 1
            if not count_rows and total >= limit:  # a quick look: the sheet's own size record
                total = max(total, sheet.estimated_rows)
                break
    return ImportPreview(headers=sheet.header, mapped=dict(zip(sheet.header, keys, strict=True)), rows=rows,
                         total_rows=total, missing_required=missing_required(keys), numbers=numbers,
                         sheet=sheet.title)


# ---------------------------------------------------------------- the import


_TABLE = Customer.__table__
_ORDER = {f.key: i for i, f in enumerate(CUSTOMER_FIELDS)}
_COLUMNS = [c.name for c in _TABLE.columns]
_DEFAULTS = {c.name: (c.default.arg if c.default is not None and c.default.is_scalar else None)
             for c in _TABLE.columns}


class _Importer:
    def __init__(self, db: Database, *, actor: str, path: Path, mode: str, today: date,
                 progress: Progress | None, cancelled: Callable[[], bool] | None, user: Principal | None = None):
        self.db, self.actor, self.path, self.mode, self.today = db, actor, Path(path), mode, today
        # DOMAIN §1 as on the card: the owner is the importer unless the sheet names one, the department the owner's
        self.default_owner = user.staff_id if user is not None else None
        self.default_department = user.department_id if user is not None else None
        self.progress = progress or (lambda done, total: None)
        self.cancelled = cancelled or (lambda: False)
        rules = settings.get_all(db)
        self.prefix = rules["customer.code_prefix"]
        self.thresholds = settings.size_thresholds(rules)
        with db.read() as s:
            self.readers = readers(s)
            self.owner_department = dict(s.execute(select(Staff.id, Staff.department_id)).all())
            self.prefix = offline_prefix(s, self.prefix)  # a field laptop numbers temporary codes
            self.first_code = customers._next_code(s, self.prefix)
        self.next_number = int(self.first_code[len(self.prefix):])
        self.names: dict[str, int] = {}  # in-file duplicates: value → first row
        self.usccs: dict[str, int] = {}
        self.codes: dict[str, int] = {}
        self.spool = _Spool()
        self.generated: dict[str, int] = {}  # generated code → index of the row in the spool
        self.keys: dict[int, tuple] = {}  # index → (name, phone, uscc) of rows with a generated code
        self.overrides: dict[int, dict] = {}  # index → new code and search fields after renumbering
        self.result = ImportResult()

    # -- pass 1: check

    def check(self) -> None:
        with _open(self.path) as sheet:
            keys = map_headers(sheet.header)
            if not sheet.header:
                raise UserError("表格是空的:第一行应为列标题(客户名称、统一社会信用代码……)")
            if missing := missing_required(keys):
                raise UserError(f"表格缺少必需的列:{'、'.join(missing)}(第一行应为列标题)")
            plan = [(i, k, self.readers[k]) for i, k in enumerate(keys) if k]
            estimate, chunk = sheet.estimated_rows, []
            for number, cells in sheet.data():
                self.result.total += 1
                row = read_row(number, cells, plan)
                self._in_file_duplicates(row)
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    self._settle(chunk)
                    chunk = []
                    if self.cancelled():
                        raise _Cancelled
                    self.progress(self.result.total, max(estimate, self.result.total))
            self._settle(chunk)
        self.progress(self.result.total, self.result.total)

    def _in_file_duplicates(self, row: Row) -> None:
        name, uscc, code = (row.values.get("name") or "").strip(), row.values.get("uscc"), row.values.get("code")
        for value, seen, label in ((name, self.names, "客户名称"), (uscc, self.usccs, "统一社会信用代码")):
            if not value:
                continue
            if value in seen:
                row.extra.append(f"{label}与本表第{seen[value]}行重复:{value}")
            else:
                seen[value] = row.number
        if code and "code" not in row.errors:
            if code in self.codes:
                row.errors["code"] = f"客户编号 {code} 与本表第{self.codes[code]}行重复"
            else:
                self.codes[code] = row.number
                if code in self.generated:  # an earlier row got this code generated: give it another
                    self._renumber(self.generated.pop(code))

    def _settle(self, chunk: list[Row]) -> None:
        """Database duplicates for a chunk, then keep each valid row ready for insertion."""
        if not chunk:
            return
        self._database_duplicates(chunk)
        for row in chunk:
            if row.errors or row.extra:
                messages = [m for _k, m in sorted(row.errors.items(), key=lambda e: _ORDER.get(e[0], 99))]
                self.result.messages[row.number] = ";".join(messages + row.extra)
                self.result.rejected += 1
            elif self.mode == "valid_only" or not self.result.rejected:
                self.spool.append(self._prepare(row.values))
        if self.mode == "all_or_nothing" and self.result.rejected and self.spool.count:
            self.spool.close()  # nothing will be written: stop preparing
            self.spool, self.generated, self.keys, self.overrides = _Spool(), {}, {}, {}

    def _database_duplicates(self, chunk: list[Row]) -> None:
        names = {n for r in chunk if (n := (r.values.get("name") or "").strip())}
        usccs = {u for r in chunk if (u := r.values.get("uscc"))}
        codes = {c for r in chunk if (c := r.values.get("code")) and "code" not in r.errors}
        by_name, by_uscc, used = {}, {}, set()
        with self.db.read() as s:
            if names:
                q = select(Customer.name, Customer.code).where(Customer.name.in_(names),
                                                               Customer.merged_into_id.is_(None))
                for name, code in s.execute(q):
                    by_name.setdefault(name, []).append((code, name))
            if usccs:
                for uscc, code, name in s.execute(
                        select(Customer.uscc, Customer.code, Customer.name).where(Customer.uscc.in_(usccs))):
                    by_uscc[uscc] = [(code, name)]
            if codes:
                used = set(s.scalars(select(Customer.code).where(Customer.code.in_(codes))))
        for row in chunk:
            found = by_uscc.get(row.values.get("uscc"), []) + by_name.get((row.values.get("name") or "").strip(), [])
            for code, name in dict.fromkeys(found):
                row.extra.append(f"与已有客户重复:{code} {name}")
            if row.values.get("code") in used:
                row.errors["code"] = f"客户编号 {row.values['code']} 已被使用"

    # -- prepared rows: tuples in table column order

    def _prepare(self, values: dict) -> tuple:
        if not values.get("size"):
            values["size"] = size.classify(values.get("annual_revenue"), values.get("headcount"), self.thresholds)
        values.setdefault("last_verified_on", self.today)  # creating is the first verification
        row = dict(_DEFAULTS)
        row.update((k, v) for k, v in values.items() if v is not None)
        if not row.get("owner_id"):
            row["owner_id"] = self.default_owner
        if department := self.owner_department.get(row["owner_id"]):
            row["department_id"] = department
        elif not row.get("department_id"):
            row["department_id"] = self.default_department
        if not values.get("code"):
            index = self.spool.count
            row["code"] = self._take_code(index)
            self.keys[index] = (row["name"], row["phone"], row["uscc"])
        row.update(customers._search_fields(row))
        row["id"], row["version"] = uuid.uuid4(), 1
        return tuple(row[c] for c in _COLUMNS)

    def _take_code(self, index: int) -> str:
        while True:
            code = f"{self.prefix}{self.next_number:06d}"
            self.next_number += 1
            if code not in self.codes:
                self.generated[code] = index
                return code

    def _renumber(self, index: int) -> None:
        name, phone, uscc = self.keys[index]
        row = {"name": name, "phone": phone, "uscc": uscc, "code": self._take_code(index)}
        self.overrides[index] = {"code": row["code"], **customers._search_fields(row)}

    # -- pass 2: error report

    def write_report(self, target: Path) -> None:
        if target.resolve() == self.path.resolve():
            raise UserError("错误报告不能覆盖要导入的文件,请另选位置")
        if self.cancelled():
            raise _Cancelled
        only_errors = self.mode == "valid_only"  # imported rows must not come back on a re-import

        def rows() -> Iterator[tuple[list, str]]:
            for done, (number, values) in enumerate(sheet.data(), start=1):
                message = self.result.messages.get(number, "")
                if message or not only_errors:
                    yield values, message
                if done % CHUNK == 0:
                    if self.cancelled():
                        raise _Cancelled
                    self.progress(done, self.result.total)

        with _open(self.path) as sheet:
            xl.write_error_report(target, sheet.header, rows())
        self.result.error_report = target

    # -- the write transaction

    def write(self) -> None:
        note = f"Excel导入 {self.path.name}"

        # Measured at 10k rows: SQLite runs ~2x faster with multi-row VALUES (SQLAlchemy's insertmanyvalues,
        # used when RETURNING is asked); on PostgreSQL psycopg's pipelined executemany is ~2x faster instead.
        customer_insert, audit_insert = _TABLE.insert(), AuditRecord.__table__.insert()
        if self.db.dialect == "sqlite":
            customer_insert = customer_insert.returning(_TABLE.c.id)
            audit_insert = audit_insert.returning(AuditRecord.__table__.c.id)

        def work(s: Session) -> int:
            now_first = customers._next_code(s, self.prefix)
            if now_first != self.first_code and self.generated:
                self._renumber_all(now_first)  # someone created customers meanwhile
            conn, now, index = s.connection(), utcnow(), 0
            for chunk in self.spool.chunks():
                if self.cancelled():
                    raise _Cancelled
                part = [dict(zip(_COLUMNS, t, strict=True)) for t in chunk]
                for row in part:
                    row["created_at"] = row["updated_at"] = now
                    if index in self.overrides:
                        row.update(self.overrides[index])
                    index += 1
                conn.execute(customer_insert, part)
                conn.execute(audit_insert, [
                    {"id": uuid.uuid4(), "at": now, "actor": self.actor, "action": "create", "entity": "customer",
                     "entity_id": r["id"], "customer_id": r["id"], "field": "", "old_value": "", "new_value": note}
                    for r in part])
            return index

        try:
            self.result.imported = self.db.transact(work)
        except IntegrityError as exc:
            raise UserError("导入时发现客户编号或统一社会信用代码已被他人同时录入,未导入任何客户,请重新导入") from exc

    def _renumber_all(self, first: str) -> None:
        self.first_code, self.next_number = first, int(first[len(self.prefix):])
        indexes, self.generated = sorted(self.generated.values()), {}
        for index in indexes:
            self._renumber(index)


def import_customers(db: Database, *, actor: str, path: Path, mode: str = "all_or_nothing",
                     progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                     error_report_path: Path | None = None, today: date | None = None,
                     user: Principal | None = None) -> ImportResult:
    """Import the customers of an .xlsx sheet (first row: headers by Chinese label).

    mode "all_or_nothing": any bad row and nothing is imported; "valid_only": the valid rows are.
    `progress(rows, total)` is called while checking, and again while an error report is written.
    `cancelled()` is polled between chunks of rows; cancelling writes nothing (.cancelled is True).
    The error report (default `<name>.错误报告.xlsx` beside the source) is written only when rows fail.
    """
    if mode not in MODES:
        raise ValueError(mode)
    if user is not None:
        user.require("customer.import", "导入客户")
    path = Path(path)
    job = _Importer(db, actor=actor, path=path, mode=mode, today=today or date.today(),
                    progress=progress, cancelled=cancelled, user=user)
    try:
        job.check()
        if job.result.rejected:
            job.write_report(Path(error_report_path or path.with_name(f"{path.stem}.错误报告.xlsx")))
        if job.spool.count and (mode == "valid_only" or not job.result.rejected):
            job.write()
    except _Cancelled:
        if job.result.error_report:  # written before the rows; a cancelled import leaves nothing behind
            job.result.error_report.unlink(missing_ok=True)
        return ImportResult(total=job.result.total, cancelled=True)
    finally:
        job.spool.close()
    job.progress(job.result.total, job.result.total)
    return job.result
