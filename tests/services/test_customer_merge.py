"""Merging two cards of one company (合并): every row that points at a customer follows — the foreign keys
are enumerated from the models' metadata, so a table added later cannot be forgotten — and the duplicate
scan over the whole database proposes the pairs."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.services import customer_merge, customers, demo, users
from app.services.customer_search import CustomerFilter, search_ids
from app.services.demo_users import DEMO_PASSWORD
from models import Base

TODAY = date(2026, 12, 7)


def _references(s, cid) -> dict[str, int]:
    return {f"{t.name}.{c}": s.scalar(select(func.count()).select_from(t).where(t.c[c] == cid))
            for t, c in customer_merge.customer_references()}


def test_every_foreign_key_to_customer_is_known():
    found = {(t.name, c) for t in Base.metadata.sorted_tables for fk in t.foreign_keys
             if fk.column.table.name == "customer" for c in [fk.parent.name]}
    assert {(t.name, c) for t, c in customer_merge.customer_references()} == found
    assert set(customer_merge.SPECIAL) <= found  # an exception names a real key
    # the tables a merge must carry (JOURNEYS: every sale, payment, plan, contact and complaint follows)
    assert {"sales_record", "payment_record", "visit_plan", "visit_follow_up", "complaint", "key_person",
            "archive_entry", "blacklist_entry"} <= {t for t, _c in found}


def test_a_managers_merge_moves_every_row_of_the_demo(db):
    demo.generate(db, customers=60, seed=4, today=TODAY)
    manager = users.authenticate(db, username="manager", password=DEMO_PASSWORD)
    mine = search_ids(db, CustomerFilter(), user=manager)
    with db.read() as s:
        weight = {cid: sum(n for k, n in _references(s, cid).items()
                           if tuple(k.split(".")) not in customer_merge.SPECIAL) for cid in mine}
    gone, keep = sorted(mine, key=lambda c: -weight[c])[:2]
    with db.read() as s:
        before_gone, before_keep = _references(s, gone), _references(s, keep)
    assert sum(before_gone.values()) >= 10  # a card with history: sales, payments, plans …
    customers.merge_customers(db, actor=manager.display_name, keep_id=keep, merge_id=gone, user=manager)
    with db.read() as s:
        after_gone, after_keep = _references(s, gone), _references(s, keep)
    for key, count in before_gone.items():
        if tuple(key.split(".")) in customer_merge.SPECIAL:
            continue
        assert after_gone[key] == 0, key
        table = Base.metadata.tables[key.split(".")[0]]
        if customer_merge._unique_partners(table, key.split(".")[1]):  # one per year/quarter: the kept row stands
            assert before_keep[key] <= after_keep[key] <= before_keep[key] + count, key
        elif key == "customer.merged_into_id":  # the merged card itself now points at the kept one
            assert after_keep[key] == before_keep[key] + count + 1
        else:
            assert after_keep[key] == before_keep[key] + count, key
    assert gone not in search_ids(db, CustomerFilter(), user=manager)


@pytest.mark.parametrize("a, b", [({"phone": "027-75807524"}, {"phone": "02775807524"}),
                                  ({"phone": "０２７－７５８０７５２４"}, {"phone": "027 7580 7524"}),
                                  ({"name": "武汉張三貿易有限公司"}, {"name": "武汉张三贸易有限公司"}),
                                  ({"uscc": "91110000600037341L"}, {"uscc": "91110000600037341l"})])
def test_the_duplicate_scan_proposes_pairs_across_the_database(db, a, b):
    from tests.services.demo_office import build

    who = build(db)
    manager = who["manager"]
    first = customers.create_customer(db, actor="王经理", user=manager, values={"name": "甲公司", **a})
    other = {"name": "乙公司", **b}
    if "uscc" in b:  # the same USCC cannot be stored twice: the scan meets an older typing
        other["uscc"] = None
    second = customers.create_customer(db, actor="王经理", user=manager, values=other, allow_duplicate=True)
    customers.create_customer(db, actor="王经理", user=manager, values={"name": "丙公司", "phone": "027-1"})
    pairs = customer_merge.duplicate_pairs(db, user=manager)
    if "uscc" in b:
        assert pairs == []
        return
    assert [(p.first_id, p.second_id) for p in pairs] == [(first, second)]
    assert pairs[0].reason in ("电话相同", "同名")
    customers.merge_customers(db, actor="王经理", keep_id=first, merge_id=second, user=manager)
    assert customer_merge.duplicate_pairs(db, user=manager) == []


@pytest.mark.parametrize("stored, typed", [({"phone": "027-75807524"}, {"phone": "０２７７５８０７５２４"}),
                                           ({"name": "武汉張三貿易有限公司"}, {"name": "武汉张三贸易有限公司"}),
                                           ({"name": "武汉张三贸易有限公司"}, {"name": "武汉張三貿易有限公司"})])
def test_creating_a_card_meets_its_variant_duplicates(db, stored, typed):
    from app.errors import DuplicateFound

    first = customers.create_customer(db, actor="前台", values={"name": "某公司", **stored})
    with pytest.raises(DuplicateFound) as exc:
        customers.create_customer(db, actor="前台", values={"name": "另一家公司", **typed})
    assert [c.id for c in exc.value.candidates] == [first]
