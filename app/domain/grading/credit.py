"""Credit grades A–D and credit limits (信用等级, DOMAIN.md §3.3).

Grade from the payment record of the period (settings `credit.*`): no late payment → A; at most
`credit.b_max_late` (1) late → B; at most `credit.c_max_late` (3) → C; more → D.  A customer with no
payment due in the period has no record yet and starts at C (cash on delivery, a small limit).

Limits: A — up to the sales of the contract period; B — `credit.b_start` (100,000 元) widened by
`credit.b_step` (10,000 元) for every payment made on time, never above the period's sales nor
`credit.b_cap` (1,000,000 元); C — `credit.c_limit` (20,000 元); D — none, payment first.

Exceeding a limit needs approval up the chain: up to `credit.minister_pct` (20%) over the limit the
department head (部长) approves; beyond that the 部长 and then the general manager (总经理).  A D
customer has no limit, so any credit at all goes up to the 总经理.
"""
from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from app.domain.grading import ZERO, Figures, Graded, by_sales, money

GRADES = ("A", "B", "C", "D")
MINISTER, GM = "部长", "总经理"


def credit_grade(f: Figures, *, b_max_late: int = 1, c_max_late: int = 3) -> str:
    if f.payments <= 0:
        return "C"
    if f.late <= 0:
        return "A"
    return "B" if f.late <= b_max_late else "C" if f.late <= c_max_late else "D"


def credit_limit(grade: str, *, period_sales: Decimal, on_time: int, b_start: int = 100_000, b_step: int = 10_000,
                 b_cap: int = 1_000_000, c_limit: int = 20_000) -> Decimal:
    sales = max(period_sales, ZERO)
    if grade == "A":
        return money(sales)
    if grade == "B":
        return money(min(Decimal(b_start + b_step * max(on_time, 0)), max(sales, Decimal(b_start)), Decimal(b_cap)))
    if grade == "C":
        return money(c_limit)
    return money(0)


def approvers(limit: Decimal, exposure: Decimal, *, minister_pct: int = 20) -> tuple[str, ...]:
    """Who must approve credit of `exposure` against `limit`: () within it, else up the chain."""
    if exposure <= limit:
        return ()
    if limit > 0 and exposure <= limit * (100 + minister_pct) / 100:
        return (MINISTER,)
    return (MINISTER, GM)


def grade_credit(figures: list[Figures], **rules) -> list[Graded]:
    """Credit grade and limit per customer; ranked by grade, then sales, then code."""
    limit_rules = {k: rules[k] for k in ("b_start", "b_step", "b_cap", "c_limit") if k in rules}
    grade_rules = {k: rules[k] for k in ("b_max_late", "c_max_late") if k in rules}
    rows = []
    for f in by_sales(figures):
        g = credit_grade(f, **grade_rules)
        limit = credit_limit(g, period_sales=f.sales, on_time=f.payments - f.late, **limit_rules)
        rows.append((f, g, limit))
    rows.sort(key=lambda t: GRADES.index(t[1]))  # stable: by sales inside a grade
    return [Graded(f.key, g, None, rank, {"limit": str(limit)}) for rank, (f, g, limit) in enumerate(rows, start=1)]


def recheck_due(last_committed: date | None, *, months: int) -> date | None:
    """财务定期复核: the day the credit grades are next due for a re-check — `months` after the last committed
    credit run (the same day of the month, or the month's last day); None when none was ever committed (due now)."""
    if last_committed is None:
        return None
    month = last_committed.month - 1 + months
    year, month = last_committed.year + month // 12, month % 12 + 1
    return date(year, month, min(last_committed.day, calendar.monthrange(year, month)[1]))
