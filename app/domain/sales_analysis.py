"""客户销售分析表 (DOMAIN.md §4): each customer's sales of the year by product, in the regulation's columns.

The product columns are the setting `sales.products` (the regulation's list: PE管, PE钢丝管, PE钢带增强管, 涂塑钢管,
负压钢带螺旋焊管, PE四层钢丝管, 管件(热熔、电熔、涂塑)); a sale's product goes to the column of the same name, or
whose name before "(" is it (管件 → 管件(热熔、电熔、涂塑)); anything else to 其他, shown only when used.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_PRODUCTS = "PE管;PE钢丝管;PE钢带增强管;涂塑钢管;负压钢带螺旋焊管;PE四层钢丝管;管件(热熔、电熔、涂塑)"
OTHER = "其他"


def parse_products(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;；\n]", text or "") if p.strip()]


def column_of(product: str, columns: list[str]) -> str:
    p = (product or "").strip()
    for c in columns:
        if p == c or re.split(r"[(（]", c)[0] == p:
            return c
    return OTHER


@dataclass(frozen=True)
class SalesRow:
    customer: str
    code: str
    amounts: dict[str, Decimal]  # column → amount (every column present)
    total: Decimal


def table(sales: Iterable[tuple[str, str, str, Decimal]], columns: list[str]) -> tuple[list[str], list[SalesRow],
                                                                                       SalesRow]:
    """(columns incl. 其他 when used, rows by total high to low then code, the 合计 row) from
    (customer name, code, product, amount) lines."""
    per: dict[tuple[str, str], dict[str, Decimal]] = {}
    used_other = False
    for name, code, product, amount in sales:
        col = column_of(product, columns)
        used_other |= col == OTHER
        bucket = per.setdefault((code, name), {})
        bucket[col] = bucket.get(col, Decimal(0)) + Decimal(amount)
    cols = columns + ([OTHER] if used_other else [])
    rows = [SalesRow(name, code, {c: amounts.get(c, Decimal(0)) for c in cols}, sum(amounts.values(), Decimal(0)))
            for (code, name), amounts in per.items()]
    rows.sort(key=lambda r: (-r.total, r.code))
    totals = {c: sum((r.amounts[c] for r in rows), Decimal(0)) for c in cols}
    return cols, rows, SalesRow("合计", "", totals, sum(totals.values(), Decimal(0)))
