"""选房明细表 and 台帐 as the commissioning unit and finance read them: Excel values, PDF text and totals."""
import re
from datetime import UTC, datetime
from decimal import Decimal as D

from openpyxl import load_workbook

from reports.selection_lists import (
    LedgerRow,
    SelectionRow,
    ledger_pdf,
    ledger_xlsx,
    selection_list_pdf,
    selection_list_xlsx,
)
from tests import pdfcheck


def _rows(n: int) -> list[SelectionRow]:
    return [SelectionRow(i + 1, f"购房人{i + 1}", f"110105********{i:04d}", f"3号楼2单元{i + 101}室", D("89.50"),
                         D("12000.00"), D("1074000.00"), D("537000.00"), f"XFPZ-2026-{i + 1:06d}") for i in range(n)]


def _pages(path) -> list[str]:
    return [re.sub(r"\s", "", page) for page in pdfcheck.pages(path)]


def test_selection_list_workbook_has_every_row_and_the_totals(tmp_path):
    path = tmp_path / "list.xlsx"
    selection_list_xlsx(path, _rows(30), project="锦绣花园二期", commissioning_unit="北京华盛建筑工程有限公司")
    ws = load_workbook(path, read_only=True).active
    values = [row for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "选房明细表" and "北京华盛建筑工程有限公司" in values[1][0]
    assert values[2][:3] == ("顺序号", "购房人", "身份证号码")
    assert values[3][:2] == (1, "购房人1") and values[32][8] == "XFPZ-2026-000030"
    assert values[-1][0] == "合计" and values[-1][6] == 1074000 * 30 and values[-1][4] == 89.5 * 30


def test_selection_list_pdf_runs_over_pages_and_ends_with_the_stamp_box_and_totals(tmp_path):
    path = tmp_path / "list.pdf"
    path.write_bytes(selection_list_pdf(_rows(80), project="锦绣花园二期", commissioning_unit="北京华盛建筑工程有限公司",
                                        company="锦绣置业有限公司", printed_by="王丽",
                                        printed_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC)))
    pages = _pages(path)
    assert len(pages) > 1 and all("身份证号码" in p for p in pages)  # the column heads on every page
    text = "".join(pages)
    assert all(f"购房人{i}110105" in text for i in range(1, 81))
    assert "委建房单位盖章" in pages[-1] and "合计80条" in pages[-1] and "85,920,000.00" in pages[-1]
    assert "2026-12-0110:00" in pages[0]


def test_ledger_shows_reversals_negative_and_nets_them_in_the_total(tmp_path):
    at = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    rows = [LedgerRow(at, "收据", "SJ-2026-000001", "张国华", "3号楼2单元1502", "封户费", D("20000.00"), "赵出纳"),
            LedgerRow(at, "收据", "SJ-2026-000002", "张国华", "3号楼2单元1502", "封户费(冲红)", D("-20000.00"),
                      "赵出纳", "SJ-2026-000001"),
            LedgerRow(at, "收据", "SJ-2026-000003", "李强", "5号楼1单元0801", "房款", D("500000.00"), "赵出纳"),
            LedgerRow(at, "选房工作票", "XP-2026-000001", "李强", "5号楼1单元0801", "", D("1000000.00"), "钱开票")]
    path = tmp_path / "ledger.pdf"
    path.write_bytes(ledger_pdf(rows, project="锦绣花园二期", company="锦绣置业有限公司", printed_by="赵出纳",
                                printed_at=at))
    page = _pages(path)[0]
    assert "-20,000.00" in page and "SJ-2026-000001" in page and "合计4条" in page and "500,000.00" in page
    xlsx = tmp_path / "ledger.xlsx"
    ledger_xlsx(xlsx, rows, project="锦绣花园二期")
    last = list(load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))[-1]
    assert last[0] == "合计" and last[6] == 500000  # money received; the ticket's price is not added
