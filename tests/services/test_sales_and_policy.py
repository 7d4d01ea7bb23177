"""Sales and payment records by hand and from Excel; the policy that follows the grade; late-payment drops."""
import uuid
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from app.errors import UserError, ValidationFailed
from app.services import audit, customers, grade_policy, sales
from app.services.users import PermissionDenied, Principal
from models import Customer

TODAY = date(2026, 11, 25)
FINANCE = Principal(uuid.uuid4(), "fin", "财务丙", "finance", "财务",
                    frozenset({"sales.edit", "grading.view", "customer.open", "customer.edit",
                               "archive.read.company", "archive.read.department.all"}))
REP = Principal(uuid.uuid4(), "rep", "营销丁", "sales_rep", "营销人员", frozenset({"customer.open"}))


@pytest.fixture
def two(db):
    a = customers.create_customer(db, actor="建档", values={"name": "青岛海晶化工有限公司", "grade": "A"})
    b = customers.create_customer(db, actor="建档", values={"name": "济南泉城管业有限公司", "grade": "C"})
    return db, a, b


def test_a_sale_typed_in_is_checked_field_by_field_audited_and_listed_by_year_and_product(two):
    db, a, _b = two
    with pytest.raises(ValidationFailed) as exc:
        sales.add_sale(db, user=FINANCE, customer_id=a, values={"year": "2030", "month": "13", "amount": "很多"},
                       today=TODAY)
    assert exc.value.errors == {"year": "年度应为 1990–2026 的整数", "month": "月份应为 0–12 的整数",
                                "amount": "销售额应为金额,例如 12,500.00 或 50万"}
    with pytest.raises(PermissionDenied):
        sales.add_sale(db, user=REP, customer_id=a, values={"year": 2025, "amount": "1"}, today=TODAY)
    sales.add_sale(db, user=FINANCE, customer_id=a, values={"year": "2025", "month": "3", "product": "PE管",
                                                            "amount": "50万", "profit": "6万", "orders": "4"},
                   today=TODAY)
    sales.add_sale(db, user=FINANCE, customer_id=a, values={"year": 2025, "month": 4, "product": "PE管",
                                                            "amount": "-1,000"}, today=TODAY)  # 负数冲减
    sales.add_sale(db, user=FINANCE, customer_id=a, values={"year": 2024, "product": "管件", "amount": "8000"},
                   today=TODAY)
    lines = sales.sales_by_year(db, user=FINANCE, customer_id=a)
    assert [(x.year, x.product, x.amount, x.orders, x.months) for x in lines] == [
        (2025, "PE管", Decimal("499000.00"), 4, 2), (2024, "管件", Decimal("8000.00"), 0, 1)]
    assert any(h.entity == "销售记录" and "500000.00" in h.new_value
               for h in audit.history(db, user=None, customer_id=a))


def test_two_late_payments_in_a_quarter_drop_the_terms_one_level_with_a_notice(two):
    db, a, b = two
    assert grade_policy.policy_for(db, user=FINANCE, customer_id=a, today=TODAY).policy.payment_terms == \
        "交货后90天内付款"
    with pytest.raises(ValidationFailed) as exc:
        sales.add_payment(db, user=FINANCE, customer_id=a, values={"amount": "", "due_on": "2026-13-01"},
                          today=TODAY)
    assert set(exc.value.errors) == {"amount", "due_on"}
    sales.add_payment(db, user=FINANCE, customer_id=a, values={"reference": "HT1", "amount": "1000",
                                                               "due_on": "2026-10-10", "paid_on": "2026-10-20"},
                      today=TODAY)
    assert grade_policy.term_drops(db, user=FINANCE) == []
    sales.add_payment(db, user=FINANCE, customer_id=a, values={"reference": "HT2", "amount": "1000",
                                                               "due_on": "2026-11-01"}, today=TODAY)  # unpaid
    drops = grade_policy.term_drops(db, user=FINANCE)
    assert [(d.code, d.quarter, d.late_count) for d in drops] == [("KH000001", "2026Q4", 2)]
    got = grade_policy.policy_for(db, user=FINANCE, customer_id=a, today=TODAY)
    assert got.policy.dropped and got.policy.payment_terms == "货到付款或30天内付款" and got.late_quarter == "2026Q4"
    assert got.policy.price_text == "最多低于内部控制价5%" and got.policy.rush_orders  # only the terms drop
    assert any(h.action == "付款条件降级" for h in audit.history(db, user=None, customer_id=a))
    assert grade_policy.check_late_payments(db, user=FINANCE, today=TODAY) == 0  # noticed once
    # the quarter after next: the drop no longer holds
    assert not grade_policy.policy_for(db, user=FINANCE, customer_id=a, today=date(2027, 4, 2)).policy.dropped
    assert grade_policy.policy_for(db, user=FINANCE, customer_id=b, today=TODAY).policy.payment_terms == \
        "不赊账,货到付款"


def test_sales_import_is_all_or_nothing_with_every_bad_row_named(two, tmp_path):
    db, a, _b = two
    path = tmp_path / "sales.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户编号", "年份", "月", "产品", "销售金额", "毛利", "订单"])
    ws.append(["KH000001", 2025, 1, "PE管", 120000, 15000, 3])
    ws.append(["KH000002", 2025, 2, "管件", "3万", None, None])
    ws.append(["KH000009", 2025, 2, "管件", 100, None, None])
    ws.append(["KH000001", 2025, 14, "管件", "x", None, None])
    wb.save(path)
    result = sales.import_sales(db, user=FINANCE, path=path, today=TODAY)
    assert result.imported == 0
    assert [str(e) for e in result.errors] == ["第 4 行:客户代码 KH000009 不存在",
                                               "第 5 行:月份应为 0–12 的整数;销售额应为金额,例如 12,500.00 或 50万"]
    assert sales.sales_by_year(db, user=FINANCE, customer_id=a) == []
    ws.delete_rows(4, 2)
    wb.save(path)
    result = sales.import_sales(db, user=FINANCE, path=path, today=TODAY)
    assert result.ok and result.imported == 2
    assert sales.sales_by_year(db, user=FINANCE, customer_id=a)[0].amount == Decimal("120000.00")
    with db.read() as s:
        assert s.get(Customer, a).code == "KH000001"


def test_a_receivable_entered_before_it_is_paid_is_settled_once_and_then_not_late(two):
    db, a, _b = two
    early = date(2026, 11, 2)
    ids = [sales.add_payment(db, user=FINANCE, customer_id=a, values={"reference": f"HT{i}", "amount": "1000",
                                                                      "due_on": f"2026-11-{d}"}, today=early)
           for i, d in ((1, 10), (2, 20))]  # entered when due, not yet paid
    with pytest.raises(ValidationFailed) as exc:
        sales.record_paid(db, user=FINANCE, payment_id=ids[0], paid_on=date(2026, 12, 1), today=TODAY)
    assert exc.value.errors == {"paid_on": "实付日期不能晚于今天"}
    sales.record_paid(db, user=FINANCE, payment_id=ids[0], paid_on=date(2026, 11, 8), today=date(2026, 11, 8))
    sales.record_paid(db, user=FINANCE, payment_id=ids[1], paid_on=date(2026, 11, 18), today=date(2026, 11, 18))
    got = grade_policy.policy_for(db, user=FINANCE, customer_id=a, today=TODAY)
    assert not got.policy.dropped and grade_policy.term_drops(db, user=FINANCE) == []  # paid on time: A terms stay
    with pytest.raises(UserError, match="已于 2026-11-08 登记收款"):
        sales.record_paid(db, user=FINANCE, payment_id=ids[0], paid_on=date(2026, 11, 9), today=TODAY)
    change = audit.history(db, user=None, customer_id=a)[0]
    assert (change.entity, change.old_value, change.new_value) == ("回款记录", "未付", "2026-11-18")
