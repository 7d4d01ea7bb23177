"""客户地址分类表 and 客户区域分析表 on paper and in Excel: the columns of the regulation, readable values."""
from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook

from app.services.areas import AddressRow, RegionRow
from reports.visit_tables import address_table_pdf, address_table_xlsx, region_table_pdf, region_table_xlsx
from tests import pdfcheck

ADDRESS = [
    AddressRow(1, "武汉江岸物流有限公司", "KH000001", "湖北省武汉市江岸区人民路12号", Decimal("4.5"), "终端客户",
               "周一上午", ""),
    AddressRow(2, "武汉洪山建材有限公司", "KH000002", "湖北省武汉市洪山区光明路3号", None, "经销商", "",
               "流失客户"),
]
REGIONS = [RegionRow(2026, "华中", 5, Decimal("0.7143"), Decimal("300"), Decimal("0.75")),
           RegionRow(2026, "华北", 2, Decimal("0.2857"), Decimal("100"), Decimal("0.25"))]
AT = datetime(2026, 11, 29, 9, 30)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    return pdfcheck.text(path)


def test_address_table_pdf_and_excel(tmp_path):
    text = _pdf_text(address_table_pdf(ADDRESS, scope="拜访区域:江北片区", company="客台演示公司", printed_by="王丽",
                                       printed_at=AT), tmp_path)
    for expected in ("客户地址分类表", "江北片区", "序号", "不宜拜访时间", "KH000001", "4.5", "周一上午", "流失客户",
                     "打印人:王丽"):
        assert expected in text
    out = io.BytesIO()
    assert address_table_xlsx(out, ADDRESS, scope="江北片区") == 2
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in ws[3]] == ["序号", "客户名称", "客户编号", "地址", "距离(公里)", "业务类型",
                                        "不宜拜访时间", "备注"]
    assert [c.value for c in ws[4]][:5] == [1, "武汉江岸物流有限公司", "KH000001", "湖北省武汉市江岸区人民路12号", 4.5]
    assert ws[5][4].value is None and ws[5][7].value == "流失客户"


def test_region_table_shows_shares_as_percentages_and_says_when_sales_are_missing(tmp_path):
    text = _pdf_text(region_table_pdf(REGIONS, year=2026, company="客台演示公司", printed_by="王丽", printed_at=AT),
                     tmp_path)
    assert "客户区域分析表" in text and "71.43%" in text and "75.00%" in text and "300.00" in text
    assert "合计" in text and "400.00" in text and "100.00%" in text
    empty = [RegionRow(2026, "华中", 5, Decimal("1"), None, None)]
    text = _pdf_text(region_table_pdf(empty, year=2026, company="客台演示公司", printed_by="王丽", printed_at=AT),
                     tmp_path)
    assert "尚未接入年度销售数据" in text and "100.00%" in text
    out = io.BytesIO()
    region_table_xlsx(out, REGIONS, year=2026)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in ws[4]] == [2026, "华中", 5, 0.7143, 300.0, 0.75]
    assert ws[4][3].number_format == "0.00%"
    assert [c.value for c in ws[6]] == ["合计", None, 7, 1, 400.0, 1]
