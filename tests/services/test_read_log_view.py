"""The read-log viewer's filters and its Excel export (借阅记录导出), which is itself logged."""
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from app.services import access, customers, read_log_export, staff, users
from app.services.access import ReadLogFilter
from app.services.users import PermissionDenied


@pytest.fixture
def logged(db):
    users.create_user(db, username="admin", display_name="系统管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    dept = staff.add_department(db, name="销售一部")
    owner = staff.add_staff(db, name="王丽", department_id=dept)
    ids = {name: customers.create_customer(db, actor="建档", values={
        "name": name, "owner_id": owner, "department_id": dept, "confidentiality": "department"})
        for name in ("长江贸易有限公司", "黄河物流有限公司")}
    for username, role in (("auditor", "auditor"), ("front", "front_desk"), ("manager", "branch_manager")):
        users.create_user(db, username=username, display_name=f"{username}-员工", role=role,
                          password="pass-2026", department_id=dept, by=admin)
    people = {u: users.authenticate(db, username=u, password="pass-2026") for u in ("auditor", "front", "manager")}
    access.check_read(db, people["manager"], ids["长江贸易有限公司"], action="open")
    access.check_read(db, people["manager"], ids["黄河物流有限公司"], action="print")
    with pytest.raises(PermissionDenied):
        access.check_read(db, people["front"], ids["长江贸易有限公司"], action="edit")
    return db, people


def test_filters_narrow_the_log(logged):
    db, people = logged
    auditor = people["auditor"]
    assert len(access.read_log(db, user=auditor)) == 3
    refused = access.read_log(db, user=auditor, flt=ReadLogFilter(allowed=False))
    assert [(r.username, r.action, r.customer_name) for r in refused] == [("front", "edit", "长江贸易有限公司")]
    assert {r.customer_name for r in access.read_log(db, user=auditor, flt=ReadLogFilter(customer="长江"))} == {
        "长江贸易有限公司"}
    assert [r.action for r in access.read_log(db, user=auditor, flt=ReadLogFilter(user="MANAGER"))] == [
        "print", "open"]  # newest first; the user filter ignores case
    assert [r.action for r in access.read_log(db, user=auditor, flt=ReadLogFilter(action="print"))] == ["print"]
    today = date.today()
    assert len(access.read_log(db, user=auditor, flt=ReadLogFilter(date_from=today, date_to=today))) == 3
    assert access.read_log(db, user=auditor, flt=ReadLogFilter(date_to=today - timedelta(days=1))) == []


def test_export_writes_the_filtered_rows_and_is_logged(logged, tmp_path):
    db, people = logged
    auditor = people["auditor"]
    path = tmp_path / "借阅记录.xlsx"
    assert read_log_export.export_read_log(db, user=auditor, path=path, flt=ReadLogFilter(user="manager")) == 2
    wb = load_workbook(path)
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "用户名", "姓名", "操作", "客户")
    assert [(r[1], r[3], r[4], r[6]) for r in rows[1:]] == [("manager", "打印", "黄河物流有限公司", "允许"),
                                                            ("manager", "查阅", "长江贸易有限公司", "允许")]
    assert wb.properties.creator == "auditor-员工(auditor)" and "导出时间" in wb.properties.description
    newest = access.read_log(db, user=auditor)[0]
    assert (newest.username, newest.action, newest.allowed) == ("auditor", "export", True)
    assert "导出借阅记录 2 行" in newest.note and path.name in newest.note
    with pytest.raises(PermissionDenied):
        read_log_export.export_read_log(db, user=people["front"], path=tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
