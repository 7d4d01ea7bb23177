"""Demo data (演示数据): realistic, complete, deterministic, and usable by the rest of the app."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select
from stdnum.cn import uscc

from app.domain import size, vocab
from app.domain.search_keys import initials_variants
from app.domain.validation import validate_archive_entry, validate_customer, validate_key_person
from app.errors import ValidationFailed
from app.services import blacklist, customers, demo, demo_names
from app.services.customer_search import CustomerFilter, search_ids
from models import (
    AdvancementApplication,
    AppUser,
    ArchiveEntry,
    BlacklistEntry,
    Buyer,
    Commission,
    Complaint,
    CreditRequest,
    Customer,
    CustomerLocation,
    Department,
    Flat,
    FollowUp,
    KeyCustomerPlan,
    KeyPerson,
    KeyPersonRelation,
    Meal,
    PaymentRecord,
    Project,
    RelationEvaluation,
    SalesRecord,
    SelectionDocument,
    Staff,
    StrategyEntry,
    SyncChange,
    Tour,
    VisitArea,
    VisitPlan,
    VisitRecord,
)

TODAY = date(2026, 11, 25)
TABLES = {"用户": AppUser, "部门": Department, "员工": Staff, "客户": Customer, "关键人": KeyPerson, "关键人关系": KeyPersonRelation,
          "档案记录": ArchiveEntry, "黑名单": BlacklistEntry, "选房项目": Project, "房源": Flat,
          "委建房单位": Commission, "购房者": Buyer, "选房单据": SelectionDocument,
          "参观": Tour, "招待用餐": Meal, "投诉": Complaint,
          "客户坐标": CustomerLocation, "拜访区域": VisitArea,
          "拜访计划": VisitPlan, "拜访记录": VisitRecord, "跟进事项": FollowUp,
          "进阶申请": AdvancementApplication, "关系评估": RelationEvaluation, "重点客户计划": KeyCustomerPlan,
          "客户对策": StrategyEntry, "销售记录": SalesRecord, "回款记录": PaymentRecord,
          "信用审批": CreditRequest}


def _rows(db, model):
    with db.read() as s:
        rows = list(s.scalars(select(model)))
        s.expunge_all()  # keep the loaded values when the read session rolls back
        return rows


def _identity(db):
    with db.read() as s:
        return list(s.execute(select(Customer.code, Customer.name, Customer.phone, Customer.uscc, Customer.address,
                                     Customer.last_verified_on).order_by(Customer.code)))


def test_counts_match_the_database_and_every_card_has_owner_and_department(db):
    counts = demo.generate(db, customers=50, seed=3, today=TODAY)
    with db.read() as s:
        stored = {key: s.scalar(select(func.count()).select_from(model)) for key, model in TABLES.items()}
        owners = {sid: (dept, pos) for sid, dept, pos in s.execute(select(Staff.id, Staff.department_id,
                                                                           Staff.position))}
        cards = list(s.execute(select(Customer.owner_id, Customer.department_id)))
    assert counts == stored
    assert counts["部门"] == 6 and counts["员工"] == 30 and counts["客户"] == 50
    assert 50 <= counts["关键人"] <= 200 and 100 <= counts["档案记录"] - counts["拜访记录"] <= 300  # + visit reports
    for owner_id, department_id in cards:  # a rep owns it, and the card sits in the rep's department
        assert owners[owner_id] in {(department_id, "营销人员"), (department_id, "客户经理")}


def test_same_seed_gives_the_same_customers_and_another_seed_does_not(tmp_path):
    from app.bootstrap import open_database

    dbs = [open_database(f"sqlite:///{(tmp_path / f'{n}.sqlite3').as_posix()}") for n in range(3)]
    try:
        for db, seed in zip(dbs, (7, 7, 8), strict=True):
            demo.generate(db, customers=40, seed=seed, today=TODAY)
        first, again, other = (_identity(db) for db in dbs)
        assert first == again
        assert [r.name for r in first] != [r.name for r in other]
        assert [r.phone for r in first] != [r.phone for r in other]
    finally:
        for db in dbs:
            db.dispose()


@pytest.mark.pg
def test_same_seed_gives_the_same_customers_on_sqlite_and_postgresql(sqlite_db, pg_db):
    for db in (sqlite_db, pg_db):
        demo.generate(db, customers=30, seed=5, today=TODAY)
    assert _identity(sqlite_db) == _identity(pg_db)


def test_every_record_passes_the_apps_own_validation(db):
    demo.generate(db, customers=60, seed=11)  # today's date: validation refuses dates in the future
    cards = _rows(db, Customer)
    for c in cards:
        values = {k: getattr(c, k) for k in customers.EDITABLE}
        assert validate_customer(values) == {}, (c.name, validate_customer(values))
        assert uscc.is_valid(c.uscc)
        assert re.fullmatch(r"\d{6}", c.postcode)
        assert re.fullmatch(r"0\d{2,3}-[2-8]\d{7}|1[3-9]\d{9}", c.phone)
        assert c.size == size.classify(c.annual_revenue, c.headcount)
    assert len({c.uscc for c in cards}) == len({c.name for c in cards}) == len({c.phone for c in cards}) == 60
    for p in _rows(db, KeyPerson):
        assert validate_key_person({"name": p.name, "mobile": p.mobile, "phone": p.phone, "email": p.email,
                                    "birthday": p.birthday, "decision_role": p.decision_role}) == {}
    for e in _rows(db, ArchiveEntry):
        assert validate_archive_entry({"section": e.section, "kind": e.kind, "entry_date": e.entry_date,
                                       "subject": e.subject, "amount": e.amount}) == {}


def test_cards_look_like_chinese_companies_with_plausible_proportions(db):
    demo.generate(db, customers=200, seed=1, today=TODAY)
    cards = _rows(db, Customer)
    assert all(re.search(r"(公司|律师事务所|支行)(\(第.+\))?$", c.name) for c in cards)
    regions = {"华北", "华东", "华南", "华中", "西南", "西北", "东北"}
    assert {c.region for c in cards} <= regions and len({c.region for c in cards}) >= 5
    for c in cards:  # the address is in the card's city, and the region is that city's
        (city,) = [city for city in demo_names.CITIES if c.address.startswith(f"{city.province}{city.name}市")]
        assert re.search(r"区.+\d+号", c.address) and c.region == city.region
        assert c.phone.startswith((city.area_code + "-", "1")) and c.postcode.startswith(city.postcode)
    status = {s: sum(c.status == s for c in cards) for s in vocab.STATUS.codes()}
    assert status["potential"] + status["intent"] > status["deal"] > status["lost"] > 0
    assert all(c.lost_reason for c in cards if c.status == "lost")
    assert {c.grade for c in cards} == {"", "A", "B", "C", "D", "E"}
    assert all(c.credit_limit is None for c in cards if c.status != "deal")
    assert {c.customer_type for c in cards} > {"end_user", "dealer", "supplier"}
    assert any("月底结算期" in c.unsuitable_visit_times or "周一上午" in c.unsuitable_visit_times for c in cards)
    assert any(c.name.startswith(("重庆", "长沙")) for c in cards)  # polyphones for pinyin search


def test_key_persons_archive_and_relations_are_filled_in(db):
    demo.generate(db, customers=80, seed=2, today=TODAY)
    visits = {r.archive_entry_id for r in _rows(db, VisitRecord)}  # the demo visits' reports (demo_visits)
    persons, entries = _rows(db, KeyPerson), [e for e in _rows(db, ArchiveEntry) if e.id not in visits]
    per_customer = {}
    for p in persons:
        per_customer.setdefault(p.customer_id, []).append(p)
    assert len(per_customer) == 80 and all(1 <= len(v) <= 4 for v in per_customer.values())
    assert any(p.is_key for p in persons) and not all(p.is_key for p in persons)
    assert {p.decision_role for p in persons} <= set(vocab.DECISION_ROLE.codes())
    assert all(p.personality and p.hobbies and p.education and p.birthday for p in persons)
    relations = _rows(db, KeyPersonRelation)
    assert {"上下级"} < {r.relation for r in relations}
    archive = {}
    for e in entries:
        archive.setdefault(e.customer_id, []).append(e)
    assert len(archive) == 80 and all(2 <= len(v) <= 6 for v in archive.values())
    assert {e.section for e in entries} == set(vocab.ARCHIVE_SECTION.codes())
    contracts = [e for e in entries if e.kind == "contract"]
    assert contracts and all(e.amount > 0 and re.fullmatch(r"HT-\d{4}-\d{4,}", e.reference) for e in contracts)
    assert all(date(2023, 11, 1) <= e.entry_date <= TODAY for e in entries)


def test_some_cards_are_due_some_overdue_and_some_up_to_date_for_reverification(db):
    demo.generate(db, customers=100, seed=1, today=TODAY)
    everyone = set(search_ids(db, CustomerFilter(), today=TODAY))
    due_or_overdue = set(search_ids(db, CustomerFilter(reverify="due"), today=TODAY))
    overdue = set(search_ids(db, CustomerFilter(reverify="overdue"), today=TODAY))
    assert overdue and due_or_overdue - overdue and everyone - due_or_overdue
    assert len(everyone - due_or_overdue) > len(due_or_overdue)  # most archives are current


def test_about_one_percent_are_blacklisted_with_a_criterion(db):
    demo.generate(db, customers=200, seed=4, today=TODAY)
    listed = search_ids(db, CustomerFilter(blacklisted=True), today=TODAY)
    assert len(listed) == 2
    for cid in listed:
        (entry,) = blacklist.active_entries(db, user=None, customer_id=cid)
        assert entry.criterion in blacklist.CRITERIA and entry.reason and entry.listed_on <= TODAY


def test_demo_customers_are_found_by_pinyin_initials_and_polyphone_spellings(db):
    demo.generate(db, customers=150, seed=1, today=TODAY)
    cards = _rows(db, Customer)
    some = cards[17]
    initials = initials_variants(some.name)[0]
    assert some.id in search_ids(db, CustomerFilter(text=initials), today=TODAY)
    chongqing = [c.id for c in cards if c.name.startswith("重庆")]
    assert chongqing and set(chongqing) <= set(search_ids(db, CustomerFilter(text="chongqing"), today=TODAY))
    assert set(chongqing) <= set(search_ids(db, CustomerFilter(text="重庆"), today=TODAY))


def test_cards_created_after_the_demo_are_still_found_by_full_text_search(sqlite_db):
    demo.generate(sqlite_db, customers=20, seed=1, today=TODAY)
    cid = customers.create_customer(sqlite_db, actor="王丽", values={"name": "厦门鹭江贸易有限公司"})
    assert cid in search_ids(sqlite_db, CustomerFilter(text="xiamenlujiang"))


def test_a_second_run_continues_the_codes_and_reuses_the_staff(sqlite_db):
    demo.generate(sqlite_db, customers=30, seed=1, today=TODAY)
    counts = demo.generate(sqlite_db, customers=30, seed=1, today=TODAY)
    assert counts["部门"] == counts["员工"] == 0 and counts["客户"] == 30
    cards = _identity(sqlite_db)
    assert [r.code for r in cards] == [f"KH{n:06d}" for n in range(1, 61)]
    assert len({r.name for r in cards}) == len({r.uscc for r in cards}) == len({r.phone for r in cards}) == 60


def test_ensure_demo_fills_an_empty_database_once(sqlite_db):
    assert demo.ensure_demo(sqlite_db, customers=25) is True
    assert demo.ensure_demo(sqlite_db, customers=25) is False
    assert len(search_ids(sqlite_db, CustomerFilter())) == 25


def test_progress_is_reported_up_to_the_total(sqlite_db):
    seen = []
    demo.generate(sqlite_db, customers=2500, seed=1, today=TODAY, progress=lambda done, total: seen.append(done))
    assert seen == [1000, 2000, 2500]


def test_a_negative_count_is_refused_in_chinese(sqlite_db):
    with pytest.raises(ValidationFailed) as exc:
        demo.generate(sqlite_db, customers=-1, seed=1)
    assert "客户数量" in exc.value.errors["customers"]


def test_demo_logins_cover_every_role_and_link_to_staff(sqlite_db):
    from app.domain.permissions import DEFAULT_ROLES
    from app.services import users
    from app.services.demo_users import DEMO_PASSWORD

    counts = demo.generate(sqlite_db, customers=20, seed=2, today=TODAY)
    assert counts["用户"] == 17
    assert {u.role for u in users.list_users(sqlite_db)} == set(DEFAULT_ROLES)
    rep = users.authenticate(sqlite_db, username="rep", password=DEMO_PASSWORD)
    assert rep.role == "sales_rep" and rep.staff_id is not None and rep.department_id is not None
    assert demo.generate(sqlite_db, customers=5, seed=3, today=TODAY)["用户"] == 0  # not twice


def test_every_demo_row_reaches_the_sync_feed_and_cards_typed_in_later_do_too(db):
    demo.generate(db, customers=1200, seed=1, today=TODAY)  # two chunks
    with db.read() as s:
        feed = [(t, r) for t, r in s.execute(select(SyncChange.table_name, SyncChange.row_id).order_by(SyncChange.seq))]
        owner = dict(s.execute(select(KeyPerson.id, KeyPerson.customer_id)).all())
        for table, model in (("customer", Customer), ("key_person", KeyPerson),
                             ("key_person_relation", KeyPersonRelation), ("archive_entry", ArchiveEntry)):
            assert sorted(r for t, r in feed if t == table) == sorted(s.scalars(select(model.id)))
    seen = {r: n for n, (_t, r) in enumerate(feed)}
    assert all(seen[owner[pid]] < seen[pid] for pid in owner)  # a laptop gets each card before its people
    cid = customers.create_customer(db, actor="王丽", values={"name": "厦门鹭江贸易有限公司"})
    with db.read() as s:
        assert ("customer", cid) in s.execute(select(SyncChange.table_name, SyncChange.row_id)).all()
