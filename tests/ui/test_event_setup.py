"""选房活动设置 as a lead uses it: project, stock import (a bad file refused in place, then a good one), a unit
with released flats, pricing and the five signatures, the buyer list and its review, the draw and its proof."""
from __future__ import annotations

from openpyxl import Workbook
from PySide6.QtCore import QItemSelectionModel, Qt

from tests.services.selection.conftest import person
from ui.selection.setup import open_event_setup

IDS = ["110105198503120020", "440524199001010018", "110101199003074477", "320102198001011238"]
STOCK_HEADER = ["楼号", "单元", "楼层", "房号", "建筑面积", "户型"]


def _sheet(path, header, rows):
    wb = Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _select_rows(view, rows):
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        view.selectionModel().select(view.model().index(r, 0), flags)


def test_an_event_is_set_up_from_project_to_verified_draw(qtbot, ctx, tmp_path):
    lead = person("主管")
    w = open_event_setup(None, ctx, lead)
    qtbot.addWidget(w)
    st = w.stock
    st.boxes["code"].editor.setText("JY")
    st.boxes["name"].editor.setText("金苑小区")
    st.boxes["company"].editor.setText("金苑置业有限公司")
    _click(qtbot, st.create_button)
    assert w.project_box.currentText() == "金苑小区(JY)"
    st.boxes["code"].editor.setText("jy")  # the same code again: refused under the field, text kept
    st.boxes["name"].editor.setText("金苑二期")
    _click(qtbot, st.create_button)
    assert "JY 已被使用" in st.boxes["code"].error.text() and st.boxes["name"].value() == "金苑二期"

    bad = _sheet(tmp_path / "bad.xlsx", STOCK_HEADER, [["1号楼", "1", 2, "201", "98.5", "A"],
                                                      ["1号楼", "1", "三楼", "301", "98.5", "A"]])
    st.import_file(bad)
    assert "未导入任何行" in st.import_message.text() and st.errors.items[0].row == 3
    assert st.counts.rowCount() == 0
    rows = [[f"{b}号楼", "1", f, f"{f}0{r}", "98.5" if r == 1 else "120", "A" if r == 1 else "B"]
            for b in (1, 2) for f in range(1, 7) for r in (1, 2)]
    st.import_file(_sheet(tmp_path / "good.xlsx", STOCK_HEADER, rows))
    assert "24 flats imported" in st.import_message.text() and st.error_view.isHidden()
    assert [st.counts.text(r, 1) for r in range(2)] == ["12", "12"]

    u = w.unit
    u.boxes["name"].editor.setText("市第一人民医院")
    u.boxes["ratio"].editor.setText("30")
    u.customer_query.setText("张三贸易")
    u.find_customers()
    assert u.customer_box.currentText().startswith("张三贸易有限公司")
    _click(qtbot, u.create_button)
    assert w.unit_box.currentText() == "市第一人民医院"
    _click(qtbot, u.release_button)  # nothing selected: told what to do
    assert "请先在右侧列表中选择" in u.release_message.text()
    u.building_filter.setCurrentIndex(u.building_filter.findData("1号楼"))
    assert u.available.rowCount() == 12
    u.available_view.selectAll()
    _click(qtbot, u.release_button)
    assert u.released.rowCount() == 12 and "12 flats released" in u.release_message.text()
    u.building_filter.setCurrentIndex(u.building_filter.findData("2号楼"))
    u.floor_filter.setCurrentIndex(u.floor_filter.findData(6))
    _select_rows(u.available_view, [0])
    u.relationship.setChecked(True)
    _click(qtbot, u.release_button)  # a relationship flat needs its paper approval
    assert "纸面审批" in u.release_message.text() and u.released.rowCount() == 12
    u.approval_note.setText("总经理办公会纪要第3号")
    _click(qtbot, u.release_button)
    assert u.released.rowCount() == 13

    p = w.pricing
    assert p.top_floor.value() == 6 and [r[0] for r in p.types.rows] == ["A", "B"]
    p.boxes["average_price"].editor.setText("六千")
    _click(qtbot, p.price_button)
    assert "均价应为数字" in p.boxes["average_price"].error.text()
    p.boxes["average_price"].editor.setText("6000")
    p.boxes["step"].editor.setText("40")
    p.boxes["top_discount"].editor.setText("100")
    p.types.setData(p.types.index(1, 1), "-50")
    _click(qtbot, p.price_button)
    prices = {p.prices.text(r, 0): int(p.prices.text(r, 4).replace(",", "")[:-3]) for r in range(13)}
    assert prices["1号楼-1单元-501"] - prices["1号楼-1单元-401"] == 40
    assert prices["1号楼-1单元-501"] - prices["1号楼-1单元-502"] == 50  # type B is 50 cheaper
    assert "weighted average of the list: 6,00" in p.averages.text()
    assert p.next_label.text() == "Next: 营销总监"
    _click(qtbot, p.sign_button)  # no name: refused under the field
    assert "营销总监的姓名" in p.approver.error.text()
    for name in ("赵营销", "钱财务", "孙项目", "李总", "周董"):
        p.approver.editor.setText(name)
        _click(qtbot, p.sign_button)
    assert [p.chain.text(r, 2) for r in range(5)] == ["赵营销", "钱财务", "孙项目", "李总", "周董"]
    assert p.next_label.text() == "Fully approved." and not p.sign_button.isEnabled()

    b = w.buyers
    names = ["张伟", "王芳", "李娜", "刘洋"]
    b.import_file(_sheet(tmp_path / "buyers.xlsx", ["序号", "姓名", "身份证号"],
                         [[i + 1, n, IDS[i]] for i, n in enumerate(names)] + [[5, "陈静", "440524188001010014"]]))
    assert b.model.rowCount() == 0 and "第 6 行" in b.message.text() and b.errors.rowCount() == 1
    b.import_file(_sheet(tmp_path / "buyers2.xlsx", ["序号", "姓名", "身份证号"],
                         [[i + 1, n, IDS[i]] for i, n in enumerate(names)]))
    assert b.model.rowCount() == 4 and "4 pending" in b.counts_label.text(), b.message.text()
    _select_rows(b.view, [0, 1, 2])
    _click(qtbot, b.pass_button)
    _select_rows(b.view, [3])
    _click(qtbot, b.refuse_button)
    assert "3 eligible · 1 not eligible · 0 pending" in b.counts_label.text()

    d = w.draw
    _click(qtbot, d.run_button)  # no seed
    assert "种子" in d.message.text()
    d.seed.editor.setText(" 07 23 41 18 ")
    d.notary.editor.setText("公证员甲")
    _click(qtbot, d.run_button)
    assert d.model.rowCount() == 3 and "刘洋" not in {d.model.text(r, 1) for r in range(3)}
    assert not d.run_button.isEnabled() and "07 23 41 18" in d.facts.text()
    _click(qtbot, d.verify_button)
    assert "核验通过" in d.message.text()
    _click(qtbot, d.print_button)
    assert d.preview.document.pageCount() >= 1 and d.preview.pdf.startswith(b"%PDF")
    d.preview.close()


def test_a_role_without_the_stock_permission_is_refused_in_place(qtbot, ctx):
    clerk = person("前台小王", "selection.view")
    w = open_event_setup(None, ctx, clerk)
    qtbot.addWidget(w)
    w.stock.boxes["code"].editor.setText("XY")
    w.stock.boxes["name"].editor.setText("新苑")
    _click(qtbot, w.stock.create_button)
    assert "没有建立项目的权限" in w.stock.project_message.text()
    assert w.project_box.count() == 0


def test_deadlines_are_set_in_local_time_and_bad_input_is_shown_in_place(qtbot, sqlite_db, qapp):
    from tests.services.selection.conftest import make_event
    from ui.context import DeskContext
    from ui.tasks import TaskRunner

    e = make_event(sqlite_db)
    runner = TaskRunner()
    runner.synchronous = True
    w = open_event_setup(None, DeskContext(db=sqlite_db, actor="主管", tasks=runner, user=e.lead), e.lead)
    qtbot.addWidget(w)
    unit = w.unit
    assert unit.deadline_button.isEnabled()
    unit.deadline_boxes["choose_deadline"].editor.setText("2026-12-05 18:00")
    unit.deadline_boxes["pay_deadline"].editor.setText("12月10日")
    _click(qtbot, unit.deadline_button)
    assert unit.deadline_boxes["pay_deadline"].error.text() != ""  # the bad one is marked, nothing saved
    assert unit.deadline_boxes["choose_deadline"].editor.text() == "2026-12-05 18:00"  # what was typed stays
    unit.deadline_boxes["pay_deadline"].editor.setText("2026-12-01 18:00")  # before choosing ends: refused
    _click(qtbot, unit.deadline_button)
    assert unit.deadline_boxes["pay_deadline"].error.text() != ""
    unit.deadline_boxes["pay_deadline"].editor.setText("2026-12-10 17:00")
    _click(qtbot, unit.deadline_button)
    from app.services.selection import deadlines

    saved = deadlines.deadlines(sqlite_db, user=e.lead, commission_id=e.commission_id)
    assert saved.choose_deadline.astimezone().strftime("%Y-%m-%d %H:%M") == "2026-12-05 18:00"
    assert saved.pay_deadline.astimezone().strftime("%Y-%m-%d %H:%M") == "2026-12-10 17:00"
