"""Borrowing from the desk: a rep asks by exact code, the manager approves, the archive appears in the rep's list."""
from app.services import customers, staff, users
from app.services.customer_search import CustomerFilter, search_ids
from ui.borrow_dialog import BorrowDialog


def test_rep_requests_manager_approves(qtbot, sqlite_db):
    from ui.context import DeskContext
    from ui.tasks import TaskRunner

    db = sqlite_db
    a, b = staff.add_department(db, name="销售一部"), staff.add_department(db, name="销售二部")
    owner = staff.add_staff(db, name="业务员甲", department_id=a)
    cid = customers.create_customer(db, actor="建档", values={"name": "借阅界面测试有限公司", "code": "KH777777",
                                                             "owner_id": owner, "department_id": a})
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    for name, role, dept in (("rep", "sales_rep", b), ("manager", "branch_manager", a)):
        users.create_user(db, username=name, display_name=name, role=role, password="pass-2026",
                          staff_id=staff.add_staff(db, name=name, department_id=dept), department_id=dept, by=admin)
    rep = users.authenticate(db, username="rep", password="pass-2026")
    dialog = BorrowDialog(DeskContext(db=db, actor="rep", tasks=TaskRunner(), user=rep))
    qtbot.addWidget(dialog)
    dialog.customer.editor.setText("借阅界面")  # a fragment is not enough: no browsing through requests
    dialog.find()
    assert dialog.stub is None and dialog.customer.error.text()
    dialog.customer.editor.setText("kh777777")
    dialog.submit()
    assert dialog.reason.error.text() == "请填写查阅原因"
    dialog.reason.editor.setText("客户转来投诉,需了解合同")
    dialog.submit()
    assert dialog.table.rowCount() == 1 and not dialog.approve_button.isVisibleTo(dialog)

    manager = users.authenticate(db, username="manager", password="pass-2026")
    approver = BorrowDialog(DeskContext(db=db, actor="manager", tasks=TaskRunner(), user=manager))
    qtbot.addWidget(approver)
    assert approver.table.item(0, 0).text() == "借阅界面测试有限公司"
    approver.table.selectRow(0)
    approver.decide(True)
    assert approver.table.rowCount() == 0
    assert search_ids(db, CustomerFilter(), user=rep) == [cid]
    # the approver saw what is lent (level, department); the requester now sees who approved and until when
    mine = BorrowDialog(DeskContext(db=db, actor="rep", tasks=TaskRunner(), user=rep))
    qtbot.addWidget(mine)
    header = [mine.table.horizontalHeaderItem(j).text() for j in range(mine.table.columnCount())]
    row = dict(zip(header, (mine.table.item(0, j).text() for j in range(mine.table.columnCount())), strict=True))
    assert row["Access"] == "Read only" and row["Approved by"] == "manager"
    assert row["Expires"][:4].isdigit() and row["Level"] and row["Department"] == "销售一部"
