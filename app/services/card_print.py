"""Print the customer archive form (客户基本资料档案, 一式三份): gather the card, turn codes into Chinese."""
from __future__ import annotations

import os
import tempfile
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from app.db import Database
from app.domain import reverify, vocab
from app.domain.fields import CUSTOMER_FIELD
from app.errors import UserError
from app.services import archive, blacklist, customers, key_persons
from app.services.users import Principal
from reports.customer_card import ArchiveLine, ArchiveSection, CardPrint, PersonLine, render_customer_card
from reports.fonts import FontMissing

DEFAULT_ISSUER = "客台示范公司"
LATEST_PER_SECTION = 3  # the form summarises; the full archive is on screen

# print order, chosen so short fields pair up two to a row and long ones get a row of their own
PRINT_ORDER = (
    "legal_representative", "uscc", "address", "postcode", "phone", "fax", "region", "business_scope",
    "registered_capital", "annual_revenue", "industry", "size", "headcount", "distance_km",
    "customer_type", "source", "channel_level", "status", "grade", "important", "credit_limit",
    "owner_id", "department_id", "unsuitable_visit_times", "lost_reason", "note",
)
def _value_text(key: str, value, card: customers.CustomerCard) -> str:
    spec = CUSTOMER_FIELD[key]
    if spec.kind == "staff":
        return card.owner_name
    if spec.kind == "department":
        return card.department_name
    if spec.kind == "bool":
        return "是" if value else "否"
    if value is None or value == "":
        return ""
    if key == "channel_level":
        return vocab.CHANNEL_LEVEL.label(str(value))
    if spec.kind == "vocab" and spec.vocabulary:
        return spec.vocabulary.label(value)
    if key == "distance_km":
        return f"{Decimal(value):.1f}"
    if spec.kind == "amount":
        return f"{customers.amount_text(value)} 元"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _fields(card: customers.CustomerCard) -> list[tuple[str, str]]:
    values = card.values
    out = []
    for key in PRINT_ORDER:
        if key == "lost_reason" and values.get("status") != "lost" and not values.get(key):
            continue  # only a lost customer has a reason to show
        out.append((CUSTOMER_FIELD[key].label, _value_text(key, values.get(key), card)))
    return out


def _person(p: key_persons.KeyPersonInfo) -> PersonLine:
    v = p.values
    summary = ";".join(f"{label}:{v[key]}" for key, label in (("hobbies", "爱好"), ("personality", "性格"))
                       if v.get(key))
    return PersonLine(name=v["name"], position=v.get("position") or "",
                      phone="\n".join(x for x in (v.get("phone"), v.get("mobile")) if x),
                      role=vocab.DECISION_ROLE.label(v.get("decision_role")) if v.get("decision_role") else "",
                      birthday=v.get("birthday"), summary=summary)


def _archive(db: Database, customer_id: uuid.UUID) -> list[ArchiveSection]:
    all_entries = archive.entries(db, customer_id=customer_id, user=None)  # checked by card_data
    sections = []
    for section in vocab.ARCHIVE_SECTION.terms:
        rows = [e for e in all_entries if e.section == section.code]
        kinds = vocab.ARCHIVE_KIND.get(section.code)
        lines = [ArchiveLine(e.entry_date, kinds.label(e.kind) if kinds else e.kind, e.subject,
                             customers.amount_text(e.amount))
                 for e in rows[-LATEST_PER_SECTION:]]  # entries come oldest first: keep the latest
        sections.append(ArchiveSection(section.zh, lines, total=len(rows)))
    return sections


def _blacklist_notice(entries: list[blacklist.BlacklistInfo]) -> str | None:
    if not entries:
        return None
    return "\n".join(f"{e.listed_on.isoformat()} 列入 · 标准:{e.criterion} · 原因:{e.reason} · 列入人:{e.listed_by}"
                     for e in entries)


def card_data(db: Database, *, customer_id: uuid.UUID, printed_by: str, issuer: str = DEFAULT_ISSUER,
              now: datetime | None = None, user: Principal | None = None) -> CardPrint:
    """The plain data the form shows, in Chinese labels (the UI may preview it before printing)."""
    now = now or datetime.now()
    card = customers.get_card(db, customer_id=customer_id, today=now.date(), user=user, action="print")
    values = card.values
    return CardPrint(
        code=values["code"], name=values["name"], printed_at=now, printed_by=printed_by, issuer=issuer,
        fields=_fields(card),
        # the form's parts: get_card has just checked and logged this print for the whole card
        persons=[_person(p) for p in key_persons.list_persons(db, customer_id=customer_id, user=None)],
        archive=_archive(db, customer_id),
        blacklist=_blacklist_notice(card.blacklist),
        last_verified=values.get("last_verified_on"), next_verify=card.reverify_due,
        verify_status=reverify.LABELS.get(card.reverify_status, "") if values.get("last_verified_on") else "未核定",
        verify_overdue=card.reverify_status == reverify.OVERDUE,
        confidentiality=vocab.CONFIDENTIALITY.label(values.get("confidentiality")) or "部门级",
    )


def card_pdf(db: Database, *, customer_id: uuid.UUID, printed_by: str, issuer: str = DEFAULT_ISSUER,
             now: datetime | None = None, user: Principal | None = None) -> bytes:
    """The archive form as PDF bytes, three copies. Raises NotFound, or UserError when no CJK font is installed."""
    data = card_data(db, customer_id=customer_id, printed_by=printed_by, issuer=issuer, now=now, user=user)
    try:
        return render_customer_card(data)
    except FontMissing as exc:
        raise UserError(str(exc)) from exc


def save_card_pdf(db: Database, *, customer_id: uuid.UUID, path: str | os.PathLike, printed_by: str,
                  issuer: str = DEFAULT_ISSUER, now: datetime | None = None,
                  user: Principal | None = None) -> Path:
    """Write the form to path; an existing file is replaced only once the new PDF is complete."""
    pdf = card_pdf(db, customer_id=customer_id, printed_by=printed_by, issuer=issuer, now=now, user=user)
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".kedesk-", suffix=".pdf", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pdf)
            os.replace(tmp, target)  # fails on Windows while a viewer holds the old file open
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(f"无法保存文件 {target}:{exc.strerror or exc}。请检查文件夹是否存在、"
                        "文件是否正被其他程序打开。") from exc
    return target
