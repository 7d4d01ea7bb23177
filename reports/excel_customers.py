"""Customer workbooks (客户 Excel): stream rows in and out with openpyxl — plain values, no database.

Reading uses read_only mode and writing write_only mode, so a 100,000-row sheet never sits in
memory (openpyxl's normal mode needs ~700 MB for 100k × 15 cells). Files are written to a
temporary name and renamed at the end: a cancelled or failed export leaves no half file.
"""
from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from reports import excel_safe as xs

AMOUNT_FORMAT = "#,##0.00"
ERROR_HEADER = "错误说明"
_BOLD = Font(bold=True)
_RED = Font(color="C00000")
_ERROR_FILL = PatternFill("solid", fgColor="FCE4D6")


class WorkbookError(Exception):
    """The file cannot be read or written; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Column:
    """One exported column: header text, kind (text / amount / int / date) and width in characters."""

    label: str
    kind: str = "text"
    width: float = 14


# ---------------------------------------------------------------- reading


class Sheet:
    """The active worksheet of an .xlsx being streamed: header row, then data rows with their row numbers."""

    def __init__(self, ws):
        self.title = getattr(ws, "title", "")  # which sheet was read: the import dialog says so
        self._rows = enumerate(ws.iter_rows(values_only=True), start=1)
        self.header: list[str] = []
        self.header_row = 0
        for number, values in self._rows:
            if not is_blank(values):
                self.header = [display(v).strip() for v in values]
                while self.header and not self.header[-1]:
                    self.header.pop()  # trailing empty cells are formatting, not columns
                self.header_row = number
                break
        max_row = ws.max_row  # from the sheet's dimension record: an estimate, may be missing
        self.estimated_rows = max(int(max_row) - self.header_row, 0) if max_row else 0

    def data(self) -> Iterator[tuple[int, list]]:
        """(sheet row number, values cut or padded to the header's width) for every non-blank row."""
        width = len(self.header)
        for number, values in self._rows:
            if is_blank(values):
                continue
            row = list(values[:width])
            if len(row) < width:
                row.extend([None] * (width - len(row)))
            yield number, row


@contextmanager
def open_sheet(path: Path) -> Iterator[Sheet]:
    """Stream the active sheet of an .xlsx file (read_only: memory stays flat whatever the size)."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except FileNotFoundError as exc:
        raise WorkbookError(f"找不到文件:{path}") from exc
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise WorkbookError(f"无法读取 Excel 文件 {Path(path).name}:请使用 .xlsx 格式(可在 Excel 中“另存为”)") from exc
    try:
        yield Sheet(wb.active)
    finally:
        wb.close()  # read_only keeps the zip open until closed


def is_blank(values: Sequence) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def display(value) -> str:
    """A cell as the user would read it: dates as 2026-11-25, 100000.0 as 100000."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value)


def serial_date(value: float) -> date | None:
    """A number typed into a date column without a date format (Excel's day count), or None."""
    if isinstance(value, bool) or not 1 <= value < 2958466:
        return None
    return from_excel(value).date()


# ---------------------------------------------------------------- writing


class _RowWriter:
    """Turns plain values into cells; styled cells are made once per column and reused row after row."""

    def __init__(self, ws, kinds: Sequence[str]):
        self.ws = ws
        self.amounts = []
        for i, kind in enumerate(kinds):
            if kind == "amount":
                cell = WriteOnlyCell(ws)
                cell.number_format = AMOUNT_FORMAT
                self.amounts.append((i, cell))

    def row(self, values: Sequence) -> list:
        out = list(values)
        for i, cell in self.amounts:
            value = out[i]
            if value is not None and not isinstance(value, str):
                cell.value = value
                out[i] = cell  # written before the next row is appended, so reuse is safe
        for i, value in enumerate(out):
            if value.__class__ is str and value:
                out[i] = xs.safe(self.ws, value)  # never a formula, control characters dropped
        return out


def _header_cells(ws, labels: Sequence[str], error_label: str | None = None) -> list:
    cells = [xs.cell(ws, label, font=_BOLD) for label in labels]  # an imported sheet's headers are user text
    if error_label is not None:
        cells.append(xs.cell(ws, error_label, font=Font(bold=True, color="C00000")))
    return cells


@contextmanager
def _atomic_target(path: Path) -> Iterator[Path]:
    """Write next to the target, then rename: readers never see half a file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.part", dir=path.parent)
    except OSError as exc:
        raise WorkbookError(f"无法写入 {path.parent}:{exc.strerror or exc}") from exc
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, path)
        except PermissionError as exc:
            raise WorkbookError(f"无法写入 {path}:文件可能正在 Excel 中打开,请关闭后重试") from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_table(path: Path, columns: Sequence[Column], rows: Iterable[Sequence], *,
                sheet_title: str = "客户", exported_by: str = "", exported_at: str = "") -> int:
    """Write a header row (bold, frozen) and the rows; amounts get 2 decimals, dates show as yyyy-mm-dd.

    `rows` may be a generator that raises to abandon the file (cancel): nothing is left at `path`.
    Returns the number of data rows written.
    """
    count = 0
    with _atomic_target(path) as tmp:
        wb = Workbook(write_only=True)
        if exported_by:  # who took the data out, and when: in the file's properties (文件属性)
            wb.properties.creator = exported_by
            wb.properties.lastModifiedBy = exported_by
            wb.properties.description = f"导出人:{exported_by};导出时间:{exported_at}"
        ws = wb.create_sheet(sheet_title)
        for i, col in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.freeze_panes = "A2"
        ws.append(_header_cells(ws, [c.label for c in columns]))
        writer = _RowWriter(ws, [c.kind for c in columns])
        with _abandon_on_error(wb):
            for values in rows:
                ws.append(writer.row(values))
                count += 1
        _save(wb, tmp)
    return count


def write_error_report(path: Path, header: Sequence[str], rows: Iterable[tuple[Sequence, str]]) -> int:
    """A copy of the imported sheet with a last column 错误说明; rows with a message are highlighted.

    `rows` yields (values as read, message or ''). Returns the number of rows written.
    """
    count = 0
    with _atomic_target(path) as tmp:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("错误报告")
        for i in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(i)].width = 16
        ws.column_dimensions[get_column_letter(len(header) + 1)].width = 60
        ws.freeze_panes = "A2"
        ws.append(_header_cells(ws, header, ERROR_HEADER))
        writer = _RowWriter(ws, ["text"] * len(header))
        with _abandon_on_error(wb):
            for values, message in rows:
                out = writer.row([_plain_date(v) for v in values])
                if message:
                    cell = xs.cell(ws, message, font=_RED)
                    cell.fill = _ERROR_FILL
                    out.append(cell)
                ws.append(out)
                count += 1
        _save(wb, tmp)
    return count


@contextmanager
def _abandon_on_error(wb: Workbook) -> Iterator[None]:
    """A write-only sheet left unsaved (cancel, error) is closed at once and its temporary file removed;
    otherwise openpyxl finishes it during garbage collection, writing into a closed file."""
    try:
        yield
    except BaseException:
        for ws in wb.worksheets:
            try:
                ws.close()
                ws._writer.cleanup()
            except Exception:  # best effort: the original error is the one worth reporting
                pass
        raise


def _plain_date(value):
    # a date read back from Excel is a midnight datetime; write it as a date again
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    return value


def _save(wb: Workbook, target: Path) -> None:
    try:
        wb.save(target)
    except PermissionError as exc:
        raise WorkbookError(f"无法写入 {target.parent}:没有写入权限") from exc
