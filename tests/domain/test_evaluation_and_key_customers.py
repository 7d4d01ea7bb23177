"""Relationship evaluation totals and results; the three top-10 lists of the key-customer table."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from app.domain import evaluation as ev
from app.domain.key_customers import YearFigures, rank

BANDS = {"A": 85, "B": 70, "C": 60}


def _eval(scores, text="甲:60;乙:40"):
    return ev.evaluate(ev.parse_indicators(text), scores, bands=BANDS, develop_min=80, maintain_min=60)


def test_total_is_weighted_and_gives_the_result():
    out = _eval({"甲": D(90), "乙": D(70)})
    assert out.total == D("82.00") and out.result == "develop" and out.grade == "B"
    assert [i.grade for i in out.items] == ["A", "B"]
    assert _eval({"甲": D(60), "乙": D(60)}).result == "maintain"
    assert _eval({"甲": D(50), "乙": D(69)}).result == "terminate"
    assert _eval({"甲": D(100), "乙": D(0)}, "甲:1;乙:2").total == D("33.33")


def test_missing_or_out_of_range_scores_are_named():
    with pytest.raises(ValueError, match="乙"):
        _eval({"甲": D(90)})
    with pytest.raises(ValueError, match="0–100"):
        _eval({"甲": D(101), "乙": D(1)})


def test_the_default_indicators_weigh_100_and_bad_settings_are_explained():
    items = ev.parse_indicators(ev.DEFAULT_INDICATORS)
    assert sum(i.weight for i in items) == 100 and {"成长率", "信用度", "总利润率"} <= {i.name for i in items}
    assert [i.name for i in ev.parse_indicators("销售额:50;信用度:50;")] == ["销售额", "信用度"]
    for bad in ("销售额", "销售额:x", "a:1;a:2", "", "a:0"):
        with pytest.raises(ev.BadIndicators):
            ev.parse_indicators(bad)


def _f(code, sales, profit="0", prev=None):
    return YearFigures(code, code, f"客户{code}", D(sales), D(profit), None if prev is None else D(prev))


def test_ranking_by_sales_growth_and_margin():
    r = rank([_f("K1", "100", "10", "50"), _f("K2", "300", "-30", "300"), _f("K3", "200", "60")])
    assert [x.code for x in r.by_sales] == ["K2", "K3", "K1"] and [x.rank for x in r.by_sales] == [1, 2, 3]
    assert [(x.code, x.value) for x in r.by_growth] == [("K1", D(1)), ("K2", D(0))]  # K3 had no last year
    assert [x.code for x in r.by_margin] == ["K3", "K1", "K2"] and r.by_margin[-1].value < 0


def test_ties_are_broken_by_sales_then_code_and_the_list_stops_at_n():
    figures = [_f(f"K{i:02d}", "100", "10") for i in range(12, 0, -1)] + [_f("K99", "200", "20")]
    r = rank(figures, n=10)
    assert len(r.by_sales) == 10 and r.by_sales[0].code == "K99"
    assert [x.code for x in r.by_margin][:3] == ["K99", "K01", "K02"]  # same 10%: larger sales first, then code


def test_customers_without_sales_or_with_zero_last_year_are_not_ranked_where_undefined():
    r = rank([_f("K1", "0", "0", "10"), _f("K2", "50", "5", "0"), _f("K3", "-5", "0", "10")])
    assert [x.code for x in r.by_sales] == ["K2"] and r.by_growth == [] and [x.code for x in r.by_margin] == ["K2"]


def test_the_rules_dialog_refuses_an_unreadable_indicator_list():
    from app import settings

    assert settings.parse("evaluation.indicators", "销售额:60;信用度:40") == "销售额:60;信用度:40"
    with pytest.raises(ValueError, match="名称:权重"):
        settings.parse("evaluation.indicators", "销售额 60")
