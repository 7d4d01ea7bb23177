"""Housing stock workbook (房源表): 楼号, 单元, 楼层, 房号, 建筑面积, 户型, optional 朝向/备注.

Streams the sheet (read_only) into plain rows with per-row Chinese errors; the service decides what to
store. 单元 may be left empty for a building with a single entrance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from reports import excel_columns as xc

SPECS = (
    xc.Spec("building", "楼号", ("楼栋", "楼栋号", "栋号", "栋", "幢号", "楼幢", "楼号/栋"), text=True),
    xc.Spec("entrance", "单元", ("单元号",), text=True),
    xc.Spec("floor", "楼层", ("层", "所在楼层", "层次")),
    xc.Spec("room", "房号", ("房间号", "室号", "户号", "房号/室"), text=True),
    xc.Spec("area", "建筑面积", ("面积", "建面", "建筑面积㎡")),
    xc.Spec("unit_type", "户型", ("房型", "户型名称")),
    xc.Spec("orientation", "朝向", (), required=False),
    xc.Spec("note", "备注", ("说明",), required=False),
)
EXAMPLE = ("1号楼", "1", 3, "0301", Decimal("89.50"), "A", "南北", xc.EXAMPLE_NOTE)
_AREA_UNITS = re.compile(r"(m2|平方米|平米|㎡)$", re.IGNORECASE)
_FLOOR_UNITS = re.compile(r"(层|楼|f)$", re.IGNORECASE)


@dataclass(frozen=True)
class StockRow:
    """One unit as read: sheet row, 楼号, 单元, 楼层, 房号, 建筑面积 (m², Decimal), 户型, 朝向, 备注."""

    row: int
    building: str
    entrance: str
    floor: int
    room: str
    area: Decimal
    unit_type: str
    orientation: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        """楼号-单元-房号, as the grid and the tickets show it."""
        return "-".join(p for p in (self.building, self.entrance, self.room) if p)


def parse_area(value) -> Decimal:
    """建筑面积 in m² from a number or text like '89.5㎡' / '1,089.50'; ValueError with a Chinese message."""
    text = xc.cell_text(value).replace(",", "")
    text = _AREA_UNITS.sub("", text).strip()
    try:
        area = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"建筑面积“{xc.cell_text(value)}”不是数字") from None
    if not area.is_finite() or area <= 0:
        raise ValueError(f"建筑面积“{xc.cell_text(value)}”必须大于 0")
    return area


def parse_floor(value) -> int:
    """楼层 as an integer (basements negative); '12层', '12F' and 12.0 are accepted."""
    text = _FLOOR_UNITS.sub("", xc.cell_text(value)).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"楼层“{xc.cell_text(value)}”不是整数") from None
    if not number.is_finite() or number != number.to_integral_value() or number == 0:
        raise ValueError(f"楼层“{xc.cell_text(value)}”不是整数(地下层写负数,如 -1)")
    return int(number)


def _key_part(text: str) -> str:
    return "".join(text.split()).upper()


def read_stock(path: Path) -> xc.ReadResult:
    """Rows of a 房源表 and the errors of the rows that cannot be used (one message per row)."""
    result = xc.ReadResult()
    seen: dict[tuple[str, str, str], int] = {}
    for number, get in xc.data_rows(path, SPECS, result, headers_hint="楼号、单元、楼层、房号、建筑面积、户型"):
        problems: list[str] = []
        text = {k: xc.cell_text(get(k)) for k in ("building", "entrance", "room", "unit_type",
                                                   "orientation", "note")}
        for key, label in (("building", "楼号"), ("room", "房号"), ("unit_type", "户型")):
            if not text[key]:
                problems.append(f"{label}为空")
        floor = xc.required(get, "floor", "楼层", parse_floor, problems)
        area = xc.required(get, "area", "建筑面积", parse_area, problems)
        key = tuple(_key_part(text[k]) for k in ("building", "entrance", "room"))
        if text["building"] and text["room"]:
            if key in seen:
                problems.append(f"与第 {seen[key]} 行重复(楼号、单元、房号都相同)")
            else:
                seen[key] = number
        if problems:
            result.errors.append(xc.RowError(number, ";".join(problems) + "。"))
            continue
        result.rows.append(StockRow(number, text["building"], text["entrance"], floor, text["room"], area,
                                    text["unit_type"], text["orientation"], text["note"]))
    return result


def write_template(path: Path) -> None:
    """An empty 房源表 with the headers and one example row (the example is skipped on import)."""
    xc.write_template(path, SPECS, EXAMPLE, title="房源")
