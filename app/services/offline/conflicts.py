"""The conflict list (同步冲突): a laptop value that lost to a central one, side by side, until a person
keeps central's value or takes the laptop's (which then goes through as an ordinary, audited edit)."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.fields import ARCHIVE_FIELD, CUSTOMER_FIELD, KEY_PERSON_FIELD
from app.domain.sync import decode, python_type
from app.errors import NotFound, UserError
from app.services import access, audit
from app.services.offline import codes
from app.services.offline.registry import SYNCABLE
from app.services.users import Principal
from models import SyncConflict, SyncDevice
from models.base import utcnow

TABLE_LABELS = {"customer": "客户", "key_person": "关键人", "key_person_relation": "关键人关系",
                "archive_entry": "档案记录", "customer_contact": "联系人员"}
KIND_LABELS = {"field": "同一字段", "deleted": "中心已删除", "insert": "新建失败", "delete": "删除未执行",
               "refused": "无权修改"}
_FIELDS = {"customer": CUSTOMER_FIELD, "key_person": KEY_PERSON_FIELD, "archive_entry": ARCHIVE_FIELD}


@dataclass(frozen=True)
class ConflictInfo:
    id: uuid.UUID
    table: str
    table_label: str
    row_id: uuid.UUID
    kind: str
    kind_label: str
    field: str
    field_label: str
    central: str  # shown side by side
    mine: str
    username: str
    device: str
    edited_at: datetime | None
    reason: str
    resolution: str
    customer: str = ""  # the card the conflict is about


def _show(raw: str) -> str:
    value = json.loads(raw)
    if value is None:
        return ""
    if isinstance(value, dict):
        return ";".join(f"{k}={v[1] if isinstance(v, list) else v}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _label(table: str, field: str) -> str:
    spec = _FIELDS.get(table, {})
    found = spec.get(field) if isinstance(spec, dict) else None
    return getattr(found, "label", None) or field


def list_conflicts(db: Database, *, user: Principal, open_only: bool = True) -> list[ConflictInfo]:
    """All conflicts for those who resolve them (offline.resolve); otherwise the user's own."""
    if not user.can("offline.resolve"):
        user.require("offline.checkout", "查看同步冲突")
    with db.read() as s:
        q = select(SyncConflict, SyncDevice.name).join(SyncDevice, SyncDevice.id == SyncConflict.device_id)
        if open_only:
            q = q.where(SyncConflict.resolved_at.is_(None))
        if not user.can("offline.resolve"):
            q = q.where(SyncDevice.user_id == user.user_id)
        found = s.execute(q.order_by(SyncConflict.created_at, SyncConflict.field)).all()
        names = _customer_names(s, [c for c, _d in found])
        return [ConflictInfo(c.id, c.table_name, TABLE_LABELS.get(c.table_name, c.table_name), c.row_id, c.kind,
                             KIND_LABELS.get(c.kind, c.kind), c.field, _label(c.table_name, c.field),
                             _show(c.central), _show(c.mine), c.username, device, c.edited_at, c.reason, c.resolution,
                             names.get(c.id, ""))
                for c, device in found]


def _customer_names(s: Session, items: list) -> dict[uuid.UUID, str]:
    """conflict id → the customer's code and name, found through the row (or the laptop's values)."""
    from models import Customer

    owner: dict[uuid.UUID, uuid.UUID] = {}
    for c in items:
        spec = SYNCABLE.get(c.table_name)
        if spec is None:
            continue
        if spec.customer_key == "id":
            owner[c.id] = c.row_id
            continue
        found = s.scalar(select(spec.t.c[spec.customer_key]).where(spec.t.c.id == c.row_id))
        if found is None:
            mine = json.loads(c.mine)
            raw = mine.get(spec.customer_key) if isinstance(mine, dict) else None
            raw = raw[1] if isinstance(raw, list) else raw
            found = uuid.UUID(raw) if raw else None
        if found is not None:
            owner[c.id] = found
    rows = dict(s.execute(select(Customer.id, Customer.code + " " + Customer.name)
                          .where(Customer.id.in_(set(owner.values())))).all()) if owner else {}
    return {cid: rows.get(customer, "") for cid, customer in owner.items()}


def resolve(db: Database, *, conflict_id: uuid.UUID, take: str, user: Principal) -> None:
    """take="central": keep central's value; take="mine": write the laptop's value over it."""
    user.require("offline.resolve", "处理同步冲突")
    if take not in ("central", "mine"):
        raise ValueError(take)

    def work(s: Session) -> None:
        c = s.get(SyncConflict, conflict_id)
        if c is None:
            raise NotFound("冲突记录不存在")
        if c.resolved_at is not None:
            raise UserError("该冲突已处理")
        if take == "mine":
            _take_mine(s, c, user)
        c.resolved_at, c.resolved_by, c.resolution = utcnow(), user.display_name, take

    db.transact(work)


def _take_mine(s: Session, c: SyncConflict, user: Principal) -> None:
    spec = SYNCABLE[c.table_name]
    t = spec.t
    row = s.execute(select(t).where(t.c.id == c.row_id)).mappings().first()
    mine = json.loads(c.mine)
    if c.kind in ("field", "deleted") and c.field:
        if row is None:
            raise UserError("该记录已在中心删除,无法采用离线的值;请重新录入")
        customer_id = c.row_id if spec.customer_key == "id" else row[spec.customer_key]
        access.ensure_may(s, user, customer_id, action="edit")
        value = decode(mine, python_type(t.c[c.field].type))
        changes = {c.field: value}
        extra = {}
        if "version" in t.c:
            extra["version"] = row["version"] + 1
        if spec.derive is not None:
            extra |= spec.derive(dict(row) | changes)
        s.execute(update(t).where(t.c.id == c.row_id).values(**changes, **extra))
        audit.record(s, actor=user.display_name, action="update", entity=spec.audit_entity, entity_id=c.row_id,
                     customer_id=customer_id, diffs=audit.changes({c.field: row[c.field]}, changes))
    elif c.kind == "insert" and row is None and isinstance(mine, dict):
        values = {k: decode(v[1], python_type(t.c[k].type)) for k, v in mine.items() if k in t.c}
        if c.table_name == "customer" and codes.is_temporary(values.get("code"), c.device_id):
            values["code"] = codes.CentralCodes(s).take()  # the laptop's temporary code: a real one now
            values |= spec.derive(values)
        customer_id = c.row_id if spec.customer_key == "id" else values.get(spec.customer_key)
        if spec.customer_key != "id":
            access.ensure_may(s, user, customer_id, action="edit")
        s.execute(insert(t).values(**values))
        audit.record(s, actor=user.display_name, action="create", entity=spec.audit_entity, entity_id=c.row_id,
                     customer_id=customer_id, note="采用离线新建的记录")
    else:
        raise UserError("这类冲突只能保留中心的值;如仍需要,请在中心重新录入")
