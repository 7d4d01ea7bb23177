"""Key persons (关键人) of a customer and the relation table between them (关键人物关系表).

Every function takes the acting `user`: reading needs the right to open the owning card, changing
needs customer.edit and the right to edit the card (access.ensure_may; no read-log row of its own).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.db import Database
from app.domain import normalise as nz
from app.domain.fields import KEY_PERSON_FIELDS
from app.domain.validation import validate_key_person
from app.errors import NotFound, ValidationFailed
from app.services import access, audit, stale
from app.services.users import Principal
from models import Customer, KeyPerson, KeyPersonRelation

EDITABLE = tuple(f.key for f in KEY_PERSON_FIELDS)


@dataclass(frozen=True)
class KeyPersonInfo:
    id: uuid.UUID
    version: int
    values: dict

    @property
    def name(self) -> str:
        return self.values["name"]


@dataclass(frozen=True)
class RelationInfo:
    id: uuid.UUID
    from_id: uuid.UUID
    from_name: str
    to_id: uuid.UUID
    to_name: str
    relation: str
    note: str


def age_on(birthday: date | None, today: date) -> int | None:
    if birthday is None:
        return None
    return today.year - birthday.year - ((today.month, today.day) < (birthday.month, birthday.day))


def _clean(values: dict) -> dict:
    out = {}
    for key in EDITABLE:
        if key in values:
            v = values[key]
            out[key] = nz.text(v) if isinstance(v, str) else v
    if "id_number" in out:
        out["id_number"] = (out["id_number"] or "").upper()
    return out


def list_persons(db: Database, *, customer_id: uuid.UUID, user: Principal | None) -> list[KeyPersonInfo]:
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        rows = s.scalars(select(KeyPerson).where(KeyPerson.customer_id == customer_id)
                         .order_by(KeyPerson.is_key.desc(), KeyPerson.name))
        return [KeyPersonInfo(p.id, p.version, {k: getattr(p, k) for k in EDITABLE}) for p in rows]


def add_person(db: Database, *, actor: str, customer_id: uuid.UUID, values: dict,
               user: Principal | None) -> uuid.UUID:
    values = _clean(values)
    if errors := validate_key_person(values):
        raise ValidationFailed(errors)

    def work(s):
        if s.get(Customer, customer_id) is None:
            raise NotFound("客户不存在")
        access.ensure_may(s, user, customer_id, action="edit")
        person = KeyPerson(id=uuid.uuid4(), customer_id=customer_id,
                           **{k: v for k, v in values.items() if v is not None})
        s.add(person)
        s.flush()
        audit.record(s, actor=actor, action="create", entity="key_person", entity_id=person.id,
                     customer_id=customer_id, diffs=audit.changes({}, values))
        return person.id

    return db.transact(work)


def update_person(db: Database, *, actor: str, person_id: uuid.UUID, values: dict, user: Principal | None,
                  expected_version: int | None = None) -> int:
    values = _clean(values)

    def work(s):
        p = s.get(KeyPerson, person_id)
        if p is None:
            raise NotFound("关键人不存在")
        access.ensure_may(s, user, p.customer_id, action="edit")
        before = {k: getattr(p, k) for k in EDITABLE}
        stale.check(what=f"关键人“{p.name}”", expected=expected_version, found=p.version, stored=before,
                    typed=values, labels=KEY_PERSON_FIELDS)
        if errors := validate_key_person(before | values):
            raise ValidationFailed(errors)
        diffs = audit.changes(before, values)
        if not diffs:
            return p.version
        for key, _o, _n in diffs:
            setattr(p, key, values[key])
        p.version += 1
        audit.record(s, actor=actor, action="update", entity="key_person", entity_id=p.id,
                     customer_id=p.customer_id, diffs=diffs)
        return p.version

    return db.transact(work)


def remove_person(db: Database, *, actor: str, person_id: uuid.UUID, user: Principal | None) -> None:
    """Removes a person who left the customer; the audit trail keeps what the card said."""

    def work(s):
        p = s.get(KeyPerson, person_id)
        if p is None:
            raise NotFound("关键人不存在")
        access.ensure_may(s, user, p.customer_id, action="edit")
        before = {k: getattr(p, k) for k in EDITABLE}
        audit.record(s, actor=actor, action="delete", entity="key_person", entity_id=p.id,
                     customer_id=p.customer_id, diffs=[(k, o, "") for k, o, _n in audit.changes({}, before)])
        s.delete(p)

    db.transact(work)


def add_relation(db: Database, *, actor: str, from_id: uuid.UUID, to_id: uuid.UUID, relation: str,
                 user: Principal | None, note: str = "") -> uuid.UUID:
    if from_id == to_id:
        raise ValidationFailed({"relation": "不能与自己建立关系"})
    if not relation.strip():
        raise ValidationFailed({"relation": "请填写关系,例如 上下级、同学、亲属"})

    def work(s):
        a, b = s.get(KeyPerson, from_id), s.get(KeyPerson, to_id)
        if a is None or b is None or a.customer_id != b.customer_id:
            raise ValidationFailed({"relation": "两位关键人须属于同一客户"})
        access.ensure_may(s, user, a.customer_id, action="edit")
        rel = KeyPersonRelation(id=uuid.uuid4(), customer_id=a.customer_id, from_person_id=from_id,
                                to_person_id=to_id, relation=relation.strip(), note=note.strip())
        s.add(rel)
        audit.record(s, actor=actor, action="create", entity="relation", entity_id=rel.id,
                     customer_id=a.customer_id, note=f"{a.name} —{relation}→ {b.name}")
        return rel.id

    return db.transact(work)


def remove_relation(db: Database, *, actor: str, relation_id: uuid.UUID, user: Principal | None) -> None:
    def work(s):
        rel = s.get(KeyPersonRelation, relation_id)
        if rel is None:
            raise NotFound("关系不存在")
        access.ensure_may(s, user, rel.customer_id, action="edit")
        audit.record(s, actor=actor, action="delete", entity="relation", entity_id=rel.id,
                     customer_id=rel.customer_id, note=rel.relation)
        s.delete(rel)

    db.transact(work)


def list_relations(db: Database, *, customer_id: uuid.UUID, user: Principal | None) -> list[RelationInfo]:
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        names = {pid: name for pid, name in s.execute(
            select(KeyPerson.id, KeyPerson.name).where(KeyPerson.customer_id == customer_id))}
        rels = s.scalars(select(KeyPersonRelation).where(KeyPersonRelation.customer_id == customer_id))
        return [RelationInfo(r.id, r.from_person_id, names.get(r.from_person_id, "?"), r.to_person_id,
                             names.get(r.to_person_id, "?"), r.relation, r.note) for r in rels]
