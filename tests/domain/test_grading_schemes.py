"""The grading schemes (客户分级) as pure rules: edge cases and the forced distribution's quotas."""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import settings
from app.domain import grade_policy
from app.domain.grading import Figures, change, credit, sales_share, schemes, scoring, tiers

RULES = {k: o.default for k, o in settings.OPTIONS.items()}


def fig(code, sales, **kw):
    return Figures(key=code, code=code, sales=D(sales), **kw)


def grades(result):
    return {g.key: g.grade for g in result}


# ---------------------------------------------------------------- sales share A–E

def test_sales_share_bands_read_from_the_top_of_the_pareto_ranking():
    # shares 10,10,10,10,10,50 … sorted: X(50) then A..E (10 each); positions 100,50,40,30,20,10
    figs = [fig("X", 50)] + [fig(c, 10) for c in "PQRST"]
    out = sales_share.grade_by_share(figs)
    assert [g.key for g in out] == ["X", "P", "Q", "R", "S", "T"]
    assert grades(out)["X"] == "A"
    # equal sales share a grade: position of P (50%) → E for all five
    assert {grades(out)[c] for c in "PQRST"} == {"E"}


def test_sales_share_each_band_takes_its_ten_percent_of_sales():
    figs = [fig(f"K{i:02d}", 10 - i * 0 + (100 - i)) for i in range(100)]  # distinct, decreasing
    out = {g.key: g for g in sales_share.grade_by_share(figs)}
    total = sum(f.sales for f in figs)
    for g in out.values():
        position = g.items["position"]
        expected = "A" if position >= 90 else "B" if position >= 80 else "C" if position >= 70 else \
            "D" if position >= 60 else "E"
        assert g.grade == expected
    a_sales = sum(f.sales for f in figs if out[f.key].grade == "A")
    assert a_sales * 100 / total <= 11  # A: the first ~10% of sales


def test_sales_share_edge_cases_no_sales_one_customer_all_zero_negative():
    assert grades(sales_share.grade_by_share([fig("A1", 0), fig("A2", 500)])) == {"A1": "E", "A2": "A"}
    assert grades(sales_share.grade_by_share([fig("ONLY", 1)])) == {"ONLY": "A"}
    assert set(grades(sales_share.grade_by_share([fig("Z1", 0), fig("Z2", 0)])).values()) == {"E"}
    assert grades(sales_share.grade_by_share([fig("N", -100), fig("P", 100)])) == {"N": "E", "P": "A"}
    assert sales_share.grade_by_share([]) == []


def test_sales_share_tie_never_splits_across_a_band():
    figs = [fig("A1", 100), fig("B1", 50), fig("B2", 50)]
    out = grades(sales_share.grade_by_share(figs, bands=(90, 60, 30, 10)))
    assert out["B1"] == out["B2"]


def test_sales_share_refuses_bands_not_descending():
    with pytest.raises(ValueError, match="递减"):
        sales_share.grade_by_share([fig("A", 1)], bands=(60, 70, 80, 90))


# ---------------------------------------------------------------- 100-point scoring

def test_scoring_quota_counts_round_cumulative_boundaries_half_up():
    assert scoring.quota_counts(10, (20, 30, 40, 10)) == [2, 3, 4, 1]
    assert scoring.quota_counts(1, (20, 30, 40, 10)) == [0, 1, 0, 0]  # 0.2→0, 0.5→1, 0.9→1
    assert scoring.quota_counts(3, (20, 30, 40, 10)) == [1, 1, 1, 0]  # 0.6→1, 1.5→2, 2.7→3
    assert scoring.quota_counts(0, (20, 30, 40, 10)) == [0, 0, 0, 0]


@given(st.integers(min_value=0, max_value=5000),
       st.lists(st.integers(min_value=0, max_value=100), min_size=3, max_size=3))
def test_forced_distribution_always_yields_the_quotas(n, cuts):
    a, b, c = sorted(cuts)
    quotas = (a, b - a, c - b, 100 - c)
    counts = scoring.quota_counts(n, quotas)
    assert sum(counts) == n and min(counts) >= 0
    for count, q in zip(counts, quotas, strict=True):
        assert abs(count - n * q / 100) <= 1


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(-500, 5000), st.integers(0, 50),
                          st.integers(0, 6)), min_size=1, max_size=60))
def test_scoring_grades_follow_the_score_and_the_quotas(rows):
    figs = [Figures(key=i, code=f"K{i:04d}", sales=D(s), profit=D(p), orders=o, payments=6, late=late)
            for i, (s, p, o, late) in enumerate(rows)]
    out = scoring.score_and_distribute(figs, year=2026)
    sales = {f.key: f.sales for f in figs}
    active = [g for g in out if sales[g.key] > 0]
    idle = [g for g in out if sales[g.key] <= 0]
    counts = [sum(1 for g in active if g.grade == x) for x in scoring.GRADES]
    assert counts == scoring.quota_counts(len(active), (20, 30, 40, 10))
    assert all(g.grade == "D" for g in idle) and out == active + idle  # idle customers: D, ranked last
    assert [g.rank for g in out] == list(range(1, len(figs) + 1))
    for group in (active, idle):
        assert all(group[i].score >= group[i + 1].score for i in range(len(group) - 1))
    assert all(D(0) <= g.score <= D(100) for g in out)


def test_scoring_tie_on_the_quota_boundary_goes_by_sales_then_code():
    # five identical customers except sales; the A quota is one (5 × 20%)
    same = dict(profit=D(0), orders=0, payments=0)
    figs = [Figures(key=c, code=c, sales=D(100), **same) for c in ("K3", "K1", "K2")]
    out = scoring.score_and_distribute(figs + [Figures(key="K0", code="K0", sales=D(0), **same)], year=2026,
                                       quotas=(25, 25, 25, 25))
    scores = {g.key: g.score for g in out}
    assert scores["K1"] == scores["K2"] == scores["K3"]
    assert [g.key for g in out][:3] == ["K1", "K2", "K3"] and grades(out)["K1"] == "A"


def test_scoring_items_negative_profit_no_payments_and_defaults():
    figs = [Figures(key="L", code="L", sales=D(1000), profit=D(-50), orders=3, payments=0, first_year=2026),
            Figures(key="W", code="W", sales=D(2000), profit=D(600), orders=9, payments=4, late=2, first_year=2020,
                    attributes={"sales_model": 100, "their_share": 80, "reputation": 0})]
    loss, win = scoring.item_scores(figs, year=2026)
    assert loss["margin"] == 0 and loss["payment"] == 1.0 and loss["sales_model"] == 0.5
    assert loss["years"] == pytest.approx(0.2)
    assert win["margin"] == pytest.approx(1.0) and win["payment"] == 0.5 and win["years"] == 1.0
    assert win["their_share"] == 0.8 and win["reputation"] == 0
    assert win["sales"] == 1.0 and loss["sales"] == 0.0


def test_scoring_all_zero_and_weights_must_sum_to_100():
    out = scoring.score_and_distribute([Figures(key=i, code=f"K{i}") for i in range(10)], year=2026)
    assert [g.grade for g in out] == ["D"] * 10 and [g.key for g in out] == list(range(10))  # nobody bought
    same = [Figures(key=i, code=f"K{i}", sales=D(100)) for i in range(10)]
    out = scoring.score_and_distribute(same, year=2026)
    assert [g.grade for g in out] == list("AABBBCCCCD")  # equal scores: by code, the documented tie order
    with pytest.raises(ValueError, match="权重之和应为100"):
        scoring.score_and_distribute([], year=2026, weights=dict(scoring.DEFAULT_WEIGHTS, sales=30))


# ---------------------------------------------------------------- credit

def test_credit_grades_limits_and_who_approves():
    a = credit.credit_grade(Figures(key=1, code="1", payments=5, late=0))
    assert (a, credit.credit_grade(Figures(key=1, code="1", payments=5, late=1)),
            credit.credit_grade(Figures(key=1, code="1", payments=5, late=3)),
            credit.credit_grade(Figures(key=1, code="1", payments=5, late=4)),
            credit.credit_grade(Figures(key=1, code="1"))) == ("A", "B", "C", "D", "C")
    assert credit.credit_limit("A", period_sales=D("800000"), on_time=5) == D("800000.00")
    assert credit.credit_limit("B", period_sales=D("800000"), on_time=5) == D("150000.00")
    assert credit.credit_limit("B", period_sales=D("800000"), on_time=500) == D("800000.00")
    assert credit.credit_limit("C", period_sales=D("800000"), on_time=5) == D("20000.00")
    assert credit.credit_limit("D", period_sales=D("800000"), on_time=5) == D("0.00")
    assert credit.approvers(D(100), D(100)) == ()
    assert credit.approvers(D(100), D(120)) == ("部长",)
    assert credit.approvers(D(100), D("120.01")) == ("部长", "总经理")
    assert credit.approvers(D(0), D(1)) == ("部长", "总经理")


# ---------------------------------------------------------------- tiers

def test_key_account_and_membership_tiers_with_the_city_coefficient():
    key = (("KS", 50_000_000), ("KP", 20_000_000), ("KN", 5_000_000))
    assert [tiers.tier(D(x), key) for x in (4_999_999, 5_000_000, 20_000_000, 49_999_999, 50_000_000)] == \
        ["-", "KN", "KP", "KP", "KS"]
    member = (("DI", 5_000_000), ("PT", 2_000_000), ("GO", 200_000), ("VI", 10_000))
    assert [tiers.tier(D(x), member) for x in (9_999, 10_000, 200_000, 2_000_000, 5_000_000)] == \
        ["-", "VI", "GO", "PT", "DI"]
    assert tiers.tier(D(4_000_000), member, city_coefficient=80) == "DI"
    assert tiers.tier(D(3_999_999), member, city_coefficient=80) == "PT"


def test_the_city_is_read_from_the_address_and_its_coefficient_scales_the_thresholds():
    assert tiers.city_of("江苏省苏州市工业园区星湖街328号") == "苏州"
    assert tiers.city_of("北京市朝阳区建国路88号") == "北京"
    assert tiers.city_of("宁夏回族自治区银川市金凤区") == "银川"
    assert tiers.city_of("朝阳区建国路") == ""
    table, bad = tiers.parse_coefficients("其他 100; 海口 80; 银川市:0.9; 兰州 45; 哪里")
    assert table == {"其他": 100, "海口": 80, "银川": 90} and bad == ["兰州 45", "哪里"]
    assert [tiers.coefficient(c, table) for c in ("海口", "北京")] == [80, 100]
    assert tiers.coefficient("北京", {}) == 100
    member = (("DI", 5_000_000), ("PT", 2_000_000), ("GO", 200_000), ("VI", 10_000))
    figs = [Figures("HK", "K1", D(4_000_000), city="海口"), Figures("BJ", "K2", D(4_000_000), city="北京"),
            Figures("YC", "K3", D(8_000), city="银川"), Figures("Y2", "K4", D("7999.99"), city="银川")]
    graded = {g.key: g for g in tiers.grade_tiers(figs, member, coefficients={"其他": 100, "海口": 80, "银川": 80})}
    # 海口 at 80%: 5,000,000 × 0.8 = 4,000,000 inclusive → 钻石; 北京 unscaled → 白金; VIP from 8,000 in 银川
    assert [graded[k].grade for k in ("HK", "BJ", "YC", "Y2")] == ["DI", "PT", "VI", "-"]
    assert graded["HK"].items == {"city": "海口", "coefficient": 80}
    # the regulation's defaults: the smaller cities at 90 or 80, the rest unscaled
    defaults = tiers.parse_coefficients(tiers.DEFAULT_CITY_COEFFICIENTS)
    assert defaults[1] == [] and defaults[0]["其他"] == 100 and set(defaults[0].values()) == {100, 90, 80}


def test_every_scheme_runs_from_the_default_settings():
    figs = [fig("K1", 6_000_000, payments=2, late=0), fig("K2", 0)]
    for kind in schemes.KINDS:
        out = schemes.run(kind, figs, schemes.parameters(kind, RULES), year=2026)
        assert {g.key for g in out} == {"K1", "K2"}
        assert all(g.grade in schemes.ORDERS[kind] for g in out)


def test_change_against_the_previous_grade():
    order = ("A", "B", "C", "D")
    assert [change(None, "A", order), change("B", "A", order), change("A", "C", order), change("C", "C", order)] \
        == ["new", "up", "down", "same"]


# ---------------------------------------------------------------- policies

def test_policies_follow_the_grade_and_late_payments_drop_the_terms_one_level():
    a = grade_policy.policy_for("A", RULES)
    assert (a.price_text, a.payment_terms, a.delivery_days, a.rush_orders, a.visit_days, a.reply_hours) == \
        ("最多低于内部控制价5%", "交货后90天内付款", 20, True, 90, 24)
    d = grade_policy.policy_for("D", RULES)
    assert (d.price_text, d.payment_terms, d.rush_orders, d.visit_days) == ("高于内部控制价5%", "先款后货", False, None)
    assert grade_policy.policy_for("C", RULES).price_text == "不低于内部控制价"
    late = grade_policy.policy_for("A", RULES, late_in_quarter=2)
    assert late.dropped and late.payment_terms == "货到付款或30天内付款"
    assert grade_policy.policy_for("A", RULES, late_in_quarter=1).payment_level == 0
    assert grade_policy.policy_for("D", RULES, late_in_quarter=5).payment_level == 3
    assert grade_policy.policy_for("", RULES).payment_terms == "不赊账,货到付款"


def test_the_credit_recheck_falls_due_months_after_the_last_commit():
    from datetime import date

    assert credit.recheck_due(None, months=3) is None  # never checked: due now
    assert credit.recheck_due(date(2026, 11, 30), months=3) == date(2027, 2, 28)  # the month's last day
    assert credit.recheck_due(date(2026, 12, 15), months=1) == date(2027, 1, 15)
