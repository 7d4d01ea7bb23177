"""Compare-and-set saves (已被他人修改): the database enforces the version, the user sees both versions.

Editable rows map their `version` column as SQLAlchemy's version_id_col (set by the services, not
generated), so every UPDATE or DELETE of such a row says `WHERE id = :id AND version = :loaded`. On
PostgreSQL two desks that both read version 3 both pass the services' own check, but the second UPDATE
waits for the first row lock and then matches no row: SQLAlchemy raises StaleDataError, Database.transact
runs the work once more on fresh rows, and the services' check turns it into StaleEdit with both versions.
"""
from __future__ import annotations

from collections.abc import Iterable

from app.errors import StaleEdit
from app.services import audit


def check(*, what: str, expected: int | None, found: int, stored: dict, typed: dict,
          labels: Iterable) -> None:
    """Raise StaleEdit when the row moved on since the user opened it; name the fields that differ."""
    if expected is None or expected == found:
        return
    names = {f.key: f.label for f in labels}
    differences = []
    for key, mine in typed.items():
        theirs_text, mine_text = audit.as_text(stored.get(key)), audit.as_text(mine)
        if key in names and theirs_text != mine_text:
            differences.append((names[key], theirs_text, mine_text))
    raise StaleEdit(what=what, expected=expected, found=found, differences=differences)
