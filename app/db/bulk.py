"""Bulk inserts for the hot write paths (demo data, Excel import): SQLAlchemy's own type processing,
without its per-row statement machinery, on SQLite; plain Core executemany elsewhere."""
from __future__ import annotations

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def bulk_insert(s: Session, table: Table, rows: list[dict]) -> None:
    """Insert rows that all carry the same keys; column defaults fill the keys they leave out."""
    if not rows:
        return
    conn = s.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        s.execute(insert(table), rows)
        return
    keys = list(rows[0])
    defaults = {}
    for column in table.columns:
        if column.key not in rows[0] and column.default is not None:
            arg = column.default.arg
            defaults[column.key] = arg(None) if callable(arg) else arg  # one timestamp for the batch
    columns = keys + list(defaults)
    procs = [table.c[k].type._cached_bind_processor(dialect) for k in columns]
    tail = tuple(defaults.values())
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    params = [tuple(v if p is None or v is None else p(v)
                    for p, v in zip(procs, (*(r[k] for k in keys), *tail), strict=True)) for r in rows]
    conn.exec_driver_sql(sql, params)
