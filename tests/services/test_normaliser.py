"""One normaliser at the service boundary (NFKC, simplified for matching): what the front desk types in
full-width mode, what an import brings and what is searched meet the same stored text."""
from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from app.domain import normalise as nz
from app.services import customer_import, customers
from app.services.customer_search import CustomerFilter, search_ids
from tests.services.demo_office import logins  # noqa: F401  (fixture)

FULL_WIDTH_USCC = "９１１１００００６０００３７３４１Ｌ"  # 91110000600037341L typed in full-width mode


@pytest.mark.parametrize("typed, stored", [("０２７－７５８０７５２４", "027-75807524"), ("ＡＢＣ　１２３", "ABC 123"),
                                           ("１，２３４", "1,234"), ("￥５００万", "¥500万")])
def test_nfkc_folds_full_width(typed, stored):
    assert nz.text(typed) == stored


def test_a_full_width_card_is_stored_folded_and_found(logins):  # noqa: F811
    db, who = logins
    front = who["front"]
    cid = customers.create_customer(db, actor=front.display_name, user=front, values={
        "name": "武汉光谷科技有限公司", "phone": "０２７－７５８０７５２４", "postcode": "４３００７４",
        "uscc": FULL_WIDTH_USCC, "registered_capital": "￥500万"})
    card = customers.get_card(db, customer_id=cid)
    assert (card.values["phone"], card.values["postcode"], card.values["uscc"]) == (
        "027-75807524", "430074", "91110000600037341L")
    assert card.values["registered_capital"] == Decimal("5000000.00")
    for query in ("02775807524", "０２７７５８０７５２４", "027-7580", "光谷"):
        assert search_ids(db, CustomerFilter(text=query)) == [cid], query


@pytest.mark.parametrize("typed, amount", [("￥500万", "5000000"), ("1，234", "1234"), ("500万元整", "5000000"),
                                           ("１２３４．５", "1234.5"), ("人民币伍佰万元整", "5000000")])
def test_the_card_and_the_import_accept_the_same_amounts(db, tmp_path, typed, amount):
    cid = customers.create_customer(db, actor="前台", values={"name": "金额测试公司", "registered_capital": typed})
    assert customers.get_card(db, customer_id=cid).values["registered_capital"] == Decimal(amount)
    book = Workbook()
    book.active.append(["客户名称", "注册资本"])
    book.active.append(["导入金额测试公司", typed])
    book.save(tmp_path / "in.xlsx")
    result = customer_import.import_customers(db, actor="周档案", path=tmp_path / "in.xlsx")
    assert result.imported == 1 and not result.rejected
    [imported] = search_ids(db, CustomerFilter(text="导入金额"))
    assert customers.get_card(db, customer_id=imported).values["registered_capital"] == Decimal(amount)


def test_search_meets_simplified_and_traditional_names(db):
    trad = customers.create_customer(db, actor="前台", values={"name": "張三貿易有限公司"})
    simp = customers.create_customer(db, actor="前台", values={"name": "李四贸易有限公司"})
    assert search_ids(db, CustomerFilter(text="张三")) == [trad]
    assert search_ids(db, CustomerFilter(text="張三貿易")) == [trad]
    assert search_ids(db, CustomerFilter(text="李四貿易")) == [simp]  # typed traditional, stored simplified
    assert search_ids(db, CustomerFilter(text="zsmy")) == [trad]  # pinyin initials of the traditional name
