"""The one guarded way to put a value into an Excel cell (公式注入防护) for every export.

openpyxl turns any string that starts with "=" into a live formula; Excel also re-reads a text cell that
starts with "+", "-" or "@" as a formula as soon as someone edits it. A customer or contact named like a
formula must reach the manager's Excel as the text that was typed. So user text that starts with one of
those characters is written as a string cell with Excel's quote prefix (the leading apostrophe, invisible,
not part of the value): it shows and reads back exactly as typed and stays text when edited. Characters
Excel refuses (control characters) are dropped, the rest is unchanged. Numbers, dates and None pass through.
"""
from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")  # what Excel or a CSV reader may take as a formula


def needs_guard(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _guard(cell: Cell, text: str) -> Cell:
    cell._value, cell.data_type = text, "s"  # assigning .value would make "=…" a formula
    cell.quotePrefix = True
    return cell


def set_value(cell: Cell, value) -> Cell:
    """Assign value to a cell of a normal (not write-only) sheet; user text never becomes a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if needs_guard(value):
            return _guard(cell, value)
    cell.value = value
    return cell


def put(ws, row: int, column: int, value=None) -> Cell:
    """ws.cell(row, column, value) with the guard: the cell, for styling."""
    return set_value(ws.cell(row=row, column=column), value)


def cell(ws, value, *, font=None, number_format: str | None = None):
    """A styled cell for ws.append (write-only or normal sheet) holding value with the guard."""
    made = WriteOnlyCell(ws)
    set_value(made, value)
    if font is not None:
        made.font = font
    if number_format is not None:
        made.number_format = number_format
    return made


def safe(ws, value):
    """What to hand ws.append for one value: the value itself when harmless, else a guarded cell."""
    if isinstance(value, str) and (needs_guard(value) or ILLEGAL_CHARACTERS_RE.search(value)):
        return cell(ws, value)
    return value


def row(ws, values: Iterable) -> list:
    """ws.append(row(ws, values)): every value through the guard."""
    return [safe(ws, v) for v in values]
