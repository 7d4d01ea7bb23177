"""Customer cards (客户关系卡): create, edit, verify, merge — every change audited."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import normalise as nz
from app.domain import reverify, size
from app.domain.fields import CUSTOMER_FIELDS, parse_yes_no
from app.domain.search_keys import customer_search_text, digits, name_keys
from app.domain.validation import normalise_uscc, parse_amount, validate_customer
from app.errors import DuplicateFound, NotFound, ValidationFailed
from app.services import access, audit, customer_merge, stale
from app.services.users import Principal
from models import BlacklistEntry, Customer, Department, Staff

EDITABLE = tuple(f.key for f in CUSTOMER_FIELDS)
CODE_ATTEMPTS = 3
CODE_LOCK_KEY = 0x4B48  # 'KH': the advisory lock that serialises code allocation


@dataclass(frozen=True)
class DuplicateCandidate:
    id: uuid.UUID
    code: str
    name: str
    reason: str  # 同名 / 统一社会信用代码相同 / 电话相同
    blacklisted: bool = False  # the front desk must see it before creating the same company again


@dataclass
class CustomerCard:
    """Everything the card shows, detached from any session."""

    id: uuid.UUID
    version: int
    values: dict
    owner_name: str = ""
    department_name: str = ""
    blacklist: list = field(default_factory=list)  # active BlacklistInfo entries
    reverify_status: str = ""
    reverify_due: date | None = None


def normalise(raw: dict) -> dict:
    """Convert typed-in or imported text to stored values (full-width folded, amounts, ints, codes from labels).
    Unknown keys dropped."""
    out: dict = {}
    for spec in CUSTOMER_FIELDS:
        if spec.key not in raw:
            continue
        value = raw[spec.key]
        if isinstance(value, str):  # the one normaliser for typed, imported and searched text (NFKC)
            value = nz.text(value)
        if spec.kind == "amount" and isinstance(value, (str, int, float)):
            try:
                value = parse_amount(value)
            except ValueError:
                pass  # validate() reports it, with the text the user typed
        elif spec.kind == "int" and isinstance(value, str):
            value = int(value) if value.isdigit() else (None if value == "" else value)
        elif spec.kind == "vocab" and isinstance(value, str) and value and spec.vocabulary:
            value = spec.vocabulary.parse(value) or value
        elif spec.key == "uscc":
            value = normalise_uscc(value)
        elif spec.kind == "bool" and not isinstance(value, bool):
            parsed = parse_yes_no(value)
            value = value if parsed is None else parsed  # validate() names the bad text
        elif spec.kind in ("staff", "department") and isinstance(value, str):
            value = uuid.UUID(value) if value else None
        out[spec.key] = value
    return out


def _search_fields(values: dict) -> dict:
    name = values.get("name") or ""
    keys = name_keys(name)  # once: the pinyin is most of the cost when 100,000 cards are made or imported
    return {
        "search_text": customer_search_text(name=name, code=values.get("code") or "",
                                            phone=values.get("phone") or "", uscc=values.get("uscc"), keys=keys),
        "name_pinyin": (keys[0] or [""])[0][:400],
    }


def _next_code(s: Session, prefix: str) -> str:
    """The next free KH000123-style code. On PostgreSQL a transaction-scoped lock makes desks take
    turns (SQLite's BEGIN IMMEDIATE already does), so codes stay unique and gapless."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CODE_LOCK_KEY})
    if s.info.get("kedesk_offline"):  # a field laptop numbers its own temporary codes (offline/codes.py)
        from app.services.offline.codes import offline_prefix

        prefix = offline_prefix(s, prefix)
    width = 6
    last = s.scalar(
        select(func.max(Customer.code)).where(Customer.code.like(f"{prefix}%"),
                                              func.length(Customer.code) == len(prefix) + width)
    )
    number = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{number:0{width}d}"


def _part(key: str):
    """search_text holds this whole part (parts are joined by " | "): an exact match, not a fragment."""
    key = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    col = Customer.search_text
    return or_(col == key, col.like(f"{key} | %", escape="\\"), col.like(f"% | {key}", escape="\\"),
               col.like(f"% | {key} | %", escape="\\"))


def find_duplicates(db: Database, *, name: str = "", uscc: str | None = None, phone: str = "",
                    exclude_id: uuid.UUID | None = None) -> list[DuplicateCandidate]:
    """Customers with the same name (simplified or traditional), USCC or phone digits (027-75807524 is
    02775807524) — DOMAIN: duplicate detection on create."""
    name, uscc = nz.text(name), normalise_uscc(uscc)
    name_key, phone_digits = nz.simplified(name).lower(), digits(nz.text(phone))
    conds = []
    if name:
        conds += [Customer.name == name, _part(name_key)]
    if uscc:
        conds.append(Customer.uscc == uscc)
    if len(phone_digits) >= 7:
        conds.append(_part(phone_digits))
    if not conds:
        return []
    with db.read() as s:
        q = select(Customer.id, Customer.code, Customer.name, Customer.uscc, Customer.phone).where(
            or_(*conds), Customer.merged_into_id.is_(None))
        if exclude_id:
            q = q.where(Customer.id != exclude_id)
        out = []
        rows = s.execute(q.limit(20)).all()
        listed = set(s.scalars(select(BlacklistEntry.customer_id).where(
            BlacklistEntry.customer_id.in_([r[0] for r in rows]), BlacklistEntry.removed_on.is_(None))))
        for cid, code, cname, cuscc, cphone in rows:
            if uscc and cuscc == uscc:
                reason = "统一社会信用代码相同"
            elif name and nz.simplified(cname).lower() == name_key:
                reason = "同名"
            elif len(phone_digits) >= 7 and digits(nz.text(cphone)) == phone_digits:
                reason = "电话相同"
            else:
                continue  # a pinyin or code part that happened to equal the typed text
            out.append(DuplicateCandidate(cid, code, cname, reason, cid in listed))
        return out


def create_customer(db: Database, *, actor: str, values: dict, allow_duplicate: bool = False,
                    today: date | None = None, user: Principal | None = None) -> uuid.UUID:
    """Create a card. Raises ValidationFailed (field messages) or DuplicateFound (open or merge)."""
    if user is not None:
        user.require("customer.create", "新建客户")
    values = normalise(values)
    values.setdefault("status", "potential")
    errors = validate_customer(values)
    if errors:
        raise ValidationFailed(errors)
    if not allow_duplicate:
        dups = find_duplicates(db, name=values.get("name", ""), uscc=values.get("uscc"),
                               phone=values.get("phone", ""))
        if dups:
            raise DuplicateFound(dups)
    rules = settings.get_all(db)
    if not values.get("size"):
        values["size"] = size.classify(values.get("annual_revenue"), values.get("headcount"),
                                       settings.size_thresholds(rules))
    values.setdefault("last_verified_on", today or date.today())  # creating is the first verification

    generate_code = not values.get("code")

    def work(s: Session) -> uuid.UUID:
        row = dict(values)
        _assign_owner(s, row, user)
        if generate_code:
            row["code"] = _next_code(s, rules["customer.code_prefix"])
        elif s.scalar(select(Customer.id).where(Customer.code == row["code"])):
            raise ValidationFailed({"code": f"客户编号 {row['code']} 已被使用"})
        cleaned = {k: v for k, v in row.items() if v is not None and k in EDITABLE}
        customer = Customer(id=uuid.uuid4(), **cleaned, **_search_fields(row))
        s.add(customer)
        s.flush()
        audit.record(s, actor=actor, action="create", entity="customer", entity_id=customer.id,
                     customer_id=customer.id, diffs=audit.changes({}, cleaned))
        return customer.id

    for attempt in range(CODE_ATTEMPTS):
        try:
            return db.transact(work)
        except IntegrityError as exc:
            text = str(exc.orig)
            if "uscc" in text:
                raise ValidationFailed({"uscc": "该统一社会信用代码已属于另一客户"}) from exc
            if "code" not in text:
                raise
            if not generate_code:
                raise ValidationFailed({"code": f"客户编号 {values['code']} 已被使用"}) from exc
            if attempt == CODE_ATTEMPTS - 1:  # a bulk import took codes meanwhile: take the next ones
                raise
    raise AssertionError("unreachable")


def _assign_owner(s: Session, row: dict, user: Principal | None) -> None:
    """DOMAIN §1: every record has an owner and a department — the owner is the creator unless one was
    chosen, the department is the owner's (so the rep and their manager read the card at once)."""
    if not row.get("owner_id") and user is not None and user.staff_id is not None:
        row["owner_id"] = user.staff_id
    owner = s.get(Staff, row["owner_id"]) if row.get("owner_id") else None
    if row.get("owner_id") and owner is None:
        raise ValidationFailed({"owner_id": "所选负责人不存在"})
    if owner is not None and owner.department_id is not None:
        row["department_id"] = owner.department_id
    elif not row.get("department_id") and user is not None:
        row["department_id"] = user.department_id


def _values(c: Customer) -> dict:
    return {k: getattr(c, k) for k in EDITABLE}


# grade and stage follow their procedures (分级确认, 客户进阶, 登记流失); typing them on the card is an override
STAGE_MESSAGES = {
    "grade": "客户等级由分级确认或进阶审批变更;手工调整须有“调整客户等级”权限",
    "status": "合作状态通过客户进阶申请或登记流失变更;手工调整须有“调整客户等级”权限",
}


LOAN_FIXED = {"confidentiality", "owner_id", "department_id"}  # what a borrower may not change


def _check_stage_and_grade(user: Principal | None, changed: set[str]) -> None:
    if user is None or user.can("grading.override"):
        return
    errors = {k: m for k, m in STAGE_MESSAGES.items() if k in changed}
    if errors:
        raise ValidationFailed(errors)


def may_set_stage(user: Principal | None) -> bool:
    """Whether the card editor offers 合作状态 and 客户等级 for editing on an existing card."""
    return user is None or user.can("grading.override")


def update_customer(db: Database, *, actor: str, customer_id: uuid.UUID, values: dict,
                    expected_version: int | None = None, user: Principal | None = None) -> int:
    """Apply changed fields; one audit row per field. Returns the new version."""
    if user is not None:
        access.check_read(db, user, customer_id, action="edit")
    values = normalise(values)

    def work(s: Session) -> int:
        c = s.get(Customer, customer_id)
        if c is None or c.merged_into_id is not None:
            raise NotFound("客户不存在或已被合并")
        stale.check(what=f"客户“{c.name}”", expected=expected_version, found=c.version, stored=_values(c),
                    typed=values, labels=CUSTOMER_FIELDS)
        if values.get("owner_id") and values["owner_id"] != c.owner_id:
            owner = s.get(Staff, values["owner_id"])
            if owner is None:
                raise ValidationFailed({"owner_id": "所选负责人不存在"})
            if owner.department_id is not None:  # the card goes with its new owner's department
                values["department_id"] = owner.department_id
        merged = _values(c) | values
        errors = validate_customer(merged)
        if errors:
            raise ValidationFailed(errors)
        if merged.get("code") != c.code and s.scalar(select(Customer.id).where(Customer.code == merged["code"])):
            raise ValidationFailed({"code": f"客户编号 {merged['code']} 已被使用"})
        diffs = audit.changes(_values(c), {k: v for k, v in values.items()})
        if not diffs:
            return c.version
        _check_stage_and_grade(user, {d[0] for d in diffs})
        if LOAN_FIXED & {d[0] for d in diffs} and access.on_loan(s, user, c.id):
            raise ValidationFailed({k: "借阅的档案不能更改保密级别、负责人或部门" for k in LOAN_FIXED
                                    if k in {d[0] for d in diffs}})
        for key, _old, _new in diffs:
            setattr(c, key, values[key])
        if {"name", "code", "phone", "uscc"} & {d[0] for d in diffs}:
            for k, v in _search_fields(merged).items():
                setattr(c, k, v)
        c.version += 1
        audit.record(s, actor=actor, action="update", entity="customer", entity_id=c.id,
                     customer_id=c.id, diffs=diffs)
        return c.version

    try:
        return db.transact(work)
    except IntegrityError as exc:
        if "uscc" in str(exc.orig):
            raise ValidationFailed({"uscc": "该统一社会信用代码已属于另一客户"}) from exc
        raise


def get_card(db: Database, *, customer_id: uuid.UUID, today: date | None = None,
             user: Principal | None = None, action: str = "open") -> CustomerCard:
    """The card; with a user, the reading is checked against the archive's level and logged."""
    from app.services.blacklist import active_entries  # local: blacklist imports this module

    if user is not None:
        access.check_read(db, user, customer_id, action=action)

    today = today or date.today()
    rules = settings.get_all(db)
    with db.read() as s:
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFound("客户不存在")
        if c.merged_into_id is not None:  # its archive now lives on the card it was merged into
            kept = s.get(Customer, c.merged_into_id)
            raise NotFound(f"该客户已并入 {kept.code} {kept.name},请打开该客户")
        owner = s.get(Staff, c.owner_id) if c.owner_id else None
        dept = s.get(Department, c.department_id) if c.department_id else None
        card = CustomerCard(id=c.id, version=c.version, values=_values(c),
                            owner_name=owner.name if owner else "", department_name=dept.name if dept else "")
    card.blacklist = active_entries(db, customer_id=customer_id, user=None)  # the card was checked above
    interval, warn = rules["reverify.interval_months"], rules["reverify.warn_days"]
    card.reverify_status = reverify.status(card.values["last_verified_on"], today,
                                           interval_months=interval, warn_days=warn)
    if card.values["last_verified_on"]:
        card.reverify_due = reverify.next_due(card.values["last_verified_on"], interval)
    return card


def mark_verified(db: Database, *, actor: str, customer_id: uuid.UUID, on: date | None = None,
                  user: Principal | None = None) -> None:
    """Record the quarterly re-verification (重新核定) of a card."""
    if user is not None:
        access.check_read(db, user, customer_id, action="edit")
    on = on or date.today()

    def work(s: Session) -> None:
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFound("客户不存在")
        old = c.last_verified_on
        c.last_verified_on = on
        c.version += 1
        audit.record(s, actor=actor, action="verify", entity="customer", entity_id=c.id, customer_id=c.id,
                     diffs=[("last_verified_on", audit.as_text(old), on.isoformat())])

    db.transact(work)


def merge_customers(db: Database, *, actor: str, keep_id: uuid.UUID, merge_id: uuid.UUID,
                    user: Principal | None = None) -> None:
    """Merge a duplicate into the kept card: every row that points at it moves (customer_merge); empty
    fields fill from it; it stays as a tombstone pointing at the kept card.

    With a user, both cards are edits: each is checked and logged like any edit of a card."""
    customer_merge.check_not_self(keep_id, merge_id)
    if user is not None:
        for cid in (merge_id, keep_id):
            access.check_read(db, user, cid, action="edit")

    def work(s: Session) -> None:
        keep, gone = customer_merge.live_pair(s, keep_id, merge_id)
        fills = {}
        for key in EDITABLE:
            if key in ("code", "uscc"):
                continue
            kv, gv = getattr(keep, key), getattr(gone, key)
            if kv in (None, "") and gv not in (None, ""):
                fills[key] = gv
        moved_uscc = gone.uscc if not keep.uscc else None
        gone.uscc = None  # the unique USCC moves with the merge
        s.flush()
        if moved_uscc:
            fills["uscc"] = moved_uscc
        diffs = audit.changes(_values(keep), fills)
        for key, value in fills.items():
            setattr(keep, key, value)
        s.flush()
        notes = customer_merge.move_references(s, keep_id=keep_id, merge_id=merge_id)
        for k, v in _search_fields(_values(keep)).items():
            setattr(keep, k, v)
        keep.version += 1
        gone.merged_into_id = keep_id
        gone.version += 1
        audit.record(s, actor=actor, action="merge", entity="customer", entity_id=keep.id,
                     customer_id=keep.id, diffs=diffs + [("", "", f"合并 {gone.code} {gone.name}")]
                     + [("", "", n) for n in notes])
        audit.record(s, actor=actor, action="merge", entity="customer", entity_id=gone.id,
                     customer_id=gone.id, note=f"已并入 {keep.code} {keep.name}")

    db.transact(work)


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"

