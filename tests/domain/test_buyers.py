"""Buyer list checks (资格审查): ID numbers, audit flags, masking."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from app.domain import buyers as b

ZHANG = "110105199001011232"  # valid: Beijing Chaoyang, 1990-01-01, male
LI = "44030419851231002X"  # valid, check digit X, female
WANG = "360426199101010071"


def make_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def test_normalise_id_handles_full_width_spaces_and_lower_case_x():
    assert b.normalise_id(" ４４０３０４ 1985-1231 002x ") == LI
    assert b.normalise_id(None) == ""


@pytest.mark.parametrize(("number", "fragment"), [
    (ZHANG, None),
    (LI.lower(), None),
    ("４４０３０４１９８５１２３１００２Ｘ", None),
    ("", "为空"),
    ("11010519900101123", "应为 18 位,现为 17 位"),
    ("1101051990010112A2", "只能由数字组成"),
    ("110105199001011233", "校验位"),
    (make_id("11010519900230123"), "出生日期 19900230 不存在"),
    (make_id("11010520990101123"), "2099-01-01 不合理"),
    (make_id("99010519900101123"), "省份码 99"),
])
def test_id_problem_says_what_is_wrong_in_chinese(number, fragment):
    problem = b.id_problem(number, today=date(2026, 1, 1))
    if fragment is None:
        assert problem is None
    else:
        assert fragment in problem


def test_birth_date_and_gender():
    assert b.birth_date(ZHANG) == date(1990, 1, 1)
    assert b.gender(ZHANG) == "男" and b.gender(LI) == "女"


def test_mask_id_for_printed_lists():
    assert b.mask_id(ZHANG) == "110105********1232"
    assert b.mask_id(" 44030419851231002x") == "440304********002X"
    assert b.mask_id("12345") == "*2345"


@given(st.text(alphabet="0123456789X", min_size=11, max_size=30))
def test_masked_id_keeps_length_and_hides_the_middle(number):
    masked = b.mask_id(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert set(masked[6:-4]) == {"*"}


def test_audit_flags_the_three_patterns_with_reasons():
    lists = {
        "甲单位": [("张三", ZHANG), ("李四", LI), ("张 三", ZHANG.replace("1232", "123 2"))],
        "乙单位": [("王五", WANG), ("李四", LI.lower())],
        "丙单位": [("王五", make_id("11010519800101123"))],
    }
    flags = b.audit_flags(lists)
    kinds = sorted(f.kind for f in flags)
    assert kinds == ["dup_in_list", "id_in_lists", "name_ids"]
    dup = next(f for f in flags if f.kind == "dup_in_list")
    assert "甲单位" in dup.reason and "第 1、3 行" in dup.reason and "110105********1232" in dup.reason
    across = next(f for f in flags if f.kind == "id_in_lists")
    assert [e.list_name for e in across.entries] == ["甲单位", "乙单位"]
    same_name = next(f for f in flags if f.kind == "name_ids")
    assert "王五" in same_name.reason and "炒房" in same_name.reason
    assert ZHANG not in " ".join(f.reason for f in flags)  # reasons are printable: IDs masked


def test_clean_lists_raise_no_flags():
    assert b.audit_flags({"甲": [("张三", ZHANG), ("李四", LI)], "乙": [("王五", WANG), ("", "")]}) == []


@given(st.lists(st.tuples(st.sampled_from(["张三", "李四", "王五"]), st.sampled_from([ZHANG, LI, WANG])),
                max_size=8))
def test_one_list_flags_exactly_its_repeated_ids(people):
    flags = b.audit_flags({"甲": people})
    repeated = {i for _, i in people if [x for _, x in people].count(i) > 1}
    assert {f.entries[0].id_number for f in flags if f.kind == "dup_in_list"} == repeated
    assert not any(f.kind == "id_in_lists" for f in flags)
