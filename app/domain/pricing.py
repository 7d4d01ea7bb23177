"""Unit prices of a commissioning unit's price list (价格表): 均价 + 楼层差价 + 户型差价.

The meeting approves an average price per m² (均价); each unit's price per m² is derived from it with a
floor differential (楼层差价) and a unit-type differential (户型差价), then rounded to whole yuan. Since
the meeting approves the average, `calibrate` finds the constant shift that makes the area-weighted
average of the derived prices equal the approved 均价 within 1 元. Decimal throughout, never float.
Every number here is a parameter; the module constants only document the usual defaults.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from app.errors import UserError

YUAN = Decimal("1")
CENT = Decimal("0.01")
CALIBRATION_TOLERANCE = Decimal("1")  # 元/m²: what "equals the approved 均价" means after rounding

# Usual floor rule, for documentation and default settings only.
DEFAULT_BASE_FLOOR = 2
DEFAULT_STEP = Decimal("30")


def dec(value) -> Decimal:
    """A money or area figure as Decimal; float is refused (binary fractions are not money)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float) or isinstance(value, bool):
        raise TypeError(f"金额和面积必须用 Decimal、整数或文本表示,不能用浮点数:{value!r}")
    return Decimal(str(value).strip())


@dataclass(frozen=True)
class FloorRule:
    """楼层差价 as a rule: +step per floor above `base_floor`, counted up to `up_to`;
    the top floor and the ground floor (1) get their own discount instead."""

    base_floor: int = DEFAULT_BASE_FLOOR
    step: Decimal = DEFAULT_STEP
    up_to: int | None = None  # floors above this get the same as this one (None: no cap)
    top_floor: int | None = None
    top_discount: Decimal = Decimal("0")  # subtracted on the top floor (顶层)
    ground_discount: Decimal = Decimal("0")  # subtracted on the ground floor (首层)

    def differential(self, floor: int) -> Decimal:
        if floor == 1 and self.ground_discount:
            return -dec(self.ground_discount)
        if self.top_floor is not None and floor == self.top_floor and self.top_discount:
            return -dec(self.top_discount)
        counted = floor if self.up_to is None else min(floor, self.up_to)
        return dec(self.step) * max(counted - self.base_floor, 0)


@dataclass(frozen=True)
class PriceRules:
    """The approved pricing of one commissioning unit.

    floors: an explicit {floor: 元/m²} table or a FloorRule; unit_types: {户型: 元/m²} (empty: none);
    shift: the constant added to every unit so the weighted average meets 均价 (see calibrate).
    """

    average: Decimal
    floors: dict[int, Decimal] | FloorRule = field(default_factory=FloorRule)
    unit_types: dict[str, Decimal] = field(default_factory=dict)
    shift: Decimal = Decimal("0")

    def floor_differential(self, floor: int) -> Decimal:
        if isinstance(self.floors, FloorRule):
            return self.floors.differential(floor)
        if floor not in self.floors:
            raise UserError(f"楼层差价表中没有第 {floor} 层:请在价格规则中补上该层的差价(无差价填 0)。")
        return dec(self.floors[floor])

    def unit_type_differential(self, unit_type: str) -> Decimal:
        if not self.unit_types:
            return Decimal("0")
        key = (unit_type or "").strip()
        if key not in self.unit_types:
            known = "、".join(self.unit_types)
            raise UserError(f"户型差价表中没有户型“{key}”(已有:{known}):请补上该户型的差价(无差价填 0)。")
        return dec(self.unit_types[key])


@dataclass(frozen=True)
class Unit:
    """A unit to price: key (e.g. 1#-2-0301), floor, unit type (户型), area (建筑面积, m²)."""

    key: str
    floor: int
    unit_type: str
    area: Decimal


@dataclass(frozen=True)
class PricedUnit:
    key: str
    floor: int
    unit_type: str
    area: Decimal
    price_per_m2: Decimal
    total: Decimal


def raw_price(rules: PriceRules, *, floor: int, unit_type: str) -> Decimal:
    """Price per m² before rounding: 均价 + 楼层差价 + 户型差价 + shift."""
    return (dec(rules.average) + rules.floor_differential(floor) + rules.unit_type_differential(unit_type)
            + dec(rules.shift))


def unit_price(rules: PriceRules, *, floor: int, unit_type: str) -> Decimal:
    """单价 (元/m²), rounded half-up to whole yuan."""
    return raw_price(rules, floor=floor, unit_type=unit_type).quantize(YUAN, rounding=ROUND_HALF_UP)


def total_price(price_per_m2, area) -> Decimal:
    """总价 = 单价 × 面积, to the fen (ROUND_HALF_UP)."""
    return (dec(price_per_m2) * dec(area)).quantize(CENT, rounding=ROUND_HALF_UP)


def price_list(rules: PriceRules, units: Iterable[Unit]) -> list[PricedUnit]:
    """Each unit with its price per m² and total, in the order given."""
    out = []
    for u in units:
        price = unit_price(rules, floor=u.floor, unit_type=u.unit_type)
        out.append(PricedUnit(u.key, u.floor, u.unit_type, dec(u.area), price, total_price(price, u.area)))
    return out


def weighted_average(prices: Sequence, areas: Sequence) -> Decimal:
    """Area-weighted average price per m² (= total amount / total area), to the fen."""
    if len(prices) != len(areas):
        raise ValueError("prices and areas differ in length")
    total_area = sum((dec(a) for a in areas), Decimal("0"))
    if total_area <= 0:
        raise UserError("没有可计算均价的面积:请先导入房源。")
    amount = sum((dec(p) * dec(a) for p, a in zip(prices, areas, strict=True)), Decimal("0"))
    return (amount / total_area).quantize(CENT, rounding=ROUND_HALF_UP)


def list_average(priced: Sequence[PricedUnit]) -> Decimal:
    """The weighted average of a price list, as the approval screen shows it next to 均价."""
    return weighted_average([p.price_per_m2 for p in priced], [p.area for p in priced])


def calibrate(rules: PriceRules, units: Sequence[Unit]) -> PriceRules:
    """The same rules with `shift` set so the list's area-weighted average is 均价 within 1 元.

    The shift is the negative area-weighted mean of the differentials (to the fen); rounding each unit to
    whole yuan then moves the average by at most 0.5 元. The fen steps around it are tried so the
    result is as close as rounding allows.
    """
    units = list(units)
    base = replace(rules, shift=Decimal("0"))
    areas = [dec(u.area) for u in units]
    diffs = [raw_price(base, floor=u.floor, unit_type=u.unit_type) - dec(rules.average) for u in units]
    total_area = sum(areas, Decimal("0"))
    if total_area <= 0:
        raise UserError("没有可计算均价的面积:请先导入房源。")
    mean_diff = sum((d * a for d, a in zip(diffs, areas, strict=True)), Decimal("0")) / total_area
    start = (-mean_diff).quantize(CENT, rounding=ROUND_HALF_UP)
    best, best_gap = base, None
    for step in range(-50, 51, 10):  # ±0.5 元 in 0.10 steps: cheap, and rounding is the only error left
        candidate = replace(base, shift=start + CENT * step)
        gap = abs(list_average(price_list(candidate, units)) - dec(rules.average))
        if best_gap is None or gap < best_gap:
            best, best_gap = candidate, gap
    return best
