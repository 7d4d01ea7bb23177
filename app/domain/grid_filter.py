"""销控表筛选 — the grid narrowed to a building and/or a unit type, with what is sold and what is left.

Pure: works on any cells with building, unit_type, status, area and total (app.services.selection.grid).
"Sold" is a flat with a ticket (已选 / 已付款 / 已开凭证); "left" is what this unit's buyers can still choose
(已释放本单位 / 关系房); flats not released or released to another unit are neither.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

SOLD = frozenset({"chosen", "paid", "certified"})
LEFT = frozenset({"released", "relationship"})
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class GridSummary:
    flats: int
    sold: int
    left: int
    sold_area: Decimal
    sold_amount: Decimal  # list totals of the flats sold (price × area)
    left_amount: Decimal


def narrow(cells: Iterable, *, building: str | None = None, unit_type: str | None = None) -> list:
    """The cells of one building and/or one unit type; None means every one."""
    return [c for c in cells if (building is None or c.building == building)
            and (unit_type is None or c.unit_type == unit_type)]


def summary(cells: Sequence) -> GridSummary:
    sold = [c for c in cells if c.status in SOLD]
    left = [c for c in cells if c.status in LEFT]
    return GridSummary(len(cells), len(sold), len(left), sum((c.area for c in sold), ZERO),
                       sum((c.total or ZERO for c in sold), ZERO), sum((c.total or ZERO for c in left), ZERO))


def choices(cells: Iterable) -> tuple[list[str], list[str]]:
    """The buildings and unit types to filter by, sorted as the grid shows them."""
    cells = list(cells)
    return sorted({c.building for c in cells}), sorted({c.unit_type for c in cells if c.unit_type})
