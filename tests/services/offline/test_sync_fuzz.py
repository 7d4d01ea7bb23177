"""The sync fuzz: three laptops and the central database, random edits, random disconnects, a kill
during push and during pull, every batch replayed twice. After a final sync every replica equals the
server, every offline edit is in the audit trail as applied or in the conflict log, the queues are
empty, and replaying everything changes nothing."""
from __future__ import annotations

import json
import random
import uuid

import pytest
from sqlalchemy import func, select

from app.domain.sync import encode
from app.errors import UserError
from app.services import customers, key_persons
from app.services.audit import as_text
from app.services.offline import journal, pull, push, sync
from app.services.offline.registry import SYNCABLE
from models import AuditRecord, SyncApplied, SyncChange, SyncConflict
from tests.services.offline.conftest import new_customer

CUSTOMER_FIELDS = ("region", "address", "fax", "note")
PERSON_FIELDS = ("position", "phone")


class Cut(Exception):
    """The network drops, or the laptop is switched off."""


def _snapshot(db) -> dict:
    out = {}
    with db.read() as s:
        for name, spec in SYNCABLE.items():
            out[name] = {r["id"]: {k: encode(v) for k, v in r.items()} for r in s.execute(select(spec.t)).mappings()}
    return out


def _newest_op(laptop) -> uuid.UUID | None:
    with laptop.read() as s:
        raw = s.scalar(select(journal.sync_op.c.id).order_by(journal.sync_op.c.seq.desc()).limit(1))
    return uuid.UUID(raw) if raw else None


@pytest.mark.parametrize("seed", [1, 2])
def test_three_laptops_random_edits_disconnects_and_kills_lose_nothing(db, field, laptops, monkeypatch, seed):
    rnd = random.Random(seed)
    ids = [new_customer(db, f"客户{i}号有限公司", region="华东") for i in range(5)]
    for cid in ids[:3]:
        key_persons.add_person(db, actor="中心", customer_id=cid, values={"name": "原关键人"}, user=None)
    boxes = [laptops(f"L{i}") for i in range(3)]

    # every batch goes to the server twice: the second time must be a pure replay
    real_apply = push.apply_batch
    every_op = {}

    def twice(central, *, device_id, ops, user):
        first = real_apply(central, device_id=device_id, ops=ops, user=user)
        again = real_apply(central, device_id=device_id, ops=ops, user=user)
        assert all(r.replay for r in again)
        assert [(r.applied, r.conflicts) for r in again] == [(r.applied, r.conflicts) for r in first]
        every_op.update({(device_id, op.id): op for op in ops})
        return first

    monkeypatch.setattr(push, "apply_batch", twice)
    made = []  # (op id, table, field, value) of every offline edit

    def edit(where, step: int) -> None:
        offline = where is not db
        tag = f"{'L' + str(boxes.index(where)) if offline else '中心'}-{step}"
        cid = rnd.choice(ids)
        who = {"user": field} if offline else {"user": None}
        action = rnd.random()
        try:
            if action < 0.55:
                f = rnd.choice(CUSTOMER_FIELDS)
                customers.update_customer(where, actor=tag, customer_id=cid, values={f: tag}, **who)
                target = ("customer", f, tag)
            else:
                people = key_persons.list_persons(where, customer_id=cid, user=None)
                if action < 0.75 or not people:
                    key_persons.add_person(where, actor=tag, customer_id=cid, values={"name": f"人{tag}"}, **who)
                    target = ("key_person", "name", f"人{tag}")
                elif action < 0.92:
                    f = rnd.choice(PERSON_FIELDS)
                    value = tag if f == "position" else f"1380000{step:04d}"
                    key_persons.update_person(where, actor=tag, person_id=rnd.choice(people).id, values={f: value},
                                              **who)
                    target = ("key_person", f, value)
                else:
                    key_persons.remove_person(where, actor=tag, person_id=rnd.choice(people).id, **who)
                    target = ("key_person", "", "")
        except UserError:
            return  # e.g. the person was removed meanwhile: nothing was made
        if offline:
            made.append((_newest_op(where), *target))

    def sync_with_trouble(laptop) -> None:
        trouble = rnd.random()
        if trouble < 0.2:
            def cut():
                raise Cut()
            with pytest.raises(Cut):  # the server committed; the acknowledgement never arrived
                push.push(laptop, db, user=field, batch=rnd.randint(1, 4), fail_after_commit=cut)
        elif trouble < 0.35:
            push.push(laptop, db, user=field, batch=rnd.randint(1, 4))

            def kill():
                raise Cut()
            with pytest.raises(Cut):  # switched off while writing the pulled rows
                pull.pull(laptop, db, user=field, batch=rnd.randint(1, 5), fail_before_commit=kill)
        elif trouble < 0.5:
            return  # no network at all
        else:
            sync.sync(laptop, db, user=field)

    for step in range(70):
        where = rnd.choice([*boxes, db])
        edit(where, step)
        if rnd.random() < 0.3:
            sync_with_trouble(rnd.choice(boxes))

    for laptop in boxes + boxes:  # the final round: everyone sends, then everyone takes the rest
        sync.sync(laptop, db, user=field)

    central = _snapshot(db)
    for laptop in boxes:
        assert sync.status(laptop, user=field).pending == 0
        assert _snapshot(laptop) == central

    with db.read() as s:
        applied = {r.op_id: json.loads(r.outcome) for r in s.scalars(select(SyncApplied))}
        lost = {(c.op_id, c.field) for c in s.scalars(select(SyncConflict))}
        audited = {(r.new_value) for r in s.scalars(select(AuditRecord))}
    silently_lost = []
    for op_id, _table, f, value in made:
        outcome = applied.get(op_id)
        assert outcome is not None, "every offline edit reached the server"
        if not f:  # a removal: applied, or its refusal is in the conflict log
            continue
        ok = (f in outcome["applied"] and (value in audited or f in ("name",))) or (op_id, f) in lost \
            or (op_id, "") in lost
        if not ok:
            silently_lost.append((op_id, f, value, outcome))
    assert silently_lost == []
    assert len(made) > 20 and lost, "the run made conflicts to check"

    # an offline value only ever replaced the value the laptop had seen (else it is a conflict, above)
    with db.read() as s:
        offline_writes = {(r.entity_id, r.field, r.new_value): r.old_value for r in s.scalars(
            select(AuditRecord).where(AuditRecord.actor.like("%离线%"), AuditRecord.action == "update"))}
    for op in every_op.values():
        if op.kind != "update":
            continue
        for f, (expected, mine) in op.values.items():
            old = offline_writes.get((op.row_id, f, as_text(mine)))
            if old is not None:
                assert old == as_text(expected), (f, expected, mine, old)

    # a replay of everything ever sent changes nothing
    with db.read() as s:
        feed = s.scalar(select(func.count()).select_from(SyncChange))
    for (device_id, _op_id), op in every_op.items():
        assert all(r.replay for r in real_apply(db, device_id=device_id, ops=[op], user=field))
    assert _snapshot(db) == central
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncChange)) == feed
