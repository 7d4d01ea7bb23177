"""Every Excel export, fed text typed like a formula (公式注入), writes it as text, exactly as typed.

The walk covers every module that builds a workbook; a new exporter that is not walked here fails
test_every_workbook_writer_is_walked, so it cannot skip the guard unnoticed.
"""
from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.key_customers import YearFigures, rank
from app.services.areas import AddressRow, RegionRow
from app.services.grading_tables import KeyPlanRow, KeyTable, StrategyRow, StrategyTable
from app.services.selection.relationship import ApprovalRow
from reports import (
    complaint_stats,
    excel_customers,
    excel_read_log,
    excel_safe,
    grading_table,
    meal_settlement,
)
from reports import grading_tables_excel as gx
from reports import selection_lists as sl
from reports import visit_tables as vt
from reports.excel_buyers import write_template as buyers_template
from reports.excel_stock import write_template as stock_template

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ("=1+1", '=HYPERLINK("http://example.invalid/","点这里领奖")', "+86 138 0000 0000", "-5 万元",
           "@SUM(A1:A9)", "=cmd|' /C calc'!A0", "\t=2+2", "-", "=")
AT = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def h(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def _cells(path: Path):
    wb = load_workbook(path)  # not data_only: a formula would show as data_type "f"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def _check(path: Path, typed: set[str]) -> None:
    seen = set()
    for cell in _cells(path):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            seen.add(cell.value)
            if excel_safe.needs_guard(cell.value):
                assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    missing = {t for t in typed if not any(t in s for s in seen)}
    assert not missing, f"not written as typed: {missing}"


def _key_table() -> KeyTable:
    figures = [YearFigures(uuid.uuid4(), f"KH{i:04d}", h(i), D(1000 * i), D(100 * i - 300), D(900 * i))
               for i in range(1, 13)]
    plans = [KeyPlanRow(figures[0].customer_id, "KH0001", h(0), D("12000"), D("1500000"), h(1), h(2), h(3), h(4))]
    return KeyTable(2026, rank(figures), plans)


def _strategy(kind: str) -> StrategyTable:
    rows = [StrategyRow(uuid.uuid4(), f"KH{i:04d}", h(i), h(i + 1), h(i + 2), h(i + 3), h(i + 4), h(i + 5),
                        h(i + 6)) for i in range(3)]
    return StrategyTable(kind, "2026-Q4", rows, h(7), h(8))


def _approval(i: int) -> ApprovalRow:
    return ApprovalRow(uuid.uuid4(), uuid.uuid4(), h(i), h(i + 1), h(i + 2), "phone", "", h(i + 3), h(i + 4),
                       AT, date(2026, 12, 1), D("12000"), D("0.5"), date(2026, 12, 9), "phone", h(i + 5), AT,
                       h(i + 6), D("500000"), D("0"), h(i + 7), True)


def _write_every_exporter(tmp: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}

    def target(name: str) -> Path:
        out[name] = tmp / f"{name}.xlsx"
        return out[name]

    gx.write_key_customers(target("key_customers"), _key_table(), printed_by=h(0), printed_at="2026-11-29")
    gx.write_strategy(target("important"), _strategy("important"), printed_by=h(1), printed_at="2026-11-29")
    gx.write_strategy(target("problem"), _strategy("problem"), printed_by=h(2), printed_at="2026-11-29")
    grading_table.grading_xlsx(target("grading"), h(3), ["行业", "客户", "等级"],
                               [[h(i), h(i + 1), D("1.5")] for i in range(len(HOSTILE))])
    vt.address_table_xlsx(target("address"), [AddressRow(i, h(i), h(i + 1), h(i + 2), D("4.5"), h(i + 3), h(i + 4),
                                                         h(i + 5)) for i in range(len(HOSTILE))], scope=h(4))
    vt.region_table_xlsx(target("regions"), [RegionRow(2026, h(i), 3, D("0.1"), D("100"), D("0.1"))
                                             for i in range(len(HOSTILE))], year=2026)
    sl.selection_list_xlsx(target("selection"), [
        sl.SelectionRow(i + 1, h(i), h(i + 1), h(i + 2), D("89.5"), D("12000"), D("1074000"), D("537000"), h(i + 3))
        for i in range(len(HOSTILE))], project=h(5), commissioning_unit=h(6))
    sl.ledger_xlsx(target("ledger"), [
        sl.LedgerRow(AT, "收据", h(i), h(i + 1), h(i + 2), h(i + 3), D("-20000"), h(i + 4), h(i + 5))
        for i in range(len(HOSTILE))], project=h(7))
    for what in ("paperwork", "late"):
        sl.relationship_xlsx(target(what), [_approval(i) for i in range(len(HOSTILE))], what=what, title=h(8),
                             project=h(0))
    complaint_stats.write_excel(target("complaints"), ["2026-11"], [(h(i), [1], 1) for i in range(len(HOSTILE))],
                                [[h(i), "2026-11-01 09:00", h(i + 1), h(i + 2), h(i + 3), h(i + 4), h(i + 5), "", None,
                                  ""] for i in range(len(HOSTILE))], exported_by=h(1), exported_at="2026-11-29")
    cols = [excel_customers.Column(h(0)), excel_customers.Column("金额", "amount")]
    excel_customers.write_table(target("table"), cols, [[h(i), D("1")] for i in range(len(HOSTILE))],
                                exported_by=h(2), exported_at="x")
    excel_customers.write_error_report(target("errors"), ["名称", "电话"],
                                       [([h(i), h(i + 1)], h(i + 2)) for i in range(len(HOSTILE))])
    excel_read_log.write_read_log(target("read_log"), [[h(i + k) for k in range(8)] for i in range(len(HOSTILE))],
                                  exported_by=h(3), exported_at="x")
    meal_settlement.write_excel(target("meals"), 2026, 11, [
        [i, "2026-11-01 12:00", h(i), h(i + 1), h(i + 2), "3+2", D("100"), D("500"), D("50"), h(i + 3), h(i + 4),
         h(i + 5), h(i + 6)] for i in range(len(HOSTILE))], total_billed=D("500"), total_reimbursed=D("0"),
        exported_by=h(4), exported_at="x")
    stock_template(target("stock_template"))
    buyers_template(target("buyers_template"))
    return out


def test_every_exporter_writes_formula_like_text_as_typed_text(tmp_path):
    written = _write_every_exporter(tmp_path)
    for name, path in written.items():
        typed = set() if name.endswith("_template") else set(HOSTILE)
        _check(path, typed)


WALKED = {"reports/grading_tables_excel.py", "reports/grading_table.py", "reports/visit_tables.py",
          "reports/selection_lists.py", "reports/complaint_stats.py", "reports/excel_customers.py",
          "reports/excel_columns.py"}


def test_every_workbook_writer_is_walked_and_uses_the_guard():
    makers = set()
    for folder in ("app", "reports", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            if re.search(r"\bWorkbook\(", path.read_text(encoding="utf-8")):
                makers.add(path.relative_to(ROOT).as_posix())
    assert makers == WALKED, "a new workbook writer: walk it in this test and write its cells through excel_safe"
    for rel in makers:
        source = (ROOT / rel).read_text(encoding="utf-8")
        assert "excel_safe" in source, rel
        assert not re.search(r"WriteOnlyCell\(ws, value=", source), f"{rel}: a cell written around the guard"


@pytest.mark.parametrize("typed", HOSTILE)
def test_the_guard_keeps_text_and_leaves_numbers_alone(tmp_path, typed):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    excel_safe.put(ws, 1, 1, typed)
    ws.append(excel_safe.row(ws, [typed, -5, D("1.5"), None, "普通文字"]))
    wb.save(tmp_path / "g.xlsx")
    back = load_workbook(tmp_path / "g.xlsx").active
    assert back["A1"].value == typed and back["A1"].data_type == "s" and back["A1"].quotePrefix
    assert [c.value for c in back[2]] == [typed, -5, 1.5, None, "普通文字"]
    assert back["B2"].data_type == "n" and not back["E2"].quotePrefix
