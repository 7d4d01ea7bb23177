"""Push: the laptop sends its operations; the central database applies each one where the central value
is still the one the laptop replaced, records the rest as conflicts, and remembers every operation it
has taken (sync_applied), so a replay — after a lost acknowledgement or a kill — changes nothing.

A batch is one central transaction (each operation inside its own savepoint, with its sync_applied row);
the laptop drops operations from its queue only after that transaction has committed.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.sync import BOOKKEEPING, decide, decode, dumps, encode, python_type
from app.errors import UserError
from app.services import access, audit
from app.services.offline import journal
from app.services.offline.registry import SYNCABLE, Syncable
from app.services.users import PermissionDenied, Principal
from models import SyncApplied, SyncConflict, SyncDevice
from models.base import utcnow

BATCH = 500


class Refused(UserError):
    """The server refuses an upload that could never have been made offline."""


@dataclass(frozen=True)
class OpResult:
    op_id: uuid.UUID
    applied: tuple[str, ...]
    conflicts: tuple[str, ...]
    refresh: bool  # the laptop must take the central row back (it differs from the laptop's)
    replay: bool = False


def _typed(spec: Syncable, values: dict, index: int) -> dict:
    cols = spec.t.c
    return {k: decode(v[index], python_type(cols[k].type)) for k, v in values.items() if k in cols}


def _customer_of(spec: Syncable, row: dict | None, mine: dict, row_id: uuid.UUID):
    if spec.customer_key == "id":
        return row_id
    return (row or {}).get(spec.customer_key) or mine.get(spec.customer_key)


def _conflict(s: Session, op, device: SyncDevice, *, kind: str, field: str = "", expected=None, central=None,
              mine=None, reason: str = "") -> None:
    s.execute(insert(SyncConflict), [{
        "id": uuid.uuid4(), "op_id": op.id, "device_id": device.id, "username": device.username,
        "table_name": op.table, "row_id": op.row_id, "kind": kind, "field": field, "expected": dumps(expected),
        "central": dumps(central), "mine": dumps(mine), "reason": reason[:200], "edited_at": op.at,
        "resolved_by": "", "resolution": ""}])


def _bookkeeping(spec: Syncable, row: dict, changes: dict) -> dict:
    cols = spec.t.c
    extra = {}
    if "version" in cols:
        extra["version"] = (row.get("version") or 0) + 1
    if "updated_at" in cols:
        extra["updated_at"] = utcnow()
    if spec.derive is not None:
        extra.update(spec.derive(row | changes))
    return extra


def _apply_one(s: Session, op, device: SyncDevice, user: Principal) -> OpResult:
    spec = SYNCABLE[op.table]
    t = spec.t
    row = s.execute(select(t).where(t.c.id == op.row_id)).mappings().first()
    row = dict(row) if row is not None else None
    expected, mine = _typed(spec, op.values, 0), _typed(spec, op.values, 1)
    actor = f"{user.display_name}(离线·{device.name})"
    customer_id = _customer_of(spec, row, mine if op.kind != "delete" else expected, op.row_id)
    applied, conflicts = [], []

    def refuse(reason: str) -> OpResult:
        _conflict(s, op, device, kind="refused", mine=op.values, reason=reason)
        return OpResult(op.id, (), ("",), True)

    try:
        if op.kind == "insert" and spec.table == "customer":
            user.require("customer.create", "新建客户")
        elif customer_id is not None and (row is not None or spec.table != "customer"):
            access.ensure_may(s, user, customer_id, action="edit")
    except PermissionDenied as exc:
        return refuse(exc.message)

    if op.kind == "insert":
        if row is not None:
            differing = [k for k in mine if k not in BOOKKEEPING and not _same(row.get(k), mine[k])]
            for k in differing:
                _conflict(s, op, device, kind="field", field=k, central=row.get(k), mine=mine[k],
                          reason="中心已有同一记录")
            return OpResult(op.id, (), tuple(differing), bool(differing))
        try:
            with s.begin_nested():
                s.execute(insert(t).values(**mine))
        except IntegrityError as exc:
            reason = str(exc.orig).splitlines()[0]
            _conflict(s, op, device, kind="insert", mine=op.values, reason=f"中心无法新建:{reason}")
            return OpResult(op.id, (), ("",), True)
        audit.record(s, actor=actor, action="create", entity=spec.audit_entity, entity_id=op.row_id,
                     customer_id=customer_id, diffs=audit.changes({}, {k: v for k, v in mine.items()
                                                                       if k not in _skip(spec)}))
        return OpResult(op.id, tuple(mine), (), False)

    if op.kind == "delete":
        if row is None:
            return OpResult(op.id, (), (), False)  # already gone: the same tombstone
        changed = [k for k in expected if k not in _skip(spec) and not _same(row.get(k), expected[k])]
        if changed:
            _conflict(s, op, device, kind="delete", expected=op.values, central={k: encode(row[k]) for k in changed},
                      reason="中心已修改该记录,未删除:" + "、".join(changed))
            return OpResult(op.id, (), ("",), True)
        s.execute(delete(t).where(t.c.id == op.row_id))
        audit.record(s, actor=actor, action="delete", entity=spec.audit_entity, entity_id=op.row_id,
                     customer_id=customer_id if spec.table != "customer" else None, note="离线删除")
        return OpResult(op.id, ("",), (), False)

    # update
    if row is None:
        for k in mine:
            _conflict(s, op, device, kind="deleted", field=k, expected=expected.get(k), mine=mine[k],
                      reason="中心已删除该记录")
        return OpResult(op.id, (), tuple(mine), True)
    changes = {}
    for k in mine:
        if k in spec.derived:
            continue
        verdict = decide(expected=expected.get(k), central=row.get(k), mine=mine[k])
        if verdict == "apply":
            changes[k] = mine[k]
            applied.append(k)
        elif verdict == "same":
            applied.append(k)
        else:
            conflicts.append(k)
            _conflict(s, op, device, kind="field", field=k, expected=expected.get(k), central=row.get(k),
                      mine=mine[k], reason="中心已先修改")
    if changes:
        try:
            with s.begin_nested():
                s.execute(update(t).where(t.c.id == op.row_id).values(**changes, **_bookkeeping(spec, row, changes)))
        except IntegrityError as exc:
            for k in changes:
                _conflict(s, op, device, kind="field", field=k, expected=expected.get(k), central=row.get(k),
                          mine=mine[k], reason=f"中心无法保存:{str(exc.orig).splitlines()[0]}"[:200])
            return OpResult(op.id, (), tuple(mine), True)
        audit.record(s, actor=actor, action="update", entity=spec.audit_entity, entity_id=op.row_id,
                     customer_id=customer_id, diffs=audit.changes({k: row.get(k) for k in changes}, changes))
    return OpResult(op.id, tuple(applied), tuple(conflicts), bool(conflicts))


def _skip(spec: Syncable) -> frozenset[str]:
    return BOOKKEEPING | frozenset(spec.derived)


def _same(a, b) -> bool:
    from app.domain.sync import same

    return same(a, b)


def apply_batch(central: Database, *, device_id: uuid.UUID, ops: list, user: Principal) -> list[OpResult]:
    """The server side: take a batch of operations from one device, in one transaction."""
    user.require("offline.checkout", "离线同步")
    for op in ops:
        if op.table not in SYNCABLE:
            raise Refused(f"服务器拒绝上传:离线状态下不能修改“{op.table}”(选房票务、单据编号、售房与评级只能在线办理)")
        if op.kind not in ("insert", "update", "delete"):
            raise Refused(f"服务器拒绝上传:未知的操作“{op.kind}”")

    def work(s: Session) -> list[OpResult]:
        device = s.get(SyncDevice, device_id)
        if device is None or not device.active or device.user_id != user.user_id:
            raise Refused("服务器拒绝上传:该设备未登记给当前用户,请重新检出")
        done = {r.op_id: r for r in s.scalars(select(SyncApplied).where(SyncApplied.op_id.in_([o.id for o in ops])))}
        out = []
        for op in ops:
            if op.id in done:
                o = json.loads(done[op.id].outcome)
                out.append(OpResult(op.id, tuple(o["applied"]), tuple(o["conflicts"]), o["refresh"], replay=True))
                continue
            with s.begin_nested():
                result = _apply_one(s, op, device, user)
                s.add(SyncApplied(op_id=op.id, device_id=device.id, table_name=op.table, row_id=op.row_id,
                                  kind=op.kind, outcome=json.dumps({"applied": result.applied,
                                                                    "conflicts": result.conflicts,
                                                                    "refresh": result.refresh})))
                s.flush()
            out.append(result)
            done[op.id] = None  # the same operation twice in one batch is taken once
        return out

    return central.transact(work)


def push(laptop: Database, central: Database, *, user: Principal, batch: int = BATCH,
         fail_after_commit=None) -> list[OpResult]:
    """Send every pending operation, batch by batch; acknowledge each batch locally after the server's
    commit, refreshing rows that did not come out as the laptop has them."""
    from app.services.offline import pull

    with laptop.read() as s:
        device_id = uuid.UUID(journal.get_state(s, "device_id"))
    results: list[OpResult] = []
    while True:
        ops = journal.pending(laptop, user=user, limit=batch)
        if not ops:
            return results
        outcome = apply_batch(central, device_id=device_id, ops=ops, user=user)
        if fail_after_commit is not None:
            fail_after_commit()  # tests: the connection drops before the acknowledgement arrives
        refresh = {(op.table, op.row_id) for op, r in zip(ops, outcome, strict=True) if r.refresh}

        def ack(s: Session, ops=ops, refresh=refresh) -> None:
            pull.refresh_rows(s, central, refresh, user=user)
            journal.acknowledge(s, [o.id for o in ops])

        laptop.transact(ack)
        results.extend(outcome)
