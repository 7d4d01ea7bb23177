"""The 销售与回款 sub-tab: add a sales record (a bad amount is refused in place, nothing typed is lost, the
total changes), import a workbook with one bad row (all or nothing imports nothing and names the row), edit
the scoring items; who sees the sub-tab."""
from __future__ import annotations

import uuid
from decimal import Decimal

import openpyxl
from PySide6.QtWidgets import QDialog

from app.services import grading_attributes, sales
from app.services.users import Principal
from ui.context import DeskContext
from ui.grading.sales_panel import SalesPanel
from ui.grading.tab import GradingTab
from ui.tasks import TaskRunner


def _panel(qtbot, ctx) -> SalesPanel:
    panel = SalesPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1250, 640)
    panel.show()
    panel.year.setValue(2025)
    return panel


def _total(panel) -> str:
    t = panel.sales_table
    return t.item(t.rowCount() - 1, 2).text()


def test_a_bad_amount_is_refused_in_place_then_the_record_is_added_and_the_total_changes(qtbot, ctx, tmp_path):
    panel = _panel(qtbot, ctx)
    cid = panel.picker.customer_id()
    sales.add_sale(ctx.db, user=None, customer_id=cid, values={"year": 2025, "month": 1, "product": "PE管",
                                                               "amount": "1000"})
    panel.reload()
    assert _total(panel) == "1,000.00"
    dialog = panel.sale_dialog()
    qtbot.addWidget(dialog)
    assert dialog.fields["year"].value() == "2025"
    dialog.fields["month"].set_value(3)
    dialog.fields["product"].editor.setText("管件")
    dialog.fields["amount"].editor.setText("很多")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.fields["amount"].error.text() == "销售额应为金额,例如 12,500.00 或 50万"
    assert not dialog.fields["amount"].error.isHidden()
    assert dialog.fields["product"].value() == "管件" and dialog.fields["amount"].value() == "很多"
    assert any("negative amount" in w.text() for w in dialog.findChildren(type(panel.status)))
    dialog.fields["amount"].editor.setText("-200")  # a correction
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created is not None
    panel.reload()
    assert _total(panel) == "800.00"
    rows = [panel.sales_table.item(i, 1).text() for i in range(panel.sales_table.rowCount() - 1)]
    assert rows == ["PE管", "管件"]


def test_a_late_payment_shows_red_and_counts_in_the_policy_line(qtbot, ctx):
    panel = _panel(qtbot, ctx)
    dialog = panel.payment_dialog()
    qtbot.addWidget(dialog)
    dialog.fields["amount"].editor.setText("5000")
    dialog.fields["due_on"].editor.setText("2025-13-40")
    dialog.save()
    assert dialog.fields["due_on"].error.text() == "应付日期应为日期,例如 2026-11-25"
    dialog.fields["due_on"].editor.setText("2025-03-01")
    dialog.fields["paid_on"].editor.setText("2025-03-20")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    panel.reload()
    item = panel.payments_table.item(0, 4)
    assert item.text() == "Paid late" and item.foreground().color().name() == "#b00020"
    assert "1 late" in panel.status.text()


def test_an_open_receivable_is_recorded_as_paid_once(qtbot, ctx, monkeypatch):
    from datetime import date, timedelta

    panel = _panel(qtbot, ctx)
    panel.year.setValue(date.today().year)
    due = date.today() - timedelta(days=3)
    sales.add_payment(ctx.db, user=None, customer_id=panel.picker.customer_id(),
                      values={"reference": "HT9", "amount": "5000", "due_on": due.isoformat()})
    panel.reload()
    assert panel.payments_table.item(0, 4).text() == "Unpaid, overdue"
    panel.payments_table.setCurrentCell(-1, -1)
    panel.record_paid()
    assert "Choose an unpaid payment" in panel.message.text()
    panel.payments_table.selectRow(0)
    monkeypatch.setattr(panel, "_ask_paid_on", lambda: "明天")
    panel.record_paid()
    assert panel.message.text() == "Dates are written like 2026-11-25"
    monkeypatch.setattr(panel, "_ask_paid_on", lambda: (due - timedelta(days=1)).isoformat())
    panel.record_paid()
    assert panel.message.text() == ""
    assert panel.payments_table.item(0, 4).text() == "Paid on time"
    assert panel.payments_table.item(0, 3).text() == (due - timedelta(days=1)).isoformat()


def test_a_workbook_with_one_bad_row_imports_nothing_and_the_report_names_the_row(qtbot, ctx, tmp_path):
    panel = _panel(qtbot, ctx)
    cid = panel.picker.customer_id()
    path = tmp_path / "销售.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户编号", "年份", "月", "产品", "销售金额", "备注"])
    ws.append(["KH000001", 2025, 1, "PE管", 120000, ""])
    ws.append(["KH000001", 2025, 2, "PE管", "约12", ""])
    ws.append(["KH000002", 2025, 2, "管件", 3000, ""])
    wb.save(path)
    dialog = panel.import_dialog(path)
    qtbot.addWidget(dialog)
    assert "3 data rows" in dialog.summary.text() and dialog.start_button.isEnabled()
    assert dialog.table.horizontalHeaderItem(5).text() == "备注 (ignored)"
    assert dialog.table.verticalHeaderItem(1).text() == "3"  # as the sheet and the error messages number it
    dialog.start()
    assert "Nothing imported: 1 rows" in dialog.outcome.text()
    assert "第 3 行:销售额应为金额" in dialog.errors.text()
    assert sales.sales_in_year(ctx.db, user=None, customer_id=cid, year=2025) == []
    report = dialog.result.error_report
    assert report is not None and report.exists() and dialog.report_button.isVisibleTo(dialog)
    rows = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert rows[2][-1].startswith("销售额应为金额") and rows[1][-1] in (None, "")
    copy = tmp_path / "copy.xlsx"
    dialog.save_report(str(copy))
    assert copy.exists()
    ws.delete_rows(3)
    wb.save(path)
    again = panel.import_dialog(path)
    qtbot.addWidget(again)
    again.start()
    assert "Imported 2 sales records" in again.outcome.text()
    panel.reload()
    assert _total(panel) == "120,000.00"


def test_the_scoring_items_are_validated_and_saved_with_a_note(qtbot, ctx):
    panel = _panel(qtbot, ctx)
    cid = panel.picker.customer_id()
    dialog = panel.items_dialog()
    qtbot.addWidget(dialog)
    dialog.fields["sales_model"].editor.setText("120")
    dialog.fields["reputation"].editor.setText("八十")
    dialog.note.editor.setPlainText("直销为主,行业口碑好")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.fields["reputation"].error.text() == "应为0–100之间的整数"
    dialog.save()  # the range is the service's check
    dialog.fields["reputation"].editor.setText("80")
    dialog.save()
    assert dialog.fields["sales_model"].error.text() == "应为0–100之间的整数"
    assert dialog.note.value() == "直销为主,行业口碑好"
    dialog.fields["sales_model"].editor.setText("90")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    got = grading_attributes.get_attributes(ctx.db, user=None, customer_id=cid)
    assert (got.sales_model, got.their_share, got.reputation, got.note) == (90, None, 80, "直销为主,行业口碑好")
    reopened = panel.items_dialog()
    qtbot.addWidget(reopened)
    assert reopened.fields["sales_model"].value() == "90" and reopened.editable


def _tab(qtbot, ctx, perms):
    runner = TaskRunner()
    runner.synchronous = True
    user = Principal(uuid.uuid4(), "u", "用户", "x", "x", frozenset(perms | {"customer.open",
                                                                        "archive.read.company", "archive.read.department.all"}))
    tab = GradingTab(DeskContext(db=ctx.db, actor="用户", tasks=runner, user=user))
    qtbot.addWidget(tab)
    return tab


def test_the_sub_tab_shows_for_sales_edit_or_grading_view_and_editing_needs_sales_edit(qtbot, ctx):
    assert _tab(qtbot, ctx, {"grading.tables.view"}).sales is None
    finance_tab = _tab(qtbot, ctx, {"sales.edit"})
    finance = finance_tab.sales
    assert finance is not None and finance.add_sale_button.isEnabled()
    assert finance_tab.tabText(finance_tab.indexOf(finance)) == "Sales and payments"
    viewer_tab = _tab(qtbot, ctx, {"grading.view"})
    viewer = viewer_tab.sales
    assert viewer is not None and not viewer.add_sale_button.isEnabled() and not viewer.import_button.isEnabled()
    assert Decimal(_total(viewer).replace(",", "")) == 0


def test_payments_from_the_template_import_and_show_late_in_red(qtbot, ctx, tmp_path):
    panel = _panel(qtbot, ctx)
    path = tmp_path / "回款.xlsx"
    panel.save_template(str(path), kind="payments")
    assert "回款.xlsx" in panel.status.text()
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.append(["KH000001", "FP9", 2000, "2025-05-31", "2025-06-15"])
    wb.save(path)
    dialog = panel.import_dialog(path, "payments")
    qtbot.addWidget(dialog)
    assert "1 data rows" in dialog.summary.text()
    dialog.start()
    assert "Imported 1 payment records" in dialog.outcome.text()
    panel.reload()
    assert panel.payments_table.item(0, 1).text() == "FP9"
    assert panel.payments_table.item(0, 4).foreground().color().name() == "#b00020"


def test_it_opens_on_the_latest_year_with_sales_and_its_biggest_customer(qtbot, ctx):
    from app.services import customer_search, staff, users
    from app.services.customer_search import CustomerFilter

    ids = customer_search.search_ids(ctx.db, CustomerFilter())
    small, big = ids[0], ids[1]
    for cid, amount, year in ((small, "1000", 2024), (small, "500", 2025), (big, "9000", 2025)):
        sales.add_sale(ctx.db, user=None, customer_id=cid, values={"year": year, "month": 3, "product": "PE管",
                                                                   "amount": amount})
    dept = staff.add_department(ctx.db, name="营销中心")
    users.create_user(ctx.db, username="gm", display_name="孙总", role="marketing_gm", password="pass-2026",
                      staff_id=staff.add_staff(ctx.db, name="孙总", department_id=dept), department_id=dept,
                      by=users.system_principal())
    gm = users.authenticate(ctx.db, username="gm", password="pass-2026")
    runner = TaskRunner()
    runner.synchronous = True
    panel = SalesPanel(DeskContext(db=ctx.db, actor="孙总", tasks=runner, user=gm))
    qtbot.addWidget(panel)
    assert panel.year.value() == 2025 and panel.picker.customer_id() == big
    assert _total(panel) == "9,000.00"
