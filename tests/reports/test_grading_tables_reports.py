"""The five grading forms as PDF (the regulation's columns, the figures, the ticks) and two as Excel."""
from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal as D

from openpyxl import load_workbook

from app.domain import evaluation as ev
from app.domain.key_customers import YearFigures, rank
from app.services.advancement import ApplicationInfo, EventInfo
from app.services.grading_tables import KeyPlanRow, KeyTable, StrategyRow, StrategyTable
from app.services.grading_tables_eval import EvaluationInfo
from reports import grading_tables_excel as gx
from reports import grading_tables_pdf as gp
from tests import pdfcheck

AT = datetime(2026, 11, 29, 6, 30, tzinfo=UTC)


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return re.sub(r"\s", "", pdfcheck.text(path))


def _key_table() -> KeyTable:
    figures = [YearFigures(uuid.uuid4(), f"KH{i:04d}", f"客户{i}有限公司", D(1000 * i), D(100 * i - 300),
                           D(900 * i) if i % 2 else None) for i in range(1, 13)]
    plan = KeyPlanRow(figures[0].customer_id, "KH0012", "客户12有限公司", D("12000.00"), D("1500000.00"),
                      "增长最快", "每季度拜访", "加大投入", "同意")
    return KeyTable(2026, rank(figures), [plan])


def test_key_customer_pdf_has_the_three_lists_and_the_plans(tmp_path):
    text = _text(gp.key_customer_pdf(_key_table(), printed_by="孙总", printed_at=AT), tmp_path)
    for words in ("重点客户管理表", "2026年度", "销售额前10名", "销售增长率前10名", "销售利润率前10名",
                  "客户12有限公司", "12,000.00", "11.1%", "营销中心总经理建议", "董事长意见", "1,500,000.00",
                  "增长最快", "打印人:孙总"):
        assert words in text, words


def test_key_customer_workbook_has_numbers_not_text(tmp_path):
    path = tmp_path / "k.xlsx"
    gx.write_key_customers(path, _key_table(), printed_by="孙总", printed_at="2026-11-29 14:30")
    ws = load_workbook(path).active
    assert ws["B5"].value == "客户12有限公司" and ws["C5"].value == 12000 and ws["C5"].number_format == gx.MONEY
    assert ws["E5"].number_format == gx.PERCENT and ws["A14"].value == 10
    assert any(row[0] == "客户12有限公司" and row[1] == 1500000 for row in ws.iter_rows(values_only=True))


def _strategy(kind: str) -> StrategyTable:
    rows = [StrategyRow(uuid.uuid4(), "KH0001", "乙公司有限公司", "王丽", "华北区域", "华北", "毛利连续两季为负",
                        "压价严重", "调整价格体系")]
    return StrategyTable(kind, "2026-Q4", rows, "1. 扩大A级客户\n2. 重点拜访", "月度复查")


def test_strategy_pdfs_follow_the_two_forms(tmp_path):
    problem = _text(gp.strategy_pdf(_strategy("problem"), printed_by="孙总", printed_at=AT), tmp_path)
    for words in ("问题客户对策表", "期间:2026-Q4", "恶化趋势", "问题表现", "毛利连续两季为负", "调整价格体系",
                  "月度复查"):
        assert words in problem, words
    assert "基本方针" not in problem
    important = _text(gp.strategy_pdf(_strategy("important"), printed_by="孙总", printed_at=AT), tmp_path)
    assert "重要客户对策表" in important and "扩大重要客户数量的基本方针" in important and "恶化趋势" not in important
    path = tmp_path / "s.xlsx"
    gx.write_strategy(path, _strategy("problem"), printed_by="孙总", printed_at="2026-11-29")
    ws = load_workbook(path).active
    assert [c.value for c in ws[3]] == ["序号", "客户名称", "负责人", "销售范围", "所在位置", "恶化趋势", "问题表现",
                                         "应对策略"]
    assert ws["F4"].value == "毛利连续两季为负" and ws["A5"].value == "备注" and ws["B5"].value == "月度复查"


def test_evaluation_pdf_ticks_the_result(tmp_path):
    out = ev.evaluate(ev.parse_indicators("销售额:50;信用度:50"), {"销售额": D(90), "信用度": D(50)},
                      bands={"A": 85, "B": 70, "C": 60}, develop_min=80, maintain_min=60, basis={"信用度": "逾期两次"})
    info = EvaluationInfo(uuid.uuid4(), uuid.uuid4(), "KH0001", "甲公司有限公司", date(2026, 11, 29), list(out.items),
                          out.total, out.grade, out.result, ev.RESULTS[out.result], "加强回款跟踪", "孙总", AT)
    text = _text(gp.evaluation_pdf(info, printed_by="孙总", printed_at=AT, results=ev.RESULTS), tmp_path)
    for words in ("客户关系评估表", "甲公司有限公司", "KH0001", "评估指标", "指标权重", "得分依据", "逾期两次",
                  "70.00", "标准分100", "■维持关系", "□发展关系", "□终止关系", "加强回款跟踪"):
        assert words in text, words


def test_application_pdf_lists_criteria_and_history(tmp_path):
    info = ApplicationInfo(uuid.uuid4(), "JJ2026-0001", uuid.uuid4(), "KH0001", "甲公司有限公司", "to_intent",
                           "潜在客户 → 意向客户", "客户主动来电询价", ["标准一"], "notified", "已通知客户", "王丽", "rep",
                           "赵主管", "钱经理", date(2026, 11, 30), AT,
                           [EventInfo(AT, "王丽", "提交申请", "待主管审核", "客户主动来电询价"),
                            EventInfo(AT, "赵主管", "主管审核通过", "待经理审批", "情况属实")])
    text = _text(gp.application_pdf(info, printed_by="王丽", printed_at=AT, criteria=["标准一", "标准二"]), tmp_path)
    for words in ("客户进阶申请表", "JJ2026-0001", "潜在客户→意向客户", "■标准一", "□标准二", "赵主管", "钱经理",
                  "2026-11-30", "审核审批记录", "情况属实"):
        assert words in text, words
