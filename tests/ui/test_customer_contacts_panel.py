"""The card's 联系人员 section as a user drives it: mark 重要客户, see the warning, assign and remove staff,
and find the important customers short of contact staff through the list's filter."""
from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services import audit, customer_search, staff
from app.services.users import Principal
from ui.customers.tab import CustomerTab


def _open(qtbot, ctx, name: str = "张三") -> CustomerTab:
    tab = CustomerTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.run_search()
    tab.open_customer(customer_search.search_ids(ctx.db, customer_search.CustomerFilter(text=name))[0])
    tab.sections.setCurrentWidget(tab.contacts)
    return tab


def _column(panel, col: int) -> list[str]:
    return [panel.table.item(r, col).text() for r in range(panel.table.rowCount())]


def _choose(panel, name: str) -> None:
    box = panel.staff_box.editor
    box.setCurrentIndex(next(i for i in range(box.count()) if box.itemText(i).startswith(name)))


def test_marking_important_warns_until_a_second_staff_member_is_assigned(qtbot, ctx, monkeypatch):
    tab = _open(qtbot, ctx)
    panel = tab.contacts
    assert _column(panel, 0) == ["王丽"] and _column(panel, 2) == ["Owner (负责人)"]
    assert not panel.warning.isVisibleTo(tab) and "short" not in tab.badges.text()

    qtbot.mouseClick(panel.important, Qt.MouseButton.LeftButton)
    assert panel.warning.isVisibleTo(tab)
    assert "1 of the required 2" in panel.warning.text() and "Assign 1 more" in panel.warning.text()
    assert "Contact staff short (1/2)" in tab.badges.text()
    assert "marked by hand" in panel.why.text()
    assert tab.history.item(0, 4).text() == "重要客户"

    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)  # nobody chosen: told in place
    assert panel.staff_box.error.text() == "Choose a staff member to assign"
    _choose(panel, "李强")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert _column(panel, 0) == ["王丽", "李强"] and _column(panel, 3) == ["", "王丽"]
    assert not panel.warning.isVisibleTo(tab) and "short" not in tab.badges.text()
    offered = [panel.staff_box.editor.itemText(i) for i in range(panel.staff_box.editor.count())]
    assert not any(t.startswith(("李强", "王丽")) for t in offered)  # neither can be added again
    if os.environ.get("KEDESK_SHOT"):
        tab.grab().save(os.environ["KEDESK_SHOT"])

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.table.selectRow(0)  # the owner is changed on the card, not here
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert "Basic data" in panel.error.text() and panel.table.rowCount() == 2
    panel.table.selectRow(1)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert _column(panel, 0) == ["王丽"] and panel.warning.isVisibleTo(tab)
    assert (tab.history.item(0, 3).text(), tab.history.item(0, 5).text()) == ("联系人员", "李强(协助联系人)")
    assert [h.entity for h in audit.history(ctx.db, customer_id=panel.customer_id, user=None)][:2] == [
        "联系人员", "联系人员"]


def test_the_list_filter_shows_important_customers_short_of_contact_staff(qtbot, ctx):
    tab = _open(qtbot, ctx, "长安")
    qtbot.mouseClick(tab.contacts.important, Qt.MouseButton.LeftButton)
    tab.contacts_filter.setCurrentIndex(tab.contacts_filter.findData("short"))
    assert [tab.model.index(r, 1).data() for r in range(tab.model.rowCount())] == ["重庆长安物流有限公司"]
    _choose(tab.contacts, "李强")
    qtbot.mouseClick(tab.contacts.add_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 0 and tab.list_stack.currentWidget() is tab.empty_hint
    tab.contacts_filter.setCurrentIndex(0)
    assert tab.model.rowCount() == 3


def test_without_customer_edit_the_contact_staff_are_shown_not_changed(qtbot, ctx):
    wang = next(s for s in staff.list_staff(ctx.db) if s.name == "王丽")
    ctx.user = Principal(None, "viewer", "王丽", "viewer", "查看员", frozenset({"customer.list", "customer.open"}),
                         wang.id, wang.department_id)
    panel = _open(qtbot, ctx).contacts
    assert _column(panel, 0) == ["王丽"]
    assert not panel.important.isEnabled() and not panel.add_button.isEnabled()
