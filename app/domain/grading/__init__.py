"""Grading schemes (客户分级, DOMAIN.md §3): pure rules, one module per scheme, no Qt and no database.

Every scheme takes a list of `Figures` (one customer's numbers for the period, aggregated by the service
in SQL) and its parameters (read from app.settings by the caller, regulation defaults there), and returns
one `Graded` per customer. docs/grading.md explains each reading of the regulations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class Figures:
    """One customer's inputs for a period. `code` makes every order deterministic."""

    key: object  # the customer id (any hashable in tests)
    code: str
    sales: Decimal = ZERO  # 销售额 in the period
    profit: Decimal = ZERO  # 毛利, may be negative
    orders: int = 0  # 订单数
    payments: int = 0  # payments due in the period
    late: int = 0  # of which paid late or still unpaid past due
    first_year: int | None = None  # first year with sales (years dealing in our products)
    attributes: dict = field(default_factory=dict)  # entered: sales_model / their_share / reputation (0–100)
    city: str = ""  # 城市, read from the address (tiers scale their thresholds per city)


@dataclass(frozen=True)
class Graded:
    key: object
    grade: str
    score: Decimal | None  # None where the scheme has no score
    rank: int  # 1 = best, by the scheme's order
    items: dict = field(default_factory=dict)  # what the grade was made of (item scores, cumulative share)


def by_sales(figures: list[Figures]) -> list[Figures]:
    """Sales high to low, then customer code: the order every ranking here uses."""
    return sorted(figures, key=lambda f: (-max(f.sales, ZERO), f.code))


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rank_order(grade: str, order: tuple[str, ...]) -> int:
    """Position of a grade in a scheme's order, best first; unknown grades sort last."""
    return order.index(grade) if grade in order else len(order)


def change(previous: str | None, grade: str, order: tuple[str, ...]) -> str:
    """new / up / down / same against the previous committed grade."""
    if not previous:
        return "new"
    a, b = rank_order(previous, order), rank_order(grade, order)
    return "same" if a == b else ("up" if b < a else "down")


CHANGE_LABELS = {"new": "新增", "up": "升级", "down": "降级", "same": "不变"}
