"""Key-customer table (重点客户管理表, DOMAIN.md §3.7): the three top-N lists of a year.

Pure ranking over one row per customer (this year's sales and profit, last year's sales):
- by sales: highest sales first;
- by growth: (sales − last year) / last year; a customer without sales last year (none, zero or
  negative) has no growth rate and is left out of this list;
- by profit margin: profit / sales, only for customers with sales above zero; negative profit gives a
  negative margin and ranks low.
Ties: the larger sales first, then the customer code, so the order never depends on the database.
Customers with no sales this year are not ranked at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class YearFigures:
    customer_id: object
    code: str
    name: str
    sales: Decimal
    profit: Decimal
    previous_sales: Decimal | None  # None: no record last year


@dataclass(frozen=True)
class Ranked:
    rank: int
    customer_id: object
    code: str
    name: str
    value: Decimal  # sales (元), growth or margin (a ratio: 0.25 is 25%)
    sales: Decimal


@dataclass(frozen=True)
class Rankings:
    by_sales: list[Ranked]
    by_growth: list[Ranked]
    by_margin: list[Ranked]


def _top(rows: list[tuple[Decimal, YearFigures]], n: int) -> list[Ranked]:
    rows = sorted(rows, key=lambda r: (-r[0], -r[1].sales, r[1].code))
    return [Ranked(i, f.customer_id, f.code, f.name, v, f.sales) for i, (v, f) in enumerate(rows[:n], start=1)]


def rank(figures: list[YearFigures], n: int = 10) -> Rankings:
    selling = [f for f in figures if f.sales > 0]
    growth = [((f.sales - f.previous_sales) / f.previous_sales, f) for f in selling
              if f.previous_sales is not None and f.previous_sales > 0]
    return Rankings(
        by_sales=_top([(f.sales, f) for f in selling], n),
        by_growth=_top(growth, n),
        by_margin=_top([(f.profit / f.sales, f) for f in selling], n),
    )
