"""Buyer list checks (资格审查): ID numbers (居民身份证号), audit flags against speculators (炒房), masking.

The commissioning unit hands in lists of names and ID numbers; audit and finance look for the same
person twice, the same person on two units' lists, and one name with several IDs. The checks only
flag: people decide.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from stdnum import numdb
from stdnum.cn import ric

_SPACES = re.compile(r"[\s\-‐‑–—_.]+")  # spaces and separators people type or paste into an ID


def normalise_id(text: str | None) -> str:
    """Full-width digits → ASCII, spaces and dashes removed, a final lower-case x → X."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACES.sub("", text).upper()


def normalise_name(text: str | None) -> str:
    """A name as compared: NFKC (full-width letters, middle dot variants) with whitespace removed."""
    text = unicodedata.normalize("NFKC", text or "").replace("・", "·").replace("•", "·")
    return "".join(text.split())


def id_problem(id_number: str | None, *, today: date | None = None) -> str | None:
    """What is wrong with an 18-digit ID number, in Chinese; None when it is valid."""
    number = normalise_id(id_number)
    if not number:
        return "身份证号为空:请填写 18 位身份证号。"
    if len(number) != 18:
        return f"身份证号应为 18 位,现为 {len(number)} 位:请核对是否多输或漏输。"
    if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
        return "身份证号只能由数字组成,最后一位可以是 X:请核对。"
    if number[-1] != ric.calc_check_digit(number):
        return "身份证号校验位不对(最后一位):可能有数字输错,请对照身份证核对。"
    try:
        born = ric.get_birth_date(number)
    except ric.InvalidComponent:
        return f"身份证号中的出生日期 {number[6:14]} 不存在:请对照身份证核对。"
    if born > (today or date.today()) or born.year < 1900:
        return f"身份证号中的出生日期 {born.isoformat()} 不合理:请对照身份证核对。"
    # only the province is checked: county codes change over the years and stdnum's table may lag
    if not numdb.get("cn/loc").info(number[:6])[0][1]:
        return f"身份证号前 2 位省份码 {number[:2]} 不存在:请对照身份证核对。"
    return None


def birth_date(id_number: str) -> date:
    """出生日期 from a valid ID number."""
    return ric.get_birth_date(normalise_id(id_number))


def gender(id_number: str) -> str:
    """'男' or '女' from the 17th digit (odd: male)."""
    return "男" if int(normalise_id(id_number)[16]) % 2 else "女"


def mask_id(id_number: str | None) -> str:
    """For printed public lists: 110105********1234 (first 6 and last 4 kept)."""
    number = normalise_id(id_number)
    if len(number) <= 10:
        return "*" * max(len(number) - 4, 0) + number[-4:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


@dataclass(frozen=True)
class Entry:
    """Where a person stands: list name, row (1-based within the list), name and ID as given."""

    list_name: str
    row: int
    name: str
    id_number: str

    def where(self) -> str:
        return f"「{self.list_name}」第 {self.row} 行"


@dataclass(frozen=True)
class AuditFlag:
    """One thing for audit to look at: kind (dup_in_list / id_in_lists / name_ids), Chinese reason."""

    kind: str
    reason: str
    entries: tuple[Entry, ...]


FLAG_KINDS = {
    "dup_in_list": "同一名单内身份证号重复",
    "id_in_lists": "同一身份证号出现在多个单位名单",
    "name_ids": "同名不同身份证号(疑似炒房)",
}


def audit_flags(lists: Mapping[str, Sequence[tuple[str, str]]]) -> list[AuditFlag]:
    """Flag for audit (资格审查): {list name: [(name, ID), …]} → flags with Chinese reasons.

    IDs are compared after normalise_id, names after normalise_name. Empty IDs and names are skipped
    (the list reader reports them).
    """
    by_id: dict[str, list[Entry]] = defaultdict(list)
    by_name: dict[str, list[Entry]] = defaultdict(list)
    for list_name, people in lists.items():
        for row, (name, id_number) in enumerate(people, start=1):
            entry = Entry(list_name, row, name, id_number)
            if normalise_id(id_number):
                by_id[normalise_id(id_number)].append(entry)
            if normalise_name(name):
                by_name[normalise_name(name)].append(entry)
    flags: list[AuditFlag] = []
    for number, entries in by_id.items():
        shown = mask_id(number)
        per_list: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            per_list[e.list_name].append(e)
        for list_name, same in per_list.items():
            if len(same) > 1:
                rows = "、".join(str(e.row) for e in same)
                flags.append(AuditFlag("dup_in_list", f"身份证号 {shown} 在名单「{list_name}」中出现 "
                                       f"{len(same)} 次(第 {rows} 行)", tuple(same)))
        if len(per_list) > 1:
            where = "、".join(e.where() for e in entries)
            flags.append(AuditFlag("id_in_lists", f"身份证号 {shown} 同时出现在 {len(per_list)} 个单位的名单中:"
                                   f"{where}", tuple(entries)))
    for name, entries in by_name.items():
        ids = {normalise_id(e.id_number) for e in entries if normalise_id(e.id_number)}
        if len(ids) > 1:
            where = "、".join(f"{e.where()}({mask_id(e.id_number)})" for e in entries)
            flags.append(AuditFlag("name_ids", f"姓名“{name}”对应 {len(ids)} 个不同的身份证号,可能是炒房或"
                                   f"录入错误:{where}", tuple(entries)))
    return flags
