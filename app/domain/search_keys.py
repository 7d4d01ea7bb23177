"""Search keys written with each customer: name, pinyin spellings and initials (polyphones too)."""
from __future__ import annotations

import itertools
import re
from functools import cache

from pypinyin import Style, lazy_pinyin

from app.domain.normalise import simplified
from app.domain.normalise import text as nz_text

MAX_VARIANTS = 8  # cap on polyphone combinations kept per name
# Polyphones people actually meet in company and person names, with the readings they type,
# the one names use most first.
# pypinyin's full heteronym lists carry rare readings (有 wei, 司 ci) that only bloat the index.
POLYPHONES = {
    "重": ("chong", "zhong"), "长": ("chang", "zhang"), "行": ("hang", "xing"), "单": ("dan", "shan"),
    "曾": ("zeng", "ceng"), "朝": ("chao", "zhao"), "乐": ("le", "yue"), "厦": ("xia", "sha"),
    "会": ("hui", "kuai"), "藏": ("zang", "cang"), "解": ("jie", "xie"), "查": ("cha", "zha"),
    "仇": ("qiu", "chou"), "区": ("qu", "ou"), "翟": ("zhai", "di"), "盛": ("sheng", "cheng"),
    "都": ("du", "dou"), "传": ("chuan", "zhuan"), "调": ("tiao", "diao"), "朴": ("piao", "pu"),
    "尉": ("wei", "yu"), "覃": ("qin", "tan"), "缪": ("miao", "mou"), "召": ("zhao", "shao"),
    "员": ("yuan", "yun"), "华": ("hua",), "沈": ("shen",), "柏": ("bai", "bo"), "蕃": ("fan", "bo"),
    "家": ("jia",), "广": ("guang",), "银": ("yin",), "便": ("bian", "pian"), "称": ("cheng", "chen"),
}


@cache
def _char_reading(char: str) -> str:
    # a character's usual reading; cached: names reuse a few thousand characters
    return lazy_pinyin(char, style=Style.NORMAL, errors=lambda t: list(t))[0].lower()


def name_keys(name: str) -> tuple[list[str], list[str]]:
    """(full pinyin spellings, initials spellings): the usual reading first, then polyphone readings."""
    chars = [c for c in name if not c.isspace()]
    if not chars:
        return [], []
    readings = [_char_reading(c) for c in chars]
    if not any(c in POLYPHONES for c in chars):  # the common case: one spelling, no combinations
        return ["".join(readings)], ["".join(r[:1] for r in readings)]
    # the table lists the reading names use most first (重庆, 长沙, 银行); it leads the sort key
    options = [POLYPHONES[c] if c in POLYPHONES else (r,) for c, r in zip(chars, readings, strict=True)]
    readings = [o[0] for o in options]
    combos = list(itertools.islice(itertools.product(*options), MAX_VARIANTS))
    full = ["".join(readings)] + ["".join(c) for c in combos]
    initials = ["".join(r[:1] for r in readings)] + ["".join(r[:1] for r in c) for c in combos]
    return list(dict.fromkeys(full)), list(dict.fromkeys(initials))


def pinyin_variants(name: str) -> list[str]:
    return name_keys(name)[0]


def initials_variants(name: str) -> list[str]:
    return name_keys(name)[1]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def customer_search_text(*, name: str, code: str = "", phone: str = "", uscc: str | None = "",
                         extra: tuple[str, ...] = (), keys: tuple[list[str], list[str]] | None = None) -> str:
    """One lower-case string searched with LIKE/trigram; parts separated so matches stay inside a part.
    `keys`: name_keys(name) when the caller has it already (the pinyin is the costly part)."""
    full, initials = keys if keys is not None else name_keys(name)
    # the simplified spelling too (張三 → 张三): a query is matched in simplified characters
    parts = [name.lower(), simplified(name).lower(), *full, *initials, code.lower(),
             digits(phone), (uscc or "").lower(), *(e.lower() for e in extra if e)]
    return " | ".join(p for p in dict.fromkeys(parts) if p)


def normalise_query(text: str) -> str:
    """What a user typed, as it is matched against the search text: full-width folded (NFKC), simplified."""
    text = simplified(nz_text(text)).lower()
    if re.fullmatch(r"[\d\s\-+()]+", text):
        return digits(text)
    return re.sub(r"\s+", "", text)
