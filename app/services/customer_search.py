"""The customer list: filter and sort in SQL, return ids, then fetch display rows by the page.

Search-as-you-type over name, pinyin, initials, phone, code and USCC. On SQLite a 3+ character
query goes through the FTS5 trigram index; shorter ones (common for Chinese names) use LIKE.
Each keystroke's search (`search_page`) is one read-only connection: the re-verification rules, the ids,
the first page's rows. Each kind of search (_shape) is one statement with named parameters, built once;
on SQLite it is compiled once too and run on the driver's cursor (_Prepared), since SQLAlchemy's own
execution costs more than the query. Ids stay as the database returns them (hex text on SQLite); a row
makes its UUID when asked. The rules read with a search serve its later pages too.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

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


@dataclass(frozen=True, slots=True)
class CustomerRow:
    key: str | uuid.UUID  # the id as the database returned it (see search_keys); `id` is the UUID
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

    @property
    def id(self) -> uuid.UUID:  # made when asked: a page of UUIDs costs as much as its query
        return as_uuid(self.key)


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
    fetch_rows for the next pages; None when the search read no rows)."""
    keys: list
    rows: list[CustomerRow]
    rules: ListRules | None  # None when no rows were read


_active_blacklist = exists().where(BlacklistEntry.customer_id == Customer.id, BlacklistEntry.removed_on.is_(None))


def _like_escape(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_mode(db: Database, q: str) -> str | None:
    if not q:
        return None
    return "fts" if db.dialect == "sqlite" and len(q) >= 3 else "like"


def _text_value(mode: str, q: str) -> str:
    return '"' + q.replace('"', '""') + '"' if mode == "fts" else f"%{_like_escape(q)}%"


def _cutoff(flt: CustomerFilter, today: date, rules: dict) -> date:
    overdue_before, due_before = reverify.cutoffs(
        today, interval_months=rules["reverify.interval_months"], warn_days=rules["reverify.warn_days"])
    return overdue_before if flt.reverify == "overdue" else due_before


def _select(db: Database, flt: CustomerFilter, today: date, rules: dict, user: Principal | None,
            bound: bool) -> Select:
    """The ids matching `flt` in the list's order. bound=True: every value a named parameter (_values
    gives them), so the statement serves every search of the same shape (_shape)."""
    def value(name: str, v):
        return bindparam(name) if bound else v

    conds = [Customer.merged_into_id.is_(None)]
    if user is not None:  # confidentiality: only the archives this user may read
        user.require("customer.list", "查看客户列表")
        conds.append(access.readable(user, bound=bound))
    q = normalise_query(flt.text)
    if (mode := _text_mode(db, q)) == "fts":
        fts = text("customer.rowid IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH :q)")
        conds.append(fts if bound else fts.bindparams(q=_text_value(mode, q)))
    elif mode == "like":
        conds.append(Customer.search_text.like(value("q", _text_value(mode, q)), escape="\\"))
    if flt.status:
        conds.append(Customer.status == value("status", flt.status))
    if flt.grade is not None:
        conds.append(Customer.grade == value("grade", flt.grade))
    if flt.region:
        conds.append(Customer.region == value("region", flt.region))
    if flt.owner_id:
        conds.append(Customer.owner_id == value("owner", flt.owner_id))
    if flt.blacklisted is not None:
        conds.append(_active_blacklist if flt.blacklisted else ~_active_blacklist)
    if flt.reverify:
        conds.append(or_(Customer.last_verified_on.is_(None),
                         Customer.last_verified_on < value("cutoff", _cutoff(flt, today, rules))))
    if flt.contacts_short:
        minimum = value("min_contacts", rules["important.min_contacts"])
        conds.append(customer_contacts.short_condition(rules | {"important.min_contacts": minimum}))
    column = SORTABLE.get(flt.sort, Customer.code)
    order = [column.desc() if flt.descending else column.asc(), Customer.code.asc()]
    return select(Customer.id).where(and_(*conds)).order_by(*order)


def _shape(db: Database, flt: CustomerFilter, q: str, rules: dict, user: Principal | None) -> tuple:
    """What decides the bound statement's SQL: searches of equal shape share it."""
    return (type(db.engine.dialect), _text_mode(db, q), bool(flt.status),
            flt.grade is not None, bool(flt.region), bool(flt.owner_id), flt.blacklisted, bool(flt.reverify),
            flt.contacts_short and (rules["important.grade_a"], rules["important.large_size"]),
            flt.sort if flt.sort in SORTABLE else "code", flt.descending,
            None if user is None else access.readable_shape(user))


def _values(db: Database, flt: CustomerFilter, q: str, today: date, rules: dict, user: Principal | None) -> dict:
    """The parameters of _select(..., bound=True) for this filter."""
    out = {name: v for name, v, used in (("status", flt.status, bool(flt.status)),
                                         ("grade", flt.grade, flt.grade is not None),
                                         ("region", flt.region, bool(flt.region)),
                                         ("owner", flt.owner_id, bool(flt.owner_id))) if used}
    if mode := _text_mode(db, q):
        out["q"] = _text_value(mode, q)
    if flt.reverify:
        out["cutoff"] = _cutoff(flt, today, rules)
    if flt.contacts_short:
        out["min_contacts"] = rules["important.min_contacts"]
    if user is not None:
        user.require("customer.list", "查看客户列表")
        out |= access.readable_values(user)
    return out


def build_query(db: Database, flt: CustomerFilter, today: date, rules: dict,
                user: Principal | None = None) -> Select:
    """The ids matching `flt` in the list's order, values in the statement (the export reads through it)."""
    return _select(db, flt, today, rules, user, bound=False)


class _Prepared:
    """A select compiled once for SQLite's driver: its SQL, its parameters' names and bind processors in
    order. Rows come back as the driver gives them (dates as ISO text). SQLAlchemy's execution of a statement (~35 µs) costs more than
    a full-text query of the list; the driver's own cursor runs it for what the SQL costs."""

    def __init__(self, stmt: Select, dialect):
        compiled = stmt.compile(dialect=dialect)
        self.sql, self.names = compiled.string, tuple(compiled.positiontup or ())
        self.procs = tuple(compiled.binds[n].type._cached_bind_processor(dialect) for n in self.names)
        # values written into the statement (coalesce(…, "")); a parameter without one must be given
        self.fixed = {n: b.value for n, b in compiled.binds.items() if not b.required}
        self._expanded: dict[int, str] = {}

    def bind(self, values: dict) -> tuple[str, list]:
        """The SQL and the driver's parameters for these values."""
        sql, params = self.sql, []
        for name, proc in zip(self.names, self.procs, strict=True):
            v = values[name] if name in values else self.fixed[name]
            if name == "keys":  # the expanding IN list: one placeholder per key
                sql = self._expanded.get(len(v)) or self._expand(len(v))
                params.extend(v)
            else:
                params.append(v if proc is None or v is None else proc(v))
        return sql, params

    def rows(self, cursor, values: dict) -> list:
        return cursor.execute(*self.bind(values)).fetchall()

    def _expand(self, n: int) -> str:
        sql = self._expanded[n] = self.sql.replace("__[POSTCOMPILE_keys]", ", ".join("?" * n))
        return sql


class _Reader:
    """One read of the list. SQLite: the pooled connection's own cursor inside BEGIN … COMMIT (one
    snapshot), statements compiled once; other databases: a Core connection with the same statements."""

    def __init__(self, conn: Connection | None, cursor=None, dialect=None):
        self.conn, self.cursor, self.dialect = conn, cursor, dialect

    def all(self, stmt: Select, values: dict) -> list:
        if self.cursor is None:
            return self.conn.execute(stmt, values).all()
        prepared = _PREPARED.get(id(stmt))
        if prepared is None:
            prepared = _PREPARED[id(stmt)] = _Prepared(stmt, self.dialect)
        return prepared.rows(self.cursor, values)


@contextmanager
def _reading(db: Database) -> Iterator[_Reader]:
    """One read-only connection, no ORM session: the list's queries are Core selects (a session and its
    ORM execution cost more than a full-text query at 100,000 customers)."""
    if db.dialect != "sqlite":
        with db.engine.connect() as conn:
            yield _Reader(conn)
        return
    pooled = db.engine.raw_connection()  # the pool's connection, pragmas set (engine.py)
    try:
        cursor = pooled.cursor()
        cursor.execute("BEGIN")  # a deferred read: no write lock
        yield _Reader(None, cursor, db.engine.dialect)
        cursor.execute("COMMIT")
    finally:
        pooled.close()  # back to the pool, which rolls back whatever an error left open


# statements built once per shape: building a select and its cache key costs more than running it
_RULES_QUERY = select(Setting.key, Setting.value).where(Setting.key.in_(bindparam("keys", expanding=True)))
# each displayed row carries the rules, so the first page needs no statement of its own for them
_RULE_COLUMNS = [select(Setting.value).where(Setting.key == k).scalar_subquery() for k in _RULE_KEYS]
_IDS: dict[tuple, Select] = {}  # by _shape
_ROWS: dict[tuple, Select] = {}  # by dialect and the user's readable_shape; the ids go in as "keys"
_PREPARED: dict[int, _Prepared] = {}  # by id() of a statement above, each kept for the process's life


def _read_rules(reader: _Reader) -> ListRules:
    stored = dict(reader.all(_RULES_QUERY, {"keys": list(_RULE_KEYS)}))
    return _rules_of([stored.get(k) for k in _RULE_KEYS])


def _rules_of(stored: list) -> ListRules:
    """The rules from their stored JSON texts in _RULE_KEYS order (None: not set, the default)."""
    return ListRules(*(settings.OPTIONS[k].default if v is None else json.loads(v)
                       for k, v in zip(_RULE_KEYS, stored, strict=True)))


def search_page(db: Database, flt: CustomerFilter, *, page: int = PAGE, today: date | None = None,
                user: Principal | None = None) -> SearchPage:
    """What the list does on each keystroke: the ids and the first `page` rows in one read."""
    today = today or date.today()
    rows, rules = [], None
    with _reading(db) as reader:
        keys = _keys(reader, db, flt, today, user)
        if keys and page > 0:
            rows, rules = _rows(reader, db, keys[:page], today, None, user)
    return SearchPage(keys, rows, rules)


def search_ids(db: Database, flt: CustomerFilter, *, today: date | None = None,
               user: Principal | None = None) -> list[uuid.UUID]:
    """All matching ids in display order, as UUIDs (the list itself keeps search_keys' cheaper form)."""
    return [as_uuid(k) for k in search_keys(db, flt, today=today, user=user)]


def search_keys(db: Database, flt: CustomerFilter, *, today: date | None = None,
                user: Principal | None = None) -> list:
    """Like search_ids, but the ids as the database returns them (hex text on SQLite): building
    100,000 UUID objects costs more than the query itself. `as_uuid` turns one key into a UUID."""
    with _reading(db) as reader:
        return _keys(reader, db, flt, today or date.today(), user)


def _keys(reader: _Reader, db: Database, flt: CustomerFilter, today: date, user: Principal | None) -> list:
    # the rules a filter needs in its condition; a plain search needs none
    if flt.contacts_short:
        rule_values = settings.get_all(db)
    else:
        rule_values = _read_rules(reader).as_dict() if flt.reverify else {}
    q = normalise_query(flt.text)  # once per keystroke: the shape and the parameters both need it
    shape = _shape(db, flt, q, rule_values, user)
    stmt = _IDS.get(shape)
    if stmt is None:
        stmt = _IDS[shape] = _select(db, flt, today, rule_values, user, bound=True).with_only_columns(
            type_coerce(Customer.id, String))
    return [r[0] for r in reader.all(stmt, _values(db, flt, q, today, rule_values, user))]


def as_uuid(key) -> uuid.UUID:
    return key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))


def fetch_rows(db: Database, ids: list, *, today: date | None = None, user: Principal | None = None,
               rules: ListRules | None = None) -> list[CustomerRow]:
    """Display rows for a page of ids (UUIDs or search keys), returned in the order of ids; with a user,
    only ids that user may list (an id from elsewhere shows nothing rather than the row). `rules`: the
    ones a search returned (SearchPage.rules); read with the rows when not given."""
    if not ids:
        return []
    with _reading(db) as reader:
        return _rows(reader, db, ids, today or date.today(), rules, user)[0]


def _rows_statement(db: Database, user: Principal | None) -> Select:
    key = (type(db.engine.dialect), None if user is None else access.readable_shape(user))
    q = _ROWS.get(key)
    if q is None:
        sqlite = db.dialect == "sqlite"  # there, compare the stored hex text: no UUID bind processing per id
        key_column = type_coerce(Customer.id, String) if sqlite else Customer.id
        q = (select(key_column, Customer.code, Customer.name, Customer.status, Customer.grade, Customer.industry,
                    Customer.region, func.coalesce(Staff.name, ""), Customer.phone, _active_blacklist,
                    Customer.last_verified_on, *_RULE_COLUMNS)
             .outerjoin(Staff, Staff.id == Customer.owner_id)
             .where(key_column.in_(bindparam("keys", expanding=True))))
        if user is not None:
            q = q.where(access.readable(user, bound=True))
        _ROWS[key] = q
    return q


def _rows(reader: _Reader, db: Database, ids: list, today: date, rules: ListRules | None,
          user: Principal | None) -> tuple[list[CustomerRow], ListRules | None]:
    """The rows of `ids` in their order, and the rules they were made with: `rules`, or when None the
    ones read with the rows (each row carries them: one statement instead of two)."""
    sqlite = db.dialect == "sqlite"
    keys = [k.hex if isinstance(k, uuid.UUID) else k for k in ids] if sqlite else [as_uuid(k) for k in ids]
    values = {"keys": keys}
    if user is not None:
        user.require("customer.list", "查看客户列表")
        values |= access.readable_values(user)
    found = {r[0]: r for r in reader.all(_rows_statement(db, user), values)}
    if rules is None and found:
        rules = _rules_of(next(iter(found.values()))[11:])
    if rules is None:
        return [], None
    interval, warn = rules.interval_months, rules.warn_days
    out = []
    for key in keys:
        r = found.get(key)
        if r is None:
            continue
        out.append(CustomerRow(key, *r[1:9], bool(r[9]), *_verification(r[10], today, interval, warn)))
    return out, rules


@lru_cache(maxsize=4096)  # cards share dates: each is parsed and judged once
def _verification(stored: date | str | None, today: date, interval: int, warn: int) -> tuple[date | None, str]:
    """last_verified_on as the driver returns it (ISO text from SQLite's cursor) → the date and its status."""
    day = date.fromisoformat(stored) if isinstance(stored, str) else stored
    return day, reverify.status(day, today, interval_months=interval, warn_days=warn)


def distinct_regions(db: Database) -> list[str]:
    with db.read() as s:
        return [r for r in s.scalars(select(Customer.region).distinct().order_by(Customer.region)) if r]
