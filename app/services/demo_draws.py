"""Seeded draws for demo data (演示数据的随机抽取): dice, weighted tables, names, amounts, distances.

Everything is drawn from one seeded generator through random() alone, so the same seed gives the
same values on every machine; demo_rows builds the rows from these draws.
"""
from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from app.services import demo_names as N


class Dice:
    """Seeded draws built on random() alone: reproducible, and several times cheaper than choice/randint."""

    def __init__(self, seed: str):
        self.rng = random.Random(seed)
        self.random = self.rng.random

    def one(self, seq):
        return seq[int(self.random() * len(seq))]

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def few(self, seq, k: int) -> list:
        """k distinct items of a short sequence, in draw order."""
        out: list = []
        while len(out) < k:
            item = seq[int(self.random() * len(seq))]
            if item not in out:
                out.append(item)
        return out

    def log_uniform(self, low: float, high: float) -> float:
        return low * math.exp(self.random() * math.log(high / low))


class Weighted:
    """Weighted choice by bisecting cumulative weights."""

    def __init__(self, pairs):
        self.items, self.cum, total = [], [], 0
        for item, weight in pairs:
            total += weight
            self.items.append(item)
            self.cum.append(total)
        self.total = total

    def __call__(self, dice: Dice):
        return self.items[bisect_right(self.cum, dice.random() * self.total)]


CITY = Weighted((c, c.weight) for c in N.CITIES)
SURNAME = Weighted(((s, p), w) for s, p, w in N.SURNAMES)
SUFFIX = Weighted(N.COMPANY_SUFFIXES)
EDUCATION = Weighted(N.EDUCATION)
STATUS = Weighted((("potential", 38), ("intent", 32), ("deal", 22), ("lost", 8)))
TIER = Weighted((("small", 72), ("medium", 20), ("large", 8)))
SOURCE = Weighted((("sales_visit", 40), ("market_research", 20), ("inquiry", 25), ("referral", 15)))
CHANNEL = Weighted(((1, 40), (2, 30), (3, 20), (4, 10)))
CONFIDENTIALITY = Weighted((("department", 70), ("company", 15), ("personal", 15)))
COMPANY_TYPE = Weighted((("end_user", 60), ("dealer", 25), ("supplier", 15)))
DEAL_GRADE = Weighted((("A", 12), ("B", 23), ("C", 35), ("D", 18), ("E", 12)))
INTENT_GRADE = Weighted((("C", 40), ("D", 35), ("E", 25)))
PERSON_COUNT = Weighted(((1, 20), (2, 35), (3, 30), (4, 15)))
SECTIONS = {  # how the archive of a customer is spread over its sections, by status
    "potential": Weighted((("complaint", 10), ("contact", 90))),
    "intent": Weighted((("contract", 15), ("complaint", 10), ("contact", 75))),
    "deal": Weighted((("contract", 30), ("receivable", 30), ("complaint", 10), ("contact", 30))),
    "lost": Weighted((("contract", 20), ("receivable", 20), ("complaint", 25), ("contact", 35))),
}
RECEIVABLE_KIND = Weighted((("credit_limit", 15), ("repayment_plan", 15), ("debt", 30), ("repayment", 30),
                            ("extension", 10)))
CONTACT_KIND = Weighted((("visit", 30), ("call", 35), ("email", 15), ("letter", 10), ("fax", 10)))
_HOME = next(c for c in N.CITIES if c.name == N.HOME_CITY)


def unique(make: Callable[[], str], taken: set[str]) -> str:
    for _ in range(50):
        value = make()
        if value not in taken:
            taken.add(value)
            return value
    raise RuntimeError("演示数据:无法生成不重复的值")



@lru_cache(maxsize=4096)
def spell(word: str) -> str:
    """Plain pinyin for e-mail addresses and domains (decoration only; search keys come from search_keys)."""
    return "".join(lazy_pinyin(word, style=Style.NORMAL)).replace("ü", "v").lower()


def person_name(dice: Dice) -> tuple[str, str]:
    """(name, pinyin) — surname by frequency, one- or two-character given name."""
    surname, surname_py = SURNAME(dice)
    given = dice.one(N.GIVEN_MALE if dice.random() < 0.6 else N.GIVEN_FEMALE)
    return surname + given, surname_py + spell(given)


def money(value: float, step: int = 10_000) -> Decimal:
    return Decimal(max(step, int(value) // step * step))


def distance_km(city: N.City, dice: Dice) -> Decimal:
    if city is _HOME:
        return Decimal(f"{2 + dice.random() * 58:.1f}")
    p1, p2 = math.radians(_HOME.lat), math.radians(city.lat)
    dlon = math.radians(city.lon - _HOME.lon)
    arc = math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dlon)))
    return Decimal(f"{arc * 6371 * 1.25 + dice.random() * 30:.1f}")  # road ~1.25 × straight line
