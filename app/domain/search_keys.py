"""Search keys written with each customer: name, pinyin spellings and initials (polyphones too)."""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

MAX_VARIANTS = 8  # cap on polyphone combinations kept per name
MAX_READINGS = 2  # common readings per character (pypinyin lists the usual one first)
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=20000)
def _readings(char: str) -> tuple[str, ...]:
    if not _CJK.match(char):
        return (char.lower(),)
    return tuple(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True)[0]))[:MAX_READINGS]


def pinyin_variants(name: str) -> list[str]:
    """Full pinyin spellings: the phrase-aware reading first, then polyphone combinations."""
    chars = [c for c in name if not c.isspace()]
    if not chars:
        return []
    primary = "".join(lazy_pinyin("".join(chars), style=Style.NORMAL)).lower()
    variants = [primary]
    options = [_readings(c) for c in chars]
    if any(len(o) > 1 for o in options):
        for combo in itertools.islice(itertools.product(*options), MAX_VARIANTS):
            variants.append("".join(combo))
    return list(dict.fromkeys(variants))


def initials_variants(name: str) -> list[str]:
    chars = [c for c in name if not c.isspace()]
    if not chars:
        return []
    primary = "".join(p[0] for p in lazy_pinyin("".join(chars), style=Style.NORMAL) if p).lower()
    options = [tuple(dict.fromkeys(r[0] for r in _readings(c) if r)) for c in chars]
    variants = [primary]
    for combo in itertools.islice(itertools.product(*options), MAX_VARIANTS):
        variants.append("".join(combo))
    return list(dict.fromkeys(variants))


def digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def customer_search_text(*, name: str, code: str = "", phone: str = "", uscc: str | None = "",
                         extra: tuple[str, ...] = ()) -> str:
    """One lower-case string searched with LIKE/trigram; parts separated so matches stay inside a part."""
    parts = [name.lower(), *pinyin_variants(name), *initials_variants(name), code.lower(),
             digits(phone), (uscc or "").lower(), *(e.lower() for e in extra if e)]
    return " | ".join(p for p in dict.fromkeys(parts) if p)


def normalise_query(text: str) -> str:
    """What a user typed, as it is matched against the search text."""
    text = (text or "").strip().lower()
    if re.fullmatch(r"[\d\s\-+()]+", text):
        return digits(text)
    return re.sub(r"\s+", "", text)
