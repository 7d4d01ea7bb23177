"""Pull: take central changes since the laptop's watermark (the change feed), keep the ones its user may
read, and write them locally without journalling them. The watermark advances in the same local
transaction as the rows it covers, so a pull cut off anywhere is simply done again."""
from __future__ import annotations

import uuid

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from app.db import Database
from app.services import access
from app.services.offline import journal
from app.services.offline.registry import REFERENCE, SYNCABLE
from app.services.users import Principal
from models import Base, Customer, SyncChange

BATCH = 2000


def _central_rows(src: Session, table: str, ids: list[uuid.UUID], user: Principal) -> dict[uuid.UUID, dict]:
    t = SYNCABLE[table].t
    q = select(t).where(t.c.id.in_(ids))
    if table == "customer":  # only what this user may read, and never a merged card
        q = q.where(access.readable(user), Customer.merged_into_id.is_(None))
    return {r["id"]: dict(r) for r in src.execute(q).mappings()}


def _write(s: Session, central: Database, wanted: dict[str, set[uuid.UUID]], user: Principal) -> None:
    """Make the laptop's copy of these rows equal central's (or absent), quietly, parents first."""
    s.execute(text("PRAGMA defer_foreign_keys=ON"))
    with central.read() as src, journal.quiet(s):
        for table in REFERENCE[:2]:  # department, staff: new owners and contacts may refer to them
            _replace_all(s, src, table)
        arrived: list[uuid.UUID] = []  # customers new to this laptop (e.g. handed over): bring their parts
        for name, spec in SYNCABLE.items():  # registry order: customer first
            ids = list(wanted.get(name, ()))
            if name != "customer" and arrived:
                t = spec.t
                ids += [r for (r,) in src.execute(select(t.c.id).where(t.c[spec.customer_key].in_(arrived)))
                        if r not in wanted.get(name, ())]
            if not ids:
                continue
            t = spec.t
            rows = {}
            for i in range(0, len(ids), 500):
                rows |= _central_rows(src, name, ids[i:i + 500], user)
            for row_id in ids:
                row = rows.get(row_id)
                if row is not None and name != "customer":
                    cid = row[spec.customer_key]
                    if s.scalar(select(Customer.id).where(Customer.id == cid)) is None:
                        row = None  # its customer is not on this laptop
                if row is None:
                    s.execute(delete(t).where(t.c.id == row_id))
                elif s.execute(update(t).where(t.c.id == row_id).values(**row)).rowcount == 0:
                    s.execute(insert(t).values(**row))
                    if name == "customer":
                        arrived.append(row_id)


def _replace_all(s: Session, src: Session, table: str) -> None:
    t = Base.metadata.tables[table]
    central = {r["id"]: dict(r) for r in src.execute(select(t)).mappings()}
    local = {r["id"]: dict(r) for r in s.execute(select(t)).mappings()}
    for key, row in central.items():
        if key not in local:
            s.execute(insert(t).values(**row))
        elif row != local[key]:
            s.execute(update(t).where(t.c.id == key).values(**row))


def refresh_rows(s: Session, central: Database, rows: set[tuple[str, uuid.UUID]], *, user: Principal) -> None:
    """Inside the laptop's transaction: these rows become what central holds."""
    if not rows:
        return
    wanted: dict[str, set[uuid.UUID]] = {}
    for table, row_id in rows:
        wanted.setdefault(table, set()).add(row_id)
    _write(s, central, wanted, user)


def _refresh_loans(laptop: Database, central: Database, user: Principal) -> None:
    from app.services.offline.checkout import copy_loans  # checkout imports this module's neighbours

    def work(s: Session) -> None:
        with central.read() as src, journal.quiet(s):
            copy_loans(src, s, user)

    laptop.transact(work)


def sweep(laptop: Database, central: Database, *, user: Principal) -> int:
    """Take off the laptop every card its user may no longer read — a lent archive (借阅) whose approval
    ran out, a level raised, a card merged away — with its parts (FK cascade). Such changes need not pass
    through the change feed, so every pull asks central about all the cards on the laptop. Returns how many
    went."""
    with laptop.read() as s:
        local = list(s.scalars(select(Customer.id)))
    keep: set[uuid.UUID] = set()
    with central.read() as src:
        for i in range(0, len(local), 500):
            keep |= set(src.scalars(select(Customer.id).where(
                Customer.id.in_(local[i:i + 500]), access.readable(user), Customer.merged_into_id.is_(None))))
    gone = [cid for cid in local if cid not in keep]
    if gone:
        def work(s: Session) -> None:
            with journal.quiet(s):
                for i in range(0, len(gone), 500):
                    s.execute(delete(Customer).where(Customer.id.in_(gone[i:i + 500])))

        laptop.transact(work)
    return len(gone)


def pull(laptop: Database, central: Database, *, user: Principal, batch: int = BATCH, fail_before_commit=None) -> int:
    """Bring the laptop up to central's change feed; returns how many feed entries were taken."""
    user.require("offline.checkout", "离线同步")
    taken = 0
    while True:
        with laptop.read() as s:
            watermark = int(journal.get_state(s, "watermark", "0"))
        with central.read() as src:
            changes = src.execute(select(SyncChange.seq, SyncChange.table_name, SyncChange.row_id)
                                  .where(SyncChange.seq > watermark).order_by(SyncChange.seq).limit(batch)).all()
        if not changes:
            sweep(laptop, central, user=user)
            _refresh_loans(laptop, central, user)
            return taken
        wanted: dict[str, set[uuid.UUID]] = {}
        for _seq, table, row_id in changes:
            if table in SYNCABLE:
                wanted.setdefault(table, set()).add(row_id)
        last = changes[-1][0]

        def work(s: Session, wanted=wanted, last=last, watermark=watermark) -> None:
            if int(journal.get_state(s, "watermark", "0")) != watermark:
                return  # another sync of this laptop got here first
            _write(s, central, wanted, user)
            journal.set_state(s, "watermark", str(last))
            if fail_before_commit is not None:
                fail_before_commit()

        laptop.transact(work)
        taken += len(changes)
