"""Price list from the approved 均价 with floor and unit-type differentials (楼层差价 / 户型差价)."""
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import pricing as p
from app.errors import UserError

RULE = p.FloorRule(base_floor=2, step=D("30"), up_to=10, top_floor=18, top_discount=D("200"),
                   ground_discount=D("150"))
RULES = p.PriceRules(average=D("8650"), floors=RULE, unit_types={"A": D("100"), "B": D("0"), "C": D("-80")})


@pytest.mark.parametrize(("floor", "expected"), [
    (1, D("-150")),  # ground floor discount instead of the step
    (2, D("0")),
    (3, D("30")),
    (10, D("240")),
    (15, D("240")),  # capped at up_to
    (18, D("-200")),  # top floor
])
def test_floor_rule(floor, expected):
    assert RULE.differential(floor) == expected


def test_unit_price_adds_differentials_and_rounds_to_whole_yuan():
    assert p.unit_price(RULES, floor=3, unit_type="A") == D("8780")
    half = p.PriceRules(average=D("8650.50"), floors={5: D("0")})
    assert p.unit_price(half, floor=5, unit_type="任意") == D("8651")  # half up; no type table → 0
    assert p.unit_price(RULES, floor=1, unit_type=" C ") == D("8420")


def test_explicit_floor_table_and_unknown_entries_are_refused_in_chinese():
    rules = p.PriceRules(average=D("9000"), floors={1: D("-100"), 2: D("0"), 3: D("50")})
    assert p.unit_price(rules, floor=3, unit_type="A") == D("9050")
    with pytest.raises(UserError, match="第 4 层"):
        p.unit_price(rules, floor=4, unit_type="A")
    with pytest.raises(UserError, match="户型“D”"):
        p.unit_price(RULES, floor=3, unit_type="D")


def test_total_price_is_rounded_half_up_to_the_fen():
    assert p.total_price(D("8780"), D("89.125")) == D("782517.50")
    assert p.total_price(8001, "0.005") == D("40.01")  # 40.005 → 40.01, not banker's 40.00
    with pytest.raises(TypeError):
        p.total_price(8780.0, D("1"))  # float is never money


def test_price_list_and_weighted_average():
    units = [p.Unit("1-1-101", 1, "A", D("100")), p.Unit("1-1-301", 3, "B", D("50"))]
    priced = p.price_list(RULES, units)
    assert [(u.price_per_m2, u.total) for u in priced] == [(D("8600"), D("860000.00")),
                                                           (D("8680"), D("434000.00"))]
    assert p.list_average(priced) == D("8626.67")  # (860000 + 434000) / 150
    with pytest.raises(UserError):
        p.weighted_average([], [])


def test_calibrate_brings_the_average_back_to_the_approved_price():
    units = [p.Unit(f"u{f}", f, t, D(a)) for f, t, a in
             [(1, "A", "120.5"), (5, "A", "89.3"), (9, "C", "60"), (18, "B", "143.77"), (12, "A", "99")]]
    before = p.list_average(p.price_list(RULES, units))
    assert abs(before - RULES.average) > 1  # the differentials alone move the average
    calibrated = p.calibrate(RULES, units)
    assert calibrated.shift != 0
    assert abs(p.list_average(p.price_list(calibrated, units)) - RULES.average) <= 1
    # the relative differentials are kept: the shift is the same for every unit
    diffs = {u.key: p.unit_price(calibrated, floor=u.floor, unit_type=u.unit_type)
             - p.unit_price(RULES, floor=u.floor, unit_type=u.unit_type) for u in units}
    assert max(diffs.values()) - min(diffs.values()) <= 1


unit_st = st.builds(
    p.Unit, key=st.just("u"), floor=st.integers(1, 18), unit_type=st.sampled_from(["A", "B", "C"]),
    area=st.decimals(min_value=D("30"), max_value=D("300"), places=2),
)


@settings(max_examples=150, deadline=None)
@given(units=st.lists(unit_st, min_size=1, max_size=30),
       average=st.decimals(min_value=D("3000"), max_value=D("60000"), places=2),
       step=st.integers(0, 200), ground=st.integers(0, 500))
def test_calibrated_average_is_always_within_one_yuan(units, average, step, ground):
    rules = p.PriceRules(average=average, floors=p.FloorRule(step=D(step), ground_discount=D(ground)),
                         unit_types={"A": D("120"), "B": D("0"), "C": D("-95")})
    calibrated = p.calibrate(rules, units)
    priced = p.price_list(calibrated, units)
    assert abs(p.list_average(priced) - average) <= p.CALIBRATION_TOLERANCE
    assert all(u.price_per_m2 == u.price_per_m2.to_integral_value() for u in priced)
    assert all(u.total == p.total_price(u.price_per_m2, u.area) for u in priced)


@given(prices=st.lists(st.integers(1000, 90000), min_size=1, max_size=20), data=st.data())
def test_weighted_average_lies_between_the_extremes(prices, data):
    areas = data.draw(st.lists(st.decimals(min_value=D("1"), max_value=D("500"), places=2),
                               min_size=len(prices), max_size=len(prices)))
    avg = p.weighted_average(prices, areas)
    assert min(prices) <= avg <= max(prices)
