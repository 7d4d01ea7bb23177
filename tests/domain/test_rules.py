"""Pure rules: amounts, codes, search keys, re-verification, enterprise size."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import reverify, size
from app.domain.search_keys import customer_search_text, initials_variants, normalise_query, pinyin_variants
from app.domain.validation import check_id_number, check_uscc, parse_amount, parse_date, validate_customer


@pytest.mark.parametrize("text, expected", [
    ("500万", "5000000.00"), ("1.5亿", "150000000.00"), ("1,234.5", "1234.50"), ("¥88", "88.00"),
    ("五百万", "5000000.00"), ("一百二十万五千", "1205000.00"), (3, "3.00"),
])
def test_amounts_as_people_write_them(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "12..5", "万万"])
def test_nonsense_amounts_are_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_empty_amount_is_none():
    assert parse_amount("  ") is None and parse_amount(None) is None


def test_uscc_and_id_number_checksums():
    assert check_uscc("91110000600037341L") is None
    assert check_uscc(" 91110000600037341l ") is None  # spaces and lower case are forgiven
    assert "18位" in check_uscc("9111000060003734")
    assert "校验位" in check_uscc("91110000600037341X")
    assert check_id_number("11010519491231002X") is None
    assert check_id_number("110105194912310021") is not None


def test_dates_in_the_forms_people_type():
    assert parse_date("2026-11-25") == parse_date("2026/11/25") == parse_date("2026年11月25日") == date(2026, 11, 25)
    assert parse_date("20261125") == date(2026, 11, 25) and parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("25.11.2026")


def test_card_messages_name_the_field():
    errors = validate_customer({"name": "", "phone": "abc", "channel_level": 7, "status": "lost"})
    assert errors == {
        "name": "请填写客户名称", "phone": "电话号码格式不正确,例如 010-62345678 或 13812345678",
        "channel_level": "信息渠道等级应为1至4级", "lost_reason": "流失客户请填写流失原因"}


def test_pinyin_keys_handle_polyphones_and_initials():
    assert pinyin_variants("重庆")[0] == "chongqing"  # the phrase reading comes first
    assert "zhongqing" in pinyin_variants("重庆")
    assert "zs" in initials_variants("张三")
    text = customer_search_text(name="长沙银行", code="KH000001", phone="0731-8888 6666")
    for key in ("changsha", "zhangsha", "csyh", "07318888666", "kh000001"):
        assert key in text


def test_queries_are_normalised_like_the_keys():
    assert normalise_query(" ZS ") == "zs"
    assert normalise_query("010-6234 5678") == "01062345678"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(1, 12), st.integers(0, 40))
def test_sql_cutoffs_agree_with_the_status_rule(last, today, months, warn):
    # the list filter (SQL cutoffs) and the card badge (status) must never disagree
    overdue_before, due_before = reverify.cutoffs(today, interval_months=months, warn_days=warn)
    state = reverify.status(last, today, interval_months=months, warn_days=warn)
    assert (last < overdue_before) == (state == reverify.OVERDUE)
    assert (last < due_before) == (state in (reverify.OVERDUE, reverify.DUE))


def test_quarterly_due_dates():
    assert reverify.next_due(date(2026, 11, 30)) == date(2027, 2, 28)
    assert reverify.status(None, date(2026, 1, 1)) == reverify.OVERDUE
    assert reverify.status(date(2026, 9, 1), date(2026, 11, 25)) == reverify.DUE
    assert reverify.status(date(2026, 9, 1) + timedelta(days=30), date(2026, 11, 25)) == reverify.OK


def test_enterprise_size_needs_both_thresholds():
    assert size.classify(Decimal("500000000"), 2000) == "large"
    assert size.classify(Decimal("500000000"), 50) == "small"  # big revenue, few people: not large
    assert size.classify(Decimal("30000000"), 400) == "medium"
    assert size.classify(None, None) == ""
