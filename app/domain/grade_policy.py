"""Policies that follow the customer grade (分级政策, DOMAIN.md §3.2), all from settings `policy.*`.

Price: A up to 5% below the internal control price, B up to 3% below, C not below it, D 5% above it.
Payment terms, as levels best first: 0 — up to `policy.term_days.a` (90) days after delivery (A);
1 — cash on delivery or up to `policy.term_days.b` (30) days (B); 2 — no deferred payment (C);
3 — payment before delivery (D).  `policy.late_per_quarter` (2) or more late payments in one quarter
drop the terms one level at once (never below level 3).
Delivery: A 20 days, B 30, C 40 (D as C).  Rush orders (插单): A only.  Inquiries answered within
`policy.reply_hours` (24).  Calls or visits at least every `visits.interval_days.<grade>` days — the same
setting the visit calendar's overdue list uses (A: 90, a quarter).
A customer without a grade is treated as C (no deferred payment, control price).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

TERMS = ("交货后{days}天内付款", "货到付款或{days}天内付款", "不赊账,货到付款", "先款后货")
_LEVEL = {"A": 0, "B": 1, "C": 2, "D": 3}


@dataclass(frozen=True)
class Policy:
    grade: str  # the grade the policy follows ("" → treated as C)
    price_pct: int  # relative to the internal control price: -5 = up to 5% below
    payment_level: int  # 0–3, see TERMS
    payment_terms: str  # Chinese, with the days filled in
    dropped: bool  # terms dropped a level for late payments
    delivery_days: int
    rush_orders: bool
    reply_hours: int
    visit_days: int | None  # at least one call or visit every n days; None: no minimum

    @property
    def price_text(self) -> str:
        if self.price_pct < 0:
            return f"最多低于内部控制价{-self.price_pct}%"
        if self.price_pct == 0:
            return "不低于内部控制价"
        return f"高于内部控制价{self.price_pct}%"


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def terms_dropped(late_in_quarter: int, *, threshold: int = 2) -> bool:
    return late_in_quarter >= threshold


def terms_text(level: int, rules: dict[str, Any]) -> str:
    days = {0: rules["policy.term_days.a"], 1: rules["policy.term_days.b"]}.get(level, 0)
    return TERMS[level].format(days=days)


def policy_for(grade: str, rules: dict[str, Any], *, late_in_quarter: int = 0) -> Policy:
    g = grade if grade in _LEVEL else "C"
    letter = g.lower()
    dropped = terms_dropped(late_in_quarter, threshold=rules["policy.late_per_quarter"])
    level = min(_LEVEL[g] + (1 if dropped else 0), 3)
    return Policy(
        grade=grade, price_pct=rules[f"policy.price.{letter}"], payment_level=level,
        payment_terms=terms_text(level, rules), dropped=dropped, delivery_days=rules[f"policy.delivery.{letter}"],
        rush_orders=g == "A", reply_hours=rules["policy.reply_hours"],
        visit_days=rules.get(f"visits.interval_days.{g}") or None)
