"""What a field laptop still has to send (待同步): the journalled operations, one line per changed field,
named as a person reads them — the record, the customer, the field, old → new, when."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db import Database
from app.domain.fields import ARCHIVE_FIELD, CUSTOMER_FIELD, KEY_PERSON_FIELD
from app.domain.sync import BOOKKEEPING
from app.services.offline import journal
from app.services.offline.registry import SYNCABLE
from app.services.users import Principal
from models import Customer, Department, Staff

TABLE_LABELS = {"customer": "客户", "key_person": "关键人", "key_person_relation": "关键人关系",
                "archive_entry": "档案记录", "customer_contact": "联系人员", "visit_plan": "拜访计划",
                "visit_record": "拜访记录", "visit_follow_up": "跟进事项"}
KIND_LABELS = {"insert": "新建", "update": "修改", "delete": "删除"}
_FIELDS = {"customer": CUSTOMER_FIELD, "key_person": KEY_PERSON_FIELD, "archive_entry": ARCHIVE_FIELD}
_SUMMARY = ("name", "title", "subject", "content", "summary")  # what names a new or deleted record


@dataclass(frozen=True)
class PendingChange:
    op_id: uuid.UUID
    at: datetime
    table: str
    table_label: str
    kind: str
    kind_label: str
    customer: str  # code and name, as on this laptop
    field: str
    field_label: str
    old: str
    new: str


def _label(table: str, key: str) -> str:
    spec = _FIELDS.get(table, {}).get(key)
    return spec.label if spec is not None else key


class _Shown:
    """Values as a person reads them: names for staff and departments, labels for vocabulary codes."""

    def __init__(self, s):
        self.staff = {i.hex: n for i, n in s.execute(select(Staff.id, Staff.name))}
        self.departments = {i.hex: n for i, n in s.execute(select(Department.id, Department.name))}

    def __call__(self, table: str, key: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        spec = _FIELDS.get(table, {}).get(key)
        kind = spec.kind if spec is not None else ""
        if kind == "staff" or key in ("owner_id", "staff_id"):
            return self.staff.get(str(value), str(value))
        if kind == "department" or key == "department_id":
            return self.departments.get(str(value), str(value))
        if spec is not None and spec.vocabulary is not None:
            return spec.vocabulary.label(str(value))
        return str(value)


def _summary(values: dict, index: int) -> str:
    for key in _SUMMARY:
        pair = values.get(key)
        if pair and pair[index]:
            return str(pair[index])[:60]
    return ""


def waiting(db: Database, *, user: Principal) -> list[PendingChange]:
    """Every operation not yet taken by the central database, oldest first (empty after a sync)."""
    ops = journal.pending(db, user=user)  # checks offline.checkout
    out: list[PendingChange] = []
    with db.read() as s:
        shown = _Shown(s)
        customer_of: dict[uuid.UUID, uuid.UUID | None] = {}
        for op in ops:
            spec = SYNCABLE.get(op.table)
            if spec is None:
                continue
            if spec.customer_key == "id":
                customer_of[op.id] = op.row_id
            else:
                pair = op.values.get(spec.customer_key)
                raw = (pair[1] or pair[0]) if pair else s.scalar(
                    select(spec.t.c[spec.customer_key]).where(spec.t.c.id == op.row_id))
                customer_of[op.id] = uuid.UUID(str(raw)) if raw else None
        ids = {c for c in customer_of.values() if c is not None}
        names = {i: f"{code} {name}" for i, code, name in
                 s.execute(select(Customer.id, Customer.code, Customer.name).where(Customer.id.in_(ids)))} if ids else {}
        for op in ops:
            spec = SYNCABLE.get(op.table)
            if spec is None:
                continue
            cid = customer_of.get(op.id)
            customer = names.get(cid, "")
            if not customer and op.table == "customer":
                customer = _summary(op.values, 0 if op.kind == "delete" else 1)
            base = dict(op_id=op.id, at=op.at, table=op.table, table_label=TABLE_LABELS.get(op.table, op.table),
                        kind=op.kind, kind_label=KIND_LABELS[op.kind], customer=customer)
            if op.kind == "update":
                skip = BOOKKEEPING | frozenset(spec.derived)
                for key, (old, new) in op.values.items():
                    if key in skip:
                        continue
                    out.append(PendingChange(**base, field=key, field_label=_label(op.table, key),
                                             old=shown(op.table, key, old), new=shown(op.table, key, new)))
            else:
                index = 1 if op.kind == "insert" else 0
                what = _summary(op.values, index) or TABLE_LABELS.get(op.table, op.table)
                old, new = ("", what) if op.kind == "insert" else (what, "")
                out.append(PendingChange(**base, field="", field_label="", old=old, new=new))
    return out
