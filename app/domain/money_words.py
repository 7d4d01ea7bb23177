"""Amounts in capital Chinese numerals (大写金额) for finance documents: 收据, 选房工作票, 选房凭证.

cn2an already writes the banking convention (《正确填写票据和结算凭证的基本规定》): 壹拾 not 拾, one 零
for a run of zeros, 零 after 元 when 角 is zero and 分 is not, 整 after 元 and none after 分. Checked
against a back-parser over 300,000 sparse random amounts. Where it deviates we normalise:
- it truncates past the 分 (12.345 → 叁角肆分): amounts are rounded half-up to the 分 first;
- it rejects exponent notation (Decimal("1E+3")): the amount is written out in plain digits;
- a negative zero comes out as 负零元整: a reversal of nothing is 零元整.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

CENT = Decimal("0.01")
LIMIT = Decimal("9999999999999.99")  # under 10 万亿: cn2an's own range is 16 digits


def capital_amount(amount: Decimal | int | str) -> str:
    """The amount in 大写, e.g. 123456.78 → 壹拾贰万叁仟肆佰伍拾陆元柒角捌分; a 红字 reversal gets 负."""
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
        value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"金额无法写成大写:{amount!r}") from exc
    if not value.is_finite() or abs(value) > LIMIT:
        raise ValueError(f"金额超出可写大写的范围:{amount}")
    if value == 0:
        return "零元整"
    words = cn2an.an2cn(format(abs(value), "f"), "rmb")
    return "负" + words if value < 0 else words
