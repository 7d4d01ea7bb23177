"""Excel import of customers (Excel导入客户), on SQLite and PostgreSQL."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from stdnum.cn import uscc as uscc_rule

from app.cli import main
from app.domain.validation import validate_customer
from app.errors import UserError
from app.services import audit, customer_import, customers, staff
from app.services.customer_search import CustomerFilter, fetch_rows, search_ids

HEADER = ["客户名称", "统一社会信用代码", "邮编", "注册资本", "合作状态", "负责人", "最近核定日期"]


def _uscc(n: int) -> str:
    body = f"91110000{n:09d}"
    return body + uscc_rule.calc_check_digit(body)


def _xlsx(path, header, *rows):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def _names(db) -> list[str]:
    return [r.name for r in fetch_rows(db, search_ids(db, CustomerFilter()))]


def _mixed(tmp_path):
    """Three rows; the middle one has a bad USCC check digit and a 4-digit postcode."""
    return _xlsx(tmp_path / "客户.xlsx", HEADER,
                 ["甲公司", _uscc(1), "100000", "500万", "成交客户", None, "2026-01-05"],
                 ["乙公司", "91110000600037341X", "1000", None, None, None, None],
                 ["丙公司", None, None, 1200000, None, None, datetime(2026, 2, 3)])


def _report_rows(path):
    ws = load_workbook(path).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_all_or_nothing_imports_nothing_and_reports_the_message_on_the_right_row(db, tmp_path):
    source = _mixed(tmp_path)
    result = customer_import.import_customers(db, actor="王丽", path=source, mode="all_or_nothing")
    assert (result.imported, result.rejected, result.total) == (0, 1, 3)
    assert _names(db) == []
    assert result.error_report == tmp_path / "客户.错误报告.xlsx"
    rows = _report_rows(result.error_report)
    assert rows[0] == HEADER + ["错误说明"]
    # the card editor's own messages, in the same words
    editor = validate_customer(customers.normalise({"name": "乙公司", "uscc": "91110000600037341X",
                                                    "postcode": "1000"}))
    assert rows[2][-1] == ";".join(editor.values())
    assert "校验位" in rows[2][-1] and "邮政编码应为6位数字" in rows[2][-1]
    assert rows[2][:3] == ["乙公司", "91110000600037341X", "1000"]  # the user's values, to fix in place
    assert [r[0] for r in rows[1:]] == ["甲公司", "乙公司", "丙公司"]
    assert rows[1][-1] is None and rows[3][-1] is None


def test_valid_only_imports_exactly_the_valid_rows(db, tmp_path):
    result = customer_import.import_customers(db, actor="王丽", path=_mixed(tmp_path), mode="valid_only")
    assert (result.imported, result.rejected) == (2, 1)
    assert sorted(_names(db)) == ["丙公司", "甲公司"]
    rows = _report_rows(result.error_report)
    assert [r[0] for r in rows[1:]] == ["乙公司"]  # imported rows would be duplicates on a re-import


def test_fixed_report_imports_cleanly(db, tmp_path):
    result = customer_import.import_customers(db, actor="王丽", path=_mixed(tmp_path), mode="all_or_nothing")
    wb = load_workbook(result.error_report)
    ws = wb.active
    ws["B3"], ws["C3"] = _uscc(2), "100001"
    wb.save(result.error_report)
    again = customer_import.import_customers(db, actor="王丽", path=result.error_report, mode="all_or_nothing")
    assert (again.imported, again.rejected, again.error_report) == (3, 0, None)


def test_values_are_read_like_the_card_editor(db, tmp_path):
    dept = staff.add_department(db, name="销售一部")
    rep = staff.add_staff(db, name="王丽", department_id=dept)
    source = _xlsx(tmp_path / "a.xlsx", ["公司名称", "联系电话", "注册资本", "合作状态", "客户经理", "部门",
                                         "最近核定日期", "行业", "从业人数", "备注栏"],
                   ["甲公司", 1062345678, "500万", "成交客户", "王丽", "销售一部", "2026-01-05", "制造业", 300.0,
                    "不认识的列"],
                   ["乙公司", None, 2500000.5, None, None, None, datetime(2026, 2, 3), None, None, None])
    result = customer_import.import_customers(db, actor="李强", path=source, mode="all_or_nothing",
                                              today=date(2026, 11, 25))
    assert result.imported == 2
    first, second = (customers.get_card(db, customer_id=i) for i in search_ids(db, CustomerFilter()))
    assert first.values["registered_capital"] == Decimal("5000000.00")
    assert first.values["phone"] == "1062345678"
    assert first.values["status"] == "deal" and first.values["industry"] == "manufacturing"
    assert first.owner_name == "王丽" and first.department_name == "销售一部"
    assert first.values["owner_id"] == rep
    assert first.values["headcount"] == 300
    assert first.values["last_verified_on"] == date(2026, 1, 5)
    assert second.values["registered_capital"] == Decimal("2500000.50")
    assert second.values["last_verified_on"] == date(2026, 2, 3)
    assert second.values["status"] == "potential"
    assert search_ids(db, CustomerFilter(text="jiagong")) == [first.id]  # pinyin written with the row


def test_unknown_owner_and_bad_date_are_reported(db, tmp_path):
    source = _xlsx(tmp_path / "a.xlsx", ["客户名称", "负责人", "最近核定日期", "合作状态"],
                   ["甲公司", "赵六", "明年", "流失客户"])
    result = customer_import.import_customers(db, actor="王丽", path=source, mode="valid_only")
    assert result.imported == 0
    assert result.messages == {2: "流失客户请填写流失原因;负责人“赵六”不存在;"
                                  "最近核定日期“明年”不是有效的日期,例如 2026-11-25"}


def test_duplicates_in_the_file_and_in_the_database(db, tmp_path):
    existing = customers.create_customer(db, actor="王丽", values={"name": "老客户", "uscc": _uscc(9)})
    code = customers.get_card(db, customer_id=existing).values["code"]
    source = _xlsx(tmp_path / "a.xlsx", ["客户名称", "统一社会信用代码"],
                   ["老客户", None],  # row 2: same name as the database
                   ["别名公司", _uscc(9)],  # row 3: same USCC as the database
                   ["新公司", _uscc(1)],  # row 4: fine
                   ["新公司", None],  # row 5: same name as row 4
                   ["另一公司", _uscc(1)])  # row 6: same USCC as row 4
    result = customer_import.import_customers(db, actor="王丽", path=source, mode="valid_only")
    assert result.imported == 1
    assert result.messages == {
        2: f"与已有客户重复:{code} 老客户",
        3: f"与已有客户重复:{code} 老客户",
        5: "客户名称与本表第4行重复:新公司",
        6: f"统一社会信用代码与本表第4行重复:{_uscc(1)}",
    }
    assert sorted(_names(db)) == ["新公司", "老客户"]


def test_codes_continue_after_the_highest_and_given_codes_must_be_free(db, tmp_path, monkeypatch):
    monkeypatch.setattr(customer_import, "CHUNK", 1)  # codes are handed out before later rows are read
    customers.create_customer(db, actor="王丽", values={"name": "老客户", "code": "KH000007"})
    source = _xlsx(tmp_path / "a.xlsx", ["客户编号", "客户名称"],
                   [None, "甲公司"], ["KH000007", "乙公司"], [None, "丙公司"], ["KH000008", "丁公司"])
    result = customer_import.import_customers(db, actor="王丽", path=source, mode="valid_only")
    assert result.messages == {3: "客户编号 KH000007 已被使用"}
    codes = {r.name: r.code for r in fetch_rows(db, search_ids(db, CustomerFilter()))}
    # 甲公司 first got KH000008, then the file itself claimed it (row 5): it moved to the next free one
    assert codes == {"老客户": "KH000007", "丁公司": "KH000008", "丙公司": "KH000009", "甲公司": "KH000010"}
    assert search_ids(db, CustomerFilter(text="kh000010")) == search_ids(db, CustomerFilter(text="甲公司"))


def test_every_imported_customer_has_one_audit_row(db, tmp_path):
    customer_import.import_customers(db, actor="王丽", path=_mixed(tmp_path), mode="valid_only")
    for cid in search_ids(db, CustomerFilter()):
        history = audit.history(db, user=None, customer_id=cid)
        assert [(h.actor, h.action, h.new_value) for h in history] == [("王丽", "新建", "Excel导入 客户.xlsx")]


def test_cancel_writes_nothing(db, tmp_path):
    result = customer_import.import_customers(db, actor="王丽", path=_mixed(tmp_path), mode="valid_only",
                                              cancelled=lambda: True)
    assert result.cancelled and result.imported == 0
    assert _names(db) == []
    assert not (tmp_path / "客户.错误报告.xlsx").exists()


def test_cancel_while_checking_stops_with_progress_shown(db, tmp_path, monkeypatch):
    monkeypatch.setattr(customer_import, "CHUNK", 2)
    rows = [[f"公司{i}", None] for i in range(7)]
    source = _xlsx(tmp_path / "a.xlsx", ["客户名称", "邮编"], *rows)
    calls = []
    result = customer_import.import_customers(db, actor="王丽", path=source, mode="valid_only",
                                              progress=lambda done, total: calls.append((done, total)),
                                              cancelled=lambda: len(calls) >= 2)
    assert result.cancelled and _names(db) == []
    assert calls == [(2, 7), (4, 7)]


def test_progress_reaches_the_total(db, tmp_path, monkeypatch):
    monkeypatch.setattr(customer_import, "CHUNK", 2)
    source = _xlsx(tmp_path / "a.xlsx", ["客户名称"], *[[f"公司{i}"] for i in range(5)])
    calls = []
    result = customer_import.import_customers(db, actor="王丽", path=source, mode="all_or_nothing",
                                              progress=lambda done, total: calls.append((done, total)))
    assert result.imported == 5
    assert calls[0] == (2, 5) and calls[-1] == (5, 5)
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)


def test_sheet_without_a_name_column_is_refused(db, tmp_path):
    source = _xlsx(tmp_path / "a.xlsx", ["电话", "地址"], ["010-62345678", "北京"])
    with pytest.raises(UserError, match="缺少必需的列:客户名称"):
        customer_import.import_customers(db, actor="王丽", path=source, mode="valid_only")
    assert _names(db) == []


def test_a_file_that_is_not_xlsx_gets_a_chinese_message(db, tmp_path):
    bad = tmp_path / "客户.xlsx"
    bad.write_text("名称,电话\n甲公司,010\n", encoding="utf-8")
    with pytest.raises(UserError, match="无法读取 Excel 文件"):
        customer_import.import_customers(db, actor="王丽", path=bad, mode="valid_only")


def test_preview_maps_headers_and_counts_rows(tmp_path):
    source = _xlsx(tmp_path / "a.xlsx", ["公司名称", "信用代码", "最近核定日期", "注册资本", "微信群"],
                   *[[f"公司{i}", None, datetime(2026, 11, 25), 5000000.0, "x"] for i in range(60)])
    p = customer_import.preview(source, limit=3)
    assert p.headers == ["公司名称", "信用代码", "最近核定日期", "注册资本", "微信群"]
    assert p.mapped == {"公司名称": "name", "信用代码": "uscc", "最近核定日期": "last_verified_on",
                        "注册资本": "registered_capital", "微信群": None}
    assert p.rows == [[f"公司{i}", "", "2026-11-25", "5000000", "x"] for i in range(3)]
    assert p.total_rows == 60 and p.missing_required == []
    assert customer_import.preview(_xlsx(tmp_path / "b.xlsx", ["电话"], ["010"])).missing_required == ["客户名称"]


def test_cli_import_exit_codes(db, tmp_path, capsys):
    bad = _mixed(tmp_path)
    assert main(["--db", db.url, "import-customers", str(bad)]) == 4
    assert "错误报告" in capsys.readouterr().out
    assert _names(db) == []
    good = _xlsx(tmp_path / "good.xlsx", ["客户名称", "邮编"], ["甲公司", "100000"])
    assert main(["--db", db.url, "import-customers", str(good)]) == 0
    assert _names(db) == ["甲公司"]


def test_codes_stay_unique_when_someone_creates_a_card_during_the_import(db, tmp_path):
    source = _xlsx(tmp_path / "a.xlsx", ["客户名称"], ["甲公司"], ["乙公司"])
    meanwhile = []

    def progress(done, total):  # the desk next door saves a new card while the file is being checked
        if not meanwhile:
            meanwhile.append(customers.create_customer(db, actor="李强", values={"name": "插队公司"}))

    result = customer_import.import_customers(db, actor="王丽", path=source, mode="all_or_nothing",
                                              progress=progress)
    assert result.imported == 2
    codes = {r.name: r.code for r in fetch_rows(db, search_ids(db, CustomerFilter()))}
    assert codes == {"插队公司": "KH000001", "甲公司": "KH000002", "乙公司": "KH000003"}
    assert search_ids(db, CustomerFilter(text="kh000003")) == search_ids(db, CustomerFilter(text="乙公司"))


def test_the_important_flag_reads_yes_and_no_as_typed_and_names_a_bad_value(db, tmp_path):
    source = _xlsx(tmp_path / "重要.xlsx", ["客户名称", "重要客户"],
                   ["甲公司", "是"], ["乙公司", "√"], ["丙公司", None], ["丁公司", "否"], ["戊公司", "也许"])
    result = customer_import.import_customers(db, actor="王丽", path=source, mode="all_or_nothing")
    assert (result.imported, result.rejected) == (0, 1)
    assert _report_rows(result.error_report)[5][-1] == "重要客户应填“是”或“否”,不能是“也许”"
    result = customer_import.import_customers(db, actor="王丽", path=source, mode="valid_only")
    assert result.imported == 4
    flags = {r.name: customers.get_card(db, customer_id=r.id).values["important"]
             for r in fetch_rows(db, search_ids(db, CustomerFilter()))}
    assert flags == {"甲公司": True, "乙公司": True, "丙公司": False, "丁公司": False}
