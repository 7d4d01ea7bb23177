"""Gapless document numbers (单据编号): a counter row per (kind, project, year), locked in the caller's
transaction. Rolling back gives the number back; the unique constraint on the document is the last guard.

Each document's hash covers its content and the previous document's hash in the series, so removing or
altering one breaks the chain (tamper evidence).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.domain.selection_chain import canonical, content_hash  # noqa: F401 (the series' hashing)
from app.services.offline.guard import refuse_offline_session
from models import DocumentSeries

KIND_CODES = {"ticket": "XP", "receipt": "SJ", "certificate": "PZ"}  # 选票 / 收据 / 凭证
KIND_NAMES = {"ticket": "选房工作票", "receipt": "收据", "certificate": "选房凭证"}


@dataclass(frozen=True)
class Taken:
    number: int
    display: str
    prev_hash: str


_S = DocumentSeries.__table__
# built once: constructing a statement costs about as much as running it on the hot path
_LOCK = (select(_S.c.last_number, _S.c.last_hash)
         .where(_S.c.kind == bindparam("kind"), _S.c.project_id == bindparam("project_id"),
                _S.c.year == bindparam("year")).with_for_update())
_ADVANCE = (update(_S).where(_S.c.kind == bindparam("b_kind"), _S.c.project_id == bindparam("b_project"),
                             _S.c.year == bindparam("b_year"), _S.c.last_number == bindparam("b_previous"))
            .values(last_number=bindparam("b_number"), last_hash=bindparam("b_hash")))


def take(s: Session, *, kind: str, project_id: uuid.UUID, project_code: str, year: int) -> Taken:
    """Lock the series row (creating it on first use) and return the next number; nothing is written yet."""
    refuse_offline_session(s, "取单据编号")  # numbers are gapless only at the central database
    key = {"kind": kind, "project_id": project_id, "year": year}
    conn = s.connection()
    row = conn.execute(_LOCK, key).one_or_none()
    if row is None:  # first document of the series: create the row, then lock it (one round trip less after)
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            s.execute(pg_insert(DocumentSeries).values(**key, last_number=0, last_hash="").on_conflict_do_nothing())
        elif dialect == "sqlite":  # BEGIN IMMEDIATE already holds the database's write lock
            s.execute(sqlite_insert(DocumentSeries).values(**key, last_number=0, last_hash="")
                      .on_conflict_do_nothing())
        else:
            s.execute(insert(DocumentSeries).values(**key, last_number=0, last_hash=""))
        row = conn.execute(_LOCK, key).one()
    last, last_hash = row
    number = last + 1
    return Taken(number, f"{project_code}-{KIND_CODES[kind]}-{year}-{number:06d}", last_hash)


def advance(s: Session, *, kind: str, project_id: uuid.UUID, year: int, number: int, new_hash: str) -> None:
    done = s.connection().execute(_ADVANCE, {"b_kind": kind, "b_project": project_id, "b_year": year,
                                             "b_previous": number - 1, "b_number": number, "b_hash": new_hash})
    if done.rowcount != 1:  # cannot happen while the row is locked; refuse rather than leave a gap
        raise RuntimeError("document series moved while locked")
