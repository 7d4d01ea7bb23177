"""Field rules for customer cards and key persons; each failure is a Chinese message for the user."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from app.domain import normalise as nz
from app.domain import vocab

Errors = dict[str, str]
_PHONE = re.compile(r"^[\d\s\-+()转#]{5,40}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^\d{6}$")
_CODE = re.compile(r"^[A-Za-z0-9\-_]{1,32}$")
_CN_DIGITS = re.compile("[零〇一二两三四五六七八九十百壹贰叁肆伍陆柒捌玖拾佰仟]")
_UNITS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000), "元": Decimal(1)}


def parse_amount(text: str | int | float | Decimal | None) -> Decimal | None:
    """'500万' → 5000000.00, '1,234.5' → 1234.50, '' → None. Raises ValueError on nonsense."""
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text).quantize(Decimal("0.01"))
    if isinstance(text, float):
        return Decimal(str(text)).quantize(Decimal("0.01"))
    # one normaliser (NFKC): ￥ → ¥, ， → ",", full-width digits; then the words around a written amount
    raw = nz.text(str(text)).replace(",", "").replace("¥", "").replace(" ", "")
    raw = raw.removeprefix("人民币").removeprefix("RMB").removesuffix("整")  # 500万元整, 人民币500万
    if not raw:
        return None
    if _CN_DIGITS.search(raw):  # 五百万, 一百二十万五千: cn2an reads the units itself
        value = _chinese_numeral(raw.removesuffix("元"))
    else:
        factor = Decimal(1)
        while raw and raw[-1] in _UNITS:
            factor *= _UNITS[raw[-1]]
            raw = raw[:-1].strip()
        try:
            value = Decimal(raw) * factor
        except InvalidOperation as exc:
            raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


def _chinese_numeral(raw: str) -> Decimal:
    """'五百' → 500, '一百二十万五千' → 1205000 (cn2an); anything else is not an amount."""
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(raw, "smart")))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(raw) from exc


def normalise_uscc(value: str | None) -> str | None:
    """Upper case without spaces, after NFKC: a USCC typed with full-width letters and digits is the same code."""
    value = nz.text(value).upper().replace(" ", "")
    return value or None


def check_uscc(value: str | None) -> str | None:
    """None when valid or empty, else the message (checksum per GB 32100-2015)."""
    value = normalise_uscc(value)
    if value is None:
        return None
    if len(value) != 18:
        return f"统一社会信用代码应为18位,当前为{len(value)}位"
    try:
        uscc.validate(value)
    except ValidationError:
        return "统一社会信用代码校验位不正确,请核对营业执照"
    return None


def check_id_number(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    if not value:
        return None
    try:
        ric.validate(value)
    except ValidationError:
        return "身份证号码无效(位数、出生日期或校验位不正确)"
    return None


def validate_customer(fields: dict) -> Errors:
    """Check a customer card's fields; returns {field: Chinese message} for every problem."""
    errors: Errors = {}
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写客户名称"
    elif len(name) > 120:
        errors["name"] = "客户名称不能超过120个字"
    code = (fields.get("code") or "").strip()
    if code and not _CODE.match(code):
        errors["code"] = "客户编号只能包含字母、数字、-和_,最多32位"
    if msg := check_uscc(fields.get("uscc")):
        errors["uscc"] = msg
    for key, label in (("phone", "电话"), ("fax", "传真")):
        value = (fields.get(key) or "").strip()
        if value and not _PHONE.match(value):
            errors[key] = f"{label}号码格式不正确,例如 010-62345678 或 13812345678"
    postcode = (fields.get("postcode") or "").strip()
    if postcode and not _POSTCODE.match(postcode):
        errors["postcode"] = "邮政编码应为6位数字"
    for key, label in (("registered_capital", "注册资本"), ("annual_revenue", "年营业收入"),
                       ("credit_limit", "信用额度"), ("distance_km", "距离")):
        value = fields.get(key)
        if isinstance(value, str):
            try:
                value = parse_amount(value)
            except ValueError:
                errors[key] = f"{label}不是有效的数字,例如 500万 或 5000000"
                continue
        if value is not None and value < 0:
            errors[key] = f"{label}不能为负数"
    headcount = fields.get("headcount")
    if headcount not in (None, ""):
        try:
            if int(headcount) < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors["headcount"] = "从业人数应为不小于0的整数"
    level = fields.get("channel_level")
    if level not in (None, "") and str(level) not in vocab.CHANNEL_LEVEL:
        errors["channel_level"] = "信息渠道等级应为1至4级"
    for key, vocabulary, label in (
        ("status", vocab.STATUS, "合作状态"), ("customer_type", vocab.CUSTOMER_TYPE, "客户类型"),
        ("source", vocab.SOURCE, "客户来源"), ("industry", vocab.INDUSTRY, "行业"),
        ("confidentiality", vocab.CONFIDENTIALITY, "保密级别"),
    ):
        value = fields.get(key)
        if value not in (None, "") and value not in vocabulary:
            errors[key] = f"{label}“{value}”不在可选范围内"
    if fields.get("size") not in (None, "") and fields.get("size") not in vocab.SIZE:
        errors["size"] = "企业规模应为大型、中型或小型"
    grade = fields.get("grade")
    if grade not in (None, "") and grade not in vocab.GRADES:
        errors["grade"] = "客户等级应为A至E"
    important = fields.get("important")
    if important is not None and not isinstance(important, bool):
        errors["important"] = f"重要客户应填“是”或“否”,不能是“{important}”"
    if fields.get("status") == "lost" and not (fields.get("lost_reason") or "").strip():
        errors["lost_reason"] = "流失客户请填写流失原因"
    verified = fields.get("last_verified_on")
    if isinstance(verified, date) and verified > date.today():
        errors["last_verified_on"] = "核定日期不能晚于今天"
    return errors


def validate_key_person(fields: dict) -> Errors:
    errors: Errors = {}
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写关键人姓名"
    mobile = (fields.get("mobile") or "").strip()
    if mobile and not _MOBILE.match(mobile):
        errors["mobile"] = "手机号码应为11位,以1开头"
    phone = (fields.get("phone") or "").strip()
    if phone and not _PHONE.match(phone):
        errors["phone"] = "电话号码格式不正确"
    email = (fields.get("email") or "").strip()
    if email and not _EMAIL.match(email):
        errors["email"] = "电子邮箱格式不正确"
    if msg := check_id_number(fields.get("id_number")):
        errors["id_number"] = msg
    birthday = fields.get("birthday")
    if isinstance(birthday, date) and birthday > date.today():
        errors["birthday"] = "生日不能晚于今天"
    role = fields.get("decision_role")
    if role not in (None, "") and role not in vocab.DECISION_ROLE:
        errors["decision_role"] = "决策作用不在可选范围内"
    return errors


def validate_archive_entry(fields: dict) -> Errors:
    errors: Errors = {}
    section = fields.get("section")
    if section not in vocab.ARCHIVE_SECTION:
        errors["section"] = "请选择档案分类"
    elif fields.get("kind") not in vocab.ARCHIVE_KIND[section]:
        errors["kind"] = "请选择记录类型"
    if not isinstance(fields.get("entry_date"), date):
        errors["entry_date"] = "请填写日期"
    if not (fields.get("subject") or "").strip():
        errors["subject"] = "请填写摘要"
    amount = fields.get("amount")
    if isinstance(amount, str):
        try:
            parse_amount(amount)
        except ValueError:
            errors["amount"] = "金额不是有效的数字"
    return errors


def parse_date(text) -> date | None:
    """'2026-11-25', '2026/11/25', '2026.11.25', '20261125' or a date → date; '' → None; else ValueError."""
    if text is None or isinstance(text, date):
        return text
    raw = str(text).strip()
    if not raw:
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", raw) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw)
    if not m:
        raise ValueError(raw)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
