"""The customer list: filter and sort in SQL, return ids, then fetch display rows by the page.

Search-as-you-type over name, pinyin, initials, phone, code and USCC. On SQLite a 3+ character
query goes through the FTS5 trigram index; shorter ones (common for Chinese names) use LIKE.
Each keystroke's search (`search_page`) is one read-only connection with plain Core selects: the
re-verification rules, the ids, the first page's rows. Ids stay as the database returns them (hex text
on SQLite); only displayed rows get UUIDs. The rules read with a search serve its later pages too.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, String, and_, bindparam, exists, func, or_, select, text, type_coerce
from sqlalchemy.sql import Select

from app import settings
from app.db import Database
from app.domain import reverify
from app.domain.search_keys import normalise_query
from app.services import access, customer_contacts
from app.services.users import Principal
from models import BlacklistEntry, Customer, Setting, Staff

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


PAGE = 200  # rows fetched at a time: the list's page, and what a search returns with its ids
_RULE_KEYS = ("reverify.interval_months", "reverify.warn_days")


@dataclass(frozen=True)
class ListRules:
    """The re-verification rules (重新核定周期, 提前提醒天数) the list needs, read once per search."""
    interval_months: int
    warn_days: int

    def as_dict(self) -> dict:
        return dict(zip(_RULE_KEYS, (self.interval_months, self.warn_days), strict=True))


@dataclass(frozen=True)
class SearchPage:
    """One search: every matching id in display order (as the database returns them, `as_uuid` makes
    one a UUID), the display rows of the first page, and the rules they were made with (pass them to
    fetch_rows for the next pages)."""
    keys: list
    rows: list[CustomerRow]
    rules: ListRules


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
    if flt.contacts_short:  # its settings are read only when this filter is on
        full = rules if "important.min_contacts" in rules else settings.get_all(db)
        conds.append(customer_contacts.short_condition(full))
    column = SORTABLE.get(flt.sort, Customer.code)
    order = [column.desc() if flt.descending else column.asc(), Customer.code.asc()]
    return select(Customer.id).where(and_(*conds)).order_by(*order)


@contextmanager
def _reading(db: Database) -> Iterator[Connection]:
    """One read-only connection, no ORM session: the list's queries are Core selects (a session and its
    ORM execution cost more than a full-text query at 100,000 customers)."""
    with db.engine.connect() as conn:
        yield conn.execution_options(kedesk_readonly=True)  # plain BEGIN on SQLite (engine.py)


# statements built once: constructing a select and its cache key costs more than running it (~0.3 ms)
_RULES_QUERY = select(Setting.key, Setting.value).where(Setting.key.in_(_RULE_KEYS))
_ROWS_QUERY: dict[str, Select] = {}  # by dialect; the ids go in as the expanding parameter "keys"


def _read_rules(conn: Connection) -> ListRules:
    stored = dict(conn.execute(_RULES_QUERY).all())
    return ListRules(*(json.loads(stored[k]) if k in stored else settings.OPTIONS[k].default for k in _RULE_KEYS))


def search_page(db: Database, flt: CustomerFilter, *, page: int = PAGE, today: date | None = None,
                user: Principal | None = None) -> SearchPage:
    """What the list does on each keystroke: the ids and the first `page` rows in one read."""
    today = today or date.today()
    with _reading(db) as conn:
        rules = _read_rules(conn)
        keys = _keys(conn, build_query(db, flt, today, rules.as_dict(), user))
        rows = _rows(conn, db, keys[:page], today, rules, user) if keys and page > 0 else []
    return SearchPage(keys, rows, rules)


def search_ids(db: Database, flt: CustomerFilter, *, today: date | None = None,
               user: Principal | None = None) -> list[uuid.UUID]:
    """All matching ids in display order, as UUIDs (the list itself keeps search_keys' cheaper form)."""
    return [as_uuid(k) for k in search_keys(db, flt, today=today, user=user)]


def search_keys(db: Database, flt: CustomerFilter, *, today: date | None = None,
                user: Principal | None = None) -> list:
    """Like search_ids, but the ids as the database returns them (hex text on SQLite): building
    100,000 UUID objects costs more than the query itself. `as_uuid` turns one key into a UUID."""
    with _reading(db) as conn:
        rules = _read_rules(conn).as_dict() if flt.reverify else {}
        return _keys(conn, build_query(db, flt, today or date.today(), rules, user))


def _keys(conn: Connection, query: Select) -> list:
    return conn.execute(query.with_only_columns(type_coerce(Customer.id, String))).scalars().all()


def as_uuid(key) -> uuid.UUID:
    return key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))


def fetch_rows(db: Database, ids: list, *, today: date | None = None, user: Principal | None = None,
               rules: ListRules | None = None) -> list[CustomerRow]:
    """Display rows for a page of ids (UUIDs or search keys), returned in the order of ids; with a user,
    only ids that user may list (an id from elsewhere shows nothing rather than the row). `rules`: the
    ones a search returned (SearchPage.rules); read here when not given."""
    if not ids:
        return []
    with _reading(db) as conn:
        return _rows(conn, db, ids, today or date.today(), rules or _read_rules(conn), user)


def _rows(conn: Connection, db: Database, ids: list, today: date, rules: ListRules,
          user: Principal | None) -> list[CustomerRow]:
    sqlite = db.dialect == "sqlite"  # there, compare the stored hex text: no UUID bind processing per id
    keys = [k.hex if isinstance(k, uuid.UUID) else k for k in ids] if sqlite else [as_uuid(k) for k in ids]
    q = _ROWS_QUERY.get(db.dialect)
    if q is None:
        key_column = type_coerce(Customer.id, String) if sqlite else Customer.id
        q = _ROWS_QUERY[db.dialect] = (
            select(key_column, Customer.code, Customer.name, Customer.status, Customer.grade, Customer.industry,
                   Customer.region, func.coalesce(Staff.name, ""), Customer.phone, _active_blacklist,
                   Customer.last_verified_on)
            .outerjoin(Staff, Staff.id == Customer.owner_id)
            .where(key_column.in_(bindparam("keys", expanding=True)))
        )
    if user is not None:
        user.require("customer.list", "查看客户列表")
        q = q.where(access.readable(user))
    found = {r[0]: r for r in conn.execute(q, {"keys": keys}).all()}  # one fetchall, not a fetchone per row
    interval, warn, status = rules.interval_months, rules.warn_days, reverify.status
    out = []
    for key in keys:
        r = found.get(key)
        if r is None:
            continue
        out.append(CustomerRow(as_uuid(key), *r[1:9], bool(r[9]), r[10],
                               status(r[10], today, interval_months=interval, warn_days=warn)))
    return out


def distinct_regions(db: Database) -> list[str]:
    with db.read() as s:
        return [r for r in s.scalars(select(Customer.region).distinct().order_by(Customer.region)) if r]
