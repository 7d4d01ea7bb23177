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


def _stations(db):
    """The demo's station logins (选房员, 复核员, 收银员, 现场主管, 叫号员), as the migrations made their roles."""
    from app.services.demo_users import DEMO_PASSWORD, ensure_demo_users

    ensure_demo_users(db)
    return {name: users.authenticate(db, username=name, password=DEMO_PASSWORD)
            for name in ("seldesk", "review", "cashier", "sitelead", "caller")}


def press(qtbot, tab, key, keys: list, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key to whatever has the keyboard focus in this window: nothing is clicked, no field is picked."""
    keys.append(key)
    qtbot.keyClick(tab.focusWidget(), key, modifier)


def type_in(qtbot, tab, text: str, keys: list) -> None:
    keys.append(text)  # a scanner's burst counts as one input
    qtbot.keyClicks(tab.focusWidget(), text)


def test_one_buyer_through_the_stations_by_keyboard_as_the_default_roles(qtbot, sqlite_db, printed):
    e = make_event(sqlite_db)
    draw.run_draw(sqlite_db, user=e.lead, commission_id=e.commission_id, seed="12 34 56")
    who = _stations(sqlite_db)
    first = buyers.buyers_of(sqlite_db, commission_id=e.commission_id)[0]

    caller = _tab(qtbot, sqlite_db, who["caller"])  # 叫号: F5 or Enter on the call button
    assert not caller.panel.isVisibleTo(caller) and caller.review_panel is None
    caller.call_button.setFocus()
    press(qtbot, caller, Qt.Key.Key_Return, [])
    assert first.draw_order == 1 and first.name in caller.call_label.text()

    desk_tab, keys = _tab(qtbot, sqlite_db, who["seldesk"]), []  # 选房员
    panel = desk_tab.panel
    assert not panel.boxes["selection.receipt"].isVisibleTo(panel)  # the cashier's box is not the desk's
    panel.id_edit.setFocus()
    type_in(qtbot, desk_tab, first.id_number.lower(), keys)
    press(qtbot, desk_tab, Qt.Key.Key_Return, keys)
    assert first.name in panel.buyer_label.text() and desk_tab.focusWidget() is desk_tab.grid
    press(qtbot, desk_tab, Qt.Key.Key_Down, keys)  # arrow to a flat, Enter chooses it
    press(qtbot, desk_tab, Qt.Key.Key_Return, keys)
    chosen = panel.flat
    assert chosen.status == "released" and desk_tab.focusWidget() is panel.ticket_button
    press(qtbot, desk_tab, Qt.Key.Key_Enter, keys, Qt.KeyboardModifier.KeypadModifier)  # the keypad's Enter
    assert panel.ticket_message.text() == ""
    ticket = panel.buyer.ticket_number
    assert printed[-1]["title"] == ticket and printed[-1]["pages"] == 4  # straight to the printer, 4 copies
    assert desk_tab.preview is None  # no preview unless asked for
    assert desk_tab.focusWidget() is panel.id_edit and panel.id_edit.selectedText() == first.id_number.lower()
    assert desk_tab.model.cell(desk_tab.model.find(chosen.id)).status == "chosen"
    assert len(keys) <= 6

    review = _tab(qtbot, sqlite_db, who["review"])  # 复核员: scans the ticket's QR code, Enter
    assert not review.panel.isVisibleTo(review)
    review.review_panel.scan.setFocus()
    type_in(qtbot, review, ticket, [])
    press(qtbot, review, Qt.Key.Key_Return, [])
    assert review.review_panel.message.text() == ""
    assert ticket in review.review_panel.result.text() and first.name in review.review_panel.result.text()
    assert review.focusWidget() is review.review_panel.scan and review.review_panel.scan.text() == ""

    cashier, keys = _tab(qtbot, sqlite_db, who["cashier"]), []  # 收银员: the same QR code, no ID re-typed
    assert not cashier.panel.boxes["selection.ticket"].isVisibleTo(cashier.panel)
    cashier.panel.id_edit.setFocus()
    type_in(qtbot, cashier, ticket, keys)
    press(qtbot, cashier, Qt.Key.Key_Return, keys)
    assert cashier.focusWidget() is cashier.panel.amount and cashier.panel.amount.text() == "20000.00"
    press(qtbot, cashier, Qt.Key.Key_Return, keys)  # 封户费
    assert "SJ" in printed[-1]["title"] and printed[-1]["pages"] == 3
    rest = cashier.panel.buyer.amount_now - 20000
    assert cashier.panel.amount.text() == f"{rest:.2f}" and cashier.focusWidget() is cashier.panel.amount
    press(qtbot, cashier, Qt.Key.Key_Return, keys)  # the rest of what is due now
    assert cashier.panel.buyer.paid == cashier.panel.buyer.amount_now
    assert cashier.focusWidget() is cashier.panel.id_edit and len(keys) == 4

    keys = []  # back at the desk (凭证): the ticket's QR code, Enter, Enter — no reviewer password
    desk_tab.panel.id_edit.setFocus()
    desk_tab.panel.id_edit.clear()
    type_in(qtbot, desk_tab, ticket, keys)
    press(qtbot, desk_tab, Qt.Key.Key_Return, keys)
    assert desk_tab.focusWidget() is panel.certificate_button
    press(qtbot, desk_tab, Qt.Key.Key_Return, keys)
    assert panel.certificate_message.text() == ""
    assert "PZ" in printed[-1]["title"] and printed[-1]["pages"] == 3
    assert panel.buyer.certificate_number.startswith("JY-PZ-") and desk_tab.focusWidget() is panel.id_edit
    desk_tab.poll()
    assert desk_tab.model.cell(desk_tab.model.find(chosen.id)).status == "certified"


def test_the_desk_refuses_a_buyer_out_of_turn_in_place(qtbot, sqlite_db):
    e = make_event(sqlite_db)
    draw.run_draw(sqlite_db, user=e.lead, commission_id=e.commission_id, seed="12 34 56")
    who = _stations(sqlite_db)
    last = buyers.buyers_of(sqlite_db, commission_id=e.commission_id)[-1]
    tab = _tab(qtbot, sqlite_db, who["seldesk"])
    tab.panel.id_edit.setFocus()
    qtbot.keyClicks(tab.panel.id_edit, last.id_number)
    qtbot.keyClick(tab.panel.id_edit, Qt.Key.Key_Return)
    qtbot.keyClick(tab.grid, Qt.Key.Key_Return)
    qtbot.keyClick(tab.panel.ticket_button, Qt.Key.Key_Return)
    assert "尚未叫号,尚未开始叫号" in tab.panel.ticket_message.text()
    assert "越序选房须现场主管授权" in tab.panel.ticket_message.text()


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


def test_reprint_reverse_and_swap_from_the_buyers_documents(qtbot, sqlite_db, monkeypatch, printed):
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
    assert printed[-1]["title"] == t.number
    docs.reprint()
    assert printed[-1]["title"] != t.number and "1" in printed[-1]["title"].removeprefix(t.number)
    docs.preview()  # the preview only on request
    assert tab.preview is not None and tab.preview.document.pageCount() == 4
    jobs = len(printed)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("换到 2 号楼", True)))
    new_flat = tab.model.cell(tab.model.find(e.flats[8]))
    tab.panel.set_flat(new_flat)
    docs.table.selectRow(0)
    docs.swap()
    assert docs.message.text() == ""
    assert [r.kind for r in docs.model.rows] == ["ticket", "ticket", "ticket"]  # original, red, new
    assert [j["title"] for j in printed[jobs:]] == [docs.model.rows[1].number, docs.model.rows[2].number]
    assert docs.model.rows[0].reversed_by == docs.model.rows[1].number
    assert tab.model.cell(tab.model.find(e.flats[0])).status == "released"
    assert tab.model.cell(tab.model.find(e.flats[8])).buyer == "张伟"
    assert tab.panel.buyer.flat.startswith("2号楼")

    docs.table.selectRow(1)  # the red-letter ticket itself cannot be reversed
    docs.reverse()
    assert "红字冲销单据" in docs.message.text()


def test_overlay_printing_with_this_printers_calibration(qtbot, sqlite_db, printed, monkeypatch):
    """The desk lead loads 241-3 forms, prints the ruler slip, enters the offset; tickets then go to the
    printer on that paper with that offset, straight away or from the preview; a printer error is shown."""
    from app.config import LocalConfig
    from ui.selection import station_print
    from ui.selection.print_settings import PrintSettingsDialog

    e = make_event(sqlite_db)
    dialog = PrintSettingsDialog()
    qtbot.addWidget(dialog)
    dialog.mode.setCurrentIndex(dialog.mode.findData("overlay"))
    dialog.paper.setCurrentIndex(dialog.paper.findData("241-3"))
    assert dialog.printer.currentData() == "" and not dialog.preview_first.isChecked()  # default printer, no preview
    dialog.print_ruler()
    assert (printed[-1]["title"], printed[-1]["paper"], printed[-1]["pages"]) == ("Ruler slip", "241-3", 1)
    assert "60" in dialog.status.text()  # how to read the slip: the cross is 60 mm from the left edge
    dialog.dx.setValue(2.5)  # the cross landed at 57.5 / 41 mm
    dialog.dy.setValue(-1.0)
    dialog.desk.setText("3号台")
    dialog.test_slip()
    assert dialog.preview.document.pageCount() == 1  # values only, on the pre-printed form
    dialog.save()
    saved = LocalConfig.load()
    assert (saved.print_mode, saved.paper, saved.offset_for(""), saved.desk_name) == ("overlay", "241-3", (2.5, -1.0),
                                                                                     "3号台")
    assert not saved.preview_first and saved.printer_name == ""

    tab = _tab(qtbot, sqlite_db, e.lead)
    assert tab.desk_name.text() == "3号台"
    t = sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                         flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    tab.show_document(t.id, t.number)
    job = printed[-1]
    assert (job["title"], job["pages"], job["paper"], job["offset"]) == (t.number, 1, "241-3", (2.5, -1.0))
    assert "Printed" in tab.printed.text()
    # the ticket is laid out 140 mm high (241-2), its signature lines lie below a 93 mm form: the desk is told
    too_short = round(140 - 11 * 25.4 / 3 + (-1.0), 1)
    assert f"{too_short:g} mm too short" in tab.printed.text()

    tab.show_document(t.id, t.number, preview=True)  # the preview on request prints the same way
    assert tab.preview.document.pageCount() == 1
    tab.preview.print_pages()
    assert (printed[-1]["paper"], printed[-1]["offset"]) == ("241-3", (2.5, -1.0))

    def jammed(*_a, **_k):
        raise station_print.PrintError("printer KeDeskPDF is stopped")

    monkeypatch.setattr(station_print, "print_pdf", jammed)
    tab.show_document(t.id, t.number)
    assert "KeDeskPDF is stopped" in tab.printed.text()


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


def test_the_caller_marks_an_absent_buyer_and_re_calls_them_by_keyboard(qtbot, sqlite_db, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from app.services.selection import queue
    from ui.selection import passed_dialog

    e = make_event(sqlite_db)
    draw.run_draw(sqlite_db, user=e.lead, commission_id=e.commission_id, seed="5 5 5")
    who = _stations(sqlite_db)
    order = sorted(buyers.buyers_of(sqlite_db, commission_id=e.commission_id), key=lambda b: b.draw_order)
    caller = _tab(qtbot, sqlite_db, who["caller"])
    caller.call_button.setFocus()
    press(qtbot, caller, Qt.Key.Key_Return, [])
    assert caller.absent_button.shortcut().toString() == "F6"
    qtbot.keyClick(caller.absent_button, Qt.Key.Key_Space)  # F6 / the button: number 1 did not come
    assert "passed list" in caller.call_label.text()
    state = queue.queue_state(sqlite_db, commission_id=e.commission_id)
    assert [c.name for c in state.passed] == [order[0].name]
    assert caller.queue_panel.passed.text().startswith(f"1  {order[0].name}")  # the caller's screen shows it

    shown = {}

    class Recall(passed_dialog.PassedDialog):  # the dialog as the caller sees it, Enter on the first row
        def exec(self):
            shown["rows"] = self.list.count()
            qtbot.keyClick(self.list, Qt.Key.Key_Return)
            return self.result()

    monkeypatch.setattr(passed_dialog, "PassedDialog", Recall)
    caller.open_passed()
    assert shown["rows"] == 1 and order[0].name in caller.call_label.text()
    assert queue.queue_state(sqlite_db, commission_id=e.commission_id).passed == []

    lead = _tab(qtbot, sqlite_db, who["sitelead"])  # 现场主管: a buyer ahead of their number, with the reason
    assert lead.panel.authorise_button.isVisibleTo(lead.panel)
    assert not _tab(qtbot, sqlite_db, who["seldesk"]).panel.authorise_button.isVisibleTo(lead.panel)
    lead.panel.id_edit.setText(order[3].id_number)
    lead.panel.verify()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("孕妇优先", True)))
    lead.panel.authorise()
    assert order[3].name in lead.panel.message.text()
    desk_tab = _tab(qtbot, sqlite_db, who["seldesk"])
    desk_tab.panel.id_edit.setText(order[3].id_number)
    desk_tab.panel.verify()
    qtbot.keyClick(desk_tab.grid, Qt.Key.Key_Return)
    qtbot.keyClick(desk_tab.panel.ticket_button, Qt.Key.Key_Return)
    assert desk_tab.panel.ticket_message.text() == "" and desk_tab.panel.buyer.ticket_number


def test_the_grid_filters_by_building_and_unit_type_with_sold_and_left(qtbot, sqlite_db):
    e = make_event(sqlite_db)  # 1号楼 and 2号楼, six flats each, all 三室两厅
    sel.issue_ticket(sqlite_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                     flat_id=e.flats[0], payment_ratio=Decimal("0.5"))
    tab = _tab(qtbot, sqlite_db, e.desk)
    assert [tab.building_filter.itemText(i) for i in range(tab.building_filter.count())][1:] == ["1号楼", "2号楼"]
    assert tab.summary.text().startswith("12 flats: sold 1 (") and "left 11 (" in tab.summary.text()
    tab.building_filter.setCurrentIndex(tab.building_filter.findData("2号楼"))
    assert tab.model.rowCount() == 6 and all(c.building == "2号楼" for c in tab.model.cells.values())
    assert tab.summary.text().startswith("6 flats: sold 0 (0.00 yuan") and "left 6 (" in tab.summary.text()
    tab.building_filter.setCurrentIndex(tab.building_filter.findData("1号楼"))
    cell = tab.model.cell(tab.model.find(e.flats[0]))
    assert cell.status == "chosen"
    sold = f"{cell.total:,.2f}"
    assert sold in tab.summary.text()  # the 1号楼 flat sold is totalled
    tab.type_filter.setCurrentIndex(tab.type_filter.findData("三室两厅"))
    assert tab.model.rowCount() == 6


def test_the_desk_shows_the_audit_note_of_a_flagged_buyer(qtbot, sqlite_db):
    from app.services.selection import buyers as buyer_list
    from tests.services.selection.conftest import person

    e = make_event(sqlite_db)
    buyer_list.add_buyers(sqlite_db, user=e.lead, commission_id=e.commission_id,
                          rows=[buyer_list.BuyerRow(5, "赵六", "110101199003078881")],
                          flags={"110101199003078881": "同时出现在“市规划和自然资源局”的名单上"})
    added = next(b for b in buyer_list.buyers_of(sqlite_db, commission_id=e.commission_id) if b.name == "赵六")
    buyer_list.review(sqlite_db, user=person("审计老陈", "selection.eligibility"), buyer_ids=[added.id],
                      eligible=True)
    tab = _tab(qtbot, sqlite_db, _stations(sqlite_db)["seldesk"])
    qtbot.keyClicks(tab.panel.id_edit, "110101199003078881")
    qtbot.keyClick(tab.panel.id_edit, Qt.Key.Key_Return)
    assert "Audit note: 同时出现在“市规划和自然资源局”的名单上" in tab.panel.buyer_label.text()


def test_the_caller_calls_a_group_into_the_room(qtbot, sqlite_db):
    e = make_event(sqlite_db)
    draw.run_draw(sqlite_db, user=e.lead, commission_id=e.commission_id, seed="9 9 9")
    caller = _tab(qtbot, sqlite_db, _stations(sqlite_db)["caller"])
    caller.group_size.setValue(3)
    caller.call_button.setFocus()
    qtbot.keyClick(caller.call_button, Qt.Key.Key_Return)
    order = sorted(buyers.buyers_of(sqlite_db, commission_id=e.commission_id), key=lambda b: b.draw_order)
    assert caller.call_label.text() == "Calling numbers 1–3: " + "、".join(b.name for b in order[:3])
    assert caller.last_called.order == 3
