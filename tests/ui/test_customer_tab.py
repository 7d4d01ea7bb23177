"""The 客户卡片 tab as a user drives it: search, open, edit, validation in place, history."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.services import audit
from ui.customers.tab import CustomerTab


def _tab(qtbot, ctx) -> CustomerTab:
    tab = CustomerTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.run_search()
    return tab


def test_the_list_shows_the_customers_when_the_tab_opens(qtbot, ctx):
    tab = CustomerTab(ctx)  # nothing typed, no filter touched
    qtbot.addWidget(tab)
    assert sorted(_names(tab)) == sorted(["张三贸易有限公司", "重庆长安物流有限公司", "北京华盛建筑工程有限公司"])
    assert tab.count_label.text() == "3 customers"


def _names(tab) -> list[str]:
    return [tab.model.index(r, 1).data() for r in range(tab.model.rowCount())]


def _type(qtbot, edit, text: str) -> None:
    # QTest can only synthesise ASCII key presses; Chinese arrives as an input-method commit
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def _type_search(qtbot, tab, text: str) -> None:
    with qtbot.waitSignal(tab.search_finished, timeout=3000):
        tab.search.clear()
        _type(qtbot, tab.search, text)


def test_search_as_you_type_by_initials_phone_and_chinese(qtbot, ctx):
    tab = _tab(qtbot, ctx)
    assert len(_names(tab)) == 3
    _type_search(qtbot, tab, "zs")
    assert _names(tab) == ["张三贸易有限公司"]
    _type_search(qtbot, tab, "6123")
    assert _names(tab) == ["重庆长安物流有限公司"]
    _type_search(qtbot, tab, "华盛")
    assert _names(tab) == ["北京华盛建筑工程有限公司"]
    assert tab.count_label.text().startswith("1")


def test_selecting_a_row_opens_the_card_and_edits_are_audited(qtbot, ctx):
    tab = _tab(qtbot, ctx)
    _type_search(qtbot, tab, "zs")
    tab.view.selectRow(0)
    assert "张三贸易有限公司" in tab.title.text()
    phone = tab.editor.boxes["phone"].editor
    phone.clear()
    qtbot.keyClicks(phone, "13900001111")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    history = audit.history(ctx.db, user=None, customer_id=tab.editor.customer_id())
    assert (history[0].field, history[0].old_value, history[0].new_value) == ("电话", "13812345678", "13900001111")
    assert tab.history.rowCount() == len(history)
    assert tab.history.item(0, 6).text() == "13900001111"


def test_bad_credit_code_shows_chinese_message_in_place_and_keeps_input(qtbot, ctx):
    tab = _tab(qtbot, ctx)
    tab.new_customer()
    _type(qtbot, tab.editor.boxes["name"].editor, "深圳鑫源科技有限公司")
    qtbot.keyClicks(tab.editor.boxes["uscc"].editor, "91440300MA5XXXXXX1")
    qtbot.keyClicks(tab.editor.boxes["postcode"].editor, "5180")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    uscc_box, post_box = tab.editor.boxes["uscc"], tab.editor.boxes["postcode"]
    assert uscc_box.error.isVisibleTo(tab) and "统一社会信用代码" in uscc_box.error.text()
    assert post_box.error.text() == "邮政编码应为6位数字"
    # nothing typed is lost, nothing is stored
    assert tab.editor.boxes["name"].editor.text() == "深圳鑫源科技有限公司"
    assert uscc_box.editor.text() == "91440300MA5XXXXXX1"
    tab.run_search()
    assert "深圳鑫源科技有限公司" not in _names(tab)
    # correcting the fields and saving again creates the card
    uscc_box.editor.setText("91110000600037341L")
    post_box.editor.setText("518000")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not uscc_box.error.isVisibleTo(tab)
    assert "深圳鑫源科技有限公司" in tab.title.text()
    assert "深圳鑫源科技有限公司" in _names(tab)


def test_filters_narrow_the_list(qtbot, ctx):
    tab = _tab(qtbot, ctx)
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("deal"))
    assert _names(tab) == ["张三贸易有限公司"]
    tab.status_filter.setCurrentIndex(0)
    assert len(_names(tab)) == 3


def test_blacklisted_customer_is_flagged_in_the_list(qtbot, ctx):
    from app.services import blacklist

    tab = _tab(qtbot, ctx)
    _type_search(qtbot, tab, "zs")
    cid = tab.model.id_at(0)
    blacklist.add(ctx.db, user=None, actor="王丽", customer_id=cid, criterion="恶意拖欠货款", reason="欠款未还")
    tab.model.refresh_rows()
    assert "[" in tab.model.index(0, 1).data()
    assert tab.model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    tab.view.selectRow(0)
    assert "恶意拖欠货款" in tab.badges.text()


def test_an_empty_database_tells_the_newcomer_what_to_do(qtbot, sqlite_db):
    from ui.context import DeskContext
    from ui.tasks import TaskRunner

    runner = TaskRunner()
    runner.synchronous = True
    tab = _tab(qtbot, DeskContext(db=sqlite_db, actor="王丽", tasks=runner))
    assert tab.list_stack.currentWidget() is tab.empty_hint
    assert "Excel" in tab.empty_hint.text()


def test_a_search_without_hits_says_so(qtbot, ctx):
    tab = _tab(qtbot, ctx)
    _type_search(qtbot, tab, "qqqq")
    assert tab.model.rowCount() == 0 and tab.list_stack.currentWidget() is tab.empty_hint
    _type_search(qtbot, tab, "zs")
    assert tab.list_stack.currentWidget() is tab.view


def test_the_list_shows_only_archives_the_logged_in_rep_may_read(qtbot, ctx):
    from app.services import staff, users

    people = {s.name: s for s in staff.list_staff(ctx.db)}
    users.create_user(ctx.db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(ctx.db, username="admin", password="Admin!2026")
    for username, name in (("wl", "王丽"), ("lq", "李强")):
        users.create_user(ctx.db, username=username, display_name=name, role="sales_rep", password="pass-2026",
                          staff_id=people[name].id, department_id=people[name].department_id, by=admin)
    ctx.user = users.authenticate(ctx.db, username="wl", password="pass-2026")
    assert len(_names(_tab(qtbot, ctx))) == 3  # 王丽 owns all three
    ctx.user = users.authenticate(ctx.db, username="lq", password="pass-2026")
    tab = _tab(qtbot, ctx)
    assert _names(tab) == [] and tab.list_stack.currentWidget() is tab.empty_hint


def test_the_card_parts_are_read_and_changed_as_the_logged_in_user(qtbot, ctx, tmp_path, monkeypatch):
    from app.services import customer_search, key_persons, staff
    from app.services.users import Principal

    wang = next(s for s in staff.list_staff(ctx.db) if s.name == "王丽")
    perms = {"customer.list", "customer.open"}
    ctx.user = Principal(None, "viewer", "王丽", "viewer", "查看员", frozenset(perms), wang.id, wang.department_id)
    tab = _tab(qtbot, ctx)
    cid = customer_search.search_ids(ctx.db, customer_search.CustomerFilter(text="张三"))[0]
    tab.open_customer(cid)
    tab.sections.setCurrentWidget(tab.persons)
    assert not tab.persons.save_button.isEnabled() and not tab.archive.add_button.isEnabled()
    tab.grab().save(str(tmp_path / "viewer.png"))

    ctx.user = Principal(None, "wl", "王丽", "sales_rep", "营销人员", frozenset(perms | {"customer.edit"}),
                         wang.id, wang.department_id)
    tab.open_customer(cid)
    assert tab.persons.save_button.isEnabled() and tab.archive.add_button.isEnabled()
    tab.persons.boxes["name"].editor.insert("刘建国")
    tab.persons.save()
    assert [p.name for p in key_persons.list_persons(ctx.db, customer_id=cid, user=ctx.user)] == ["刘建国"]
    assert tab.persons.table.item(0, 0).text() == "刘建国"

    ctx.user = Principal(None, "lq", "李强", "sales_rep", "营销人员", frozenset(perms | {"customer.edit"}),
                         None, wang.department_id)  # no staff record: owns nothing, reads no department archive
    warnings = []
    monkeypatch.setattr("ui.customers.key_persons_panel.QMessageBox.warning",
                        lambda _parent, _title, text: warnings.append(text))
    tab.persons.boxes["name"].editor.insert("陈静")
    tab.persons.save()  # the panel still shows the card; the service refuses the change
    assert len(warnings) == 1 and "您无权修改" in warnings[0]
    assert len(key_persons.list_persons(ctx.db, customer_id=cid, user=None)) == 1


def test_a_new_reverification_rule_shows_in_the_list_on_the_next_search(qtbot, ctx):
    from datetime import date, timedelta

    from app import settings
    from app.services import customers

    customers.create_customer(ctx.db, actor="测试", values={
        "name": "厦门鹭江贸易有限公司", "last_verified_on": date.today() - timedelta(days=200)})
    tab = _tab(qtbot, ctx)
    _type_search(qtbot, tab, "鹭江")
    overdue, ok = tab.model._reverify["overdue"], tab.model._reverify["ok"]
    assert tab.model.index(0, 8).data() == overdue  # checked every quarter by default
    settings.put(ctx.db, "reverify.interval_months", 12)
    _type_search(qtbot, tab, "鹭江贸易")
    assert tab.model.index(0, 8).data() == ok
