"""One sheet row of an Excel import → card values and their Chinese messages (导入行的读取与检查).

Maps the sheet's headers to card fields, reads each cell as the card editor would have received it
(dates, amounts, staff and department names), then normalises and validates the row exactly as the
editor does, plus the column limits the editor leaves to the database. Duplicates and writing are
customer_import's part.
"""
from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.fields import CUSTOMER_FIELD, CUSTOMER_FIELDS, parse_yes_no
from app.domain.validation import validate_customer
from app.services import customers
from models import Customer, Department, Staff
from reports import excel_customers as xl

REQUIRED = ("name",)

# Headers people actually use for the same column, besides the field's label and key.
SYNONYMS = {
    "公司名称": "name", "单位名称": "name", "企业名称": "name", "客户名": "name", "名称": "name",
    "客户代码": "code", "编号": "code",
    "法人": "legal_representative", "法人代表": "legal_representative",
    "信用代码": "uscc", "社会信用代码": "uscc", "统一信用代码": "uscc",
    "邮政编码": "postcode", "联系电话": "phone", "电话号码": "phone", "固定电话": "phone",
    "注册资金": "registered_capital", "营业收入": "annual_revenue", "年收入": "annual_revenue",
    "员工人数": "headcount", "人数": "headcount", "规模": "size", "地区": "region",
    "距离": "distance_km", "类型": "customer_type", "来源": "source", "渠道等级": "channel_level",
    "状态": "status", "等级": "grade",
    "客户经理": "owner_id", "业务员": "owner_id", "销售负责人": "owner_id", "owner": "owner_id",
    "所属部门": "department_id", "department": "department_id", "核定日期": "last_verified_on",
}


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()  # full-width brackets, letters
    return "".join(text.split()).rstrip("*")


_HEADERS = {_header_key(f.label): f.key for f in CUSTOMER_FIELDS}
_HEADERS |= {_header_key(f.key): f.key for f in CUSTOMER_FIELDS}
_HEADERS |= {_header_key(k): v for k, v in SYNONYMS.items()}


def map_headers(headers: list[str]) -> list[str | None]:
    """Field key for each column (None: unknown, or a field already taken by an earlier column)."""
    taken: set[str] = set()
    out: list[str | None] = []
    for h in headers:
        key = _HEADERS.get(_header_key(h))
        if key in taken:
            key = None
        if key:
            taken.add(key)
        out.append(key)
    return out


def missing_required(keys: list[str | None]) -> list[str]:
    """Labels of the required columns that map_headers did not find."""
    return [CUSTOMER_FIELD[k].label for k in REQUIRED if k not in keys]


# ---------------------------------------------------------------- cells → typed-in values


class _CellError(Exception):
    def __init__(self, message: str):
        self.message = message


def _text(value):
    return xl.display(value)


def _amount(value):
    return value if isinstance(value, (int, float, str)) and not isinstance(value, bool) else xl.display(value)


def _integer(value):
    if isinstance(value, bool):
        return xl.display(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, (int, str)) else xl.display(value)


def _yes_no(value):
    if value is None:
        return None  # an empty cell: the card keeps its default (not important)
    parsed = parse_yes_no(value)
    return xl.display(value) if parsed is None else parsed  # validation names the bad text


def _channel_level(value):
    if isinstance(value, str) and (code := vocab.CHANNEL_LEVEL.parse(value)):
        return int(code)  # "四级(内部关系人)" as shown in the editor's list
    return _integer(value)


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _date_reader(label: str):
    def read(value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (int, float)) and (found := xl.serial_date(value)):
            return found
        text = xl.display(value).strip()
        try:
            return datetime.fromisoformat(text).date()  # 2026-11-25, 20261125, 2026-11-25 09:30
        except ValueError:
            pass
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise _CellError(f"{label}“{text}”不是有效的日期,例如 2026-11-25")

    return read


def _name_reader(label: str, by_name: dict[str, list[tuple[uuid.UUID, bool]]], kind: str):
    def read(value):
        name = xl.display(value).strip()
        found = by_name.get(name, [])
        active = [i for i, is_active in found if is_active]
        if not found:
            raise _CellError(f"{label}“{name}”不存在")
        if not active:
            raise _CellError(f"{label}“{name}”已离职,请改为在职员工")
        if len(active) > 1:
            raise _CellError(f"{label}“{name}”有重名的{kind},请先在系统中区分")
        return active[0]

    return read


def readers(s: Session) -> dict[str, Callable]:
    """Cell reader for each field key; staff and departments are looked up by name once, here."""
    staff: dict[str, list] = {}
    for sid, name, active in s.execute(select(Staff.id, Staff.name, Staff.active)):
        staff.setdefault(name.strip(), []).append((sid, active))
    depts: dict[str, list] = {}
    for did, name in s.execute(select(Department.id, Department.name)):
        depts.setdefault(name.strip(), []).append((did, True))
    out: dict[str, Callable] = {}
    for spec in CUSTOMER_FIELDS:
        if spec.kind == "amount":
            out[spec.key] = _amount
        elif spec.key == "channel_level":
            out[spec.key] = _channel_level
        elif spec.kind == "int":
            out[spec.key] = _integer
        elif spec.kind == "date":
            out[spec.key] = _date_reader(spec.label)
        elif spec.kind == "bool":
            out[spec.key] = _yes_no
        elif spec.kind == "staff":
            out[spec.key] = _name_reader(spec.label, staff, "员工")
        elif spec.kind == "department":
            out[spec.key] = _name_reader(spec.label, depts, "部门")
        else:
            out[spec.key] = _text
    return out


# ---------------------------------------------------------------- limits the editor leaves to the database

_TABLE = Customer.__table__
_MAX_LEN = {f.key: _TABLE.c[f.key].type.length for f in CUSTOMER_FIELDS
            if f.kind in ("text", "vocab") and getattr(_TABLE.c[f.key].type, "length", None)}
_AMOUNT_LIMIT = 10 ** 12  # Numeric(14, 2)
_INT_LIMIT = 2 ** 31 - 1


def _limit_errors(values: dict, errors: dict) -> None:
    """Lengths and magnitudes the columns cannot hold (PostgreSQL would refuse the whole import)."""
    for key, value in values.items():
        if key in errors or value is None:
            continue
        spec = CUSTOMER_FIELD[key]
        if key in _MAX_LEN and isinstance(value, str) and len(value) > _MAX_LEN[key]:
            errors[key] = f"{spec.label}不能超过{_MAX_LEN[key]}个字"
        elif spec.kind == "amount" and not isinstance(value, str) and abs(value) >= _AMOUNT_LIMIT:
            errors[key] = f"{spec.label}数值过大"
        elif spec.kind == "int" and isinstance(value, int) and value > _INT_LIMIT:
            errors[key] = f"{spec.label}数值过大"


# ---------------------------------------------------------------- one row


@dataclass
class Row:
    """A checked sheet row: its card values and what is wrong with it."""

    number: int  # row in the sheet, as Excel shows it
    values: dict
    errors: dict[str, str]
    extra: list[str] = field(default_factory=list)  # duplicate messages


def read_row(number: int, cells: list, plan: list[tuple[int, str, Callable]]) -> Row:
    """The row's cells, read by `plan` (column index, field key, reader), checked like the card editor."""
    raw, errors = {}, {}
    for i, key, read in plan:
        value = cells[i]
        if value is None or (value.__class__ is str and not value.strip()):
            continue  # a blank cell is a field left empty
        try:
            raw[key] = read(value)
        except _CellError as exc:
            errors[key] = exc.message
    values = customers.normalise(raw)
    values.setdefault("status", "potential")
    for key, message in validate_customer(values).items():
        errors.setdefault(key, message)
    _limit_errors(values, errors)
    return Row(number, values, errors)
