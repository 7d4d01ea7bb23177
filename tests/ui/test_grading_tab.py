"""The 客户分级 tab: run a grading, override needs a reason, commit, history, export and print."""
from __future__ import annotations

import uuid
from decimal import Decimal

import openpyxl
from PySide6.QtCore import Qt
from sqlalchemy import insert, select

from app.services import grading_runs, grading_schemes, users
from app.services.users import Principal
from models import Customer, SalesRecord
from ui.context import DeskContext
from ui.grading.override_dialog import OverrideDialog
from ui.grading.tab import GradingTab
from ui.tasks import TaskRunner

GM = Principal(uuid.uuid4(), "gm", "总经理甲", "marketing_gm", "营销中心总经理",
               frozenset({"grading.view", "grading.run", "grading.override"}))


def _tab(qtbot, db, user):
    runner = TaskRunner()
    runner.synchronous = True
    tab = GradingTab(DeskContext(db=db, actor=user.display_name, tasks=runner, user=user))
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    return tab


def _with_sales(db):
    with db.write() as s:
        ids = [cid for (cid,) in s.execute(select(Customer.id).order_by(Customer.code))]
        s.execute(insert(SalesRecord), [{"id": uuid.uuid4(), "customer_id": cid, "year": 2025, "month": 6,
                                         "amount": Decimal(100_000 * (i + 1)), "profit": Decimal(1000)}
                                        for i, cid in enumerate(ids[:2])])
    return ids


def test_run_override_with_a_reason_and_commit(qtbot, ctx, tmp_path):
    db = ctx.db
    _with_sales(db)
    tab = _tab(qtbot, db, GM)
    panel = tab.runs
    assert panel.scheme.count() == 5 and not panel.commit_button.isEnabled()
    panel.year.setValue(2025)
    panel.run_button.click()
    assert panel.model.rowCount() == 3 and panel.commit_button.isEnabled()
    assert "draft" in panel.status.text() and panel.history.count() == 1

    panel.table.selectRow(2)  # the customer without sales, graded last
    row = panel.selected_row()
    assert row.computed_grade == "D"  # no sales in the year: D, outside the forced distribution
    shown = []

    def fill(dialog: OverrideDialog) -> bool:
        shown.append(dialog)
        dialog.grade.set_value("B")
        dialog.save()  # no reason: refused in place, nothing lost
        assert dialog.reason.error.text() == "请填写调整原因" and dialog.grade.value() == "B"
        dialog.reason.editor.setPlainText("年底签下三年框架合同")
        dialog.save()
        return dialog.result() == OverrideDialog.DialogCode.Accepted

    panel._exec = fill
    panel.override()
    assert shown and panel.model.row(2).grade == "B" and panel.model.row(2).override_reason == "年底签下三年框架合同"

    panel._confirm = lambda _text: True
    panel.commit()
    assert "committed" in panel.status.text() and not panel.override_button.isEnabled()
    assert grading_runs.list_runs(db, user=GM)[0].status == "committed"

    panel.export(str(tmp_path / "g.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "g.xlsx").active
    assert sheet.max_row == 2 + 3 and sheet.cell(2, 1).value == "名次"
    panel.print_table(str(tmp_path / "g.pdf"), open_after=False)
    assert (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")


def test_the_filter_shows_only_one_kind_of_change(qtbot, ctx):
    _with_sales(ctx.db)
    tab = _tab(qtbot, ctx.db, GM)
    panel = tab.runs
    panel.year.setValue(2025)
    panel.run_button.click()
    panel.change_filter.setCurrentIndex(panel.change_filter.findData("up"))
    assert panel.model.rowCount() == 0
    panel.change_filter.setCurrentIndex(panel.change_filter.findData("new"))
    assert panel.model.rowCount() == 3


def test_a_viewer_sees_snapshots_but_cannot_run_or_override(qtbot, ctx):
    _with_sales(ctx.db)
    sid = grading_schemes.ensure_default_schemes(ctx.db, user=GM)[0].id
    grading_runs.commit_run(ctx.db, user=GM, run_id=grading_runs.compute_run(ctx.db, user=GM, scheme_id=sid,
                                                                             year=2025))
    viewer = users.Principal(uuid.uuid4(), "a", "审计乙", "auditor", "审计", frozenset({"grading.view"}))
    tab = _tab(qtbot, ctx.db, viewer)
    panel = tab.runs
    assert not panel.run_button.isEnabled() and panel.history.count() == 1
    panel._open_history(panel.history.item(0))
    assert panel.model.rowCount() == 3 and not panel.override_button.isEnabled()
    assert panel.print_button.isEnabled()


def test_the_card_shows_the_policy_that_follows_the_grade(qtbot, ctx):
    from app.services import customer_search
    from app.services.customer_search import CustomerFilter
    from ui.customers.tab import CustomerTab

    cid = customer_search.search_ids(ctx.db, CustomerFilter())[0]
    with ctx.db.write() as s:
        s.get(Customer, cid).grade = "A"
    tab = CustomerTab(ctx)
    qtbot.addWidget(tab)
    tab.open_customer(cid)
    box = tab.editor.policy
    assert not box.isHidden()
    text = tab.editor.policy_text.text()
    assert "5%" in text and "90" in text and "20" in text


def test_the_payment_term_drops_are_listed_and_checked_on_demand(qtbot, ctx):
    from datetime import date, timedelta

    from app.services import sales

    fin = Principal(uuid.uuid4(), "fin", "财务丙", "finance", "财务", frozenset({"grading.view", "sales.edit", "archive.read.department.all"}))
    tab = _tab(qtbot, ctx.db, fin)
    panel = tab.term_drops
    assert panel.table.rowCount() == 0 and panel.check_button.isEnabled()
    assert panel.table.isHidden() and not panel.empty.isHidden()  # an empty list says what it means
    assert "2 or more late payments" in panel.empty.text()
    with ctx.db.write() as s:
        cid = s.scalars(select(Customer.id).order_by(Customer.code)).first()
    today = date.today()
    first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    due = [first - timedelta(days=d) for d in (5, 6)]  # two payments of the previous quarter, never paid
    for day in due:
        sales.add_payment(ctx.db, user=None, customer_id=cid, values={"amount": "100", "due_on": day},
                          today=first - timedelta(days=7))  # typed in before they fell due: no notice yet
    panel.check()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 4).text() == "2"
    assert "1" in panel.message.text() and panel.empty.isHidden() and not panel.table.isHidden()


def test_schemes_dialog_sets_the_customer_grade_takes_new_rules_and_refuses_a_tier_scheme(qtbot, ctx):
    from app import settings

    tab = GradingTab(ctx)
    qtbot.addWidget(tab)
    dialog = tab.runs.schemes_dialog()
    qtbot.addWidget(dialog)
    names = [dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())]
    row = {n: i for i, n in enumerate(names)}
    assert dialog.table.item(row["百分制评分分级"], 2).text() == "✓"

    dialog.make_main()
    assert "Choose a scheme" in dialog.message.text()
    dialog.table.selectRow(row["大客户分层"])
    dialog.make_main()  # KS/KP/KN are not card grades
    assert "A–E" in dialog.message.text() and dialog.table.item(row["百分制评分分级"], 2).text() == "✓"

    settings.put(ctx.db, "grading.quota.a", 25)  # a rule changed in 业务规则 reaches the scheme on request
    dialog.table.selectRow(row["百分制评分分级"])
    dialog.refresh()
    assert "强制分布:A级比例(%) 25" in dialog.table.item(row["百分制评分分级"], 3).text()
    dialog.table.selectRow(row["信用等级"])
    dialog.make_main()
    assert dialog.message.text() == "" and dialog.table.item(row["信用等级"], 2).text() == "✓"
    dialog.name.editor.setText("")
    dialog.add()
    assert dialog.message.text() == "请填写方案名称"
    dialog.name.editor.setText("华东区评分")
    dialog.add()
    assert dialog.table.rowCount() == len(names) + 1 and dialog.changed


def _login(db, username, role):
    from app.services import staff

    dept = staff.add_department(db, name=f"{username}部")
    users.create_user(db, username=username, display_name=username, role=role, password="pass-2026",
                      staff_id=staff.add_staff(db, name=username, department_id=dept), department_id=dept,
                      by=users.system_principal())
    return users.authenticate(db, username=username, password="pass-2026")


def test_finance_runs_the_credit_grades_and_sees_the_limits(qtbot, ctx):
    _with_sales(ctx.db)
    finance = _login(ctx.db, "finance", "finance")
    gm = _login(ctx.db, "gm", "marketing_gm")
    grading_schemes.ensure_default_schemes(ctx.db, user=gm)
    tab = _tab(qtbot, ctx.db, finance)
    panel = tab.runs
    panel.year.setValue(2025)
    panel.scheme.setCurrentIndex(panel.scheme.findText("百分制", flags=Qt.MatchFlag.MatchContains))
    assert not panel.run_button.isEnabled()  # the customer grade is the GM's
    panel.scheme.setCurrentIndex(panel.scheme.findText("信用", flags=Qt.MatchFlag.MatchContains))
    assert panel.run_button.isEnabled()
    panel.run_button.click()
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.model.columnCount())]
    assert headers[-1] == "信用额度(元)" and panel.model.rowCount() == 3
    assert "never committed" in panel.recheck.text()
    assert panel.commit_button.isEnabled()
    panel._confirm = lambda _text: True
    panel.commit()
    assert grading_runs.list_runs(ctx.db, user=finance)[0].status == "committed"
    assert "next re-check due" in panel.recheck.text()


def test_the_gm_sees_tiers_in_words_and_the_eight_items_behind_a_score(qtbot, ctx):
    _with_sales(ctx.db)
    gm = _login(ctx.db, "gm", "marketing_gm")
    tab = _tab(qtbot, ctx.db, gm)
    panel = tab.runs
    panel.year.setValue(2025)
    panel.scheme.setCurrentIndex(panel.scheme.findText("会员", flags=Qt.MatchFlag.MatchContains))
    panel.run_button.click()
    model = panel.model
    grades = {model.data(model.index(r, 4)) for r in range(model.rowCount())}
    assert grades == {"黄金", "VIP", "非会员"}  # 200,000, 100,000 and none in 2025: not the codes GO / VI / -
    panel.scheme.setCurrentIndex(panel.scheme.findText("百分制", flags=Qt.MatchFlag.MatchContains))
    panel.run_button.click()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-8:][0] == "销售规模" and headers[-1] == "行业信誉"
    tip = model.data(model.index(0, 6), Qt.ItemDataRole.ToolTipRole)
    assert "回款信誉" in tip and tip.endswith(str(model.row(0).score))
    asked = []
    panel._confirm = lambda text: asked.append(text) or False
    panel.commit()
    assert "1 customers without sales" in asked[0]  # keeps its grade, not made D
