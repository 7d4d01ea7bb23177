"""Excel export of customers (导出客户), and the round trip back through the import."""
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.bootstrap import open_database
from app.cli import main
from app.domain.fields import CUSTOMER_FIELDS
from app.errors import UserError
from app.services import blacklist, customer_export, customer_import, customers, staff
from app.services.customer_search import CustomerFilter, search_ids

VALID_USCC = "91110000600037341L"


@pytest.fixture
def fresh_db(tmp_path):
    db = open_database(f"sqlite:///{(tmp_path / 'fresh.sqlite3').as_posix()}")
    yield db
    db.dispose()


def _cards(db) -> list:
    return [customers.get_card(db, customer_id=i) for i in search_ids(db, CustomerFilter())]


def _sample(db) -> dict:
    dept = staff.add_department(db, name="大客户部")
    rep = staff.add_staff(db, name="王丽", department_id=dept)
    ids = {}
    ids["张家"] = customers.create_customer(db, actor="王丽", values={
        "name": "张家建筑有限公司", "uscc": VALID_USCC, "registered_capital": "500万", "annual_revenue": "3亿",
        "headcount": "800", "industry": "建筑业", "status": "成交客户", "customer_type": "经销商",
        "source": "合作伙伴推荐", "channel_level": "4", "grade": "A", "credit_limit": "1234.5",
        "owner_id": str(rep), "department_id": str(dept), "confidentiality": "公司级", "postcode": "100000",
        "phone": "010-62345678", "address": "北京市海淀区中关村大街1号", "distance_km": "12.5",
        "last_verified_on": date(2026, 1, 5), "note": "=重要客户", "important": "是"})
    ids["阿里"] = customers.create_customer(db, actor="王丽", values={"name": "阿里物流公司", "status": "deal"})
    ids["北方"] = customers.create_customer(db, actor="王丽", values={
        "name": "北方贸易公司", "status": "lost", "lost_reason": "转向竞争对手"})
    blacklist.add(db, user=None, actor="王丽", customer_id=ids["阿里"], criterion="恶意拖欠货款", reason="欠款两年")
    return ids


def test_export_shows_labels_names_numbers_and_dates(db, tmp_path):
    _sample(db)
    path = tmp_path / "客户.xlsx"
    assert customer_export.export_customers(db, path=path, flt=CustomerFilter()) == 3
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header == [f.label for f in CUSTOMER_FIELDS] + ["黑名单"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["客户名称"].value == "张家建筑有限公司"
    assert (row["行业"].value, row["合作状态"].value, row["客户类型"].value) == ("建筑业", "成交客户", "经销商")
    assert (row["负责人"].value, row["部门"].value, row["保密级别"].value) == ("王丽", "大客户部", "公司级")
    assert row["注册资本"].value == 5000000 and row["注册资本"].number_format == "#,##0.00"
    assert row["信用额度"].value == pytest.approx(1234.5)
    assert row["最近核定日期"].value.date() == date(2026, 1, 5) and row["最近核定日期"].is_date
    assert row["备注"].value == "=重要客户" and row["备注"].data_type == "s"  # text, never a formula
    assert [ws.cell(r, len(header)).value for r in (2, 3, 4)] == ["否", "是", "否"]
    assert [ws.cell(r, header.index("重要客户") + 1).value for r in (2, 3, 4)] == ["是", "否", "否"]


def test_export_of_a_filter_has_only_those_rows_in_the_list_order(db, tmp_path):
    _sample(db)
    path = tmp_path / "成交.xlsx"
    flt = CustomerFilter(status="deal", sort="name")
    assert customer_export.export_customers(db, path=path, flt=flt) == 2
    names = [r[1] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert names == ["阿里物流公司", "张家建筑有限公司"]  # by pinyin: a before z
    flt.descending = True
    customer_export.export_customers(db, path=path, flt=flt)
    assert [r[1] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)] == [
        "张家建筑有限公司", "阿里物流公司"]


def test_round_trip_into_a_fresh_database_gives_the_same_cards(db, fresh_db, tmp_path):
    _sample(db)
    path = tmp_path / "往返.xlsx"
    customer_export.export_customers(db, path=path, flt=CustomerFilter())
    dept = staff.add_department(fresh_db, name="大客户部")
    staff.add_staff(fresh_db, name="王丽", department_id=dept)
    result = customer_import.import_customers(fresh_db, actor="王丽", path=path, mode="all_or_nothing")
    assert (result.imported, result.rejected) == (3, 0)
    before, after = _cards(db), _cards(fresh_db)
    ignore = {"owner_id", "department_id"}  # new ids in the new database; compared by name below
    assert [{k: v for k, v in c.values.items() if k not in ignore} for c in after] == [
        {k: v for k, v in c.values.items() if k not in ignore} for c in before]
    assert [(c.owner_name, c.department_name) for c in after] == [(c.owner_name, c.department_name)
                                                                  for c in before]
    assert after[0].values["registered_capital"] == Decimal("5000000.00")
    assert [c.values["important"] for c in after] == [True, False, False]  # the 重要客户 flag comes back


def test_cancelled_export_leaves_no_file_and_keeps_an_old_one(db, tmp_path, monkeypatch):
    monkeypatch.setattr(customer_export, "CHUNK", 1)
    _sample(db)
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "客户.xlsx"
    path.write_bytes(b"old file")
    calls = []
    count = customer_export.export_customers(db, path=path, flt=CustomerFilter(),
                                             progress=lambda done, total: calls.append((done, total)),
                                             cancelled=lambda: len(calls) >= 2)
    assert count == 0
    assert path.read_bytes() == b"old file"
    assert calls == [(1, 3), (2, 3)]
    assert [p.name for p in path.parent.iterdir()] == ["客户.xlsx"]


def test_progress_reaches_the_total(db, tmp_path):
    _sample(db)
    calls = []
    customer_export.export_customers(db, path=tmp_path / "a.xlsx", flt=CustomerFilter(),
                                     progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (3, 3)


def test_cli_export_writes_a_readable_workbook(db, tmp_path, capsys):
    _sample(db)
    path = tmp_path / "导出.xlsx"
    assert main(["--db", db.url, "export-customers", str(path)]) == 0
    assert "已导出 3 个客户" in capsys.readouterr().out
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][1] == "客户名称"


def test_export_to_an_unwritable_place_is_a_user_error(db, tmp_path):
    (tmp_path / "占用").write_text("x")
    with pytest.raises(UserError, match="无法写入"):
        customer_export.export_customers(db, path=tmp_path / "占用" / "a.xlsx", flt=CustomerFilter())
