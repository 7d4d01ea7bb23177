"""The 客户分级表 as the default roles print it: complete for the GM, finance and the auditor (names of personal-
level archives too), 保密客户 for a branch manager; tiers in words; the eight item scores and credit limits in
the export; finance runs the credit grades — on SQLite and PostgreSQL."""
import io
import uuid
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from sqlalchemy import insert

from app.services import customers, grading_output, grading_runs, grading_schemes, staff, users
from app.services.users import PermissionDenied
from app.services.visits import HIDDEN_NAME
from models import SalesRecord

YEAR = 2025


@pytest.fixture
def office(db):
    one = staff.add_department(db, name="销售一部")
    two = staff.add_department(db, name="销售二部")
    other_rep = staff.add_staff(db, name="外部门业务员", department_id=two)
    admin = users.system_principal()
    people = {}
    for username, role in (("gm", "marketing_gm"), ("finance", "finance"), ("auditor", "auditor"),
                           ("manager", "branch_manager")):
        users.create_user(db, username=username, display_name=username, role=role, password="pass-2026",
                          staff_id=staff.add_staff(db, name=username, department_id=one), department_id=one,
                          by=admin)
        people[username] = users.authenticate(db, username=username, password="pass-2026")
    ids = []
    for i, (address, amount) in enumerate((("海南省海口市龙华区滨海大道1号", 4_000_000),
                                           ("北京市朝阳区建国路88号", 4_000_000),
                                           ("上海市浦东新区世纪大道100号", 60_000_000))):
        ids.append(customers.create_customer(db, actor="建档", values={
            "name": f"分级表客户{i}有限公司", "address": address, "industry": "manufacturing",
            "confidentiality": "personal", "owner_id": other_rep, "department_id": two}))
        with db.write() as s:
            s.execute(insert(SalesRecord), [{"id": uuid.uuid4(), "customer_id": ids[-1], "product": "PE管",
                                             "year": YEAR, "month": 5, "amount": Decimal(amount),
                                             "profit": Decimal(amount) / 10, "orders": 2}])
    schemes = {s.kind: s for s in grading_schemes.ensure_default_schemes(db, user=people["gm"])}
    return db, people, ids, schemes


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_gm_finance_and_the_auditor_print_the_complete_table_a_branch_manager_does_not(office):
    db, p, ids, schemes = office
    run_id = grading_runs.compute_run(db, user=p["gm"], scheme_id=schemes["scoring"].id, year=YEAR)
    for who in ("gm", "finance", "auditor"):
        rows = grading_runs.run_rows(db, user=p[who], run_id=run_id)
        assert all(r.readable for r in rows) and HIDDEN_NAME not in {r.name for r in rows}, who
        text = _pdf_text(grading_output.grading_table_pdf(db, user=p[who], run_id=run_id))
        assert "分级表客户0有限公司" in text and "保密" not in text, who
    hidden = grading_runs.run_rows(db, user=p["manager"], run_id=run_id)
    assert {r.name for r in hidden} == {HIDDEN_NAME} and all(r.sales is None for r in hidden)


def test_the_export_shows_the_eight_item_scores_that_make_the_total(office, tmp_path):
    db, p, _ids, schemes = office
    run_id = grading_runs.compute_run(db, user=p["gm"], scheme_id=schemes["scoring"].id, year=YEAR)
    grading_output.export_rows(db, user=p["finance"], path=tmp_path / "s.xlsx", run_id=run_id)
    sheet = list(openpyxl.load_workbook(tmp_path / "s.xlsx").active.values)
    header, first = sheet[1], sheet[2]
    assert header[11:] == ("销售规模", "回款信誉", "产品利润率", "订单量", "销售模式", "我司产品占其销售比例",
                           "经营我司产品年限", "行业信誉")
    assert Decimal(str(sum(first[11:]))).quantize(Decimal("0.01")) == Decimal(str(first[6]))  # the total


def test_tiers_read_in_words_with_each_citys_coefficient(office, tmp_path):
    db, p, ids, schemes = office
    run_id = grading_runs.compute_run(db, user=p["gm"], scheme_id=schemes["membership"].id, year=YEAR)
    rows = {r.customer_id: r for r in grading_runs.run_rows(db, user=p["gm"], run_id=run_id)}
    # 4,000,000 in 海口 (80% by default: 钻石 from 4,000,000) against the same in 北京 (unscaled: 白金)
    assert [rows[c].grade for c in ids] == ["DI", "PT", "DI"]
    grading_output.export_rows(db, user=p["gm"], path=tmp_path / "m.xlsx", run_id=run_id)
    sheet = list(openpyxl.load_workbook(tmp_path / "m.xlsx").active.values)
    by_name = {r[2]: r for r in sheet[2:]}
    assert by_name["分级表客户0有限公司"][4] == "钻石" and by_name["分级表客户0有限公司"][11:] == ("海口", 80)
    assert by_name["分级表客户1有限公司"][4] == "白金" and by_name["分级表客户1有限公司"][11:] == ("北京", 100)
    key = grading_runs.compute_run(db, user=p["gm"], scheme_id=schemes["key_account"].id, year=YEAR)
    text = _pdf_text(grading_output.grading_table_pdf(db, user=p["gm"], run_id=key))
    assert "战略性大客户" in text and "KS" not in text


def test_finance_runs_and_commits_the_credit_grades_and_reads_the_limits(office, tmp_path):
    db, p, _ids, schemes = office
    with pytest.raises(PermissionDenied):
        grading_runs.compute_run(db, user=p["finance"], scheme_id=schemes["scoring"].id, year=YEAR)
    from datetime import date

    from app.services import credit

    assert credit.recheck(db, user=p["finance"]).overdue  # never re-checked: due now
    run_id = grading_runs.compute_run(db, user=p["finance"], scheme_id=schemes["credit"].id, year=YEAR)
    grading_runs.commit_run(db, user=p["finance"], run_id=run_id)
    r = credit.recheck(db, user=p["finance"])
    assert r.last is not None and not r.overdue and r.due > date.today()  # credit.recheck_months (3) on
    assert grading_runs.get_run(db, user=p["auditor"], run_id=run_id).status == "committed"
    grading_output.export_rows(db, user=p["finance"], path=tmp_path / "c.xlsx", run_id=run_id)
    sheet = list(openpyxl.load_workbook(tmp_path / "c.xlsx").active.values)
    assert sheet[1][11] == "信用额度(元)"
    # no payment due in the year: grade C with the C limit (credit.c_limit, 20,000 元)
    assert {(r[4], r[11]) for r in sheet[2:]} == {("C", 20000)}
