"""Merging duplicate cards (合并客户) and finding them (查重): everything that points at a customer follows.

The rows to move are not listed by hand: every foreign key to `customer` in the models' metadata is
followed, so a table added later moves with the merge too. The few exceptions are named in SPECIAL with
their reason (tests/services/test_customer_merge.py enumerates the keys and checks nothing stays behind).
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Table, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.normalise import name_key, phone_key
from app.domain.validation import normalise_uscc
from app.errors import NotFound, ValidationFailed
from app.services import access, customer_contacts
from app.services.users import Principal
from models import Base, Customer

# (table, column) -> what a merge does instead of moving the row to the kept card
SPECIAL = {
    ("access_request", "customer_id"): "a loan lent that archive at its level; it must not widen to the kept card",
    ("customer_contact", "customer_id"): "customer_contacts.move_on_merge: nobody counted twice",
}


def customer_references() -> list[tuple[Table, str]]:
    """Every (table, column) with a foreign key to customer.id, from the models' metadata."""
    out = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == Customer.__tablename__:
                out.append((table, fk.parent.name))
    return sorted(out, key=lambda r: (r[0].name, r[1]))


def _unique_partners(table: Table, column: str) -> list[list[str]]:
    """The other columns of each unique constraint that includes `column` (a move may collide there)."""
    out = []
    if column in table.primary_key.columns.keys():  # one row per customer (e.g. its map location)
        out.append([k for k in table.primary_key.columns.keys() if k != column])
    for c in table.constraints:
        if isinstance(c, UniqueConstraint) and column in c.columns.keys():
            out.append([k for k in c.columns.keys() if k != column])
    for index in table.indexes:
        if index.unique and column in index.columns.keys():
            out.append([k for k in index.columns.keys() if k != column])
    return out


def move_references(s: Session, *, keep_id: uuid.UUID, merge_id: uuid.UUID) -> list[str]:
    """Point every row of the merged card at the kept one; returns notes on rows that could not move
    (the kept card already has its own row for the same year/quarter/period: the kept one stands)."""
    notes = []
    for table, column in customer_references():
        if (table.name, column) in SPECIAL:
            continue
        col = table.c[column]
        for partners in _unique_partners(table, column):
            kept = table.alias("kept")
            clash = select(kept.c[column]).where(kept.c[column] == keep_id,
                                                 *[kept.c[p] == table.c[p] for p in partners]).exists()
            dropped = s.execute(select(table).where(col == merge_id, clash)).mappings().all()
            if dropped:
                s.execute(delete(table).where(col == merge_id, clash))
                notes.extend(f"{table.name}: 保留本卡已有记录,合并卡的重复记录 {dict(r)} 未保留" for r in dropped)
        values = {column: keep_id}
        if "version" in table.c:  # an editor open on a moved row must reload it (compare-and-set)
            values["version"] = table.c.version + 1
        s.execute(update(table).where(col == merge_id).values(**values))
    customer_contacts.move_on_merge(s, keep_id=keep_id, merge_id=merge_id)
    return notes


# ---- the duplicate scan (查重) ----

@dataclass(frozen=True)
class DuplicatePair:
    """Two cards that look like one company, and why (同名 / 统一社会信用代码相同 / 电话相同)."""

    first_id: uuid.UUID
    first_code: str
    first_name: str
    second_id: uuid.UUID
    second_code: str
    second_name: str
    reason: str


def duplicate_pairs(db: Database, *, user: Principal | None, limit: int = 500) -> list[DuplicatePair]:
    """Pairs of live cards with the same normalised name, USCC or phone, over the whole database (those the
    user may read); the older card (lower code) first, as the one to keep."""
    if user is not None:
        user.require("customer.edit", "查找重复客户")
    q = select(Customer.id, Customer.code, Customer.name, Customer.uscc, Customer.phone).where(
        Customer.merged_into_id.is_(None)).order_by(Customer.code)
    if user is not None:
        q = q.where(access.readable(user))
    groups: dict[tuple[str, str], list] = defaultdict(list)
    with db.read() as s:
        for row in s.execute(q):
            groups[("同名", name_key(row.name))].append(row)
            if row.uscc:
                groups[("统一社会信用代码相同", normalise_uscc(row.uscc) or "")].append(row)
            if len(phone := phone_key(row.phone)) >= 7:
                groups[("电话相同", phone)].append(row)
    pairs: dict[tuple, DuplicatePair] = {}
    for (reason, key), rows in groups.items():
        if not key or len(rows) < 2:
            continue
        first = rows[0]
        for other in rows[1:]:
            pair = (first.id, other.id)
            if pair in pairs:
                pairs[pair] = DuplicatePair(**{**pairs[pair].__dict__, "reason": f"{pairs[pair].reason}、{reason}"})
            else:
                pairs[pair] = DuplicatePair(first.id, first.code, first.name, other.id, other.code, other.name,
                                            reason)
    return sorted(pairs.values(), key=lambda p: (p.first_code, p.second_code))[:limit]


def check_not_self(keep_id: uuid.UUID, merge_id: uuid.UUID) -> None:
    if keep_id == merge_id:
        raise ValidationFailed({"merge": "不能与自身合并"})


def live_pair(s: Session, keep_id: uuid.UUID, merge_id: uuid.UUID) -> tuple[Customer, Customer]:
    keep, gone = s.get(Customer, keep_id), s.get(Customer, merge_id)
    if keep is None or gone is None or gone.merged_into_id or keep.merged_into_id:
        raise NotFound("要合并的客户不存在或已被合并")
    return keep, gone

