"""Enterprise size (大型/中型/小型) from revenue and headcount thresholds (settings)."""
from __future__ import annotations

from decimal import Decimal

DEFAULT_THRESHOLDS = {
    "large": {"revenue": Decimal(400_000_000), "headcount": 1000},
    "medium": {"revenue": Decimal(20_000_000), "headcount": 300},
}


def classify(revenue: Decimal | None, headcount: int | None, thresholds: dict = DEFAULT_THRESHOLDS) -> str:
    """A size needs both measures at or over its thresholds; '' when nothing is known."""
    if revenue is None and headcount is None:
        return ""
    rev = revenue if revenue is not None else Decimal(0)
    heads = headcount if headcount is not None else 0
    for size in ("large", "medium"):
        t = thresholds[size]
        if rev >= Decimal(t["revenue"]) and heads >= int(t["headcount"]):
            return size
    return "small"
