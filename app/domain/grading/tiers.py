"""Key-account tiers by yearly amount (大客户分层, DOMAIN.md §3.4) — two schemes.

* 大客户: 普通大客户 from `tier.normal` (5,000,000 元), 伙伴式 from `tier.partner` (20,000,000),
  战略性 from `tier.strategic` (50,000,000); below the first threshold: not a key account ("-").
* 会员: 钻石 from `tier.diamond` (5,000,000), 白金 `tier.platinum` (2,000,000), 黄金 `tier.gold`
  (200,000), VIP `tier.vip` (10,000); below: none ("-").

Lower limits are inclusive (exactly 5,000,000 is 普通大客户).  A smaller city scales every threshold by
its coefficient `tier.city_coefficient` (percent, 80–100; 100 = no scaling).
"""
from __future__ import annotations

from decimal import Decimal

from app.domain.grading import ZERO, Figures, Graded, by_sales

KEY_ACCOUNT = ("KS", "KP", "KN", "-")
KEY_ACCOUNT_LABELS = {"KS": "战略性大客户", "KP": "伙伴式大客户", "KN": "普通大客户", "-": "非大客户"}
MEMBERSHIP = ("DI", "PT", "GO", "VI", "-")
MEMBERSHIP_LABELS = {"DI": "钻石", "PT": "白金", "GO": "黄金", "VI": "VIP", "-": "非会员"}


def tier(amount: Decimal, thresholds: tuple[tuple[str, int], ...], *, city_coefficient: int = 100) -> str:
    """The first tier whose (scaled) lower limit the amount reaches; thresholds best first."""
    if not 1 <= city_coefficient <= 100:
        raise ValueError("城市系数应在1–100(%)之间")
    for code, lower in thresholds:
        if amount >= Decimal(lower) * city_coefficient / 100:
            return code
    return "-"


def grade_tiers(figures: list[Figures], thresholds: tuple[tuple[str, int], ...], *,
                city_coefficient: int = 100) -> list[Graded]:
    out = []
    for rank, f in enumerate(by_sales(figures), start=1):
        code = tier(max(f.sales, ZERO), thresholds, city_coefficient=city_coefficient)
        out.append(Graded(f.key, code, None, rank, {}))
    return out
