"""大写金额 as a cashier writes it on a receipt."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.money_words import capital_amount

DIGITS = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10), strict=True))
PLACES = {"拾": 10, "佰": 100, "仟": 1000}


def _read_back(words: str) -> Decimal:
    """The amount a reader gets from the capital words (the inverse, written independently of cn2an)."""
    negative = words.startswith("负")
    words = words.removeprefix("负").removesuffix("整")
    yi = wan = section = digit = yuan = cents = 0
    for ch in words:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in PLACES:
            section, digit = section + digit * PLACES[ch], 0
        elif ch in "万亿":
            if ch == "万":
                wan = section + digit
            else:
                yi = section + digit
            section = digit = 0
        elif ch == "元":
            yuan, digit = yi * 10**8 + wan * 10**4 + section + digit, 0
        elif ch in "角分":
            cents, digit = cents + digit * (10 if ch == "角" else 1), 0
        else:
            raise AssertionError(f"unexpected {ch} in {words}")
    value = Decimal(yuan) + Decimal(cents) / 100
    return -value if negative else value


@pytest.mark.parametrize("amount, words", [
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("-0.00", "零元整"),
    ("0.1", "壹角"),
    ("0.05", "伍分"),
    ("10", "壹拾元整"),
    ("100", "壹佰元整"),
    ("100000.00", "壹拾万元整"),
    ("1000000.05", "壹佰万元零伍分"),
    ("123456.78", "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("100100", "壹拾万零壹佰元整"),
    ("100010000", "壹亿零壹万元整"),
    ("99999999999.99", "玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("-5000", "负伍仟元整"),
    ("-0.05", "负伍分"),
    ("12.345", "壹拾贰元叁角伍分"),  # rounded half-up to the 分, not cut
    ("1E+3", "壹仟元整"),
])
def test_capital_amount(amount, words):
    assert capital_amount(Decimal(amount)) == words


def test_out_of_range_or_not_a_number_is_refused():
    for bad in (Decimal("1E+14"), Decimal("NaN"), "abc"):
        with pytest.raises(ValueError):
            capital_amount(bad)


@given(st.integers(min_value=-9_999_999_999_999, max_value=9_999_999_999_999).map(lambda c: Decimal(c) / 100))
def test_words_read_back_to_the_amount(amount):
    words = capital_amount(amount)
    assert _read_back(words) == amount
    assert "零零" not in words and "零元" not in words.removeprefix("零元") and "零万" not in words
    assert words.endswith("整") == (amount == amount.to_integral_value())


@given(st.text(alphabet="0000123456789", min_size=1, max_size=13).map(lambda s: Decimal(int(s)) / 100))
def test_sparse_amounts_with_runs_of_zeros_read_back(amount):
    assert _read_back(capital_amount(amount)) == amount
