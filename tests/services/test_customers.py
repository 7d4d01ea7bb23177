"""Customer cards through the services, on SQLite and PostgreSQL."""
from datetime import date
from decimal import Decimal

import pytest

from app import settings
from app.errors import DuplicateFound, StaleEdit, ValidationFailed
from app.services import audit, blacklist, customers, staff
from app.services.customer_search import CustomerFilter, fetch_rows, search_ids

VALID_USCC = "91110000600037341L"


def _new(db, **values):
    values.setdefault("name", "北京华盛建筑工程有限公司")
    return customers.create_customer(db, actor="王丽", values=values)


def test_create_assigns_code_parses_amounts_and_audits(db):
    cid = _new(db, registered_capital="500万", phone="010-62345678", uscc=VALID_USCC)
    card = customers.get_card(db, customer_id=cid)
    assert card.values["code"] == "KH000001"
    assert card.values["registered_capital"] == Decimal("5000000.00")
    assert card.values["uscc"] == VALID_USCC
    history = audit.history(db, user=None, customer_id=cid)
    assert {h.field for h in history} >= {"客户名称", "注册资本", "统一社会信用代码"}
    assert all(h.actor == "王丽" and h.action == "新建" for h in history)


def test_invalid_fields_give_chinese_messages_per_field(db):
    with pytest.raises(ValidationFailed) as exc:
        _new(db, name="", uscc="91110000600037341X", postcode="1000", registered_capital="很多")
    errors = exc.value.errors
    assert errors["name"] == "请填写客户名称"
    assert "校验位" in errors["uscc"]
    assert "6位数字" in errors["postcode"]
    assert "注册资本" in errors["registered_capital"]
    assert search_ids(db, CustomerFilter()) == []  # nothing half-written


def test_duplicates_are_found_by_name_uscc_or_phone(db):
    first = _new(db, uscc=VALID_USCC, phone="010-62345678")
    for values in ({"name": "北京华盛建筑工程有限公司"}, {"name": "别名公司", "uscc": VALID_USCC},
                   {"name": "另一个公司", "phone": "010-62345678"}):
        with pytest.raises(DuplicateFound) as exc:
            customers.create_customer(db, actor="王丽", values=values)
        assert [c.id for c in exc.value.candidates] == [first]
    second = customers.create_customer(db, actor="王丽", values={"name": "北京华盛建筑工程有限公司"},
                                       allow_duplicate=True)
    assert second != first


def test_update_records_old_and_new_value_and_detects_stale_edits(db):
    cid = _new(db, phone="010-62345678")
    card = customers.get_card(db, customer_id=cid)
    version = customers.update_customer(db, actor="李强", customer_id=cid, values={"phone": "010-88886666"},
                                        expected_version=card.version)
    latest = audit.history(db, user=None, customer_id=cid)[0]
    assert (latest.actor, latest.field, latest.old_value, latest.new_value) == (
        "李强", "电话", "010-62345678", "010-88886666")
    with pytest.raises(StaleEdit):
        customers.update_customer(db, actor="王丽", customer_id=cid, values={"phone": "010-1"},
                                  expected_version=version - 1)
    assert customers.get_card(db, customer_id=cid).values["phone"] == "010-88886666"


def test_lost_customer_needs_a_reason(db):
    cid = _new(db)
    with pytest.raises(ValidationFailed) as exc:
        customers.update_customer(db, actor="王丽", customer_id=cid, values={"status": "流失客户"})
    assert exc.value.errors == {"lost_reason": "流失客户请填写流失原因"}
    customers.update_customer(db, actor="王丽", customer_id=cid,
                              values={"status": "流失客户", "lost_reason": "转向竞争对手"})
    assert customers.get_card(db, customer_id=cid).values["status"] == "lost"


def test_search_by_name_pinyin_initials_phone_and_code(db):
    zhang = _new(db, name="张三贸易有限公司", phone="13812345678")
    _new(db, name="重庆长安物流有限公司", phone="023-61234567")
    for query in ("张三", "zs", "zhangsan", "zsmy", "138123", "KH000001", "张"):
        assert search_ids(db, CustomerFilter(text=query)) == [zhang], query
    # polyphone: 重庆 is chongqing, but zhongqing (重 as in 重要) finds it too
    assert len(search_ids(db, CustomerFilter(text="chongqing"))) == 1
    assert len(search_ids(db, CustomerFilter(text="zhongqing"))) == 1
    assert search_ids(db, CustomerFilter(text="不存在的名字")) == []


def test_filters_and_rows(db):
    dept = staff.add_department(db, name="销售一部")
    rep = staff.add_staff(db, name="王丽", department_id=dept)
    a = _new(db, name="甲公司", status="deal", region="华北", owner_id=rep, last_verified_on=date(2026, 1, 5))
    b = _new(db, name="乙公司", status="potential", region="华东")
    blacklist.add(db, user=None, actor="王丽", customer_id=b, criterion="恶意拖欠货款", reason="欠款两年未还")
    assert search_ids(db, CustomerFilter(status="deal")) == [a]
    assert search_ids(db, CustomerFilter(region="华东")) == [b]
    assert search_ids(db, CustomerFilter(owner_id=rep)) == [a]
    assert search_ids(db, CustomerFilter(blacklisted=True)) == [b]
    assert search_ids(db, CustomerFilter(reverify="overdue"), today=date(2026, 11, 25)) == [a]
    rows = fetch_rows(db, [b, a], today=date(2026, 11, 25))
    assert [r.name for r in rows] == ["乙公司", "甲公司"]
    assert rows[0].blacklisted and not rows[1].blacklisted
    assert rows[1].owner_name == "王丽" and rows[1].reverify_status == "overdue"


def test_searches_of_one_shape_each_find_their_own_customers(db):
    """The list keeps one statement per kind of search; the next search of that kind must not see the
    last one's values."""
    from app.services.customer_search import build_query

    dept = staff.add_department(db, name="销售二部")
    reps = [staff.add_staff(db, name=n, department_id=dept) for n in ("周强", "吴敏")]
    a = _new(db, name="东方机械有限公司", status="deal", region="华北", owner_id=reps[0])
    b = _new(db, name="西山纺织有限公司", status="potential", region="华东", owner_id=reps[1])
    pairs = [(CustomerFilter(status="deal"), CustomerFilter(status="potential")),
             (CustomerFilter(region="华北"), CustomerFilter(region="华东")),
             (CustomerFilter(owner_id=reps[0]), CustomerFilter(owner_id=reps[1])),
             (CustomerFilter(text="东方"), CustomerFilter(text="西山")),
             (CustomerFilter(text="东方机械"), CustomerFilter(text="西山纺织")),
             (CustomerFilter(text="dfjx"), CustomerFilter(text="xsfz"))]
    for first, second in pairs:
        assert search_ids(db, first) == [a], first
        assert search_ids(db, second) == [b], second
    both = CustomerFilter(text="有限公司", sort="name", descending=True)
    with db.read() as s:
        expected = list(s.scalars(build_query(db, both, date.today(), {})))
    assert search_ids(db, both) == expected == [b, a]


def test_sort_by_name_follows_pinyin(db):
    for name in ("张家公司", "阿里公司", "北方公司"):
        _new(db, name=name)
    rows = fetch_rows(db, search_ids(db, CustomerFilter(sort="name")))
    assert [r.name for r in rows] == ["阿里公司", "北方公司", "张家公司"]


def test_verification_clears_overdue(db):
    cid = _new(db, last_verified_on=date(2026, 1, 1))
    assert customers.get_card(db, customer_id=cid, today=date(2026, 11, 25)).reverify_status == "overdue"
    customers.mark_verified(db, actor="王丽", customer_id=cid, on=date(2026, 11, 25))
    card = customers.get_card(db, customer_id=cid, today=date(2026, 11, 25))
    assert card.reverify_status == "ok" and card.reverify_due == date(2027, 2, 25)


def test_search_keys_are_the_same_customers_as_search_ids(db):
    from app.services.customer_search import as_uuid, search_keys

    for name in ("甲方有限公司", "乙方有限公司", "丙方有限公司"):
        _new(db, name=name)
    keys = search_keys(db, CustomerFilter(sort="name"))
    assert [as_uuid(k) for k in keys] == search_ids(db, CustomerFilter(sort="name"))


def test_a_search_brings_its_first_page_in_list_order(db):
    from app.services.customer_search import PAGE, as_uuid, search_page

    for name in ("张家公司", "阿里公司", "北方公司"):
        _new(db, name=name)
    found = search_page(db, CustomerFilter(sort="name"), page=2)
    assert [as_uuid(k) for k in found.keys] == search_ids(db, CustomerFilter(sort="name"))
    assert [r.name for r in found.rows] == ["阿里公司", "北方公司"]  # only the page asked for
    assert len(search_page(db, CustomerFilter()).rows) == 3 <= PAGE
    # later pages are fetched by the keys as the search returned them, with its rules
    assert [r.name for r in fetch_rows(db, found.keys[2:], rules=found.rules)] == ["张家公司"]
    assert search_page(db, CustomerFilter(text="不存在的名字")).rows == []


def test_each_search_reads_the_current_reverification_rules(db):
    from app.services.customer_search import search_page

    today = date(2026, 11, 25)
    cid = _new(db, last_verified_on=date(2026, 6, 1))
    before = search_page(db, CustomerFilter(), today=today)
    assert before.rows[0].reverify_status == "overdue"  # every quarter by default
    settings.put(db, "reverify.interval_months", 12)
    after = search_page(db, CustomerFilter(), today=today)
    assert after.rules.interval_months == 12 and after.rows[0].reverify_status == "ok"
    assert search_page(db, CustomerFilter(reverify="due"), today=today).keys == []
    # a page fetched with the rules of a search shows them; without, the stored ones are read
    assert fetch_rows(db, [cid], today=today, rules=before.rules)[0].reverify_status == "overdue"
    assert fetch_rows(db, [cid], today=today)[0].reverify_status == "ok"


def test_a_rep_cannot_type_a_new_grade_or_stage_on_an_existing_card(db):
    from app.domain.permissions import DEFAULT_ROLES
    from app.services import staff
    from app.services.users import Principal

    def as_role(role, dept, staff_id=None):
        name, perms = DEFAULT_ROLES[role]
        return Principal(None, role, role, role, name, frozenset(perms), staff_id, dept)

    dept = staff.add_department(db, name="华东销售部")
    wang = staff.add_staff(db, name="王丽", department_id=dept)
    cid = customers.create_customer(db, actor="王丽", values={"name": "杭州恒远纺织有限公司", "status": "intent",
                                                            "department_id": str(dept), "owner_id": str(wang)})
    rep, gm = as_role("sales_rep", dept, wang), as_role("marketing_gm", dept)
    with pytest.raises(ValidationFailed) as exc:  # an A grade would give the customer A terms at once
        customers.update_customer(db, actor="王丽", customer_id=cid, values={"grade": "A", "fax": "0571-1"}, user=rep)
    assert exc.value.errors == {"grade": customers.STAGE_MESSAGES["grade"]}
    with pytest.raises(ValidationFailed) as exc:
        customers.update_customer(db, actor="王丽", customer_id=cid, values={"status": "deal"}, user=rep)
    assert "进阶" in exc.value.errors["status"]
    card = customers.get_card(db, customer_id=cid)
    assert (card.values["grade"], card.values["status"], card.values["fax"]) == ("", "intent", "")  # nothing saved
    customers.update_customer(db, actor="王丽", customer_id=cid, values={"fax": "0571-1", "status": "intent"}, user=rep)
    customers.update_customer(db, actor="邱娜", customer_id=cid, values={"grade": "B"}, user=gm)  # an override
    assert customers.get_card(db, customer_id=cid).values["grade"] == "B"
