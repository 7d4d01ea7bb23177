"""The services behind the 销售与回款 window: a year's sales by month and product, the year's payments marked
late, the import's valid-only mode, cancel and error report, the template, and the entered scoring items."""
import uuid
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from app.errors import ValidationFailed
from app.services import audit, customers, grading_attributes, sales
from app.services.users import Principal

TODAY = date(2026, 11, 25)
FINANCE = Principal(uuid.uuid4(), "fin", "财务丙", "finance", "财务",
                    frozenset({"sales.edit", "grading.view", "customer.open", "customer.edit",
                               "archive.read.company", "archive.read.department.all"}))
GM = Principal(uuid.uuid4(), "gm", "总经理甲", "marketing_gm", "营销总经理",
               frozenset({"grading.run", "grading.view", "customer.open", "archive.read.company",
                          "archive.read.department.all"}))


@pytest.fixture
def one(db):
    return db, customers.create_customer(db, actor="建档", values={"name": "青岛海晶化工有限公司", "grade": "A"})


def test_a_year_by_month_and_product_and_the_payments_of_the_year_marked_late(one):
    db, a = one
    for month, product, amount in ((3, "PE管", "1000"), (3, "PE管", "-200"), (3, "管件", "50"), (0, "PE管", "7")):
        sales.add_sale(db, user=FINANCE, customer_id=a, values={"year": 2025, "month": month, "product": product,
                                                                "amount": amount}, today=TODAY)
    sales.add_sale(db, user=FINANCE, customer_id=a, values={"year": 2024, "month": 3, "amount": "9"}, today=TODAY)
    lines = sales.sales_in_year(db, user=FINANCE, customer_id=a, year=2025)
    assert [(x.month, x.product, x.amount, x.records) for x in lines] == [
        (0, "PE管", Decimal("7.00"), 1), (3, "PE管", Decimal("800.00"), 2), (3, "管件", Decimal("50.00"), 1)]
    for ref, due, paid in (("HT1", "2025-03-01", "2025-02-28"), ("HT2", "2025-06-01", "2025-06-09"),
                           ("HT3", "2025-12-01", ""), ("HT4", "2024-12-01", "")):
        sales.add_payment(db, user=FINANCE, customer_id=a, values={"reference": ref, "amount": "100", "due_on": due,
                                                                   "paid_on": paid}, today=TODAY)
    pays = sales.payments_in_year(db, user=FINANCE, customer_id=a, year=2025, today=date(2025, 12, 5))
    assert [(p.reference, p.late) for p in pays] == [("HT1", False), ("HT2", True), ("HT3", True)]


def _book(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户代码", "年度", "月份", "产品", "销售额"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_valid_only_imports_the_good_rows_and_reports_only_the_bad_ones(one, tmp_path):
    db, a = one
    path = _book(tmp_path / "s.xlsx", [["KH000001", 2025, 1, "PE管", 100], ["KH000001", 2025, 2, "PE管", "很多"],
                                       ["KH000404", 2025, 2, "PE管", 5]])
    report = tmp_path / "report.xlsx"
    result = sales.import_sales(db, user=FINANCE, path=path, today=TODAY, mode="valid_only", error_report_path=report)
    assert result.imported == 1 and [e.row for e in result.errors] == [3, 4]
    assert sales.sales_in_year(db, user=FINANCE, customer_id=a, year=2025)[0].amount == Decimal("100.00")
    rows = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["KH000001", "KH000404"]
    assert "销售额应为金额" in rows[1][-1] and "KH000404 不存在" in rows[2][-1]


def test_a_cancelled_import_writes_nothing(one, tmp_path):
    db, a = one
    path = _book(tmp_path / "s.xlsx", [["KH000001", 2025, m % 12 + 1, "PE管", 1] for m in range(450)])
    result = sales.import_sales(db, user=FINANCE, path=path, today=TODAY, cancelled=lambda: True)
    assert result.cancelled and result.imported == 0
    assert sales.sales_in_year(db, user=FINANCE, customer_id=a, year=2025) == []


def test_the_template_reads_back_with_its_example_row_skipped(one, tmp_path):
    db, _a = one
    path = tmp_path / "模板.xlsx"
    sales.write_sales_template(path)
    preview = sales.preview_sales(path)
    assert preview.missing_required == [] and preview.total_rows == 0
    assert all(preview.mapped.values())
    result = sales.import_sales(db, user=FINANCE, path=path, today=TODAY)
    assert result.ok and result.imported == 0


def test_the_scoring_items_are_checked_kept_with_a_note_and_audited(one):
    db, a = one
    assert grading_attributes.get_attributes(db, user=GM, customer_id=a).sales_model is None
    with pytest.raises(ValidationFailed) as exc:
        grading_attributes.set_attributes(db, user=GM, customer_id=a, sales_model=120, their_share=30, reputation=None)
    assert exc.value.errors == {"sales_model": "应为0–100之间的整数"}
    grading_attributes.set_attributes(db, user=GM, customer_id=a, sales_model=80, their_share=30, reputation=None,
                                note="直销为主")
    got = grading_attributes.get_attributes(db, user=GM, customer_id=a)
    assert (got.sales_model, got.their_share, got.reputation, got.note, got.default) == (80, 30, None, "直销为主", 50)
    assert any(h.entity == "评分项" and h.new_value == "80" for h in audit.history(db, user=None, customer_id=a))


def test_payments_import_all_or_nothing_then_the_late_rule_runs(one, tmp_path):
    db, a = one
    path = tmp_path / "回款.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户编号", "发票号", "回款金额", "到期日", "付款日期"])
    ws.append(["KH000001", "FP1", 1000, date(2026, 10, 10), date(2026, 10, 20)])
    ws.append(["KH000001", "FP2", "一千", "2026-11-01", ""])
    ws.append(["KH000001", "FP3", 500, "2026-02-30", ""])
    wb.save(path)
    result = sales.import_payments(db, user=FINANCE, path=path, today=TODAY)
    assert result.imported == 0 and [str(e) for e in result.errors] == ["第 4 行:应付日期应为日期,例如 2026-11-25"]
    assert sales.payments_in_year(db, user=FINANCE, customer_id=a, year=2026, today=TODAY) == []
    ws.delete_rows(4)
    wb.save(path)
    result = sales.import_payments(db, user=FINANCE, path=path, today=TODAY)
    assert result.ok and result.imported == 2
    pays = sales.payments_in_year(db, user=FINANCE, customer_id=a, year=2026, today=TODAY)
    assert [(p.reference, p.amount, p.late) for p in pays] == [("FP1", Decimal("1000.00"), True),
                                                              ("FP2", Decimal("1000.00"), True)]
    from app.services import grade_policy

    assert [d.late_count for d in grade_policy.term_drops(db, user=FINANCE)] == [2]


def test_the_payments_template_reads_back(one, tmp_path):
    db, _a = one
    path = tmp_path / "回款模板.xlsx"
    sales.write_sales_template(path, kind="payments")
    preview = sales.preview_sales(path, kind="payments")
    assert preview.missing_required == [] and preview.total_rows == 0 and all(preview.mapped.values())
