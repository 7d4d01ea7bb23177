"""Checks on a sales or payment record typed in or imported (销售与回款记录), with Chinese messages per field."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from app.domain.validation import parse_amount, parse_date

MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)


def _amount(raw, label: str, errors: dict, key: str, *, required: bool, negative: bool) -> Decimal | None:
    try:
        value = parse_amount(raw)
    except ValueError:
        errors[key] = f"{label}应为金额,例如 12,500.00 或 50万"
        return None
    if value is None:
        if required:
            errors[key] = f"请填写{label}"
        return None
    if abs(value) > MAX_AMOUNT:
        errors[key] = f"{label}过大"
    elif value < 0 and not negative:
        errors[key] = f"{label}不能为负数"
    return value


def _int(raw, label: str, errors: dict, key: str, *, low: int, high: int, default: int | None = None) -> int | None:
    text = "" if raw is None else str(raw).strip()
    if text.endswith(".0"):  # Excel numbers
        text = text[:-2]
    if not text:
        if default is None:
            errors[key] = f"请填写{label}"
        return default
    if not text.lstrip("-").isdigit() or not low <= int(text) <= high:
        errors[key] = f"{label}应为 {low}–{high} 的整数"
        return None
    return int(text)


def check_sale(raw: dict, *, today: date) -> tuple[dict, dict[str, str]]:
    """(values, errors) for a sales record: year, month (0 = a whole year), product, amount, profit, orders.

    Amounts may be negative (a correction, 负数冲减); the year may not be in the future."""
    errors: dict[str, str] = {}
    values = {
        "year": _int(raw.get("year"), "年度", errors, "year", low=1990, high=today.year),
        "month": _int(raw.get("month"), "月份", errors, "month", low=0, high=12, default=0),
        "product": str(raw.get("product") or "").strip()[:60],
        "amount": _amount(raw.get("amount"), "销售额", errors, "amount", required=True, negative=True),
        "profit": _amount(raw.get("profit"), "毛利", errors, "profit", required=False, negative=True) or Decimal("0"),
        "orders": _int(raw.get("orders"), "订单数", errors, "orders", low=0, high=1_000_000, default=0),
    }
    return values, errors


def check_payment(raw: dict) -> tuple[dict, dict[str, str]]:
    """(values, errors) for a payment record: reference, amount, due date, paid date (empty: not paid yet)."""
    errors: dict[str, str] = {}
    values = {"reference": str(raw.get("reference") or "").strip()[:40],
              "amount": _amount(raw.get("amount"), "金额", errors, "amount", required=True, negative=False)}
    for key, label, needed in (("due_on", "应付日期", True), ("paid_on", "实付日期", False)):
        value = raw.get(key)
        if isinstance(value, datetime):  # an Excel date cell
            value = value.date()
        if isinstance(value, date) or value is None or not str(value).strip():
            values[key] = value if isinstance(value, date) else None
        else:
            try:
                values[key] = parse_date(str(value))
            except ValueError:
                errors[key] = f"{label}应为日期,例如 2026-11-25"
                values[key] = None
        if needed and values[key] is None and key not in errors:
            errors[key] = f"请填写{label}"
    return values, errors


def is_late(due_on: date, paid_on: date | None, today: date) -> bool:
    """Paid after the due date, or still unpaid after it."""
    return paid_on > due_on if paid_on is not None else today > due_on
