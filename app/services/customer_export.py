"""Excel export of customer cards (导出客户): the list's current filter and order, every card field.

The rows stream from one query (server-side cursor on PostgreSQL) straight into openpyxl's
write_only writer: 100,000 customers never exist as ORM objects or as one list. Headers are
the Chinese field labels, so an exported file imports again unchanged (customer_import).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select

from app import settings
from app.db import Database
from app.domain.fields import CUSTOMER_FIELDS
from app.errors import UserError
from app.services import access
from app.services.customer_search import CustomerFilter, build_query
from app.services.users import Principal
from models import BlacklistEntry, Customer, Department, Staff
from reports import excel_customers as xl

CHUNK = 1000  # rows fetched per round trip, and between cancel checks
BLACKLIST_LABEL = "黑名单"
_WIDTHS = {"name": 32, "address": 32, "business_scope": 32, "note": 32, "uscc": 22, "lost_reason": 20,
           "unsuitable_visit_times": 20}
_KINDS = {"amount": "amount", "int": "int", "date": "date"}


class _Cancelled(Exception):
    pass


def columns() -> list[xl.Column]:
    """The exported columns: every card field by its Chinese label, then 黑名单 (是/否)."""
    cols = [xl.Column(f.label, _KINDS.get(f.kind, "text"), _WIDTHS.get(f.key, 12)) for f in CUSTOMER_FIELDS]
    return cols + [xl.Column(BLACKLIST_LABEL, "text", 8)]


def _text(value):
    return value or None  # an empty cell rather than an empty string


def _same(value):
    return value


def _cell_makers(s) -> list[Callable]:
    staff = dict(s.execute(select(Staff.id, Staff.name)).all())
    depts = dict(s.execute(select(Department.id, Department.name)).all())
    makers = []
    for spec in CUSTOMER_FIELDS:
        if spec.kind == "vocab":
            makers.append(lambda v, voc=spec.vocabulary: voc.label(v) or None)
        elif spec.kind == "staff":
            makers.append(lambda v, names=staff: names.get(v))
        elif spec.kind == "department":
            makers.append(lambda v, names=depts: names.get(v))
        elif spec.kind == "bool":
            makers.append(lambda v: "是" if v else "否")
        elif spec.kind in _KINDS:
            makers.append(_same)
        else:
            makers.append(_text)
    return makers


def export_customers(db: Database, *, path: Path, flt: CustomerFilter,
                     progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None, today: date | None = None,
                     user: Principal | None = None) -> int:
    """Write the customers matching `flt`, in the list's order, to an .xlsx file; returns how many.

    `progress(rows, total)` is called per chunk; `cancelled()` is polled between chunks, and a
    cancelled export leaves no file (an existing file at `path` stays as it was) and returns 0.
    """
    rules = settings.get_all(db)
    if user is not None:
        access.require_logged(db, user, "customer.export", "导出客户资料")
    ids = build_query(db, flt, today or date.today(), rules, user)
    query = ids.with_only_columns(Customer.id, *(getattr(Customer, f.key) for f in CUSTOMER_FIELDS))
    with db.read() as s:
        total = s.scalar(select(func.count()).select_from(ids.subquery())) or 0
        listed = set(s.scalars(select(BlacklistEntry.customer_id).where(BlacklistEntry.removed_on.is_(None))))
        makers = _cell_makers(s)

    def rows() -> Iterator[list]:
        done = 0
        with db.read() as s:
            result = s.execute(query, execution_options={"yield_per": CHUNK})
            for part in result.partitions():
                if cancelled and cancelled():
                    raise _Cancelled
                for r in part:
                    cells = [make(v) for make, v in zip(makers, r[1:], strict=True)]
                    cells.append("是" if r[0] in listed else "否")
                    yield cells
                done += len(part)
                if progress:
                    progress(done, max(total, done))

    try:
        who = f"{user.display_name}({user.username})" if user else ""
        count = xl.write_table(Path(path), columns(), rows(), sheet_title="客户", exported_by=who,
                               exported_at=datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
    except _Cancelled:
        return 0
    except xl.WorkbookError as exc:
        raise UserError(str(exc)) from exc
    if progress:
        progress(count, count)
    if user is not None:
        access.log_export(db, user, count=count, note=Path(path).name)
    return count
