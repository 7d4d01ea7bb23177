"""The tamper chain of the ticket desk's documents (防篡改链): each document's hash covers what it stores and
the previous document's hash in its series, so altering or removing one breaks every later link.

Version 1 (documents issued before revision 0021) hashed the printed JSON only; version 2 hashes every
stored column — amount, buyer, flat, ticket, reversal link, issuer, time, number — with the JSON. Old rows
keep verifying under version 1; the version is itself hashed in version 2, so it cannot be flipped back.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

CENT = Decimal("0.01")
HASH_VERSION = 2
# the stored columns version 2 covers (everything but the digest itself)
COLUMNS = ("hash_version", "kind", "project_id", "year", "number", "display_number", "commission_id", "buyer_id",
           "flat_id", "ticket_id", "amount", "purpose", "reverses_id", "content", "prev_hash", "issued_by",
           "issued_by_id", "issued_at")


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(type(value))


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def content_hash(prev_hash: str, body: str) -> str:
    """Version 1: the printed JSON and the previous hash."""
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def _column(name: str, value) -> str:
    if value is None:
        return ""
    if name == "amount":
        return str(Decimal(value).quantize(CENT))
    if name == "issued_at":  # the same instant reads back naive from some drivers: UTC either way
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    return str(value)


def row_hash(row: Mapping) -> str:
    """Version 2: every stored column, in a fixed order, one per line (the JSON is escaped onto its line)."""
    lines = [f"{name}={json.dumps(_column(name, row[name]), ensure_ascii=False)}" for name in COLUMNS]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def expected_hash(row: Mapping) -> str:
    """What a stored document's content_hash must be, by the version it was issued under."""
    if (row.get("hash_version") or 1) >= 2:
        return row_hash(row)
    return content_hash(row["prev_hash"], row["content"])
