"""A new card belongs to someone at once (DOMAIN §1): owner = the creator unless chosen, department = the owner's."""
from __future__ import annotations

import pytest

from app.services import customers
from app.services.customer_search import CustomerFilter, search_ids
from app.services.users import PermissionDenied
from tests.services.demo_office import logins  # noqa: F401  (fixture)


def test_a_reps_new_customer_is_theirs_and_their_managers(logins):  # noqa: F811
    db, who = logins
    rep, manager, rep2 = who["rep"], who["manager"], who["rep2"]
    cid = customers.create_customer(db, actor=rep.display_name, values={"name": "武汉江城贸易有限公司"}, user=rep)
    card = customers.get_card(db, customer_id=cid, user=rep)
    assert card.values["owner_id"] == rep.staff_id
    assert card.values["department_id"] == rep.department_id
    assert (card.owner_name, card.department_name) == ("李业务", "销售一部")
    assert cid in search_ids(db, CustomerFilter(), user=rep)
    customers.update_customer(db, actor=rep.display_name, customer_id=cid, values={"note": "首次拜访"},
                              expected_version=card.version, user=rep)
    assert cid in search_ids(db, CustomerFilter(), user=manager)
    assert customers.get_card(db, customer_id=cid, user=manager).values["note"] == "首次拜访"
    with pytest.raises(PermissionDenied):  # another department's rep still needs a loan
        customers.get_card(db, customer_id=cid, user=rep2)


def test_a_chosen_owner_brings_their_department(logins):  # noqa: F811
    db, who = logins
    manager, rep2 = who["manager"], who["rep2"]
    cid = customers.create_customer(db, actor=manager.display_name, user=manager,
                                    values={"name": "汉口北商贸有限公司", "owner_id": rep2.staff_id,
                                            "department_id": manager.department_id})
    card = customers.get_card(db, customer_id=cid, user=rep2)
    assert (card.owner_name, card.department_name) == ("赵业务", "销售二部")
    # handing the card back to the manager's rep moves the department with it
    rep = who["rep"]
    customers.update_customer(db, actor="钱总监", customer_id=cid, user=who["director"],
                              values={"owner_id": rep.staff_id}, expected_version=card.version)
    assert customers.get_card(db, customer_id=cid, user=manager).department_name == "销售一部"


def test_an_import_gives_every_card_an_owner_and_the_owners_department(logins, tmp_path):  # noqa: F811
    from openpyxl import Workbook

    from app.services import customer_import

    db, who = logins
    manager = who["manager"]
    book = Workbook()
    book.active.append(["客户名称", "客户经理"])
    book.active.append(["洪山电子有限公司", None])  # no owner named: the importer's
    book.active.append(["光谷生物有限公司", "赵业务"])  # named: that rep's, in that rep's department
    book.save(tmp_path / "in.xlsx")
    result = customer_import.import_customers(db, actor="王经理", path=tmp_path / "in.xlsx", user=manager)
    assert result.imported == 2
    cards = {customers.get_card(db, customer_id=c).values["name"]: customers.get_card(db, customer_id=c)
             for c in search_ids(db, CustomerFilter())}
    assert (cards["洪山电子有限公司"].owner_name, cards["洪山电子有限公司"].department_name) == ("王经理", "销售一部")
    assert (cards["光谷生物有限公司"].owner_name, cards["光谷生物有限公司"].department_name) == ("赵业务", "销售二部")
    assert cards["洪山电子有限公司"].id in search_ids(db, CustomerFilter(), user=manager)
