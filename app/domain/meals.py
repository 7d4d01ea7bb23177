"""Hospitality meals (招待用餐): the per-person standards and the rules a request or a bill must keep.

DOMAIN.md §4 and the regulation 客户招待用餐管理标准, every number read from the settings (app.settings,
keys `meals.*`), never a constant here:
- key customers (重要客户): hosted by the GM or chairman 150–200 元 per person per meal, by staff ≤ 100;
  cold buffet / cocktail / tea 100 / 85 / 60; outings ≤ 75;
- ordinary customers (一般客户): GM ≤ 100, outings 60–75, staff 50–55 (cold buffet, cocktail and tea as
  for key customers: the regulation says to follow the key-customer standard);
- drinks, beverages and fruit ≤ 1/3 of the bill; hosts ≤ guests, ≤ 3 hosts for 5 guests or fewer (五人以下,
  以下 includes 5), ≤ 5 hosts up to 10 guests (10人以内, inclusive) (for ordinary customers "参照…灵活掌握": applied unless `meals.ordinary.strict` is 0).
A standard below the range's lower end breaks no rule (it is cheaper); only upper limits are enforced.
A bill over the standard is not reimbursed until the excess is approved (`reimbursement`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

CUSTOMER_KINDS = {"key": "重要客户", "ordinary": "一般客户"}
HOST_LEVELS = {"gm": "总经理/董事长出面", "staff": "营销人员出面"}
MEAL_TYPES = {"formal": "正餐宴请", "cold_buffet": "冷餐", "cocktail": "酒会", "tea": "茶会", "outing": "外出用餐"}

# settings keys with the regulation's defaults (declared in app.settings.OPTIONS)
DEFAULTS: dict[str, Any] = {
    "meals.key.gm_min": 150, "meals.key.gm_max": 200, "meals.key.staff_max": 100,
    "meals.key.cold_buffet_max": 100, "meals.key.cocktail_max": 85, "meals.key.tea_max": 60,
    "meals.key.outing_max": 75,
    "meals.ordinary.gm_max": 100, "meals.ordinary.outing_min": 60, "meals.ordinary.outing_max": 75,
    "meals.ordinary.staff_min": 50, "meals.ordinary.staff_max": 55,
    "meals.drinks_divisor": 3,
    "meals.hosts.small_upto": 5, "meals.hosts.small_max": 3,
    "meals.hosts.medium_upto": 10, "meals.hosts.medium_max": 5,
    "meals.ordinary.strict": 1,
}


@dataclass(frozen=True)
class Standard:
    """The per-person range for a meal (元/人/餐); low None means no lower end."""

    low: Decimal | None
    high: Decimal

    def text(self) -> str:
        return f"{self.low:.0f}–{self.high:.0f} 元/人" if self.low is not None else f"≤ {self.high:.0f} 元/人"


@dataclass(frozen=True)
class Violation:
    code: str  # standard / hosts / drinks / bill_per_head / headcount
    message: str  # Chinese, shown as it is


def _d(value) -> Decimal:
    return Decimal(str(value))


def standard(rules: Mapping[str, Any], *, customer_kind: str, host_level: str, meal_type: str) -> Standard:
    """The per-person standard that applies (客餐标准)."""
    r = {**DEFAULTS, **rules}
    if meal_type in ("cold_buffet", "cocktail", "tea"):
        return Standard(None, _d(r[f"meals.key.{meal_type}_max"]))
    if customer_kind == "key":
        if meal_type == "outing":
            return Standard(None, _d(r["meals.key.outing_max"]))
        if host_level == "gm":
            return Standard(_d(r["meals.key.gm_min"]), _d(r["meals.key.gm_max"]))
        return Standard(None, _d(r["meals.key.staff_max"]))
    if meal_type == "outing":
        return Standard(_d(r["meals.ordinary.outing_min"]), _d(r["meals.ordinary.outing_max"]))
    if host_level == "gm":
        return Standard(None, _d(r["meals.ordinary.gm_max"]))
    return Standard(_d(r["meals.ordinary.staff_min"]), _d(r["meals.ordinary.staff_max"]))


def host_limit(rules: Mapping[str, Any], guests: int) -> int:
    """Most hosts allowed for this many guests: never more than the guests, fewer for small parties.
    "客户在五人以下的,陪餐人员不得超过3人;客户在10人以内的,不得超过5人": 以下 and 以内 include the number
    (5 guests → at most 3 hosts; 6–10 → at most 5)."""
    r = {**DEFAULTS, **rules}
    limit = guests
    if guests <= int(r["meals.hosts.small_upto"]):
        limit = min(limit, int(r["meals.hosts.small_max"]))
    elif guests <= int(r["meals.hosts.medium_upto"]):
        limit = min(limit, int(r["meals.hosts.medium_max"]))
    return limit


def _label(customer_kind: str, host_level: str, meal_type: str) -> str:
    """e.g. 重要客户、总经理/董事长出面的正餐宴请 (who hosts does not matter for buffets, tea and outings)."""
    who = "" if meal_type in ("cold_buffet", "cocktail", "tea", "outing") else HOST_LEVELS.get(host_level, "")
    head = "、".join(p for p in (CUSTOMER_KINDS.get(customer_kind, ""), who) if p)
    return f"{head}的{MEAL_TYPES.get(meal_type, '')}" if head else MEAL_TYPES.get(meal_type, "")


def check_request(rules: Mapping[str, Any], *, customer_kind: str, host_level: str, meal_type: str,
                  per_person: Decimal, guests: int, hosts: int) -> list[Violation]:
    """Every rule the planned meal breaks, each named in Chinese; empty when it keeps them all."""
    r = {**DEFAULTS, **rules}
    out: list[Violation] = []
    if guests < 1:
        out.append(Violation("headcount", "客人人数至少为 1 人"))
    if hosts < 0:
        out.append(Violation("headcount", "陪同人数不能为负数"))
    std = standard(r, customer_kind=customer_kind, host_level=host_level, meal_type=meal_type)
    if per_person > std.high:
        out.append(Violation("standard", f"用餐标准超过规定：{_label(customer_kind, host_level, meal_type)}"
                                         f"每人每餐不得超过 {std.high:.0f} 元(申请 {per_person:.2f} 元)"))
    strict = customer_kind == "key" or int(r["meals.ordinary.strict"])
    if guests >= 1 and hosts >= 0 and strict:
        limit = host_limit(r, guests)
        if hosts > limit:
            out.append(Violation("hosts", f"陪同人数超过规定：客人 {guests} 人时陪同不得超过 {limit} 人"))
    return out


def reimbursement(*, status: str, bill_issues: str, excess_approved: bool) -> tuple[bool, str]:
    """(reimbursable, why not) — 未经审批的招待不予报销: the meal approved beforehand (or verbally and its paperwork
    done), and a bill over the standard (per head, drinks share) only once the excess itself is approved."""
    if status != "approved":
        return False, "未审批,不予报销"
    if bill_issues and not excess_approved:
        return False, "超标准,未经审批不予报销"
    return True, ""


def check_bill(rules: Mapping[str, Any], *, customer_kind: str, host_level: str, meal_type: str,
               guests: int, hosts: int, total: Decimal, drinks: Decimal) -> list[Violation]:
    """Rules the actual bill breaks (核算): drinks and fruit share, and the cost per head against the standard."""
    r = {**DEFAULTS, **rules}
    out: list[Violation] = []
    divisor = int(r["meals.drinks_divisor"])
    strict = customer_kind == "key" or int(r["meals.ordinary.strict"])
    if strict and divisor > 0 and drinks * divisor > total:
        out.append(Violation("drinks", f"酒水饮料水果超过规定：不得超过全部费用的 1/{divisor}"
                                       f"(账单 {total:.2f} 元,酒水 {drinks:.2f} 元)"))
    heads = guests + hosts
    if heads > 0:
        std = standard(r, customer_kind=customer_kind, host_level=host_level, meal_type=meal_type)
        per_head = (total / heads).quantize(Decimal("0.01"))
        if per_head > std.high:
            out.append(Violation("bill_per_head", f"人均费用超过标准：{per_head:.2f} 元/人,标准 {std.text()}"))
    return out
