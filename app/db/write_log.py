"""Every committed write transaction, one INFO line in the log: who, and which tables how many rows.

Table names and row counts only: the values (customer names, phone numbers, amounts) never reach the log.
Hooked on the engine, so services need not remember it and raw SQL is covered too.
"""
from __future__ import annotations

import logging
import re
from collections import Counter

from sqlalchemy import Engine, event

log = logging.getLogger("kedesk.writes")
_DML = re.compile(r'^\s*(insert|update|delete)\b(?:\s+or\s+\w+)?\s+(?:into\s+|from\s+)?"?([\w.]+)"?',
                  re.IGNORECASE)
_KEY = "kedesk_writes"


def _record(conn, cursor, statement, parameters, context, executemany) -> None:
    head = statement.lstrip()[:6].lower()
    if head not in ("insert", "update", "delete"):
        return
    found = _DML.match(statement)
    if found:
        rows = len(parameters) if executemany and parameters is not None else 1
        conn.info.setdefault(_KEY, Counter())[(found.group(1).lower(), found.group(2))] += rows


def _committed(conn) -> None:
    writes = conn.info.pop(_KEY, None)
    if writes:
        from app.logs import current_user

        what = ", ".join(f"{verb} {table}×{n}" for (verb, table), n in sorted(writes.items()))
        log.info("write by %s: %s", current_user(), what)


def _rolled_back(conn) -> None:
    conn.info.pop(_KEY, None)


def install(engine: Engine) -> None:
    if event.contains(engine, "before_cursor_execute", _record):
        return
    event.listen(engine, "before_cursor_execute", _record)
    event.listen(engine, "commit", _committed)
    event.listen(engine, "rollback", _rolled_back)
