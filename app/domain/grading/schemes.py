"""The grading schemes side by side: kind → label, grade order, parameters from the settings, and the run.

A scheme stored in the database is a kind plus a snapshot of its parameters (taken from the settings when
the scheme is created or re-read), so a committed run can always be explained by the numbers it used.
"""
from __future__ import annotations

from typing import Any

from app.domain.grading import Figures, Graded, credit, sales_share, scoring, tiers

KINDS = {"sales_share": "销售额占比分级(A–E)", "scoring": "百分制评分(A–D强制分布)",
         "credit": "信用等级(A–D)", "key_account": "大客户分层", "membership": "会员等级"}
ORDERS = {"sales_share": sales_share.GRADES, "scoring": scoring.GRADES, "credit": credit.GRADES,
          "key_account": tiers.KEY_ACCOUNT, "membership": tiers.MEMBERSHIP}
LABELS = {"key_account": tiers.KEY_ACCOUNT_LABELS, "membership": tiers.MEMBERSHIP_LABELS}
# the setting keys each kind snapshots (all declared in app.settings.OPTIONS)
PARAMETER_KEYS = {
    "sales_share": ("grading.share.a", "grading.share.b", "grading.share.c", "grading.share.d"),
    "scoring": (*(f"grading.weight.{k}" for k in scoring.ITEMS), "grading.quota.a", "grading.quota.b",
                "grading.quota.c", "grading.quota.d", "grading.margin_full", "grading.years_full",
                "grading.attribute_default"),
    "credit": ("credit.b_max_late", "credit.c_max_late", "credit.b_start", "credit.b_step", "credit.b_cap",
               "credit.c_limit"),
    "key_account": ("tier.normal", "tier.partner", "tier.strategic", "tier.city_coefficients"),
    "membership": ("tier.diamond", "tier.platinum", "tier.gold", "tier.vip", "tier.city_coefficients"),
}


def grade_label(kind: str, grade: str) -> str:
    return LABELS.get(kind, {}).get(grade, grade)


def parameters(kind: str, rules: dict[str, Any]) -> dict[str, Any]:
    """The snapshot of a kind's parameters from the current settings."""
    return {k: rules[k] for k in PARAMETER_KEYS[kind]}


def check(kind: str, params: dict[str, Any]) -> None:
    """ValueError (Chinese) when a scheme's parameters cannot grade (bands not descending, sums not 100)."""
    p = params
    if kind == "sales_share":
        sales_share.check_bands(tuple(p[f"grading.share.{g}"] for g in "abcd"))
    elif kind == "scoring":
        scoring.check_percentages({k: p[f"grading.weight.{k}"] for k in scoring.ITEMS}, "八项权重")
        scoring.check_percentages({g: p[f"grading.quota.{g}"] for g in "abcd"}, "A/B/C/D比例")
    elif kind in ("key_account", "membership") and "tier.city_coefficients" in p:
        if bad := tiers.parse_coefficients(p["tier.city_coefficients"])[1]:
            raise ValueError("城市系数看不懂:" + "; ".join(bad))
    elif kind not in KINDS:
        raise ValueError(f"未知的分级方案类型:{kind}")


def _coefficients(p: dict[str, Any]) -> dict[str, int]:
    """Per-city coefficients; a scheme snapshotted before them had one number for every city."""
    if "tier.city_coefficients" in p:
        return tiers.parse_coefficients(p["tier.city_coefficients"])[0]
    return {tiers.OTHER_CITIES: int(p.get("tier.city_coefficient", 100))}


def run(kind: str, figures: list[Figures], params: dict[str, Any], *, year: int) -> list[Graded]:
    """Grade every customer by one scheme; ValueError (Chinese) when the parameters do not fit."""
    p = params
    if kind == "sales_share":
        return sales_share.grade_by_share(figures, bands=tuple(p[f"grading.share.{g}"] for g in "abcd"))
    if kind == "scoring":
        return scoring.score_and_distribute(
            figures, year=year, weights={k: p[f"grading.weight.{k}"] for k in scoring.ITEMS},
            quotas=tuple(p[f"grading.quota.{g}"] for g in "abcd"), margin_full=p["grading.margin_full"],
            years_full=p["grading.years_full"], attribute_default=p["grading.attribute_default"])
    if kind == "credit":
        return credit.grade_credit(figures, **{k.split(".", 1)[1]: v for k, v in p.items()})
    if kind == "key_account":
        return tiers.grade_tiers(figures, (("KS", p["tier.strategic"]), ("KP", p["tier.partner"]),
                                           ("KN", p["tier.normal"])), coefficients=_coefficients(p))
    if kind == "membership":
        return tiers.grade_tiers(figures, (("DI", p["tier.diamond"]), ("PT", p["tier.platinum"]),
                                           ("GO", p["tier.gold"]), ("VI", p["tier.vip"])),
                                 coefficients=_coefficients(p))
    raise ValueError(f"未知的分级方案类型:{kind}")
