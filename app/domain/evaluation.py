"""Relationship evaluation (客户关系评估表, DOMAIN.md §3.6): weighted indicators → total, grade, result.

Each indicator is scored 0–100; the total is Σ weight × score / Σ weight (标准分 100). A grade is read
from a score by bands (settings evaluation.grade_a/b/c, defaults 85/70/60: A/B/C, below: D). The result
is 发展关系 when the total reaches evaluation.develop_min (default 80), 维持关系 when it reaches
evaluation.maintain_min (default 60), else 终止关系. The indicator list is the setting
evaluation.indicators, ``名称:权重`` separated by ;, default from the regulation's appendix (成长率,
信用度, 总利润率) plus sales scale and cooperation, weights summing to 100.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_INDICATORS = "销售额:25;成长率:20;总利润率:20;信用度:20;合作关系与忠诚度:15"
RESULTS = {"develop": "发展关系", "maintain": "维持关系", "terminate": "终止关系"}


@dataclass(frozen=True)
class Indicator:
    name: str
    weight: Decimal


@dataclass(frozen=True)
class Scored:
    name: str
    weight: Decimal
    score: Decimal
    grade: str
    basis: str = ""
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    items: tuple[Scored, ...]
    total: Decimal  # out of 100, two decimals
    grade: str
    result: str  # develop / maintain / terminate


class BadIndicators(ValueError):
    """The indicator setting cannot be read; the message is Chinese."""


def parse_indicators(text: str) -> list[Indicator]:
    out, seen = [], set()
    for part in (text or "").replace(";", ";").replace(":", ":").split(";"):
        part = part.strip()
        if not part:
            continue
        name, sep, weight = part.rpartition(":")
        try:
            w = Decimal(weight.strip())
        except ArithmeticError:
            raise BadIndicators(f"评估指标“{part}”应写成 名称:权重") from None
        if not sep or not name.strip() or w <= 0:
            raise BadIndicators(f"评估指标“{part}”应写成 名称:权重(权重大于0)")
        if name.strip() in seen:
            raise BadIndicators(f"评估指标“{name.strip()}”重复")
        seen.add(name.strip())
        out.append(Indicator(name.strip(), w))
    if not out:
        raise BadIndicators("没有设置评估指标")
    return out


def grade_of(score: Decimal, bands: dict) -> str:
    for grade in ("A", "B", "C"):
        if score >= Decimal(str(bands[grade])):
            return grade
    return "D"


def evaluate(indicators: list[Indicator], scores: dict[str, Decimal], *, bands: dict, develop_min: float,
             maintain_min: float, basis: dict[str, str] | None = None,
             notes: dict[str, str] | None = None) -> Outcome:
    """Score every indicator (ValueError naming a missing or out-of-range one) and total them."""
    basis, notes = basis or {}, notes or {}
    items = []
    for ind in indicators:
        if ind.name not in scores or scores[ind.name] is None:
            raise ValueError(f"请为“{ind.name}”打分")
        score = Decimal(str(scores[ind.name]))
        if not Decimal(0) <= score <= Decimal(100):
            raise ValueError(f"“{ind.name}”的得分应在 0–100 之间")
        items.append(Scored(ind.name, ind.weight, score, grade_of(score, bands), basis.get(ind.name, ""),
                            notes.get(ind.name, "")))
    weight = sum((i.weight for i in indicators), Decimal(0))
    total = (sum((i.weight * i.score for i in items), Decimal(0)) / weight).quantize(Decimal("0.01"),
                                                                                   rounding=ROUND_HALF_UP)
    if total >= Decimal(str(develop_min)):
        result = "develop"
    elif total >= Decimal(str(maintain_min)):
        result = "maintain"
    else:
        result = "terminate"
    return Outcome(tuple(items), total, grade_of(total, bands), result)


@dataclass(frozen=True)
class Facts:
    """What the records say about a customer, for the evaluator to score by (evaluation_facts)."""

    year: int  # the latest year with sales (≤ this year)
    sales: Decimal
    previous_sales: Decimal
    profit: Decimal
    share_below: Decimal | None  # share of the customers with sales that year who sold less (0–1)
    payments_due: int
    late: int
    first_year: int | None


def _clamp(x: float) -> Decimal:
    return Decimal(str(max(0.0, min(100.0, x)))).quantize(Decimal("1"), ROUND_HALF_UP)


def suggest(facts: Facts, *, margin_full: int = 30, years_full: int = 5,
            growth_full: int = 20) -> dict[str, tuple[Decimal | None, str]]:
    """Indicator name → (suggested score 0–100 or None, the basis in Chinese), read the way the 100-point grading
    reads the same records: sales by the share of customers selling less; growth full at `growth_full`% (the
    B → A advancement's 20%), 0 at −`growth_full`%, 50 when flat; margin full at `margin_full`%; credit by the
    share of payments on time; loyalty by the years dealing, full at `years_full`. Names not listed get nothing."""
    f, y = facts, facts.year
    out: dict[str, tuple[Decimal | None, str]] = {}
    if f.share_below is not None and f.sales > 0:
        out["销售额"] = (_clamp(float(f.share_below) * 100),
                      f"{y}年销售额 {f.sales:,.2f} 元,高于 {f.share_below * 100:.0f}% 的有销售客户")
    else:
        out["销售额"] = (Decimal(0), f"{y}年无销售")
    if f.previous_sales > 0:
        growth = float((f.sales - f.previous_sales) / f.previous_sales * 100)
        out["成长率"] = (_clamp(50 + growth * 50 / growth_full),
                      f"{y}年比{y - 1}年增长 {growth:+.1f}%({f.previous_sales:,.0f} → {f.sales:,.0f} 元)")
    else:
        out["成长率"] = (None, f"{y - 1}年无销售,无法计算增长率")
    if f.sales > 0:
        margin = float(f.profit / f.sales * 100)
        out["总利润率"] = (_clamp(margin / margin_full * 100), f"{y}年毛利率 {margin:.1f}%(满分 {margin_full}%)")
    else:
        out["总利润率"] = (None, f"{y}年无销售")
    if f.payments_due:
        on_time = (f.payments_due - f.late) / f.payments_due
        out["信用度"] = (_clamp(on_time * 100), f"{y}年应收 {f.payments_due} 笔,逾期或未付 {f.late} 笔")
    else:
        out["信用度"] = (None, f"{y}年无到期应收")
    if f.first_year is not None:
        years = y - f.first_year + 1
        out["合作关系与忠诚度"] = (_clamp(years / years_full * 100), f"自{f.first_year}年起合作 {years} 年(满分 {years_full} 年)")
    return out
