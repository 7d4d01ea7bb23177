"""关系房审批: recorded on paper or by the GM's phone call, sold at the approved price and ratio, paperwork due
in working days, late payers back on the normal price list."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.services import selection as sel
from app.services.selection import grid, relationship, reports, stock
from app.services.selection.errors import FlatTaken, NotPermitted, RuleBroken
from models import AuditRecord, Flat
from tests.services.selection.conftest import make_event, person

# Friday 2026-12-04 10:00 in Beijing
FRIDAY = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 22, 2, 0, tzinfo=UTC)  # after the deadline below


def _phone(db, e, flat, *, beneficiary="张伟", handled_by="王经办", deadline=date(2026, 12, 20), now=FRIDAY):
    return relationship.record_approval(
        db, user=e.lead, flat_id=flat, commission_id=e.commission_id, beneficiary=beneficiary, kind="phone",
        approver="李总", handled_by=handled_by, phoned_at=now, average_price=Decimal("5000"),
        payment_ratio=Decimal("0.7"), pay_deadline=deadline, now=now)


def _paper(db, e, flat, *, beneficiary="张伟", deadline=date(2026, 12, 20), now=FRIDAY):
    return relationship.record_approval(
        db, user=e.lead, flat_id=flat, commission_id=e.commission_id, beneficiary=beneficiary, kind="paper",
        approval_no="GF-2026-031", approver="李总", average_price=Decimal("5000"), payment_ratio=Decimal("0.7"),
        pay_deadline=deadline, now=now)


def test_a_phone_approval_on_friday_is_due_five_working_days_later_over_the_weekend(db):
    e = make_event(db)
    rid = _phone(db, e, e.flats[0])
    (row,) = relationship.paperwork_list(db, user=e.lead, commission_id=e.commission_id, now=FRIDAY)
    assert row.id == rid and row.paperwork_due == date(2026, 12, 11)  # Mon–Fri of the next week
    assert row.paperwork_state == "还有 7 天" and row.basis == "总经理电话审批(待补书面手续)"
    (late,) = relationship.paperwork_list(db, user=e.lead, commission_id=e.commission_id,
                                          now=datetime(2026, 12, 14, 2, 0, tzinfo=UTC))
    assert late.paperwork_state == "逾期 3 天"


def test_the_paperwork_days_and_rest_days_are_settings(db):
    from app import settings

    settings.put(db, "selection.relationship_paperwork_days", 2)
    settings.put(db, "workdays.rest_days", "2026-12-07 调休")
    e = make_event(db)
    _phone(db, e, e.flats[0])
    (row,) = relationship.paperwork_list(db, user=e.lead, commission_id=e.commission_id, now=FRIDAY)
    assert row.paperwork_due == date(2026, 12, 9)  # Sat, Sun and the rest day Monday skipped


def test_completing_the_paperwork_takes_the_approval_off_the_list_and_is_audited(db):
    e = make_event(db)
    rid = _phone(db, e, e.flats[0])
    relationship.complete_paperwork(db, user=e.lead, approval_id=rid, paper_no="GF-2026-040", paper_approver="李总")
    assert relationship.paperwork_list(db, user=e.lead, commission_id=e.commission_id, now=FRIDAY) == []
    (row,) = relationship.approvals(db, user=e.lead, commission_id=e.commission_id, now=FRIDAY)
    assert row.basis == "电话审批,已补书面审批 GF-2026-040"
    with pytest.raises(RuleBroken, match="已补办书面审批 GF-2026-040"):
        relationship.complete_paperwork(db, user=e.lead, approval_id=rid, paper_no="X", paper_approver="李总")
    with db.read() as s:
        actions = set(s.scalars(select(AuditRecord.action).where(AuditRecord.entity_id == rid)))
    assert actions == {"create", "done"}


def test_recording_needs_the_permission_and_the_facts(db):
    e = make_event(db)
    with pytest.raises(NotPermitted):
        relationship.record_approval(db, user=e.desk, flat_id=e.flats[0], commission_id=e.commission_id,
                                     beneficiary="张伟", kind="paper", approval_no="1", approver="李总",
                                     average_price=Decimal("5000"), payment_ratio=Decimal("0.7"),
                                     pay_deadline=date(2026, 12, 20))
    with pytest.raises(ValidationFailed) as refused:
        relationship.record_approval(db, user=person("大客户部", "selection.relationship"), flat_id=e.flats[0],
                                     commission_id=e.commission_id, beneficiary="张伟", kind="phone",
                                     average_price=Decimal("0"), payment_ratio=Decimal("1.5"), pay_deadline=None)
    assert set(refused.value.errors) == {"approver", "handled_by", "average_price", "payment_ratio", "pay_deadline"}


def test_one_active_approval_per_flat_and_a_correction_is_withdrawal_and_new_record(db):
    e = make_event(db)
    rid = _paper(db, e, e.flats[0])
    with pytest.raises(RuleBroken, match="已有有效的关系房审批"):
        _paper(db, e, e.flats[0])
    relationship.withdraw(db, user=e.lead, approval_id=rid, reason="均价填错,重新登记")
    with pytest.raises(RuleBroken, match="没有有效的关系房审批"):  # still a relationship flat: not sold
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.7"), now=FRIDAY)
    _paper(db, e, e.flats[0])
    (row,) = relationship.approvals(db, user=e.lead, commission_id=e.commission_id, now=FRIDAY)
    assert row.id != rid
    assert [r.state_label for r in relationship.approvals(db, user=e.lead, commission_id=e.commission_id,
                                                          include_ended=True, now=FRIDAY)] == ["已撤销", "有效"]


def test_a_flat_of_another_unit_or_already_sold_cannot_become_a_relationship_flat(db):
    e = make_event(db)
    sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1], flat_id=e.flats[1],
                     payment_ratio=Decimal("0.5"))
    with pytest.raises(FlatTaken, match="已被选或已售"):
        _paper(db, e, e.flats[1])


def test_the_ticket_takes_the_approved_price_and_needs_the_approved_ratio(db):
    e = make_event(db)
    _paper(db, e, e.flats[0])
    cells = {c.id: c for c in grid.sales_control(db, user=e.lead, project_id=e.project_id,
                                                 commission_id=e.commission_id)}
    assert cells[e.flats[0]].status == "relationship" and cells[e.flats[0]].price_per_m2 == Decimal("5000")
    with pytest.raises(RuleBroken) as low:
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"), now=FRIDAY)
    assert "审批的交款比例为 70%" in low.value.message and "本票付款比例 50%" in low.value.message
    with pytest.raises(RuleBroken, match="审批给 张伟,不能售给 王芳"):
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.7"), now=FRIDAY)
    ticket = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                              flat_id=e.flats[0], payment_ratio=Decimal("0.7"), now=FRIDAY)
    assert Decimal(ticket.content["price_per_m2"]) == Decimal("5000")
    assert ticket.amount == Decimal("492500.00")  # 98.5 m² × 5,000 — not the list price 5,900
    sel.record_receipt(db, user=e.cashier, ticket_id=ticket.id, amount=Decimal("344750"), purpose="payment")
    cert = sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=ticket.id)
    assert Decimal(cert.content["price_per_m2"]) == Decimal("5000")
    assert relationship.late_payers(db, user=e.lead, commission_id=e.commission_id, now=LATER) == []


def test_a_relationship_flat_released_with_only_a_note_is_not_sold(db):
    e = make_event(db)
    with db.write() as s:  # as release_flats(relationship_note=…) or a database from before 0019 leaves it
        s.get(Flat, e.flats[2]).relationship_note = "关系房,见总经理办公会纪要"
    with pytest.raises(RuleBroken) as refused:
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[2],
                         payment_ratio=Decimal("1"))
    assert "是关系房,但没有有效的关系房审批" in refused.value.message
    assert "chosen" not in {c.status for c in grid.sales_control(db, user=e.lead, project_id=e.project_id)}


def test_a_late_payer_moves_to_the_new_price_policy(db):
    e = make_event(db)
    rid = _phone(db, e, e.flats[0])
    _paper(db, e, e.flats[3], beneficiary="王芳", deadline=date(2026, 12, 10))  # never ticketed
    ticket = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                              flat_id=e.flats[0], payment_ratio=Decimal("0.7"), now=FRIDAY)
    sel.record_receipt(db, user=e.cashier, ticket_id=ticket.id, amount=Decimal("20000"), purpose="deposit")
    assert relationship.late_payers(db, user=e.lead, commission_id=e.commission_id, now=FRIDAY) == []
    with pytest.raises(RuleBroken, match="交款期限 2026-12-20 未到"):
        relationship.apply_new_price_policy(db, user=e.lead, approval_id=rid, now=FRIDAY)
    late = relationship.late_payers(db, user=e.lead, commission_id=e.commission_id, now=LATER)
    assert [(r.beneficiary, r.ticket_number, r.required, r.paid, r.state_label) for r in late] == [
        ("王芳", "", None, Decimal("0.00"), "转新价格政策"),
        ("张伟", ticket.number, Decimal("344750.00"), Decimal("20000.00"), "转新价格政策")]
    with pytest.raises(RuleBroken, match="交款期限 2026-12-20 已过,不能再按审批均价"):  # not sold at 5,000 any more
        sel.swap_flat(db, user=e.site_lead, ticket_id=ticket.id, new_flat_id=e.flats[0], reason="x", now=LATER)

    new = relationship.apply_new_price_policy(db, user=e.lead, approval_id=rid, now=LATER)
    assert Decimal(new.content["price_per_m2"]) == Decimal("5900")  # the normal price list
    assert new.amount == Decimal("581150.00") and new.content["buyer"] == "张伟"
    assert "转新价格政策" in new.content["new_price_policy"]
    rows = reports.ledger(db, user=e.lead, commission_id=e.commission_id)
    assert [r.reversal_of for r in rows if r.kind == "选房工作票"] == ["", ticket.number, ""]
    cells = {c.id: c for c in grid.sales_control(db, user=e.lead, project_id=e.project_id,
                                                 commission_id=e.commission_id)}
    assert cells[e.flats[0]].status == "chosen" and cells[e.flats[0]].price_per_m2 == Decimal("5900")
    assert [r.beneficiary for r in relationship.late_payers(db, user=e.lead, commission_id=e.commission_id,
                                                            now=LATER)] == ["王芳"]
    with pytest.raises(RuleBroken, match="已转新价格政策"):
        relationship.apply_new_price_policy(db, user=e.lead, approval_id=rid, now=LATER)


def test_a_handler_with_overdue_paperwork_gets_no_more_flats(db):
    e = make_event(db)
    _phone(db, e, e.flats[0])  # due 2026-12-11
    later = datetime(2026, 12, 14, 2, 0, tzinfo=UTC)
    with pytest.raises(RuleBroken) as refused:
        _phone(db, e, e.flats[1], beneficiary="王芳", now=later)
    assert "经办人 王经办" in refused.value.message and "2026-12-11 已过仍未补齐" in refused.value.message
    _phone(db, e, e.flats[1], beneficiary="王芳", handled_by="赵经办", now=later)  # another handler may


def test_the_lists_export_to_excel(db, tmp_path):
    from openpyxl import load_workbook

    e = make_event(db)
    _phone(db, e, e.flats[0])
    n = relationship.export(db, user=e.lead, commission_id=e.commission_id, what="paperwork",
                            path=tmp_path / "补办.xlsx", now=FRIDAY)
    sheet = load_workbook(tmp_path / "补办.xlsx").active
    assert n == 1 and sheet["A1"].value == "关系房补办书面手续清单" and sheet["B4"].value == "张伟"
    assert sheet["F4"].value == "2026-12-11"
    assert relationship.export(db, user=e.lead, commission_id=e.commission_id, what="late",
                               path=tmp_path / "逾期.xlsx", now=LATER) == 1
    with pytest.raises(ValidationFailed):
        relationship.export(db, user=e.lead, commission_id=e.commission_id, what="late", path=tmp_path / "x.pdf")


def test_release_with_a_note_still_colours_the_flat(db):
    e = make_event(db, flats=2)
    pid = e.project_id
    stock.add_flats(db, user=e.lead, project_id=pid, rows=[stock.FlatRow("9号楼", "1", 3, "301", Decimal("90"))])
    with db.read() as s:
        new = s.scalar(select(Flat.id).where(Flat.building == "9号楼"))
    stock.release_flats(db, user=e.lead, commission_id=e.commission_id, flat_ids=[new], relationship_note="纸质审批")
    cells = {c.id: c.status for c in grid.sales_control(db, user=e.lead, project_id=pid,
                                                        commission_id=e.commission_id)}
    assert cells[new] == "relationship"


def test_the_approved_ratio_governs_even_below_the_units_minimum(db):
    e = make_event(db)
    relationship.record_approval(db, user=e.lead, flat_id=e.flats[0], commission_id=e.commission_id,
                                 beneficiary="张伟", kind="paper", approval_no="GF-7", approver="李总",
                                 average_price=Decimal("5000"), payment_ratio=Decimal("0.3"),
                                 pay_deadline=date(2026, 12, 20), now=FRIDAY)
    ticket = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                              flat_id=e.flats[0], payment_ratio=Decimal("0.3"), now=FRIDAY)
    assert Decimal(ticket.content["amount_now"]) == Decimal("147750.00")
    with pytest.raises(RuleBroken, match="低于规定的 50%"):  # an ordinary flat still needs the unit's minimum
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1], flat_id=e.flats[1],
                         payment_ratio=Decimal("0.3"), now=FRIDAY)
