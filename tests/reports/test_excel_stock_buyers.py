"""Selection-desk workbooks: the housing stock (房源表) and a unit's buyer list (购房者名单)."""
from decimal import Decimal as D

import pytest
from openpyxl import Workbook, load_workbook

from reports import excel_buyers, excel_columns, excel_stock
from reports.excel_customers import WorkbookError

ZHANG, LI = "110105199001011232", "44030419851231002X"


def _sheet(path, *rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def _messages(result):
    return {e.row: e.message for e in result.errors}


def test_stock_rows_with_flexible_headers_and_cell_kinds(tmp_path):
    path = _sheet(tmp_path / "房源.xlsx",
                  ["栋号", " 单元 ", "楼层", "房间号", "建筑面积(㎡)", "户型*", "朝向", "备注", "多余列"],
                  ["1号楼", 1, 3, "0301", 89.5, "A", "南北", None, "x"],
                  [None, None, None, None, None, None],  # blank rows are skipped
                  ["1号楼", "1", "１２层", 1201, "1,089.50㎡", "B"],
                  ["2号楼", None, -1.0, "B01", D("45.25"), "车位"])
    result = excel_stock.read_stock(path)
    assert result.ok
    first, second, third = result.rows
    assert (first.row, first.key, first.floor, first.area, first.orientation) == (2, "1号楼-1-0301", 3, D("89.5"),
                                                                                   "南北")
    assert (second.row, second.floor, second.room, second.area) == (4, 12, "1201", D("1089.50"))
    assert (third.entrance, third.floor, third.key) == ("", -1, "2号楼-B01")  # single entrance, basement


def test_stock_row_errors_in_chinese(tmp_path):
    path = _sheet(tmp_path / "房源.xlsx",
                  ["楼号", "单元", "楼层", "房号", "建筑面积", "户型"],
                  ["1号楼", "1", 3, "0301", "八十九", "A"],
                  ["1号楼", "1", "3.5", "0302", 0, "A"],
                  ["1号楼", "1", 3, "0303", 90, "A"],
                  ["1号楼", " 1", 3, "0303", 90, "A"],
                  [None, "1", None, "0304", None, None])
    result = excel_stock.read_stock(path)
    assert [r.room for r in result.rows] == ["0303"]
    msgs = _messages(result)
    assert msgs[2] == "建筑面积“八十九”不是数字。"
    assert "楼层“3.5”不是整数" in msgs[3] and "必须大于 0" in msgs[3]
    assert msgs[5] == "与第 4 行重复(楼号、单元、房号都相同)。"
    assert "楼号为空" in msgs[6] and "楼层为空" in msgs[6] and "建筑面积为空" in msgs[6] and "户型为空" in msgs[6]
    assert str(result.errors[0]).startswith("第 2 行:")


def test_stock_missing_columns_and_empty_sheet(tmp_path):
    result = excel_stock.read_stock(_sheet(tmp_path / "a.xlsx", [None], ["楼号", "房号", "面积"], ["1", "101", 50]))
    assert result.rows == [] and len(result.errors) == 1
    assert result.errors[0].row == 2
    assert "缺少必需的列:单元、楼层、户型" in result.errors[0].message
    empty = excel_stock.read_stock(_sheet(tmp_path / "b.xlsx"))
    assert "表格是空的" in empty.errors[0].message
    with pytest.raises(WorkbookError, match="找不到文件"):
        excel_stock.read_stock(tmp_path / "none.xlsx")


def test_stock_template_reads_back_empty_and_keeps_text_columns(tmp_path):
    path = tmp_path / "模板" / "房源模板.xlsx"
    excel_stock.write_template(path)
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["楼号", "单元", "楼层", "房号", "建筑面积", "户型", "朝向", "备注"]
    assert ws["D2"].value == "0301" and ws.column_dimensions["D"].number_format == "@"
    assert ws["H2"].value == excel_columns.EXAMPLE_NOTE
    result = excel_stock.read_stock(path)
    assert result.ok and result.rows == []  # the example row is not a unit
    # once filled in below the example, the rows are read
    wb = load_workbook(path)
    wb.active.append(["3号楼", "2", 7, "0702", 101.3, "C"])
    wb.save(path)
    assert [r.key for r in excel_stock.read_stock(path).rows] == ["3号楼-2-0702"]


def test_buyer_rows_and_normalised_ids(tmp_path):
    path = _sheet(tmp_path / "名单.xlsx",
                  ["编号", "购房人姓名", "身份证号码", "手机号", "所在部门"],
                  [1, " 张  三 ", ZHANG, 13800138000, "工程部"],
                  [2.0, "李四", LI.lower().replace("1985", "1985 ")],
                  ["３", "王五", "３６０４２６１９９１０１０１００７１"])
    result = excel_buyers.read_buyers(path)
    assert result.ok
    assert [(r.index, r.name, r.id_number) for r in result.rows] == [
        (1, "张 三", ZHANG), (2, "李四", LI), (3, "王五", "360426199101010071")]
    assert (result.rows[0].phone, result.rows[0].department) == ("13800138000", "工程部")


def test_buyer_row_errors_in_chinese(tmp_path):
    path = _sheet(tmp_path / "名单.xlsx",
                  ["序号", "姓名", "身份证号"],
                  [1, "张三", ZHANG],
                  [1, "李四", LI],
                  ["1a", "", "110105199001011233"],
                  [4, "赵六", 1.10105199001012e17],
                  [5, "钱七", "11010519900101123"],
                  [-2, "孙八", ZHANG])
    result = excel_buyers.read_buyers(path)
    assert [r.name for r in result.rows] == ["张三"]
    msgs = _messages(result)
    assert msgs[3] == "序号 1 与第 2 行重复。"
    assert "序号“1a”不是整数" in msgs[4] and "姓名为空" in msgs[4] and "校验位" in msgs[4]
    assert "存成了数字" in msgs[5]
    assert "应为 18 位,现为 17 位" in msgs[6]
    assert "应为正整数" in msgs[7]


def test_buyer_missing_columns(tmp_path):
    result = excel_buyers.read_buyers(_sheet(tmp_path / "a.xlsx", ["姓名", "电话"], ["张三", "1"]))
    assert "缺少必需的列:序号、身份证号" in result.errors[0].message


def test_buyer_template(tmp_path):
    path = tmp_path / "名单模板.xlsx"
    excel_buyers.write_template(path)
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["序号", "姓名", "身份证号", "电话", "部门"]
    assert ws.column_dimensions["C"].number_format == "@" and ws["C2"].data_type == "s"
    assert ws.title == "购房者名单"
    assert excel_buyers.read_buyers(path).rows == []
