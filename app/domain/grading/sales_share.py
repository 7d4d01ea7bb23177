"""Sales-share grading A–E (客户分级表, DOMAIN.md §3.1) — a Pareto/ABC analysis of one period's sales.

The regulation's table reads "A级(销售额所占比例90%以上) … E级(60%以下)". Our reading, with the
thresholds as settings (`grading.share.a` 90, `.b` 80, `.c` 70, `.d` 60, percent):

* Customers are ranked by sales, high to low (equal sales: by customer code).
* A customer's *position* is the share of total sales made by the customers ranked at or below it —
  100% for the biggest customer, falling towards 0% for the smallest.  Equivalently, 100% minus the
  share of the customers ranked strictly above it.
* Grade A when the position is ≥ 90%, B ≥ 80%, C ≥ 70%, D ≥ 60%, else E.  So A holds the biggest
  customers who together make the first 10% of sales, B the next 10%, C and D the next 10% each, and E
  the rest (the long tail making the last 60%).  The biggest customer is always A, however much it sells.
* Customers with equal sales get the same grade: the grade of the first of them in the ranking (so a
  tie never splits across a band by customer code).
* Customers with no sales (or a negative net figure after returns) are E; if nobody sold anything,
  everybody is E.
"""
from __future__ import annotations

from app.domain.grading import Figures, Graded, by_sales

GRADES = ("A", "B", "C", "D", "E")


def check_bands(bands: tuple[int, ...]) -> None:
    if list(bands) != sorted(bands, reverse=True) or not all(0 <= b <= 100 for b in bands):
        raise ValueError("分级比例应从A到D递减,且在0–100之间")


def grade_by_share(figures: list[Figures], *, bands: tuple[int, int, int, int] = (90, 80, 70, 60)) -> list[Graded]:
    """Grades A–E by cumulative sales share; `bands` are the A–D lower limits in percent, descending.

    app.services.grading_runs runs the same rule inside the database (_share_insert); keep them in step."""
    check_bands(bands)
    ranked = by_sales(figures)
    # whole cents as ints: exact like Decimal, several times faster over 100,000 customers
    cents = [max(int(f.sales * 100), 0) for f in ranked]
    total = sum(cents)
    limits = [total * b for b in bands]  # position ≥ b%  ⇔  (total − above) × 100 ≥ b × total: no division
    out: list[Graded] = []
    above = 0  # sales of the customers ranked strictly above this one
    last_sales, last_grade, last_position = -1, "E", 0.0
    ftotal = float(total) or 1.0
    for rank, (f, sales) in enumerate(zip(ranked, cents, strict=True), start=1):
        if sales <= 0:
            grade, position = "E", 0.0
        elif sales == last_sales:  # a tie takes the grade of the first of them
            grade, position = last_grade, last_position
        else:
            rest = (total - above) * 100
            grade = next((g for g, limit in zip(GRADES, limits, strict=False) if rest >= limit), "E")
            position = round(rest / ftotal, 2)
        last_sales, last_grade, last_position = sales, grade, position
        above += sales
        out.append(Graded(f.key, grade, None, rank, {"position": position, "share": round(sales * 100 / ftotal, 4)}))
    return out
