"""One normaliser for every text that enters at the service boundary — typed, imported or searched.

NFKC folds what a Chinese input method produces in full-width mode (１２３, ＡＢＣ, ，, （）, ￥, the
全角空格 U+3000) into the ordinary characters, so 027－７５８０７５２４ is stored and found as
027-75807524. Names are also compared in simplified characters (OpenCC t2s: 張三 and 张三 are one key),
so search and the duplicate scan meet traditional and simplified spellings of the same company.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_SPACES = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")


def text(value: str | None) -> str:
    """NFKC and trimmed (a full-width space becomes a space; line breaks inside a note stay)."""
    if not value:
        return ""
    return unicodedata.normalize("NFKC", value).strip()


def values(raw: dict) -> dict:
    """Every string value of a form or an imported row through text(); other values as they are."""
    return {k: text(v) if isinstance(v, str) else v for k, v in raw.items()}


@cache
def _t2s():
    from opencc import OpenCC  # opencc-python-reimplemented: the OpenCC tables in pure Python

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def simplified(value: str) -> str:
    """The simplified spelling (張三 → 张三); cached: a desk searches and writes the same names again."""
    if value.isascii():
        return value
    return _t2s().convert(value)


@cache
def _s2tw():
    from opencc import OpenCC

    return OpenCC("s2twp")


@lru_cache(maxsize=4096)
def traditional(value: str) -> str:
    """The Taiwan traditional spelling of a label (潜在客户 → 潛在客戶), for the zh_TW interface."""
    return value if value.isascii() else _s2tw().convert(value)


def name_key(name: str | None) -> str:
    """The form two names are compared in: NFKC, simplified, lower case, no spaces."""
    return _SPACES.sub("", simplified(text(name)).lower())


def phone_key(phone: str | None) -> str:
    """The digits of a phone number, so 027-75807524 and 02775807524 are one number; a 0086 / +86 before a
    mobile number is dropped (the 0 of a landline's area code is kept as typed)."""
    digits = _NOT_DIGIT.sub("", text(phone))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits
