"""Customer workbooks: streaming read and write with openpyxl, plain values only."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from reports import excel_customers as xl

COLUMNS = [xl.Column("客户名称"), xl.Column("注册资本", "amount"), xl.Column("从业人数", "int"),
           xl.Column("最近核定日期", "date"), xl.Column("备注")]


def _sheet(path, *rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def test_written_table_reads_back_with_formats(tmp_path):
    path = tmp_path / "客户.xlsx"
    rows = [["甲公司", Decimal("5000000.00"), 300, date(2026, 11, 25), "=SUM(A1:A9)"],
            ["乙公司", None, None, None, "备注\x07有控制字符"]]
    assert xl.write_table(path, COLUMNS, rows) == 2
    ws = load_workbook(path).active
    assert ws.title == "客户" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["客户名称", "注册资本", "从业人数", "最近核定日期", "备注"]
    assert all(c.font.b for c in ws[1])
    amount, heads, day, note = ws["B2"], ws["C2"], ws["D2"], ws["E2"]
    assert amount.value == 5000000 and amount.number_format == xl.AMOUNT_FORMAT
    assert heads.value == 300
    assert day.is_date and day.value == datetime(2026, 11, 25)
    assert note.value == "=SUM(A1:A9)" and note.data_type == "s"  # stays text: no formula injection
    assert ws["E3"].value == "备注有控制字符"
    assert ws["B3"].value is None


def test_a_failing_row_source_leaves_no_file_and_keeps_the_old_one(tmp_path):
    path = tmp_path / "out" / "客户.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"old")

    def rows():
        yield ["甲公司", None, None, None, None]
        raise KeyboardInterrupt  # stands for a cancel

    with pytest.raises(KeyboardInterrupt):
        xl.write_table(path, COLUMNS, rows())
    assert path.read_bytes() == b"old"
    assert list(path.parent.iterdir()) == [path]


def test_reading_streams_rows_with_their_excel_row_numbers(tmp_path):
    path = _sheet(tmp_path / "a.xlsx", ["客户名称", "电话", None], [None, None], ["甲公司", 1062345678.0],
                  ["  ", None], ["乙公司", "010-1", "多出的列", "再多"])
    with xl.open_sheet(path) as sheet:
        assert sheet.header == ["客户名称", "电话"]
        assert sheet.header_row == 1 and sheet.estimated_rows == 4
        assert list(sheet.data()) == [(3, ["甲公司", 1062345678]), (5, ["乙公司", "010-1"])]


def test_short_rows_are_padded_to_the_header(tmp_path):
    path = _sheet(tmp_path / "a.xlsx", ["客户名称", "电话", "地址"], ["甲公司"])
    with xl.open_sheet(path) as sheet:
        assert list(sheet.data()) == [(2, ["甲公司", None, None])]


def test_a_file_that_is_not_xlsx_gives_a_chinese_message(tmp_path):
    bad = tmp_path / "客户.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 old binary excel")
    with pytest.raises(xl.WorkbookError, match="请使用 .xlsx 格式"):
        with xl.open_sheet(bad):
            pass
    with pytest.raises(xl.WorkbookError, match="找不到文件"):
        with xl.open_sheet(tmp_path / "没有.xlsx"):
            pass


def test_error_report_adds_the_message_column(tmp_path):
    path = tmp_path / "报告.xlsx"
    rows = [(["甲公司", datetime(2026, 1, 5)], ""), (["乙公司", "明年"], "最近核定日期“明年”不是有效的日期")]
    assert xl.write_error_report(path, ["客户名称", "最近核定日期"], rows) == 2
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["客户名称", "最近核定日期", "错误说明"]
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"  # a date stays a date, no time
    assert ws["C2"].value is None
    assert ws["C3"].value == "最近核定日期“明年”不是有效的日期" and ws["C3"].font.color.rgb.endswith("C00000")


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (100000.0, "100000"), (2500000.5, "2500000.5"), (datetime(2026, 11, 25), "2026-11-25"),
    (datetime(2026, 11, 25, 9, 30), "2026-11-25 09:30"), (date(2026, 1, 5), "2026-01-05"), (True, "是"),
    ("原样", "原样"),
])
def test_display_shows_cells_as_the_user_reads_them(value, text):
    assert xl.display(value) == text


def test_serial_numbers_in_a_date_column_are_days():
    assert xl.serial_date(46351) == date(2026, 11, 25)
    assert xl.serial_date(0) is None and xl.serial_date(True) is None


def test_an_unwritable_place_gives_a_chinese_message(tmp_path):
    (tmp_path / "不是文件夹").write_text("x")
    with pytest.raises(xl.WorkbookError, match="无法写入"):
        xl.write_table(tmp_path / "不是文件夹" / "客户.xlsx", COLUMNS, [])
