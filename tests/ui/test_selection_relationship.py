"""The ledgers window's 关系房 tab: record an approval, the paperwork list and the late payers, driven as the
desk lead would."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from openpyxl import load_workbook

from app.services.selection import relationship
from models.base import utcnow
from tests.services.selection.conftest import make_event
from ui.context import DeskContext
from ui.selection.ledger_dialog import LedgerDialog
from ui.selection.relationship_panel import ApprovalDialog
from ui.tasks import TaskRunner


def test_relationship_tab_lists_paperwork_and_late_payers_and_acts_on_them(qtbot, sqlite_db, tmp_path):
    e = make_event(sqlite_db)
    month_ago = utcnow() - timedelta(days=30)
    relationship.record_approval(
        sqlite_db, user=e.lead, flat_id=e.flats[0], commission_id=e.commission_id, beneficiary="张伟", kind="phone",
        approver="李总", handled_by="王经办", phoned_at=month_ago, average_price=Decimal("5000"),
        payment_ratio=Decimal("0.7"), pay_deadline=month_ago.date() + timedelta(days=3), now=month_ago)
    ctx = DeskContext(db=sqlite_db, actor=e.lead.display_name, tasks=TaskRunner(), user=e.lead)
    dialog = LedgerDialog(ctx, e.lead, e.commission_id)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(4)
    assert dialog.tabs.tabText(4) == "Relationship flats"
    page = dialog.relationship
    assert page.paperwork.text(0, 1) == "张伟" and page.paperwork.text(0, 6).startswith("逾期")
    assert page.late.text(0, 1) == "张伟" and page.late.text(0, 9) == "转新价格政策"
    dialog.show()
    dialog.grab().save(str(tmp_path / "relationship.png"))

    page.export_to("late", tmp_path / "逾期.xlsx")
    assert "Exported 1 rows" in page.message.text()
    assert load_workbook(tmp_path / "逾期.xlsx").active["B4"].value == "张伟"

    page.complete(page.paperwork.item(0), "GF-2026-040", "李总")
    assert page.paperwork.rowCount() == 0 and "GF-2026-040" in page.late.text(0, 2)
    page.lapse(page.late.item(0))
    assert page.late.rowCount() == 0 and "normal price list" in page.message.text()


def test_record_dialog_refuses_in_place_and_records(qtbot, sqlite_db):
    e = make_event(sqlite_db)
    ctx = DeskContext(db=sqlite_db, actor=e.lead.display_name, tasks=TaskRunner(), user=e.lead)
    dialog = ApprovalDialog(ctx, e.lead, e.commission_id)
    qtbot.addWidget(dialog)
    f = dialog.fields
    f["kind"].editor.setCurrentIndex(1)  # the GM's phone approval
    assert f["handled_by"].isVisibleTo(dialog) and not f["approval_no"].isVisibleTo(dialog)
    f["average_price"].editor.setText("5,800")
    f["payment_ratio"].editor.setText("70%")
    dialog.record()
    assert "请填写购房人" in f["beneficiary"].error.text() and "经办人" in f["handled_by"].error.text()
    f["beneficiary"].editor.setText("王芳")
    f["approver"].editor.setText("李总")
    f["handled_by"].editor.setText("王经办")
    dialog.record()
    assert dialog.result() == dialog.DialogCode.Accepted
    (row,) = relationship.approvals(sqlite_db, user=e.lead, commission_id=e.commission_id)
    assert (row.beneficiary, row.average_price, row.payment_ratio) == ("王芳", Decimal("5800.00"), Decimal("0.7"))
