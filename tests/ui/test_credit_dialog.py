"""信用额度… in the 销售与回款 panel: an order over the limit says in place who must approve; the rep files
it with a reason; the 部长 and then the 总经理 approve it from their own dialogs."""
from __future__ import annotations

import os

from app.services import credit, staff, users
from ui.context import DeskContext
from ui.grading.credit_dialog import CreditDialog
from ui.grading.sales_panel import SalesPanel


def _people(ctx):
    db = ctx.db
    rep_staff = next(s.id for s in staff.list_staff(db) if s.name == "王丽")
    dept = staff.departments(db)[0][0]
    people = {}
    for username, name, role, sid in (("rep", "王丽", "sales_rep", rep_staff), ("bm", "赵部长", "branch_manager", None),
                                      ("gm", "钱总", "marketing_gm", None)):
        users.create_user(db, username=username, display_name=name, role=role, password="pass-2026",
                          staff_id=sid or staff.add_staff(db, name=name, department_id=dept), department_id=dept,
                          by=users.system_principal())
        user = users.authenticate(db, username=username, password="pass-2026")
        people[username] = DeskContext(db=db, actor=name, tasks=ctx.tasks, user=user)
    return people


def test_over_the_limit_shows_who_approves_is_filed_and_approved_by_the_minister_then_the_gm(qtbot, ctx):
    p = _people(ctx)
    panel = SalesPanel(p["rep"])
    qtbot.addWidget(panel)
    assert panel.credit_button.isVisible() or not panel.isVisible()
    dialog = panel.credit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert "20,000.00" in dialog.limit.text() and "C" in dialog.grade.text()  # no credit run yet: C default
    assert not dialog.file_button.isVisible()

    dialog.amount.editor.setText("很多")
    dialog.check()
    assert "订单金额" in dialog.amount.error.text() and dialog.amount.value() == "很多"

    dialog.amount.editor.setText("15000")
    dialog.check()
    assert "Within the limit" in dialog.verdict.text() and not dialog.file_button.isVisible()

    dialog.amount.editor.setText("22000")  # 10% over: the 部长 alone
    dialog.check()
    assert "部长" in dialog.verdict.text() and "总经理" not in dialog.verdict.text()

    dialog.amount.editor.setText("30000")  # 50% over: the 部长, then the 总经理
    dialog.check()
    assert "部长" in dialog.verdict.text() and "总经理" in dialog.verdict.text()
    assert dialog.file_button.isVisible()
    dialog.file_request()
    assert "申请理由" in dialog.reason.error.text()  # nothing lost: the amount is still there
    assert dialog.amount.value() == "30000"
    dialog.reason.editor.setPlainText("年底备货,客户承诺月底回款")
    dialog.file_request()
    assert dialog.filed is not None and "Request filed" in dialog.verdict.text()
    if os.environ.get("KEDESK_SHOTS"):
        dialog.grab().save("/tmp/credit_rep.png")

    # the 部长 sees it waiting; refusing needs a reason; approving passes it on to the 总经理
    minister = CreditDialog(p["bm"], panel.picker.customer_id())
    qtbot.addWidget(minister)
    minister.show()
    assert minister.table.rowCount() == 1 and "年底备货" in minister.table.item(0, 6).text()
    minister.decide(False)
    assert "原因" in minister.comment.error.text()
    minister.decide(True)
    assert minister.table.rowCount() == 0 and "待总经理审批" in minister.todo_done.text()

    gm = CreditDialog(p["gm"], panel.picker.customer_id())
    qtbot.addWidget(gm)
    gm.show()
    if os.environ.get("KEDESK_SHOTS"):
        gm.grab().save("/tmp/credit_gm.png")
    assert gm.table.rowCount() == 1
    gm.decide(True)
    assert "已批准" in gm.todo_done.text()
    mine = credit.list_requests(ctx.db, user=p["rep"].user, scope="mine")
    assert [(r.state_label, r.minister, r.gm) for r in mine] == [("已批准", "赵部长", "钱总")]


def test_a_front_desk_user_has_no_credit_button(qtbot, ctx):
    front = users.Principal(None, "fd", "前台", "front_desk", "前台", frozenset({"customer.list", "customer.open"}))
    panel = SalesPanel(DeskContext(db=ctx.db, actor="前台", tasks=ctx.tasks, user=front))
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.credit_button.isVisible()


def test_the_rep_prints_the_approval_form_of_this_customer_s_request(qtbot, ctx, previewed):
    p = _people(ctx)
    panel = SalesPanel(p["rep"])
    qtbot.addWidget(panel)
    customer_id = panel.picker.customer_id()
    credit.request_approval(ctx.db, user=p["rep"].user, customer_id=customer_id, amount="30000", reason="年底备货")
    shown = previewed
    dialog = CreditDialog(p["rep"], customer_id)
    qtbot.addWidget(dialog)
    dialog.show()
    # a rep approves nothing: the list is this customer's requests, without approve / refuse
    assert dialog.scope.currentData() == "customer" and not dialog.approve_button.isVisible()
    assert dialog.table.rowCount() == 1 and "待部长审批" in dialog.table.item(0, 5).text()
    dialog.print_button.click()
    assert shown["title"].startswith("信用额度超限审批单") and shown["pdf"].startswith(b"%PDF")

    minister = CreditDialog(p["bm"], customer_id)  # the 部长 prints from the list waiting for him
    qtbot.addWidget(minister)
    minister.show()
    assert minister.scope.currentData() == "todo" and minister.approve_button.isVisible()
    shown.clear()
    minister.print_button.click()
    assert shown["pdf"].startswith(b"%PDF")
