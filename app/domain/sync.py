"""Offline sync rules, pure: which fields an edit changed, who wins a field, and the portable encoding
of values in operations and conflicts (JSON that means the same on SQLite and PostgreSQL)."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

# columns the database keeps for itself: never a conflict, never sent as an edit
BOOKKEEPING = frozenset({"id", "version", "updated_at", "created_at"})


def encode(value):
    """A Python value as JSON-able data; decode(…, python_type) gives it back."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value  # str, int, bool, None


def python_type(sa_type) -> type:
    """The Python type behind a column type (a TypeDecorator reports `object`; ask its impl)."""
    impl = getattr(sa_type, "impl_instance", None) or getattr(sa_type, "impl", None)
    try:
        found = sa_type.python_type
    except NotImplementedError:
        found = object
    if found is object and impl is not None and not isinstance(impl, type):
        return python_type(impl)
    return found


def decode(data, python_type: type):
    if data is None:
        return None
    if python_type is uuid.UUID:
        return uuid.UUID(str(data))
    if python_type is Decimal:
        return Decimal(str(data))
    if python_type is datetime:
        value = datetime.fromisoformat(data)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if python_type is date:
        return date.fromisoformat(data[:10])
    if python_type is bool:
        return bool(data)
    if python_type is int:
        return int(data)
    return data


def same(a, b) -> bool:
    """Equal as stored: 12.5 and 12.50, the same instant in two time zones."""
    ea, eb = encode(a), encode(b)
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(ea)) == Decimal(str(eb))
        except Exception:  # noqa: BLE001 - one side is not a number: they differ
            return False
    return ea == eb


def dumps(value) -> str:
    return json.dumps(encode(value), ensure_ascii=False)


def changed_fields(old: dict, new: dict, *, skip: frozenset[str] = BOOKKEEPING) -> dict[str, tuple]:
    """{field: (old, new)} for what an update changed, leaving out bookkeeping columns."""
    return {k: (old.get(k), v) for k, v in new.items() if k not in skip and not same(old.get(k), v)}


def decide(*, expected, central, mine) -> str:
    """One field of an offline edit against the central row.

    apply    — central still holds what the laptop replaced: take the laptop's value;
    same     — central already holds the laptop's value (a replay, or both made the same edit);
    conflict — central changed meanwhile: central (first to sync) wins, the laptop's value goes to the
               conflict list. Deterministic: the outcome depends only on the three values.
    """
    if same(central, mine):
        return "same"
    if same(central, expected):
        return "apply"
    return "conflict"
