"""The ledger dialog and the rename dialog, driven as the desk lead would."""
from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from app.services import selection as sel
from tests.services.selection.conftest import make_event
from ui.context import DeskContext
from ui.selection.ledger_dialog import LedgerDialog
from ui.selection.rename_dialog import RenameDialog
from ui.tasks import TaskRunner

OUTSIDER = "11010119900307117X"


def _desk(db):
    e = make_event(db)
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"))
    sel.record_receipt(db, user=e.cashier, ticket_id=t.id, amount=Decimal("20000"), purpose="deposit")
    return e, t, DeskContext(db=db, actor=e.lead.display_name, tasks=TaskRunner(), user=e.lead)


def test_ledger_dialog_shows_the_four_lists_and_exports(qtbot, sqlite_db, tmp_path):
    e, t, ctx = _desk(sqlite_db)
    dialog = LedgerDialog(ctx, e.lead, e.commission_id)
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i) for i in range(4)] == ["Ledger", "Selection list", "Daily reconciliation", "Late list"]  # English source text in tests
    assert [dialog.ledger.text(r, 2) for r in range(2)] == [t.number, t.number.replace("-XP-", "-SJ-")]
    assert dialog.selection.text(0, 1) == "张伟" and dialog.selection.text(0, 7) == "20,000.00"
    assert dialog.differences.text(0, 5) == "少收"  # 290,575 due, only the deposit paid today
    assert "20,000.00" in dialog.totals.text()
    dialog.tabs.setCurrentIndex(3)
    assert not dialog.excel.isEnabled()
    dialog.tabs.setCurrentIndex(1)
    dialog.export_to("selection", tmp_path / "明细.xlsx")
    assert "Exported 1 rows" in dialog.message.text()
    assert load_workbook(tmp_path / "明细.xlsx").active["B4"].value == "张伟"
    dialog.export_to("ledger", tmp_path / "台帐.txt")
    assert "只能导出为 Excel" in dialog.message.text()
    dialog.grab().save(str(tmp_path / "ledger.png"))


def test_rename_dialog_shows_the_fee_and_refuses_in_place(qtbot, sqlite_db, tmp_path):
    e, t, ctx = _desk(sqlite_db)
    dialog = RenameDialog(ctx, e.lead, t.id)
    qtbot.addWidget(dialog)
    dialog.fields["new_id_number"].editor.setText(OUTSIDER)
    dialog.show_fee()
    assert "请填写新购房人姓名" in dialog.fields["new_name"].error.text()
    dialog.fields["new_name"].editor.setText("陈静")
    dialog.fields["market_price_total"].editor.setText(f"{t.amount + 100000:,.2f}")
    dialog.fields["reason"].editor.setText("转让")
    dialog.show_fee()
    assert "Rename fee 50,000.00 yuan" in dialog.fee.text() and "outside the list" in dialog.fee.text()
    dialog.do_rename()
    assert "须先收取更名费 50,000.00 元" in dialog.message.text()
    assert dialog.fields["new_name"].value() == "陈静"  # what was typed stays
    dialog.grab().save(str(tmp_path / "rename.png"))
    sel.record_receipt(sqlite_db, user=e.cashier, ticket_id=t.id, amount=Decimal("50000"), purpose="rename_fee")
    dialog.do_rename()
    red, new = dialog.result_docs
    assert new.content["buyer"] == "陈静" and dialog.result() == dialog.DialogCode.Accepted


def test_the_cashier_types_the_bank_balance_and_prints_the_reconciliation(qtbot, sqlite_db, tmp_path):
    from PySide6.QtCore import Qt

    e, t, _ctx = _desk(sqlite_db)  # 20,000 deposit received by transfer
    ctx = DeskContext(db=sqlite_db, actor=e.cashier.display_name, tasks=TaskRunner(), user=e.cashier)
    dialog = LedgerDialog(ctx, e.cashier, e.commission_id)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(2)
    assert dialog.excel.isEnabled() and dialog.bank_lines.rowCount() == 0
    qtbot.keyClicks(dialog.balance, "19,950.00")
    qtbot.keyClick(dialog.balance, Qt.Key.Key_Return)
    assert dialog.bank_lines.rowCount() == 1 and dialog.bank_lines.text(0, 1) == "转账"
    assert "-50.00" in dialog.bank_text.text() and "不能由现金未存或刷卡未到账解释" in dialog.bank_text.text()
    dialog.export_reconciliation(tmp_path / "对账.pdf")
    assert (tmp_path / "对账.pdf").read_bytes().startswith(b"%PDF") and "对账.pdf" in dialog.message.text()
