"""Shared parts of the selection desk's list readers (房源表 / 购房者名单): flexible Chinese headers,
per-row errors, and the empty template with one example row.

Headers are matched after NFKC (full-width brackets and letters), without spaces, a trailing * and a
bracketed unit such as (㎡); each column has the synonyms people actually type.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports import excel_safe as xs
from reports.excel_customers import _atomic_target, _save, display

EXAMPLE_NOTE = "示例行(导入时忽略)"  # the template's example row carries this and is skipped on import
_UNIT_SUFFIX = re.compile(r"\([^()]*\)$")


@dataclass(frozen=True)
class RowError:
    """A problem on one sheet row (row 0: the file as a whole), in Chinese."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行:{self.message}" if self.row else self.message


@dataclass
class ReadResult:
    """Rows that read cleanly, and the errors of the others (a row with an error is not in rows)."""

    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Spec:
    """One column: key, the label written in templates, synonyms, required or not."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = True
    text: bool = False  # formatted as text in the template (IDs, room numbers keep leading zeros)


def header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = "".join(text.split()).rstrip("*")
    return _UNIT_SUFFIX.sub("", text) or text


def find_columns(header: Sequence[str], specs: Sequence[Spec]) -> tuple[dict[str, int], list[str]]:
    """({key: column index}, labels of missing required columns); the first matching column wins."""
    wanted = {}
    for spec in specs:
        for name in (spec.label, *spec.synonyms):
            wanted.setdefault(header_key(name), spec.key)
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        key = wanted.get(header_key(h))
        if key and key not in found:
            found[key] = i
    missing = [s.label for s in specs if s.required and s.key not in found]
    return found, missing


def missing_message(missing: Sequence[str]) -> str:
    return f"表格缺少必需的列:{'、'.join(missing)}。请在第一行写上这些列名(可先下载模板对照)。"


def cell_text(value) -> str:
    """A cell as text, NFKC-normalised and stripped (full-width digits typed in Chinese IME)."""
    return unicodedata.normalize("NFKC", display(value)).strip()


def is_example(values: Sequence) -> bool:
    return any(isinstance(v, str) and v.strip() == EXAMPLE_NOTE for v in values)


def picker(columns: Mapping[str, int], values: Sequence):
    """get(key) → the cell value of that column, or None when the column is absent."""
    return lambda key: values[columns[key]] if key in columns else None


def data_rows(path: Path, specs: Sequence[Spec], result: ReadResult, *, headers_hint: str,
              ) -> Iterator[tuple[int, Callable]]:
    """(sheet row number, get(column key)) for each data row; an empty sheet or missing columns end the
    reading with one error in `result`, and the template's example row is skipped."""
    from reports.excel_customers import open_sheet  # the customer import's streaming reader

    with open_sheet(path) as sheet:
        if not sheet.header:
            result.errors.append(RowError(0, f"表格是空的:第一行应是列名({headers_hint})。"))
            return
        columns, missing = find_columns(sheet.header, specs)
        if missing:
            result.errors.append(RowError(sheet.header_row, missing_message(missing)))
            return
        for number, values in sheet.data():
            if not is_example(values):
                yield number, picker(columns, values)


def required(get: Callable, key: str, label: str, parse: Callable, problems: list[str]):
    """The parsed value of a required cell, or None with the problem (empty, or parse's ValueError) noted."""
    if not cell_text(get(key)):
        problems.append(f"{label}为空")
        return None
    try:
        return parse(get(key))
    except ValueError as exc:
        problems.append(str(exc))
        return None


def write_template(path: Path, specs: Sequence[Spec], example: Sequence, *, title: str) -> None:
    """An empty sheet with bold headers, text-formatted ID columns and one example row (skipped on import)."""
    with _atomic_target(path) as tmp:
        wb = Workbook()
        ws = wb.active
        ws.title = title
        ws.append([s.label for s in specs])
        ws.append(xs.row(ws, example))
        for i, spec in enumerate(specs, start=1):
            letter = get_column_letter(i)
            ws[f"{letter}1"].font = Font(bold=True, color="000000" if spec.required else "595959")
            ws.column_dimensions[letter].width = 22 if spec.text else 14
            if spec.text:  # what the user types later stays text: no 1.10105E+17, no lost leading zero
                ws.column_dimensions[letter].number_format = "@"
                ws[f"{letter}2"].number_format = "@"
        ws.freeze_panes = "A2"
        _save(wb, tmp)
