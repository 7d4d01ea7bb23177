"""Push: the laptop sends its operations; the central database applies each one where the central value
is still the one the laptop replaced, records the rest as conflicts, and remembers every operation it
has taken (sync_applied), so a replay — after a lost acknowledgement or a kill — changes nothing.

A batch is one central transaction (each operation inside its own savepoint, with its sync_applied row);
the laptop drops operations from its queue only after that transaction has committed.
"""
from __future__ import annotations

import json
import uuid
from contextlib import nullcontext
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.sync import BOOKKEEPING, decide, decode, dumps, encode, python_type
from app.domain.validation import validate_customer
from app.errors import UserError
from app.services import access, audit, customers, visits
from app.services.offline import codes, journal
from app.services.offline.registry import SYNCABLE, Syncable
from app.services.users import PermissionDenied, Principal
from models import AuditRecord, SyncApplied, SyncConflict, SyncDevice
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


class _Batch:
    """What one batch's operations share: the session, rows read ahead, permission verdicts, and whether
    each operation runs in its own savepoint (only after a constraint stopped the fast attempt)."""

    def __init__(self, s: Session, device: SyncDevice, user: Principal, ops: list, careful: bool):
        self.s, self.device, self.user, self.careful = s, device, user, careful
        self.actor = f"{user.display_name}(离线·{device.name})"
        self.rows: dict[tuple[str, uuid.UUID], dict | None] = {}
        self.allowed: dict[uuid.UUID, str | None] = {}
        self.audit: list[dict] = []  # written in one statement at the end of the batch
        self.inserts: list[dict] = []  # fast path: consecutive inserts into one table, sent together
        self.insert_table: str | None = None
        self.codes = codes.CentralCodes(s)  # real codes for cards the laptop numbered temporarily
        by_table: dict[str, set[uuid.UUID]] = {}
        for op in ops:
            by_table.setdefault(op.table, set()).add(op.row_id)
        for table, ids in by_table.items():
            t = SYNCABLE[table].t
            found = {r["id"]: dict(r) for r in s.execute(select(t).where(t.c.id.in_(ids))).mappings()}
            for row_id in ids:
                self.rows[(table, row_id)] = found.get(row_id)

    def row(self, table: str, row_id: uuid.UUID) -> dict | None:
        key = (table, row_id)
        if key not in self.rows:
            t = SYNCABLE[table].t
            found = self.s.execute(select(t).where(t.c.id == row_id)).mappings().first()
            self.rows[key] = dict(found) if found is not None else None
        return self.rows[key]

    def refusal(self, customer_id: uuid.UUID) -> str | None:
        if customer_id not in self.allowed:
            try:
                access.ensure_may(self.s, self.user, customer_id, action="edit")
                self.allowed[customer_id] = None
            except PermissionDenied as exc:
                self.allowed[customer_id] = exc.message
        return self.allowed[customer_id]

    def changed(self, table: str, row_id: uuid.UUID, row: dict | None) -> None:
        if table == "customer" or row is None:  # owner, level or cascades may have moved: read again
            self.allowed.clear()
            if row is None:
                self.rows.clear()
        self.rows[(table, row_id)] = row

    def flush(self, before=None) -> None:
        """Send buffered inserts, unless the next operation is one more insert into the same table."""
        if before is not None and before.kind == "insert" and before.table == self.insert_table:
            return
        if self.inserts:
            self.s.execute(insert(SYNCABLE[self.insert_table].t), self.inserts)
        self.inserts, self.insert_table = [], None

    def record(self, **kwargs) -> None:
        self.audit.extend(audit.rows_for(actor=self.actor, **kwargs))

    def guarded(self):
        return self.s.begin_nested() if self.careful else nullcontext()


def _complete(t, values: dict) -> dict:
    """Every column, so rows of one executemany share their keys (defaults as the table would give them)."""
    out = dict(values)
    for c in t.c:
        if c.name not in out:
            default = c.default.arg if c.default is not None else None
            out[c.name] = default(None) if callable(default) else default
    return out


def rule_refusal(table: str, user: Principal, row: dict | None, mine: dict) -> str | None:
    """The rules the desk's services apply, applied again to what a laptop sends: the laptop holds the
    replica's key, so what arrives is checked as if typed at a central desk."""
    if table == "customer":
        merged = (row or {}) | mine
        if errors := validate_customer(merged):
            return ";".join(errors.values())
        if row is not None:
            moved = {k for k in ("grade", "status") if k in mine and not _same(row.get(k), mine[k])}
            if moved and not customers.may_set_stage(user):
                return ";".join(customers.STAGE_MESSAGES[k] for k in sorted(moved))
    elif table in ("visit_plan", "visit_record", "visit_follow_up"):
        if not user.can("visits.edit"):
            return f"您的角色“{user.role_name}”没有制定拜访计划、填写拜访记录的权限"
        if table == "visit_plan":
            for staff_id in {(row or {}).get("staff_id"), mine.get("staff_id")} - {None}:
                if not visits.may_arrange(user, staff_id):
                    return "只能安排本人的拜访计划"
    return None


def _apply_one(b: _Batch, op) -> OpResult:
    b.flush(before=op)
    s, device, user = b.s, b.device, b.user
    spec = SYNCABLE[op.table]
    t = spec.t
    row = b.row(op.table, op.row_id)
    expected, mine = _typed(spec, op.values, 0), _typed(spec, op.values, 1)
    customer_id = _customer_of(spec, row, mine if op.kind != "delete" else expected, op.row_id)
    applied, conflicts = [], []

    if op.kind == "insert" and spec.table == "customer":
        refusal = None if user.can("customer.create") else f"您的角色“{user.role_name}”没有新建客户的权限"
    elif customer_id is not None and (row is not None or spec.table != "customer"):
        refusal = b.refusal(customer_id)
    else:
        refusal = None
    if refusal is None and op.kind != "delete":
        refusal = rule_refusal(spec.table, user, row, mine)
    if refusal:
        _conflict(s, op, device, kind="refused", mine=op.values, reason=refusal)
        return OpResult(op.id, (), ("",), True)

    renumbered = False
    if op.kind == "insert" and spec.table == "customer" and row is None \
            and codes.is_temporary(mine.get("code"), device.id):
        mine["code"] = b.codes.take()  # the laptop's temporary code becomes the next central one
        mine.update(spec.derive(mine))
        renumbered = True  # the laptop takes the card back with its real code

    if op.kind == "insert":
        if row is not None:
            differing = [k for k in mine if k not in BOOKKEEPING and not _same(row.get(k), mine[k])]
            for k in differing:
                _conflict(s, op, device, kind="field", field=k, central=row.get(k), mine=mine[k],
                          reason="中心已有同一记录")
            return OpResult(op.id, (), tuple(differing), bool(differing))
        try:
            if b.careful:
                with b.guarded():
                    s.execute(insert(t).values(**mine))
            else:
                b.inserts.append(_complete(t, mine))
                b.insert_table = op.table
        except IntegrityError as exc:
            if not b.careful:
                raise
            if renumbered:
                b.codes.give_back()
            reason = str(exc.orig).splitlines()[0]
            _conflict(s, op, device, kind="insert", mine=op.values, reason=f"中心无法新建:{reason}"[:200])
            return OpResult(op.id, (), ("",), True)
        if spec.table == "customer":
            b.allowed.clear()
        b.rows.pop((op.table, op.row_id), None)  # defaults filled at central: read it again if needed
        b.record(action="create", entity=spec.audit_entity, entity_id=op.row_id,
                     customer_id=customer_id, diffs=audit.changes({}, {k: v for k, v in mine.items()
                                                                       if k not in _skip(spec)}))
        return OpResult(op.id, tuple(mine), (), renumbered)

    if op.kind == "delete":
        if row is None:
            return OpResult(op.id, (), (), False)  # already gone: the same tombstone
        changed = [k for k in expected if k not in _skip(spec) and not _same(row.get(k), expected[k])]
        if changed:
            _conflict(s, op, device, kind="delete", expected=op.values, central={k: encode(row[k]) for k in changed},
                      reason="中心已修改该记录,未删除:" + "、".join(changed))
            return OpResult(op.id, (), ("",), True)
        s.execute(delete(t).where(t.c.id == op.row_id))
        b.changed(op.table, op.row_id, None)
        b.record(action="delete", entity=spec.audit_entity, entity_id=op.row_id,
                     customer_id=customer_id, note="离线删除")
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
        extra = _bookkeeping(spec, row, changes)
        try:
            with b.guarded():
                s.execute(update(t).where(t.c.id == op.row_id).values(**changes, **extra))
        except IntegrityError as exc:
            if not b.careful:
                raise
            for k in changes:
                _conflict(s, op, device, kind="field", field=k, expected=expected.get(k), central=row.get(k),
                          mine=mine[k], reason=f"中心无法保存:{str(exc.orig).splitlines()[0]}"[:200])
            return OpResult(op.id, (), tuple(mine), True)
        b.changed(op.table, op.row_id, row | changes | extra)
        b.record(action="update", entity=spec.audit_entity, entity_id=op.row_id,
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

    def work(s: Session, careful: bool) -> list[OpResult]:
        device = s.get(SyncDevice, device_id)
        if device is None or not device.active or device.user_id != user.user_id:
            raise Refused("服务器拒绝上传:该设备未登记给当前用户,请重新检出")
        done = {r.op_id: json.loads(r.outcome) for r in
                s.scalars(select(SyncApplied).where(SyncApplied.op_id.in_([o.id for o in ops])))}
        b = _Batch(s, device, user, [o for o in ops if o.id not in done], careful)
        out, taken = [], []
        for op in ops:
            if op.id in done:
                o = done[op.id]
                out.append(OpResult(op.id, tuple(o["applied"]), tuple(o["conflicts"]), o["refresh"], replay=True))
                continue
            result = _apply_one(b, op)
            outcome = {"applied": list(result.applied), "conflicts": list(result.conflicts), "refresh": result.refresh}
            taken.append({"op_id": op.id, "device_id": device.id, "table_name": op.table, "row_id": op.row_id,
                          "kind": op.kind, "outcome": json.dumps(outcome), "applied_at": utcnow()})
            out.append(result)
            done[op.id] = outcome  # the same operation twice in one batch is taken once
        b.flush()
        if taken:
            s.execute(insert(SyncApplied), taken)
        if b.audit:
            s.execute(insert(AuditRecord), b.audit)
        return out

    try:  # fast: no savepoints; a constraint that stops an operation sends the batch the careful way
        return central.transact(lambda s: work(s, careful=False))
    except IntegrityError:
        pass
    return central.transact(lambda s: work(s, careful=True))


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
