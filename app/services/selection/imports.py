"""Excel imports of the ticket desk: the housing stock (房源表) and a unit's buyer list (购房者名单).
All or nothing: a file with any row error changes nothing and the errors come back row by row."""
from __future__ import annotations

import uuid
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.domain.buyers import audit_flags
from app.errors import UserError
from app.services.selection import buyers, stock
from app.services.users import Principal
from models import Buyer, Commission
from reports.excel_buyers import read_buyers
from reports.excel_columns import RowError
from reports.excel_stock import read_stock


class ImportRefused(UserError):
    def __init__(self, errors: list):
        shown = ";".join(str(e) for e in errors[:5])
        more = f" 等共 {len(errors)} 处" if len(errors) > 5 else ""
        super().__init__(f"文件有错误,未导入任何行:{shown}{more}")
        self.errors = errors


def import_stock(db: Database, *, user: Principal, project_id: uuid.UUID, path: Path) -> int:
    user.require("selection.stock", "导入房源")
    result = read_stock(Path(path))
    if result.errors:
        raise ImportRefused(result.errors)
    return stock.add_flats(db, user=user, project_id=project_id, rows=[
        stock.FlatRow(r.building, r.entrance, r.floor, r.room, r.area, r.unit_type, r.orientation)
        for r in result.rows])


def import_buyers(db: Database, *, user: Principal, commission_id: uuid.UUID, path: Path) -> int:
    """Add the list; the same ID twice, in another unit's list, or one name with two IDs is flagged for audit."""
    user.require("selection.buyers", "导入购房者名单")
    result = read_buyers(Path(path))
    if result.errors:
        raise ImportRefused(result.errors)
    clashes = _clashes(db, commission_id, result.rows)
    if clashes:
        raise ImportRefused(clashes)
    with db.read() as s:
        project = s.scalar(select(Commission.project_id).where(Commission.id == commission_id))
        others = s.execute(select(Commission.name, Buyer.name, Buyer.id_number)
                           .join(Buyer, Buyer.commission_id == Commission.id)
                           .where(Commission.project_id == project, Commission.id != commission_id)).all()
        own = s.scalar(select(Commission.name).where(Commission.id == commission_id))
    lists: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit, name, number in others:
        lists[unit].append((name, number))
    lists[own] = [(r.name, r.id_number) for r in result.rows]
    flags: dict[str, list[str]] = defaultdict(list)
    for flag in audit_flags(lists):
        for entry in flag.entries:
            if entry.list_name == own:
                flags[buyers.normalise_id(entry.id_number)].append(flag.reason)
    return buyers.add_buyers(db, user=user, commission_id=commission_id,
                             rows=[buyers.BuyerRow(r.index, r.name, r.id_number, r.phone) for r in result.rows],
                             flags={k: ";".join(dict.fromkeys(v)) for k, v in flags.items()})


def _clashes(db: Database, commission_id: uuid.UUID, rows) -> list[RowError]:
    """One list holds each person once: an ID twice in the file, or already on the list, is refused by row."""
    with db.read() as s:
        listed = {n: no for n, no in s.execute(select(Buyer.id_number, Buyer.list_no)
                                               .where(Buyer.commission_id == commission_id))}
        used_nos = set(listed.values())
    errors, first_row = [], {}
    for r in rows:
        number = buyers.normalise_id(r.id_number)
        if number in first_row:
            errors.append(RowError(r.row, f"身份证号与第 {first_row[number]} 行重复,同一名单中每人只能出现一次"))
        elif number in listed:
            errors.append(RowError(r.row, f"身份证号已在本单位名单中(序号 {listed[number]}),请勿重复导入"))
        elif r.index in used_nos:
            errors.append(RowError(r.row, f"序号 {r.index} 已被本单位名单中的其他人使用"))
        first_row.setdefault(number, r.row)
    return errors
