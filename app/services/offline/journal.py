"""The laptop's journal: SQLite triggers write every insert, update and delete of a syncable table as an
operation (its own UUID, the table, the row, the old and the new values as JSON) in the same transaction
as the change — whichever service, ORM or Core statement made it. Pulled central changes are written
with `quiet()` set, so they are not journalled back. Tables that never change offline get a trigger that
refuses the write (the services refuse first, with a clearer message).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, delete, func, insert, select
from sqlalchemy.orm import Session

from app.db import Database
from app.services.offline.registry import LOCAL_ONLY, REFERENCE, SYNCABLE
from app.services.users import Principal

LOCAL = MetaData()
sync_op = Table(
    "sync_op", LOCAL,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(32), nullable=False, unique=True),
    Column("table_name", String(40), nullable=False),
    Column("row_id", String(32), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("old", Text),
    Column("new", Text),
    Column("at", String(40), nullable=False),
    sqlite_autoincrement=True,
)
sync_state = Table("sync_state", LOCAL, Column("key", String(40), primary_key=True), Column("value", Text))
# the laptop's read_log rows the central database has taken (readlog.py)
sync_read_sent = Table("sync_read_sent", LOCAL, Column("id", String(32), primary_key=True))
sync_quiet = Table("sync_quiet", LOCAL, Column("n", Integer, primary_key=True))

NOT_QUIET = "NOT EXISTS (SELECT 1 FROM sync_quiet)"
from app.db.session import OFFLINE_MARK  # noqa: E402  (shared with Database.transact)


def _json(ref: str, columns: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {ref}.\"{c}\"" for c in columns) + ")"


def journal_triggers(table: Table) -> list[str]:
    cols = [c.name for c in table.columns]
    now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    out = []
    for event, ref, old, new in (("INSERT", "NEW", "NULL", _json("NEW", cols)),
                                 ("UPDATE", "NEW", _json("OLD", cols), _json("NEW", cols)),
                                 ("DELETE", "OLD", _json("OLD", cols), "NULL")):
        out.append(
            f'CREATE TRIGGER IF NOT EXISTS "sync_journal_{table.name}_{event[:3].lower()}" AFTER {event} '
            f'ON "{table.name}" WHEN {NOT_QUIET} BEGIN INSERT INTO sync_op (id, table_name, row_id, kind, old, new, at) '
            f"VALUES (lower(hex(randomblob(16))), '{table.name}', {ref}.id, '{event.lower()}', {old}, {new}, {now}); END")
    return out


def guard_triggers(table: str) -> list[str]:
    return [f'CREATE TRIGGER IF NOT EXISTS "offline_guard_{table}_{e[:3].lower()}" BEFORE {e} ON "{table}" '
            f"WHEN {NOT_QUIET} BEGIN SELECT RAISE(ABORT, '{OFFLINE_MARK}{table}'); END"
            for e in ("INSERT", "UPDATE", "DELETE")]


def install(s: Session) -> None:
    """On a new replica: local tables, journal triggers on syncable tables, guards on the rest."""
    from models import Base

    conn = s.connection()
    LOCAL.create_all(conn)
    for name in SYNCABLE:
        for sql in journal_triggers(Base.metadata.tables[name]):
            conn.exec_driver_sql(sql)
    local_ok = set(SYNCABLE) | set(REFERENCE) | set(LOCAL_ONLY) | set(LOCAL.tables)
    names = [r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'customer_fts%'")]
    for name in names:
        if name not in local_ok:
            for sql in guard_triggers(name):
                conn.exec_driver_sql(sql)


class quiet:
    """Inside the caller's transaction: writes are central changes arriving, not local edits."""

    def __init__(self, s: Session):
        self.s = s

    def __enter__(self):
        self.s.execute(insert(sync_quiet).prefix_with("OR IGNORE").values(n=1))
        return self

    def __exit__(self, *exc):
        self.s.execute(delete(sync_quiet))


def get_state(s: Session, key: str, default: str | None = None) -> str | None:
    value = s.scalar(select(sync_state.c.value).where(sync_state.c.key == key))
    return default if value is None else value


def set_state(s: Session, key: str, value: str | None) -> None:
    s.execute(delete(sync_state).where(sync_state.c.key == key))
    s.execute(insert(sync_state).values(key=key, value=value))


@dataclass(frozen=True)
class Operation:
    """One offline change, as sent: values are {field: [expected, mine]} in the portable encoding."""

    id: uuid.UUID
    seq: int
    table: str
    row_id: uuid.UUID
    kind: str  # insert / update / delete
    values: dict
    at: datetime


def _decoder(table: Table, dialect):
    from app.domain.sync import encode

    procs = {c.name: c.type._cached_result_processor(dialect, None) for c in table.columns}

    def python(raw: str | None) -> dict:
        if raw is None:
            return {}
        out = {}
        for k, v in json.loads(raw).items():
            proc = procs.get(k)
            out[k] = proc(v) if proc is not None and v is not None else v
        return out

    def portable(raw: str | None) -> dict:
        return {k: encode(v) for k, v in python(raw).items()}

    return portable


def pending(db: Database, *, user: Principal, limit: int | None = None) -> list[Operation]:
    """The operations not yet acknowledged by the server, oldest first."""
    user.require("offline.checkout", "离线同步")
    from app.domain.sync import changed_fields

    decoders = {}
    out = []
    with db.read() as s:
        q = select(sync_op).order_by(sync_op.c.seq)
        if limit:
            q = q.limit(limit)
        for r in s.execute(q).mappings():
            table = SYNCABLE[r["table_name"]].t if r["table_name"] in SYNCABLE else None
            if table is None:  # cannot happen through the triggers; the server refuses it anyway
                values = {"_raw": [r["old"], r["new"]]}
            else:
                dec = decoders.setdefault(table.name, _decoder(table, db.engine.dialect))
                old, new = dec(r["old"]), dec(r["new"])
                if r["kind"] == "update":
                    values = {k: list(v) for k, v in changed_fields(old, new).items()}
                elif r["kind"] == "insert":
                    values = {k: [None, v] for k, v in new.items()}
                else:
                    values = {k: [v, None] for k, v in old.items()}
            at = datetime.fromisoformat(r["at"].replace("Z", "+00:00")).astimezone(UTC)
            out.append(Operation(uuid.UUID(r["id"]), r["seq"], r["table_name"], uuid.UUID(r["row_id"]),
                                 r["kind"], values, at))
    return out


def pending_count(db: Database, *, user: Principal) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(sync_op)) or 0


def acknowledge(s: Session, op_ids: list[uuid.UUID]) -> None:
    """In the laptop's transaction that also refreshes the rows: these operations are done."""
    if op_ids:
        s.execute(delete(sync_op).where(sync_op.c.id.in_([o.hex for o in op_ids])))


def is_offline_refusal(exc: BaseException) -> bool:
    return OFFLINE_MARK in str(exc)
