"""One buyer from ID scan to printed certificate by keyboard, on the 选房票务 tab."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services import selection as sel
from app.services import users
from app.services.selection import buyers, draw
from tests.services.selection.conftest import make_event
from ui.context import DeskContext
from ui.selection import desk_panel as desk_module
from ui.selection.tab import SelectionTab
from ui.tasks import TaskRunner


def _tab(qtbot, db, principal):
    runner = TaskRunner()
    runner.synchronous = True
    tab = SelectionTab(DeskContext(db=db, actor=principal.display_name, tasks=runner, user=principal))
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    return tab


def _reviewer(db):
    users.create_user(db, username="finance1", display_name="财务老刘", role="finance", password="demo1234",
                      by=users.system_principal())
    return users.authenticate(db, username="finance1", password="demo1234")


def test_one_buyer_from_id_scan_to_certificate_by_keyboard(qtbot, sqlite_db, monkeypatch):
    e = make_event(sqlite_db)
    draw.run_draw(sqlite_db, user=e.lead, commission_id=e.commission_id, seed="12 34 56")
    reviewer = _reviewer(sqlite_db)
    tab = _tab(qtbot, sqlite_db, e.lead)
    assert tab.model.rowCount() == 12 and tab.events.count() == 1

    assert tab.call_button.shortcut().toString() == "F5"
    qtbot.keyClick(tab.call_button, Qt.Key.Key_Space)  # calls the next number in the drawn order
    first = buyers.buyers_of(sqlite_db, commission_id=e.commission_id)[0]
    assert first.draw_order == 1 and first.name in tab.call_label.text()

    panel = tab.panel
    qtbot.keyClicks(panel.id_edit, "11010519491231002x")  # a scanner types the ID and Enter
    qtbot.keyClick(panel.id_edit, Qt.Key.Key_Return)
    assert "张伟" in panel.buyer_label.text() and panel.message.text() == ""
    assert tab.grid.hasFocus() or tab.grid.currentIndex().isValid()
    qtbot.keyClick(tab.grid, Qt.Key.Key_Down)  # arrow to the next flat, Enter chooses it
    qtbot.keyClick(tab.grid, Qt.Key.Key_Return)
    chosen = panel.flat
    assert chosen is not None and chosen.status == "released"
    qtbot.keyClick(panel.ticket_button, Qt.Key.Key_Space)
    assert panel.ticket_message.text() == ""
    assert tab.preview is not None and "XP" in tab.preview.windowTitle()
    assert tab.preview.document.pageCount() == 4  # 存根联 客户联 大客户部联 财务部留存联
    assert tab.model.cell(tab.model.find(chosen.id)).status == "chosen"  # the grid shows the sale at once

    assert panel.amount.text() == "20000.00" and panel.purpose.currentData() == "deposit"  # 封户费 first
    qtbot.keyClick(panel.amount, Qt.Key.Key_Return)
    assert "SJ" in tab.preview.windowTitle() and tab.preview.document.pageCount() == 3
    rest = panel.buyer.amount_now - 20000
    assert panel.amount.text() == f"{rest:.2f}" and panel.purpose.currentData() == "payment"  # then the rest
    qtbot.keyClick(panel.amount, Qt.Key.Key_Return)
    assert panel.buyer.paid == panel.buyer.amount_now
    assert panel.certificate_button.isEnabled()

    class SignedReviewer:  # the reviewer types their password in the real dialog
        def __init__(self, *args):
            self.reviewer = reviewer

        def exec(self):
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(desk_module, "ReviewerDialog", SignedReviewer)
    qtbot.keyClick(panel.certificate_button, Qt.Key.Key_Space)
    assert panel.certificate_message.text() == ""
    assert "PZ" in tab.preview.windowTitle() and tab.preview.document.pageCount() == 3
    assert tab.model.cell(tab.model.find(chosen.id)).status == "certified"
    assert panel.buyer.certificate_number.startswith("JY-PZ-")


def test_refusals_show_in_place_and_keep_what_was_typed(qtbot, sqlite_db):
    e = make_event(sqlite_db)
    tab = _tab(qtbot, sqlite_db, e.lead)
    panel = tab.panel
    qtbot.keyClicks(panel.id_edit, "110101199003071233")
    qtbot.keyClick(panel.id_edit, Qt.Key.Key_Return)
    assert "不在“市第一人民医院”的购房者名单中" in panel.message.text()
    assert panel.id_edit.text() == "110101199003071233" and not panel.ticket_button.isEnabled()

    sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1],
                     flat_id=e.flats[0], payment_ratio=Decimal("0.5"))  # another desk sells flats[0]
    panel.id_edit.clear()
    qtbot.keyClicks(panel.id_edit, e.ids[0])
    qtbot.keyClick(panel.id_edit, Qt.Key.Key_Return)
    stale = tab.model.cell(tab.model.find(e.flats[0]))  # the grid has not polled yet
    panel.set_flat(stale)
    panel.ratio.setCurrentIndex(panel.ratio.findText("30%"))
    qtbot.mouseClick(panel.ticket_button, Qt.MouseButton.LeftButton)
    assert "低于规定的 50%" in panel.ticket_message.text()
    panel.ratio.setCurrentIndex(0)
    qtbot.mouseClick(panel.ticket_button, Qt.MouseButton.LeftButton)
    assert "已被选" in panel.ticket_message.text()
    tab.poll()
    assert tab.model.cell(tab.model.find(e.flats[0])).buyer == "王芳"


def test_reprint_reverse_and_swap_from_the_buyers_documents(qtbot, sqlite_db, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    e = make_event(sqlite_db)
    tab = _tab(qtbot, sqlite_db, e.lead)
    t = sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    tab.panel.id_edit.setText(e.ids[0])
    tab.panel.verify()
    docs = tab.documents
    assert docs.model.rowCount() == 1 and docs.model.rows[0].number == t.number
    docs.table.selectRow(0)
    docs.reprint()  # issued by a script, never printed: this is the first print
    assert tab.preview.windowTitle() == t.number
    docs.reprint()
    assert tab.preview.windowTitle() != t.number and "1" in tab.preview.windowTitle().removeprefix(t.number)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("换到 2 号楼", True)))
    new_flat = tab.model.cell(tab.model.find(e.flats[8]))
    tab.panel.set_flat(new_flat)
    docs.table.selectRow(0)
    docs.swap()
    assert docs.message.text() == ""
    assert [r.kind for r in docs.model.rows] == ["ticket", "ticket", "ticket"]  # original, red, new
    assert docs.model.rows[0].reversed_by == docs.model.rows[1].number
    assert tab.model.cell(tab.model.find(e.flats[0])).status == "released"
    assert tab.model.cell(tab.model.find(e.flats[8])).buyer == "张伟"
    assert tab.panel.buyer.flat.startswith("2号楼")

    docs.table.selectRow(1)  # the red-letter ticket itself cannot be reversed
    docs.reverse()
    assert "红字冲销单据" in docs.message.text()


def test_overlay_printing_with_this_desks_offsets(qtbot, sqlite_db):
    from app.config import LocalConfig
    from ui.selection.print_settings import PrintSettingsDialog

    e = make_event(sqlite_db)
    dialog = PrintSettingsDialog()
    qtbot.addWidget(dialog)
    dialog.mode.setCurrentIndex(dialog.mode.findData("overlay"))
    dialog.dx.setValue(2.5)
    dialog.dy.setValue(-1.0)
    dialog.desk.setText("3号台")
    dialog.test_slip()
    assert dialog.preview.document.pageCount() == 1  # values only, on the pre-printed form
    dialog.save()
    saved = LocalConfig.load()
    assert (saved.print_mode, saved.print_offset_mm, saved.desk_name) == ("overlay", (2.5, -1.0), "3号台")

    tab = _tab(qtbot, sqlite_db, e.lead)
    assert tab.desk_name.text() == "3号台"
    t = sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    tab.show_document(t.id, t.number)
    assert tab.preview.document.pageCount() == 1


def test_a_unit_made_in_the_setup_window_appears_as_an_event(qtbot, sqlite_db):
    from app.services.selection import stock

    e = make_event(sqlite_db)
    tab = _tab(qtbot, sqlite_db, e.lead)
    tab.events.setCurrentIndex(0)
    tab.open_setup()
    qtbot.addWidget(tab.setup_window)
    stock.create_commission(sqlite_db, user=e.lead, project_id=e.project_id, name="市税务局")
    tab.setup_window.close()
    tab.setup_window.finished.emit(0)
    assert tab.events.count() == 2 and tab.events.currentText().endswith("市第一人民医院")  # still on it


def test_ledgers_open_for_the_current_event(qtbot, sqlite_db):
    e = make_event(sqlite_db)
    sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                     flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    tab = _tab(qtbot, sqlite_db, e.lead)
    tab.open_ledger()
    qtbot.addWidget(tab.ledger_window)
    assert tab.ledger_window.isVisible() and tab.ledger_window.ledger.rowCount() == 1  # the ticket just issued


def test_a_second_person_reviews_a_ticket_but_not_the_issuer(qtbot, sqlite_db, monkeypatch):
    from ui.selection import reviewer_dialog

    e = make_event(sqlite_db)
    users.create_user(sqlite_db, username="desk1", display_name="大客户部小陈", role="key_account",
                      password="demo1234", by=users.system_principal())
    issuer = users.authenticate(sqlite_db, username="desk1", password="demo1234")
    reviewer = _reviewer(sqlite_db)
    t = sel.issue_ticket(sqlite_db, user=issuer, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    tab = _tab(qtbot, sqlite_db, e.lead)
    tab.panel.id_edit.setText(e.ids[0])
    tab.panel.verify()
    docs = tab.documents

    def signing(who):
        class Signed:
            def __init__(self, *args):
                self.reviewer = who

            def exec(self):
                return QDialog.DialogCode.Accepted
        return Signed

    monkeypatch.setattr(reviewer_dialog, "ReviewerDialog", signing(issuer))
    docs.table.selectRow(0)
    docs.review()
    assert "复核" in docs.message.text() and docs.model.rows[0].reviewed_by == ""  # the issuer cannot, or lacks the right
    monkeypatch.setattr(reviewer_dialog, "ReviewerDialog", signing(reviewer))
    docs.table.selectRow(0)
    docs.review()
    assert docs.message.text() == "" and docs.model.rows[0].reviewed_by == "财务老刘"
    assert t.number == docs.model.rows[0].number


def test_the_big_screen_shows_the_called_number_masked_and_who_is_next(qtbot, sqlite_db):
    from app.services.selection import queue
    from ui.selection.call_screen import CallScreen

    e = make_event(sqlite_db)
    draw.run_draw(sqlite_db, user=e.lead, commission_id=e.commission_id, seed="8 8 8")
    tab = _tab(qtbot, sqlite_db, e.lead)
    screen = CallScreen(tab.ctx, e.commission_id, "金苑小区", speak=False)
    qtbot.addWidget(screen)
    assert screen.now.text() in ("Waiting for the first call", "等待叫号")
    first = queue.call_next(sqlite_db, user=e.lead, commission_id=e.commission_id, desk="2号台")
    screen.refresh()
    assert f" {first.order} " in screen.now.text() and "2号台" in screen.now.text()
    assert first.name not in screen.now.text() and first.name[0] + "*" in screen.now.text()
    assert "2" in screen.next.text() and "3" in screen.next.text()
