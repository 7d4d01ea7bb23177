"""The key-customer card (重点客户卡片, DOMAIN §2) of one key person, opened from the customer card.

Printing it is a reading of the customer's archive: checked and logged like printing the card. The
greetings and contacts listed are the archive's contact entries that name the person (信函、电话、拜访,
holiday and birthday greetings filed there).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import or_, select

from app.db import Database
from app.domain import vocab
from app.domain.fields import KEY_PERSON_FIELDS
from app.errors import NotFound, UserError
from app.services import customers, key_persons
from app.services.card_print import DEFAULT_ISSUER
from app.services.users import Principal
from models import ArchiveEntry, KeyPerson
from reports.fonts import FontMissing
from reports.key_person_card import KeyPersonCardPrint, render_key_person_card

SHOWN = ("name", "position", "work_unit", "decision_role", "mobile", "phone", "email", "wechat", "address",
         "birthday", "education", "personality", "hobbies", "family", "note")
LABELS = {f.key: f.label for f in KEY_PERSON_FIELDS}
GREETINGS_SHOWN = 30


def _text(key: str, value) -> str:
    if key == "decision_role":
        return vocab.DECISION_ROLE.label(value) or ""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def card_data(db: Database, *, person_id: uuid.UUID, printed_by: str, user: Principal | None,
              now: datetime | None = None, issuer: str = DEFAULT_ISSUER) -> KeyPersonCardPrint:
    now = now or datetime.now()
    with db.read() as s:
        person = s.get(KeyPerson, person_id)
        if person is None:
            raise NotFound("关键人不存在")
        customer_id, is_key = person.customer_id, person.is_key
    if not is_key:
        raise UserError("只有重点关键人才有重点客户卡片:请先在关键人资料中勾选“重点关键人”并保存。")
    card = customers.get_card(db, customer_id=customer_id, today=now.date(), user=user, action="print")
    info = next(p for p in key_persons.list_persons(db, customer_id=customer_id, user=None) if p.id == person_id)
    v = info.values
    fields = [(LABELS.get(k, k), _text(k, v.get(k))) for k in SHOWN]
    age = key_persons.age_on(v.get("birthday"), now.date())
    fields.insert(SHOWN.index("birthday") + 1, ("年龄", "" if age is None else f"{age}岁"))
    relations = []
    for r in key_persons.list_relations(db, customer_id=customer_id, user=None):
        if r.from_id == person_id:
            relations.append(("→", r.relation, r.to_name))
        elif r.to_id == person_id:
            relations.append(("←", r.relation, r.from_name))
    with db.read() as s:
        pattern = f"%{v['name']}%"
        entries = s.execute(select(ArchiveEntry.entry_date, ArchiveEntry.kind, ArchiveEntry.subject)
                            .where(ArchiveEntry.customer_id == customer_id, ArchiveEntry.section == "contact",
                                   or_(ArchiveEntry.subject.like(pattern), ArchiveEntry.content.like(pattern)))
                            .order_by(ArchiveEntry.entry_date.desc()).limit(GREETINGS_SHOWN)).all()
    kinds = vocab.ARCHIVE_KIND["contact"]
    return KeyPersonCardPrint(
        customer_code=card.values["code"], customer_name=card.values["name"], name=v["name"], printed_at=now,
        printed_by=printed_by, issuer=issuer, fields=fields, relations=relations,
        greetings=[(d, kinds.label(k) or k, subject) for d, k, subject in entries],
        blacklist="、".join(e.criterion for e in card.blacklist) or None,
        confidentiality=vocab.CONFIDENTIALITY.label(card.values.get("confidentiality")) or "部门级")


def card_pdf(db: Database, *, person_id: uuid.UUID, printed_by: str, user: Principal | None,
             now: datetime | None = None) -> bytes:
    data = card_data(db, person_id=person_id, printed_by=printed_by, user=user, now=now)
    try:
        return render_key_person_card(data)
    except FontMissing as exc:
        raise UserError(str(exc)) from exc
