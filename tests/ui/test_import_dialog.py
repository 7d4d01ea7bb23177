"""Importing from Excel as the user sees it: preview, the all-or-nothing choice, the error report."""
from __future__ import annotations

from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt

from app.services.customer_search import CustomerFilter, search_ids
from ui.customers.import_dialog import ImportDialog


def _workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["客户名称", "电话", "邮编", "注册资本", "合作状态"])
    ws.append(["杭州恒通商贸有限公司", "0571-88776655", "310000", "500万", "意向客户"])
    ws.append(["南京金泰物流有限公司", "025-66554433", "2100", "80万", "潜在客户"])  # bad postcode
    ws.append(["苏州鑫源机械有限公司", "0512-66778899", "215000", "1200万", "成交客户"])
    wb.save(path)
    return path


def _dialog(qtbot, ctx, path) -> ImportDialog:
    dialog = ImportDialog(ctx, path)
    qtbot.addWidget(dialog)
    return dialog


def test_preview_then_all_or_nothing_refuses_and_writes_the_error_report(qtbot, ctx, tmp_path):
    before = len(search_ids(ctx.db, CustomerFilter()))
    dialog = _dialog(qtbot, ctx, _workbook(tmp_path / "客户.xlsx"))
    assert dialog.table.rowCount() == 3 and dialog.table.item(1, 0).text() == "南京金泰物流有限公司"
    # rows numbered as the sheet numbers them (the header is row 1), and the sheet named
    assert [dialog.table.verticalHeaderItem(i).text() for i in range(3)] == ["2", "3", "4"]
    assert "Sheet “Sheet”" in dialog.summary.text()
    assert dialog.start_button.isEnabled() and dialog.all_or_nothing.isChecked()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "Nothing imported: 1 of 3 rows have errors" in dialog.outcome.text()
    assert dialog.errors.text() == "Row 3: 邮政编码应为6位数字"  # the error list cites the same row
    assert not dialog.report_button.isHidden()
    assert len(search_ids(ctx.db, CustomerFilter())) == before  # nothing written
    report = load_workbook(dialog.result.error_report, read_only=True).active
    rows = list(report.iter_rows(values_only=True))
    assert rows[0][-1] == "错误说明"
    assert rows[2][0] == "南京金泰物流有限公司" and "邮政编码应为6位数字" in rows[2][-1]


def test_valid_rows_only_imports_the_good_rows(qtbot, ctx, tmp_path):
    dialog = _dialog(qtbot, ctx, _workbook(tmp_path / "客户.xlsx"))
    dialog.valid_only.setChecked(True)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert (dialog.result.imported, dialog.result.rejected) == (2, 1)
    assert len(search_ids(ctx.db, CustomerFilter(text="恒通"))) == 1
    assert search_ids(ctx.db, CustomerFilter(text="金泰")) == []


def test_a_workbook_without_the_name_column_cannot_start(qtbot, ctx, tmp_path):
    wb = Workbook()
    wb.active.append(["电话"])
    wb.active.append(["010-1234567"])
    wb.save(tmp_path / "x.xlsx")
    dialog = _dialog(qtbot, ctx, tmp_path / "x.xlsx")
    assert not dialog.start_button.isEnabled()
    assert "客户名称" in dialog.summary.text()
