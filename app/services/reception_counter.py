"""Yearly numbers for tour permits (许可编号) and complaints (投诉编号): gapless, never reused.

The counter row is locked inside the caller's transaction (PostgreSQL `FOR UPDATE`; SQLite already holds the
write lock from BEGIN IMMEDIATE), so a rollback gives the number back and two desks never get the same one.
"""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models import ReceptionCounter

_C = ReceptionCounter.__table__


def take(s: Session, *, kind: str, year: int) -> int:
    """Lock (creating on first use) and advance the counter; returns the new number."""
    lock = select(_C.c.last_number).where(_C.c.kind == kind, _C.c.year == year).with_for_update()
    last = s.execute(lock).scalar_one_or_none()
    if last is None:
        dialect = s.get_bind().dialect.name
        values = {"kind": kind, "year": year, "last_number": 0}
        if dialect == "postgresql":
            s.execute(pg_insert(_C).values(**values).on_conflict_do_nothing())
        elif dialect == "sqlite":
            s.execute(sqlite_insert(_C).values(**values).on_conflict_do_nothing())
        else:
            s.execute(insert(_C).values(**values))
        last = s.execute(lock).scalar_one()
    number = last + 1
    s.execute(update(_C).where(_C.c.kind == kind, _C.c.year == year).values(last_number=number))
    return number
