"""Every role × archive level × operation against the expected table (DOMAIN.md §2 保密), with the read log.

The expected table is written out by hand here, not derived from the rule it checks.
"""
from __future__ import annotations

import itertools

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.services import card_print, customer_export, customers, staff, users
from app.services.customer_search import CustomerFilter, as_uuid, fetch_rows, search_ids, search_page
from app.services.users import PermissionDenied
from models import ReadLog

LEVELS = ("company", "department", "personal")
DEPTS = ("A", "B")
OPS = ("list", "open", "edit", "export", "print")

# which of the six archives (level/department) each user may read; the users all sit in department A,
# "owner" is the rep who owns the department-A customers
READS = {
    "front_desk": set(), "sales_rep": set(), "archive_clerk": set(), "finance": set(), "auditor": set(),
    "admin": set(),
    "owner": {"company/A", "department/A", "personal/A"},
    "branch_manager": {"department/A", "personal/A"},
    "regional_director": {"department/A", "department/B", "personal/A"},
    "marketing_gm": {"company/A", "company/B", "department/A", "department/B", "personal/A"},
}
ALLOWED_OPS = {
    "front_desk": {"list", "open"}, "sales_rep": {"list", "open", "edit", "print"},
    "owner": {"list", "open", "edit", "print"},
    "branch_manager": set(OPS), "regional_director": set(OPS), "marketing_gm": set(OPS),
    "archive_clerk": set(OPS), "finance": {"list", "open"}, "auditor": {"list", "open"}, "admin": {"list"},
}


@pytest.fixture
def office(db):
    dept = {d: staff.add_department(db, name=f"销售{d}部") for d in DEPTS}
    owner_a = staff.add_staff(db, name="甲部业务员", department_id=dept["A"])
    owner_b = staff.add_staff(db, name="乙部业务员", department_id=dept["B"])
    cards = {}
    for level, d in itertools.product(LEVELS, DEPTS):
        cards[f"{level}/{d}"] = customers.create_customer(db, actor="建档", values={
            "name": f"{level}-{d} 测试客户有限公司", "confidentiality": level,
            "owner_id": owner_a if d == "A" else owner_b, "department_id": dept[d]})
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    people = {"admin": admin}
    for role in READS:
        if role == "admin":
            continue
        staff_id = owner_a if role == "owner" else staff.add_staff(db, name=f"{role}-员工", department_id=dept["A"])
        users.create_user(db, username=role, display_name=f"{role}-员工",
                          role="sales_rep" if role == "owner" else role, password="pass-2026",
                          staff_id=staff_id, department_id=dept["A"], by=admin)
        people[role] = users.authenticate(db, username=role, password="pass-2026")
    return db, cards, people


def _log_rows(db) -> list[tuple[str, bool]]:
    with db.read() as s:
        return [(a, ok) for a, ok in s.execute(select(ReadLog.action, ReadLog.allowed).order_by(ReadLog.at))]


def _attempt(db, user, cid, op, tmp_path) -> bool:
    try:
        if op == "open":
            customers.get_card(db, customer_id=cid, user=user)
        elif op == "edit":
            customers.update_customer(db, actor=user.display_name, customer_id=cid, user=user,
                                      values={"note": f"{user.username} 修改"})
        elif op == "print":
            card_print.card_data(db, customer_id=cid, printed_by=user.display_name, user=user)
    except PermissionDenied as exc:
        assert exc.message and not exc.message.isascii()  # a Chinese message for the user
        return False
    return True


def test_role_level_operation_matrix(office, tmp_path):
    db, cards, people = office
    mismatches = []
    for role, user in people.items():
        for op in OPS:
            if op == "list":
                listed = set(search_ids(db, CustomerFilter(), user=user))
                # the tab's path (ids and first page in one read) and a page fetched by id list the same
                page = search_page(db, CustomerFilter(), user=user)
                if {as_uuid(k) for k in page.keys} != listed or {r.id for r in page.rows} != listed:
                    mismatches.append((role, "search_page", op))
                if {r.id for r in fetch_rows(db, list(cards.values()), user=user)} != listed:
                    mismatches.append((role, "fetch_rows", op))
                for key, cid in cards.items():
                    if (cid in listed) != (key in READS[role]):
                        mismatches.append((role, key, op))
                continue
            if op == "export":
                path = tmp_path / f"{role}.xlsx"
                try:
                    customer_export.export_customers(db, path=path, flt=CustomerFilter(), user=user)
                except PermissionDenied:
                    if "export" in ALLOWED_OPS[role]:
                        mismatches.append((role, "*", op))
                    continue
                names = {r[1] for r in load_workbook(path, read_only=True).active.iter_rows(min_row=2, values_only=True)}
                for key in cards:
                    expected = "export" in ALLOWED_OPS[role] and key in READS[role]
                    if (f"{key.replace('/', '-')} 测试客户有限公司" in names) != expected:
                        mismatches.append((role, key, op))
                continue
            for key, cid in cards.items():
                before = len(_log_rows(db))
                ok = _attempt(db, user, cid, op, tmp_path)
                expected = op in ALLOWED_OPS[role] and key in READS[role]
                if ok != expected:
                    mismatches.append((role, key, op))
                new = _log_rows(db)[before:]
                if new != [(op, expected)]:  # exactly one read-log row, permitted or refused
                    mismatches.append((role, key, op, "log", tuple(new)))
    assert mismatches == []


def test_exports_are_logged_once_per_export(office, tmp_path):
    db, _cards, people = office
    gm = people["marketing_gm"]
    customer_export.export_customers(db, path=tmp_path / "gm.xlsx", flt=CustomerFilter(), user=gm)
    with db.read() as s:
        rows = s.execute(select(ReadLog.action, ReadLog.note).where(ReadLog.action == "export")).all()
    assert len(rows) == 1 and "导出 5 个客户" in rows[0][1]
    props = load_workbook(tmp_path / "gm.xlsx", read_only=True).properties
    assert props.creator == "marketing_gm-员工(marketing_gm)" and "导出时间" in props.description


def test_only_auditors_and_managers_read_the_log(office):
    from app.services import access

    db, cards, people = office
    customers.get_card(db, customer_id=cards["department/A"], user=people["branch_manager"])
    log = access.read_log(db, user=people["auditor"])
    assert log[0].display_name == "branch_manager-员工" and log[0].customer_name.startswith("department-A")
    with pytest.raises(PermissionDenied):
        access.read_log(db, user=people["sales_rep"])
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(ReadLog)) == 1
