"""The card as the demo's rep uses it on an office day: saving a new card, a save another desk beat."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import customers
from tests.services.demo_office import build
from ui.context import DeskContext
from ui.customers.tab import CustomerTab
from ui.tasks import TaskRunner


@pytest.fixture
def rep_desk(sqlite_db, qapp, qtbot):
    who = build(sqlite_db)
    runner = TaskRunner()
    runner.synchronous = True
    ctx = DeskContext(db=sqlite_db, actor=who["rep"].display_name, tasks=runner, user=who["rep"])
    tab = CustomerTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.run_search()
    return sqlite_db, who, tab


def test_a_save_another_desk_beat_keeps_what_was_typed_and_shows_both(rep_desk, qtbot):
    db, who, tab = rep_desk
    rep, manager = who["rep"], who["manager"]
    cid = customers.create_customer(db, actor=rep.display_name, user=rep,
                                    values={"name": "黄陂木兰贸易有限公司", "phone": "027-61000001"})
    tab.open_customer(cid)
    phone = tab.editor.boxes["phone"].editor
    phone.clear()
    qtbot.keyClicks(phone, "027-61000002")
    # meanwhile the manager saves another phone from another desk
    customers.update_customer(db, actor=manager.display_name, customer_id=cid, user=manager,
                              values={"phone": "027-61000003"}, expected_version=1)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    text = tab.message.text()
    assert "已被他人修改" in text and "027-61000003" in text and "027-61000002" in text
    assert phone.text() == "027-61000002"  # what the rep typed is still there
    assert customers.get_card(db, customer_id=cid).values["phone"] == "027-61000003"


def test_a_new_card_saved_by_the_rep_shows_as_theirs(rep_desk, qtbot):
    db, who, tab = rep_desk
    tab.new_customer()
    tab.editor.boxes["name"].editor.insert("江夏物流有限公司")
    qtbot.keyClicks(tab.editor.boxes["phone"].editor, "027-87654321")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.title.text().startswith("江夏物流有限公司") and "KH" in tab.title.text()
    assert tab.editor.customer_id() is not None  # saving again edits this card, not a second one
    assert tab.editor.boxes["owner_id"].editor.currentText().startswith("李业务")
    assert tab.model.rowCount() == 1


def test_the_front_desk_saving_for_another_department_gets_a_clear_form(sqlite_db, qapp, qtbot):
    who = build(sqlite_db)
    runner = TaskRunner()
    runner.synchronous = True
    front = who["front"]
    tab = CustomerTab(DeskContext(db=sqlite_db, actor=front.display_name, tasks=runner, user=front))
    qtbot.addWidget(tab)
    tab.new_customer()
    tab.editor.boxes["name"].editor.insert("青山重工有限公司")
    owner = tab.editor.boxes["owner_id"].editor
    owner.setCurrentIndex(owner.findData(str(who["rep"].staff_id)))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "Saved" in tab.message.text() and tab.editor.customer_id() is None
    assert tab.editor.boxes["name"].value() == ""
    card = customers.get_card(sqlite_db, customer_id=customers.find_duplicates(sqlite_db, name="青山重工有限公司")[0].id,
                              user=who["rep"])
    assert card.owner_name == "李业务"


def test_the_window_fits_a_1366_by_768_screen(sqlite_db, qapp, qtbot):
    from ui import i18n
    from ui.main_window import MainWindow

    who = build(sqlite_db)
    for lang in ("zh_CN", "en"):
        translators = i18n.install(qapp, lang)
        try:
            for login in ("rep", "manager", "front", "clerk"):
                user = who[login]
                window = MainWindow(DeskContext(db=sqlite_db, actor=user.display_name, tasks=TaskRunner(), user=user))
                qtbot.addWidget(window)
                hint = window.minimumSizeHint()
                assert hint.width() <= 1366 and hint.height() <= 768, (lang, login, hint)
        finally:
            for t in translators:
                qapp.removeTranslator(t)


def test_the_manager_finds_and_merges_a_duplicate(sqlite_db, qapp, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.customers.duplicates_dialog import DuplicatesDialog

    who = build(sqlite_db)
    manager = who["manager"]
    first = customers.create_customer(sqlite_db, actor="王经理", user=manager,
                                      values={"name": "東湖建材有限公司", "phone": "027-75807524"})
    customers.create_customer(sqlite_db, actor="王经理", user=manager, allow_duplicate=True,
                              values={"name": "东湖建材有限公司", "phone": "02775807524"})
    dialog = DuplicatesDialog(DeskContext(db=sqlite_db, actor="王经理", tasks=TaskRunner(), user=manager))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "同名、电话相同"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.merge_selected()
    assert dialog.table.rowCount() == 0 and dialog.merged == 1
    assert customers.get_card(sqlite_db, customer_id=first, user=manager).values["name"] == "東湖建材有限公司"


def test_the_manager_sees_the_overdue_card_update_and_opens_the_card(sqlite_db, qapp, qtbot):
    from app.services import visit_records
    from ui.customers.card_updates_dialog import CardUpdatesDialog

    who = build(sqlite_db)
    rep, manager = who["rep"], who["manager"]
    cid = customers.create_customer(sqlite_db, actor="李业务", user=rep, values={"name": "新洲粮油有限公司"})
    visit_records.file_record(sqlite_db, user=rep, actor="李业务", values={
        "customer_id": cid, "staff_id": rep.staff_id, "visited_on": "2026-12-07", "person_met": "刘总",
        "notes": "例行拜访", "credit_changes": "授信下调"})
    opened = []
    dialog = CardUpdatesDialog(DeskContext(db=sqlite_db, actor="王经理", tasks=TaskRunner(), user=manager),
                               open_card=opened.append)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "新洲粮油有限公司"
    assert "授信下调" in dialog.table.item(0, 4).text()
    dialog.table.cellDoubleClicked.emit(0, 1)
    assert opened == [cid]
