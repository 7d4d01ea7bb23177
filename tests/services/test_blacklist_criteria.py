"""The blacklist's admission and elimination criteria are settings (DOMAIN §2); a blacklisted customer is
flagged in the list and on the card."""
from __future__ import annotations

import pytest

from app import settings
from app.errors import ValidationFailed
from app.services import blacklist, customers
from app.services.customer_search import CustomerFilter, search_page
from tests.services.demo_office import logins  # noqa: F401  (fixture)


def test_criteria_come_from_the_settings_and_removal_names_one(logins):  # noqa: F811
    db, who = logins
    manager = who["manager"]
    cid = customers.create_customer(db, actor="王经理", user=manager, values={"name": "蔡甸欠款贸易有限公司"})
    assert blacklist.criteria(db)[0] == "恶意拖欠货款"
    settings.put(db, "blacklist.criteria", "恶意拖欠货款;商业贿赂")
    settings.put(db, "blacklist.removal_criteria", "欠款已全部结清;申诉成立")
    with pytest.raises(ValidationFailed) as exc:  # no longer among the criteria
        blacklist.add(db, actor="王经理", customer_id=cid, criterion="严重违约", reason="多次违约", user=manager)
    assert "不是设置中的列入标准" in exc.value.errors["criterion"]
    blacklist.add(db, actor="王经理", customer_id=cid, criterion="商业贿赂", reason="向我方员工行贿", user=manager)

    [row] = search_page(db, CustomerFilter(text="蔡甸"), user=manager).rows
    assert row.blacklisted
    card = customers.get_card(db, customer_id=cid, user=manager)
    assert [e.criterion for e in card.blacklist] == ["商业贿赂"]

    with pytest.raises(ValidationFailed) as exc:
        blacklist.remove(db, actor="王经理", customer_id=cid, reason="已整改", user=manager)
    assert exc.value.errors == {"removal_criterion": "请选择移出黑名单的标准"}
    blacklist.remove(db, actor="王经理", customer_id=cid, criterion="申诉成立", reason="经核实系误会", user=manager)
    [entry] = blacklist.entries(db, customer_id=cid, user=manager)
    assert (entry.removal_criterion, entry.removal_reason) == ("申诉成立", "经核实系误会")
    assert not search_page(db, CustomerFilter(text="蔡甸"), user=manager).rows[0].blacklisted


def test_creating_a_blacklisted_company_again_shows_the_flag(logins):  # noqa: F811
    from app.errors import DuplicateFound

    db, who = logins
    manager, front = who["manager"], who["front"]
    cid = customers.create_customer(db, actor="王经理", user=manager,
                                    values={"name": "汉正街批发有限公司", "phone": "027-85851234"})
    blacklist.add(db, actor="王经理", customer_id=cid, criterion="恶意拖欠货款", reason="欠款两年", user=manager)
    with pytest.raises(DuplicateFound) as exc:  # typed again in traditional characters, phone without the dash
        customers.create_customer(db, actor="吴前台", user=front,
                                  values={"name": "漢正街批發有限公司", "phone": "02785851234"})
    [candidate] = exc.value.candidates
    assert candidate.id == cid and candidate.blacklisted
