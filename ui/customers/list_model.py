"""Customer list model: holds the ids of the current query, fetches display rows a page at a time.

The query runs in SQL (filter and sort); the model only pages. At 100,000 rows the view asks
for ~40 visible rows, so ~1 page query per scroll step instead of loading everything.
"""
from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain import vocab
from app.services.customer_search import PAGE, as_uuid
from ui.tr import N_
from ui.vocab import label

_ROOT = QModelIndex()
MAX_PAGES = 64

COLUMNS = (  # (key, English header for translation, sort key in SQL or None)
    ("code", N_("Code"), "code"),
    ("name", N_("Customer name"), "name"),
    ("status", N_("Status"), "status"),
    ("grade", N_("Grade"), "grade"),
    ("industry", N_("Industry"), "industry"),
    ("region", N_("Region"), "region"),
    ("owner_name", N_("Owner"), None),
    ("phone", N_("Phone"), "phone"),
    ("reverify_status", N_("Re-verification"), "last_verified_on"),
)
_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole})
BLACKLIST_BRUSH = QBrush(QColor("#b00020"))
OVERDUE_BRUSH = QBrush(QColor("#c25e00"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerListModel", text)


class CustomerListModel(QAbstractTableModel):
    def __init__(self, fetch_rows: Callable[[list[uuid.UUID]], list], parent=None):
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._ids: list[uuid.UUID] = []
        self._pages: OrderedDict[int, list] = OrderedDict()
        self._reverify = {"ok": _tr("OK"), "due": _tr("Due soon"), "overdue": _tr("Overdue")}

    # --- data source -------------------------------------------------------------
    def set_ids(self, ids: list, first_rows: list | None = None) -> None:
        """ids as customer_search.search_keys returns them; turned into UUIDs only when shown.
        first_rows: the first page's rows when the search brought them (search_page), so the first
        paint needs no second query."""
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        if first_rows is not None and ids:
            self._pages[0] = _aligned(ids[:PAGE], first_rows)
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Re-read the visible data (after an edit) without re-running the query."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def id_at(self, row: int) -> uuid.UUID | None:
        return as_uuid(self._ids[row]) if 0 <= row < len(self._ids) else None

    def row_of(self, customer_id: uuid.UUID) -> int:
        key = customer_id.hex if self._ids and isinstance(self._ids[0], str) else customer_id
        try:
            return self._ids.index(key)
        except ValueError:
            return -1

    def _row(self, row: int):
        page = row // PAGE
        rows = self._pages.get(page)
        if rows is None:
            chunk = self._ids[page * PAGE:(page + 1) * PAGE]
            rows = _aligned(chunk, self._fetch_rows(chunk))
            self._pages[page] = rows
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[row - page * PAGE]

    # --- Qt model ------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return _tr(COLUMNS[section][1])
            return str(section + 1)
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid():  # the view asks ~10 roles per cell; most are unused
            return None
        row = self._row(index.row())
        if row is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(row, key)
            if key == "status":
                return label(vocab.STATUS, value)
            if key == "industry":
                return label(vocab.INDUSTRY, value)
            if key == "reverify_status":
                return self._reverify.get(value, value)
            if key == "name" and row.blacklisted:
                return f"{value}  [{_tr('Blacklisted')}]"
            return value
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.blacklisted:
                return BLACKLIST_BRUSH
            if key == "reverify_status" and row.reverify_status == "overdue":
                return OVERDUE_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole and row.blacklisted:
            return _tr("This customer is on the blacklist")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def sort_key(self, column: int) -> str | None:
        return COLUMNS[column][2]


def _aligned(keys: list, rows: list) -> list:
    """One row (or None) per key: a row that vanished meanwhile (merged) leaves a gap, positions stay."""
    if len(rows) == len(keys):
        return rows
    by_id = {r.id: r for r in rows}
    return [by_id.get(as_uuid(k)) for k in keys]
