"""The customer list: filter and sort in SQL, return ids, then fetch display rows by the page.

Search-as-you-type over name, pinyin, initials, phone, code and USCC. On SQLite a 3+ character
query goes through the FTS5 trigram index; shorter ones (common for Chinese names) use LIKE.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, and_, exists, func, or_, select, text, type_coerce
from sqlalchemy.sql import Select

from app import settings
from app.db import Database
from app.domain import reverify
from app.domain.search_keys import normalise_query
from app.services import access, customer_contacts
from app.services.users import Principal
from models import BlacklistEntry, Customer, Staff

SORTABLE = {
    "code": Customer.code, "name": Customer.name_pinyin, "status": Customer.status,
    "grade": Customer.grade, "region": Customer.region, "phone": Customer.phone,
    "industry": Customer.industry, "last_verified_on": Customer.last_verified_on,
    "updated_at": Customer.updated_at,
}


@dataclass
class CustomerFilter:
    text: str = ""
    status: str | None = None
    grade: str | None = None
    region: str | None = None
    owner_id: uuid.UUID | None = None
    blacklisted: bool | None = None
    reverify: str | None = None  # "due" (due or overdue) / "overdue"
    contacts_short: bool = False  # important customers with fewer contact staff than the minimum (联系人员不足)
    sort: str = "code"
    descending: bool = False


@dataclass(frozen=True)
class CustomerRow:
    id: uuid.UUID
    code: str
    name: str
    status: str
    grade: str
    industry: str
    region: str
    owner_name: str
    phone: str
    blacklisted: bool
    last_verified_on: date | None
    reverify_status: str


_active_blacklist = exists().where(BlacklistEntry.customer_id == Customer.id, BlacklistEntry.removed_on.is_(None))


def _like_escape(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_condition(db: Database, query: str):
    q = normalise_query(query)
    if not q:
        return None
    if db.dialect == "sqlite" and len(q) >= 3:
        phrase = '"' + q.replace('"', '""') + '"'
        return text("customer.rowid IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH :q)").bindparams(
            q=phrase)
    return Customer.search_text.like(f"%{_like_escape(q)}%", escape="\\")


def build_query(db: Database, flt: CustomerFilter, today: date, rules: dict,
                user: Principal | None = None) -> Select:
    conds = [Customer.merged_into_id.is_(None)]
    if user is not None:  # confidentiality: only the archives this user may read
        user.require("customer.list", "查看客户列表")
        conds.append(access.readable(user))
    if (cond := _text_condition(db, flt.text)) is not None:
        conds.append(cond)
    if flt.status:
        conds.append(Customer.status == flt.status)
    if flt.grade is not None:
        conds.append(Customer.grade == flt.grade)
    if flt.region:
        conds.append(Customer.region == flt.region)
    if flt.owner_id:
        conds.append(Customer.owner_id == flt.owner_id)
    if flt.blacklisted is not None:
        conds.append(_active_blacklist if flt.blacklisted else ~_active_blacklist)
    if flt.reverify:
        overdue_before, due_before = reverify.cutoffs(
            today, interval_months=rules["reverify.interval_months"], warn_days=rules["reverify.warn_days"])
        cutoff = overdue_before if flt.reverify == "overdue" else due_before
        conds.append(or_(Customer.last_verified_on.is_(None), Customer.last_verified_on < cutoff))
    if flt.contacts_short:
        conds.append(customer_contacts.short_condition(rules))
    column = SORTABLE.get(flt.sort, Customer.code)
    order = [column.desc() if flt.descending else column.asc(), Customer.code.asc()]
    return select(Customer.id).where(and_(*conds)).order_by(*order)


def search_ids(db: Database, flt: CustomerFilter, *, today: date | None = None,
               user: Principal | None = None) -> list[uuid.UUID]:
    """All matching ids in display order, as UUIDs (the list itself keeps search_keys' cheaper form)."""
    return [as_uuid(k) for k in search_keys(db, flt, today=today, user=user)]


def search_keys(db: Database, flt: CustomerFilter, *, today: date | None = None,
                user: Principal | None = None) -> list:
    """Like search_ids, but the ids as the database returns them (hex text on SQLite): building
    100,000 UUID objects costs more than the query itself. `as_uuid` turns one key into a UUID."""
    with db.read() as s:
        rules = settings.get_all(db, session=s) if flt.reverify or flt.contacts_short else {}
        query = build_query(db, flt, today or date.today(), rules, user)
        return list(s.scalars(query.with_only_columns(type_coerce(Customer.id, String))))


def as_uuid(key) -> uuid.UUID:
    return key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))


def fetch_rows(db: Database, ids: list[uuid.UUID], *, today: date | None = None,
               user: Principal | None = None) -> list[CustomerRow]:
    """Display rows for a page of ids, returned in the order of ids; with a user, only ids that user
    may list (an id from elsewhere shows nothing rather than the row)."""
    if not ids:
        return []
    today = today or date.today()
    q = (
        select(Customer.id, Customer.code, Customer.name, Customer.status, Customer.grade, Customer.industry,
               Customer.region, func.coalesce(Staff.name, ""), Customer.phone, _active_blacklist,
               Customer.last_verified_on)
        .outerjoin(Staff, Staff.id == Customer.owner_id)
        .where(Customer.id.in_(ids))
    )
    if user is not None:
        user.require("customer.list", "查看客户列表")
        q = q.where(access.readable(user))
    with db.read() as s:
        rules = settings.get_all(db, session=s)
        found = {r[0]: r for r in s.execute(q)}
    interval, warn = rules["reverify.interval_months"], rules["reverify.warn_days"]
    out = []
    for cid in ids:
        r = found.get(cid)
        if r is None:
            continue
        out.append(CustomerRow(*r[:9], bool(r[9]), r[10],
                               reverify.status(r[10], today, interval_months=interval, warn_days=warn)))
    return out


def distinct_regions(db: Database) -> list[str]:
    with db.read() as s:
        return [r for r in s.scalars(select(Customer.region).distinct().order_by(Customer.region)) if r]
