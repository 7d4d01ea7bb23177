"""客户进阶 and the grading tables on screen: file an application, review and approve it as other users;
the evaluation dialog shows total and result as scores are typed; the key-customer lists and editing."""
from __future__ import annotations

import uuid
from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from app.services import customers, staff, users
from ui.context import DeskContext
from ui.grading.advancement_dialog import ApplyDialog, DecisionDialog
from ui.grading.advancement_panel import AdvancementPanel
from ui.grading.evaluation_dialog import EvaluationDialog
from ui.grading.tables_panel import TablesPanel
from ui.tasks import TaskRunner


@pytest.fixture
def office(sqlite_db):
    db = sqlite_db
    dept = staff.add_department(db, name="销售一部")
    rep_staff = staff.add_staff(db, name="王丽", department_id=dept)
    cid = customers.create_customer(db, actor="建档", values={
        "name": "张三贸易有限公司", "status": "potential", "owner_id": rep_staff, "department_id": dept,
        "region": "华北"})
    admin = users.system_principal()
    people = {}
    for username, name, role in (("rep", "王丽", "sales_rep"), ("sup", "赵主管", "branch_manager"),
                                 ("mgr", "钱经理", "regional_director")):
        users.create_user(db, username=username, display_name=name, role=role, password="pass-2026",
                          staff_id=rep_staff if username == "rep" else staff.add_staff(db, name=name,
                                                                                        department_id=dept),
                          department_id=dept, by=admin)
        people[username] = users.authenticate(db, username=username, password="pass-2026")
    return db, cid, people


def _ctx(db, principal) -> DeskContext:
    runner = TaskRunner()
    runner.synchronous = True
    return DeskContext(db=db, actor=principal.display_name, tasks=runner, user=principal)


def _panel(qtbot, db, principal) -> AdvancementPanel:
    panel = AdvancementPanel(_ctx(db, principal))
    qtbot.addWidget(panel)
    panel.resize(1100, 500)
    panel.show()
    return panel


def test_file_an_application_then_review_and_approve_it_as_other_users(qtbot, office):
    db, cid, p = office
    dialog = ApplyDialog(_ctx(db, p["rep"]), customer_id=cid)
    qtbot.addWidget(dialog)
    assert dialog.step.editor.currentText() == "潜在客户 → 意向客户"
    checks = dialog.criteria_box.findChildren(QCheckBox)
    assert len(checks) == 3
    checks[0].setChecked(True)
    dialog._submit()  # reasons missing, one criterion ticked: both said in place, nothing lost
    assert dialog.reasons.error.text() and dialog.criteria_error.text() and checks[0].isChecked()
    for c in checks:
        c.setChecked(True)
    dialog.reasons.editor.insertPlainText("客户主动来电询价并要求演示")
    dialog.show()
    dialog.grab().save("/tmp/grading_apply.png")
    dialog._submit()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.created is not None

    rep_panel = _panel(qtbot, db, p["rep"])
    rep_panel.scope.setCurrentIndex(1)  # my applications
    assert rep_panel.table.rowCount() == 1 and rep_panel.table.item(0, 3).text() == "待主管审核"

    sup = _panel(qtbot, db, p["sup"])
    assert sup.table.rowCount() == 1  # waiting for me
    sup.table.selectRow(0)
    assert sup.process_button.isEnabled()
    info = sup._details(sup.selected())
    review = DecisionDialog(sup.ctx, info, "review")
    qtbot.addWidget(review)
    qtbot.mouseClick(review.no, Qt.MouseButton.LeftButton)  # returning needs a comment
    assert review.comment.error.text()
    review.comment.editor.insertPlainText("情况属实")
    qtbot.mouseClick(review.yes, Qt.MouseButton.LeftButton)
    sup.refresh()
    assert sup.table.rowCount() == 0

    mgr = _panel(qtbot, db, p["mgr"])
    mgr.table.selectRow(0)
    info = mgr._details(mgr.selected())
    approve = DecisionDialog(mgr.ctx, info, "approve")
    qtbot.addWidget(approve)
    approve.show()
    approve.grab().save("/tmp/grading_decision.png")
    qtbot.mouseClick(approve.yes, Qt.MouseButton.LeftButton)
    assert customers.get_card(db, customer_id=cid).values["status"] == "intent"

    rep_panel.refresh()
    rep_panel.table.selectRow(0)
    assert rep_panel.table.item(0, 3).text() == "已批准" and rep_panel.notify_button.isEnabled()
    rep_panel.grab().save("/tmp/grading_advancement_panel.png")


def test_the_evaluation_dialog_shows_total_grade_and_result(qtbot, office):
    db, cid, p = office
    dialog = EvaluationDialog(_ctx(db, p["mgr"]), customer_id=cid)
    qtbot.addWidget(dialog)
    dialog.resize(820, 640)
    dialog.show()
    rows = dialog.table.rowCount()
    assert rows == 5 and dialog.result.text() == ""
    for r in range(rows):
        dialog.set_score(r, "90")
    assert "90.00" in dialog.total.text() and dialog.result.text() == "发展关系"
    dialog.set_score(3, "x")
    assert "信用度" in dialog.message.text()
    for r in range(rows):
        dialog.set_score(r, "50")
    assert dialog.result.text() == "终止关系" and dialog.table.item(0, 3).text() == "D"
    dialog.set_score(0, "95")  # 销售额 weighs 25: 95×25 + 50×75 = 61.25
    assert "61.25" in dialog.total.text() and dialog.result.text() == "维持关系"
    dialog.save()
    assert dialog.saved is not None and dialog.saved.result_label == "维持关系"
    assert "维持关系" in dialog.message.text() and dialog.print_button.isEnabled()
    assert dialog.earlier.rowCount() == 1 and dialog.earlier.item(0, 2).text() == "维持关系"
    dialog.grab().save("/tmp/grading_evaluation.png")


def test_the_evaluation_dialog_offers_the_records_and_suggested_scores(qtbot, office):
    import datetime

    from app.services import sales

    db, cid, p = office
    other = customers.create_customer(db, actor="建档", values={"name": "李四实业有限公司", "region": "华北"})
    year = datetime.date.today().year - 1
    for who, y, amount, profit in ((cid, year - 1, "100000", "0"), (cid, year, "110000", "22000"),
                                   (other, year, "50000", "0")):
        sales.add_sale(db, user=None, customer_id=who, values={"year": y, "month": 5, "product": "PE管",
                                                              "amount": amount, "profit": profit})
    sales.add_payment(db, user=None, customer_id=cid, values={"amount": "1000", "due_on": datetime.date(year, 6, 30),
                                                              "paid_on": datetime.date(year, 6, 1)})
    dialog = EvaluationDialog(_ctx(db, p["mgr"]), customer_id=cid)
    qtbot.addWidget(dialog)
    basis = {dialog.table.item(r, 0).text(): dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())}
    assert f"{year}年销售额 110,000.00 元,高于 50% 的有销售客户" in basis["销售额"]
    assert "增长 +10.0%" in basis["成长率"] and basis["成长率"].endswith("suggested 75")
    assert "毛利率 20.0%" in basis["总利润率"] and "逾期或未付 0 笔" in basis["信用度"]
    assert dialog.fill_button.isEnabled() and all(dialog.table.item(r, 2).text() == "" for r in range(5))
    dialog.set_score(0, "70")  # typed: stays
    dialog.fill_suggested()
    scores = {dialog.table.item(r, 0).text(): dialog.table.item(r, 2).text() for r in range(5)}
    # growth +10% with full marks at +20%: 75; margin 20% of 30%: 67; all paid on time: 100; 2 of 5 years: 40
    assert scores == {"销售额": "70", "成长率": "75", "总利润率": "67", "信用度": "100", "合作关系与忠诚度": "40"}
    assert dialog.result.text() in ("发展关系", "维持关系", "终止关系")


def test_tables_panel_ranks_and_edits_in_place(qtbot, office):
    import datetime

    from models import SalesRecord

    db, cid, p = office
    other = customers.create_customer(db, actor="建档", values={"name": "李四实业有限公司", "region": "华东",
                                                               "confidentiality": "department"})
    year = datetime.date.today().year

    def work(s):
        for c, y, amount, profit in ((cid, year, "800000", "120000"), (cid, year - 1, "400000", "0"),
                                     (other, year, "1200000", "60000")):
            s.add(SalesRecord(id=uuid.uuid4(), customer_id=c, year=y, month=0, amount=D(amount), profit=D(profit)))
    db.transact(work)
    panel = TablesPanel(_ctx(db, p["mgr"]))
    qtbot.addWidget(panel)
    panel.resize(1300, 760)
    panel.show()
    sales = panel.key_page.lists["by_sales"]
    assert [sales.item(r, 1).text() for r in range(sales.rowCount())] == ["李四实业有限公司", "张三贸易有限公司"]
    growth = panel.key_page.lists["by_growth"]
    assert growth.rowCount() == 1 and growth.item(0, 2).text() == "100.0%"

    sales.selectRow(1)
    panel.key_page.add_selected()
    plans = panel.key_page.plans
    assert plans.rowCount() == 1 and plans.item(0, 0).text() == "张三贸易有限公司"
    plans.item(0, 2).setText("很多")  # not an amount: said in place, the stored value shown again
    assert "销售额目标" in panel.message.text() and panel.key_page.plans.item(0, 2).text() == ""
    panel.key_page.plans.item(0, 2).setText("150万")
    assert panel.key_page.plans.item(0, 2).text() == "1,500,000.00" and panel.message.text() == ""
    panel.grab().save("/tmp/grading_tables_key.png")

    panel.tabs.setCurrentWidget(panel.problem_page)
    page = panel.problem_page
    page.customer.search.setText("张三")
    assert page.customer.box.count() == 1
    page.customer.select(cid)
    page.add()
    assert page.table.rowCount() == 1 and page.table.item(0, 1).text() == "王丽"
    page.table.item(0, 4).setText("毛利连续下滑")
    assert panel.problem_page.table.item(0, 4).text() == "毛利连续下滑"
    assert b"%PDF" in panel.pdf()[:8]
    panel.grab().save("/tmp/grading_tables_problem.png")


def test_marking_a_customer_lost_needs_a_reason(qtbot, office):
    from ui.grading.advancement_dialog import LostDialog

    db, cid, p = office
    dialog = LostDialog(_ctx(db, p["rep"]))
    qtbot.addWidget(dialog)
    dialog.picker.select(cid)
    dialog._save()
    assert dialog.reason.error.text() == "请填写流失原因"
    dialog.reason.editor.setText("被竞争对手低价抢走")
    dialog._save()
    card = customers.get_card(db, customer_id=cid)
    assert card.values["status"] == "lost" and card.values["lost_reason"] == "被竞争对手低价抢走"
