"""Key-account tiers by yearly amount (大客户分层, DOMAIN.md §3.4) — two schemes.

* 大客户: 普通大客户 from `tier.normal` (5,000,000 元), 伙伴式 from `tier.partner` (20,000,000),
  战略性 from `tier.strategic` (50,000,000); below the first threshold: not a key account ("-").
* 会员: 钻石 from `tier.diamond` (5,000,000), 白金 `tier.platinum` (2,000,000), 黄金 `tier.gold`
  (200,000), VIP `tier.vip` (10,000); below: none ("-").

Lower limits are inclusive (exactly 5,000,000 is 普通大客户). A smaller city scales every threshold by its
coefficient (城市系数, the regulation: 0.9–0.8): `tier.city_coefficients` maps a city to a percentage,
"其他" for every city not named; the city is read from the customer's address (`city_of`).
"""
from __future__ import annotations

import re
from decimal import Decimal

from app.domain.grading import ZERO, Figures, Graded, by_sales

KEY_ACCOUNT = ("KS", "KP", "KN", "-")
KEY_ACCOUNT_LABELS = {"KS": "战略性大客户", "KP": "伙伴式大客户", "KN": "普通大客户", "-": "非大客户"}
MEMBERSHIP = ("DI", "PT", "GO", "VI", "-")
MEMBERSHIP_LABELS = {"DI": "钻石", "PT": "白金", "GO": "黄金", "VI": "VIP", "-": "非会员"}
OTHER_CITIES = "其他"
# the regulation's 0.9–0.8 for smaller cities: our default reading puts the smaller provincial capitals at 90
# and the smallest at 80 — the business names its own cities in the setting
DEFAULT_CITY_COEFFICIENTS = ("其他 100; 石家庄 90; 太原 90; 合肥 90; 福州 90; 南昌 90; 南宁 90; 昆明 90; 贵阳 90; "
                             "兰州 90; 长春 90; 哈尔滨 90; 海口 80; 银川 80; 乌鲁木齐 80")
_CITY = re.compile(r"^(?:.{2,8}?(?:省|自治区|特别行政区))?(.{2,8}?)市")


def city_of(address: str) -> str:
    """The city of an address (城市): '江苏省苏州市工业园区…' → '苏州', '北京市朝阳区…' → '北京'; '' if none."""
    m = _CITY.match((address or "").strip())
    return m.group(1) if m else ""


def parse_coefficients(text: str) -> tuple[dict[str, int], list[str]]:
    """'城市 系数' pairs separated by ; (系数 in percent 50–100, or 0.5–1) → ({city: percent}, unreadable parts)."""
    out, bad = {}, []
    for part in re.split(r"[;;\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\S+?)\s*[:: ]\s*([0-9.]+)\s*%?", part)
        value = None
        if m:
            try:
                number = Decimal(m.group(2))
                value = int(number * 100) if number <= 1 else int(number)
            except ArithmeticError:
                value = None
        if value is None or not 50 <= value <= 100:
            bad.append(part)
            continue
        out[m.group(1).removesuffix("市")] = value
    return out, bad


def coefficient(city: str, coefficients: dict[str, int]) -> int:
    """The city's percentage, else the one for 其他 cities, else 100."""
    return coefficients.get(city, coefficients.get(OTHER_CITIES, 100))


def tier(amount: Decimal, thresholds: tuple[tuple[str, int], ...], *, city_coefficient: int = 100) -> str:
    """The first tier whose (scaled) lower limit the amount reaches; thresholds best first."""
    if not 1 <= city_coefficient <= 100:
        raise ValueError("城市系数应在1–100(%)之间")
    for code, lower in thresholds:
        if amount >= Decimal(lower) * city_coefficient / 100:
            return code
    return "-"


def grade_tiers(figures: list[Figures], thresholds: tuple[tuple[str, int], ...], *,
                coefficients: dict[str, int] | None = None) -> list[Graded]:
    """Each customer's tier with its city's coefficient (kept in the row's items: 城市, 系数)."""
    coefficients = coefficients or {}
    out = []
    for rank, f in enumerate(by_sales(figures), start=1):
        pct = coefficient(f.city, coefficients)
        code = tier(max(f.sales, ZERO), thresholds, city_coefficient=pct)
        out.append(Graded(f.key, code, None, rank, {"city": f.city, "coefficient": pct}))
    return out
