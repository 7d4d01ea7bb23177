"""The demo house-selection event (演示选房活动): deterministic, every grid colour, a verifiable draw, a ledger."""
from collections import Counter
from decimal import Decimal

from sqlalchemy import select

from app.domain.buyers import id_problem
from app.domain.unit_status import COLOURS
from app.services import demo
from app.services.demo_selection import BUYERS, CODE, generate_event
from app.services.selection import buyers, desk, documents, draw, grid
from app.services.users import system_principal
from models import Customer, Flat, Project

USER = system_principal()


def _picture(db, event) -> dict:
    """What a user sees, without row ids or times."""
    cells = grid.sales_control(db, user=USER, project_id=event.project_id, commission_id=event.commission_id)
    return {"grid": [(c.label, c.unit_type, c.area, c.price_per_m2, c.status, c.buyer, c.ticket_number)
                     for c in cells],
            "buyers": [(b.list_no, b.name, b.id_number, b.eligible, b.draw_order, b.audit_flag)
                       for b in buyers.buyers_of(db, commission_id=event.commission_id)],
            "ledger": [(r.kind, r.number, r.buyer, r.flat, r.purpose, r.amount, r.reverses, r.reviewed_by)
                       for r in desk.ledger(db, user=USER, commission_id=event.commission_id)]}


def test_the_same_seed_gives_the_same_event_and_another_seed_does_not(sqlite_db, pg_db):
    first, again = generate_event(sqlite_db, seed=3), generate_event(pg_db, seed=3)
    assert _picture(sqlite_db, first) == _picture(pg_db, again)
    assert first.counts == again.counts
    assert generate_event(sqlite_db, seed=3) is None  # once per database


def test_another_seed_gives_other_names_and_flats(sqlite_db, tmp_path):
    from app.bootstrap import open_database

    other_db = open_database(f"sqlite:///{(tmp_path / 'other.sqlite3').as_posix()}")
    try:
        a, b = _picture(sqlite_db, generate_event(sqlite_db, seed=1)), _picture(other_db, generate_event(other_db, seed=2))
        assert [x[1] for x in a["buyers"]] != [x[1] for x in b["buyers"]]
        assert [x[:3] for x in a["grid"]] != [x[:3] for x in b["grid"]]
    finally:
        other_db.dispose()


def test_the_grid_shows_every_status_with_realistic_flats(db):
    event = generate_event(db, seed=1)
    cells = grid.sales_control(db, user=USER, project_id=event.project_id, commission_id=event.commission_id)
    statuses = Counter(c.status for c in cells)
    assert set(statuses) == set(COLOURS)  # every colour of the legend is on the table
    assert statuses["released"] > 0.7 * len(cells) and statuses["relationship"] == 2
    assert statuses["certified"] == 1 and statuses["paid"] >= 1 and statuses["chosen"] >= 1
    assert 3 <= len({c.building for c in cells}) <= 4 and {c.entrance for c in cells} == {"1", "2"}
    assert all(Decimal("68") <= c.area <= Decimal("143") and c.unit_type for c in cells)
    assert all(11 <= max(c.floor for c in cells if c.building == b) <= 18 for b in {c.building for c in cells})
    taken = [c for c in cells if c.status in ("chosen", "paid", "certified")]
    assert all(c.buyer and c.ticket_number.startswith(f"{CODE}-XP-") for c in taken)
    ours = [c for c in cells if c.status in ("released", "relationship")]
    assert all(c.price_per_m2 for c in ours)
    with db.read() as s:
        notes = set(s.scalars(select(Flat.relationship_note).where(Flat.relationship_note != "")))
    assert len(notes) == 2 and all("审批" in n for n in notes)  # each relationship flat names its approval


def test_buyers_have_valid_ids_two_audit_flags_and_refusals(db):
    event = generate_event(db, seed=1)
    listed = buyers.buyers_of(db, commission_id=event.commission_id)
    assert len(listed) == BUYERS + 1
    assert all(id_problem(b.id_number) is None for b in listed)
    flagged = [b for b in listed if b.audit_flag]
    assert any("不同的身份证号" in b.audit_flag for b in flagged) and any("同时出现在" in b.audit_flag for b in flagged)
    refused = [b for b in listed if b.eligible is False]
    assert len(refused) == 2 and all(b.draw_order is None for b in refused)
    assert all(b.eligible and b.draw_order for b in listed if b not in refused)


def test_the_draw_verifies_and_the_ledger_holds_every_kind_of_document(db):
    event = generate_event(db, seed=1)
    assert draw.verify_draw(db, commission_id=event.commission_id).ok
    rows = desk.ledger(db, user=USER, commission_id=event.commission_id)
    assert len(rows) == event.counts["选房单据"]
    assert {r.kind for r in rows} == {"ticket", "receipt", "certificate"}
    (red,) = [r for r in rows if r.reverses]
    assert red.kind == "ticket" and red.amount < 0
    (cert,) = [r for r in rows if r.kind == "certificate"]
    assert cert.reviewed_by and cert.reviewed_by != cert.issued_by
    with db.read() as s:
        project = s.scalar(select(Project.id).where(Project.code == CODE))
        for kind in ("ticket", "receipt", "certificate"):  # numbers gapless, hash chains intact
            assert documents.verify_chain(s, kind=kind, project_id=project, year=rows[0].issued_at.year) == []


def test_demo_generate_includes_the_event_linked_to_a_demo_customer(sqlite_db):
    counts = demo.generate(sqlite_db, customers=30, seed=2)
    assert counts["选房项目"] == 1 and counts["房源"] > 100 and counts["选房单据"] > 10
    (first, second) = sorted(desk.events(sqlite_db, user=USER), key=lambda e: e.commission == "市规划和自然资源局")
    with sqlite_db.read() as s:
        linked = s.scalar(select(Customer.name).join(
            Project, Project.id == first.project_id).where(Customer.name == first.commission))
    assert linked == first.commission
    assert demo.generate(sqlite_db, customers=5, seed=2)["选房项目"] == 0  # not twice


def test_the_relationship_page_has_a_row_in_each_list(sqlite_db):
    """One 关系房 on a paper approval; the other on a GM's phone call whose paperwork and payment are late."""
    from app.services.selection import relationship

    made = generate_event(sqlite_db, seed=1)
    lead = system_principal("王建军")
    approvals = relationship.approvals(sqlite_db, user=lead, commission_id=made.commission_id)
    assert sorted(a.kind for a in approvals) == ["paper", "phone"]
    assert [r.kind for r in relationship.paperwork_list(sqlite_db, user=lead, commission_id=made.commission_id)] \
        == ["phone"]
    assert len(relationship.late_payers(sqlite_db, user=lead, commission_id=made.commission_id)) == 1


def test_the_demo_event_audits_clean(db):
    from app.services.selection.event_audit import audit_project

    event = generate_event(db, seed=5)
    assert audit_project(db, project_id=event.project_id) == []
