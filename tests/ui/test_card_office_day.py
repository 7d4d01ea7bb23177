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
