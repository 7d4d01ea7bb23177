"""The 100-point scoring and forced distribution (百分制评分, DOMAIN.md §3.2).

Eight items, each scored 0–1 and multiplied by its weight (settings `grading.weight.*`, summing to 100):

============  =====  ==============================================================================
item          wt.    scored from
============  =====  ==============================================================================
sales         20     销售规模: percentile of the period's sales among the customers graded
                     (share of customers selling less, ties counted half); no sales → 0
payment       20     回款信誉: payments due in the period paid on time / all due; none due → full
margin        15     产品利润率: profit / sales, linear from 0 to `grading.margin_full` (30%); ≤0 → 0
orders        10     订单量: percentile of the order count, like sales
sales_model   10     销售模式: entered score 0–100 (`grading.attribute_default`, 50, if not entered)
their_share   10     我司产品占其销售比例: entered percent 0–100 (default as above)
years          10    经营我司产品年限: years since the first sales year, full at `grading.years_full` (5)
reputation     5     行业信誉: entered score 0–100 (default as above)
============  =====  ==============================================================================

Forced distribution (`grading.quota.a/b/c/d`: 20/30/40/10 percent, summing to 100) over the n customers
with sales in the period. A customer who bought nothing is D, ranked after them, and takes no quota place
(otherwise a year with many idle cards would hand A and B to customers without a single order).
Order: score high to low, then sales high to low, then customer code — the order that also decides a tie
on a quota boundary (no grade grows past its quota for a tie). The boundaries are cumulative and rounded
half up: A takes the first round(n × 20%) customers, A+B the first round(n × 50%), A+B+C the first
round(n × 90%), D the rest. Each grade holds its exact quota give or take one customer, and the four
always add up to n.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import ROUND_HALF_UP, Decimal

from app.domain.grading import ZERO, Figures, Graded

GRADES = ("A", "B", "C", "D")
ITEMS = ("sales", "payment", "margin", "orders", "sales_model", "their_share", "years", "reputation")
DEFAULT_WEIGHTS = {"sales": 20, "payment": 20, "margin": 15, "orders": 10, "sales_model": 10,
                   "their_share": 10, "years": 10, "reputation": 5}
ITEM_LABELS = {"sales": "销售规模", "payment": "回款信誉", "margin": "产品利润率", "orders": "订单量",
               "sales_model": "销售模式", "their_share": "我司产品占其销售比例", "years": "经营我司产品年限",
               "reputation": "行业信誉"}


def check_percentages(values: dict[str, int], what: str) -> None:
    if any(v < 0 for v in values.values()) or sum(values.values()) != 100:
        raise ValueError(f"{what}之和应为100(现为{sum(values.values())})")


def quota_counts(n: int, quotas: tuple[int, ...]) -> list[int]:
    """How many customers each grade takes: cumulative boundaries rounded half up (see module doc)."""
    bounds, cumulative = [], 0
    for q in quotas:
        cumulative += q
        bounds.append(int((Decimal(n) * cumulative / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    bounds[-1] = n
    return [b - a for a, b in zip([0, *bounds[:-1]], bounds, strict=True)]


def _percentiles(values: list) -> list[float]:
    """Share of the other values that are lower, ties counted half; 0 for values ≤ 0."""
    ordered, n = sorted(values), len(values)
    out = []
    for v in values:
        if v <= 0 or n == 1:
            out.append(1.0 if (n == 1 and v > 0) else 0.0)
            continue
        below, equal = bisect_left(ordered, v), bisect_right(ordered, v) - bisect_left(ordered, v)
        out.append((below + (equal - 1) / 2) / (n - 1))
    return out


def _entered(f: Figures, name: str, default: int) -> float:
    value = f.attributes.get(name)
    return min(max(default if value is None else value, 0), 100) / 100


def item_scores(figures: list[Figures], *, year: int, margin_full: int = 30, years_full: int = 5,
                attribute_default: int = 50) -> list[dict[str, float]]:
    """Each customer's eight items as fractions 0–1, in the order of `figures`."""
    sales = _percentiles([max(f.sales, ZERO) for f in figures])
    orders = _percentiles([max(f.orders, 0) for f in figures])
    out = []
    default = min(max(attribute_default, 0), 100) / 100
    for f, s, o in zip(figures, sales, orders, strict=True):
        margin = float(f.profit) / float(f.sales) if f.sales > 0 else 0.0
        years = 0 if f.first_year is None else max(0, year - f.first_year + 1)
        if not f.attributes:  # most customers: nothing entered
            out.append({"sales": s, "payment": 1.0 if f.payments <= 0 else max(0.0, 1 - f.late / f.payments),
                        "margin": min(max(margin * 100 / margin_full, 0.0), 1.0) if margin_full > 0 else 0.0,
                        "orders": o, "sales_model": default, "their_share": default,
                        "years": min(years / years_full, 1.0) if years_full > 0 else 1.0, "reputation": default})
            continue
        out.append({
            "sales": s,
            "payment": 1.0 if f.payments <= 0 else max(0.0, 1 - f.late / f.payments),
            "margin": min(max(margin * 100 / margin_full, 0.0), 1.0) if margin_full > 0 else 0.0,
            "orders": o,
            "sales_model": _entered(f, "sales_model", attribute_default),
            "their_share": _entered(f, "their_share", attribute_default),
            "years": min(years / years_full, 1.0) if years_full > 0 else 1.0,
            "reputation": _entered(f, "reputation", attribute_default),
        })
    return out


def _order(t: tuple) -> tuple:
    """Score high to low, then sales high to low, then customer code."""
    f, total, _points = t
    return -total, -max(f.sales, ZERO), f.code


def score_and_distribute(figures: list[Figures], *, year: int, weights: dict[str, int] | None = None,
                         quotas: tuple[int, int, int, int] = (20, 30, 40, 10), margin_full: int = 30,
                         years_full: int = 5, attribute_default: int = 50) -> list[Graded]:
    """Score every customer out of 100 and grade A–D by the forced distribution (see module doc).

    app.services.grading_runs runs the same rule inside the database (_scoring_insert), operation for
    operation in doubles so the points match bit for bit; keep them in step."""
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    check_percentages(weights, "八项权重")
    check_percentages(dict(zip(GRADES, quotas, strict=True)), "A/B/C/D比例")
    items = item_scores(figures, year=year, margin_full=margin_full, years_full=years_full,
                        attribute_default=attribute_default)
    scored = []
    w = [weights[k] * 100 for k in ITEMS]
    for f, parts in zip(figures, items, strict=True):
        # each item's points rounded to the fen-like hundredth, kept as whole hundredths (exact, fast)
        points = [round(parts[k] * wk) for k, wk in zip(ITEMS, w, strict=True)]
        scored.append((f, sum(points), points))
    active = sorted((t for t in scored if t[0].sales > 0), key=_order)
    idle = sorted((t for t in scored if t[0].sales <= 0), key=_order)  # no sales in the period: D, after all
    counts = quota_counts(len(active), quotas)
    grades = [g for g, c in zip(GRADES, counts, strict=True) for _ in range(c)] + ["D"] * len(idle)
    return [Graded(f.key, g, Decimal(total).scaleb(-2), rank, dict(zip(ITEMS, (p / 100 for p in points), strict=True)))
            for rank, ((f, total, points), g) in enumerate(zip(active + idle, grades, strict=True), start=1)]
