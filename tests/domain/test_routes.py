"""Route ordering (路线规划): exact on small days, never worse than the order given, sane estimates."""
from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.routes import (
    Point,
    RouteRules,
    brute_force_order,
    format_minutes,
    haversine_km,
    order_stops,
    plan_route,
    route_km,
    unsuitable_on,
)

WUHAN = Point(30.59, 114.31)
BEIJING = Point(39.90, 116.40)

points = st.builds(Point, st.floats(30.0, 31.0), st.floats(114.0, 115.0))


def test_haversine_knows_the_distance_from_wuhan_to_beijing():
    assert haversine_km(WUHAN, BEIJING) == pytest.approx(1050, abs=15)
    assert haversine_km(WUHAN, WUHAN) == 0


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_days(n):
    stops = [Point(30.6 + i / 10, 114.3) for i in range(n)]
    plan = plan_route(stops, depot=WUHAN, rules=RouteRules(road_factor=1.0, speed_kmh=30, minutes_per_stop=20))
    assert sorted(plan.order) == list(range(n))
    assert plan.minutes == pytest.approx(plan.distance_km / 30 * 60 + 20 * n)
    if n == 0:
        assert plan.distance_km == 0 and plan.legs_km == ()


def test_two_stops_visit_the_near_one_first():
    far, near = Point(31.5, 114.31), Point(30.7, 114.31)
    assert order_stops([far, near], depot=WUHAN)[0] == (1, 0)


def test_a_line_of_customers_is_walked_along_and_the_road_factor_scales_the_distance():
    stops = [Point(30.59 + k / 100, 114.31) for k in (5, 1, 4, 2, 3)]
    plan = plan_route(stops, depot=WUHAN, rules=RouteRules(road_factor=1.5))
    assert plan.order == (1, 3, 4, 2, 0)
    assert plan.distance_km == pytest.approx(haversine_km(WUHAN, stops[0]) * 1.5)
    assert plan.exact and plan.saved_km > 0


def test_duplicate_points_are_all_visited_and_cost_nothing_extra():
    a, b = Point(30.7, 114.4), Point(30.8, 114.2)
    stops = [a, b, a, a, b] * 4  # 20 stops: the heuristic path
    order, exact = order_stops(stops, depot=WUHAN)
    assert not exact and sorted(order) == list(range(20))
    assert route_km(stops, order, depot=WUHAN) == pytest.approx(
        min(haversine_km(WUHAN, a), haversine_km(WUHAN, b)) + haversine_km(a, b))


@pytest.mark.parametrize("returning", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_small_days_are_optimal_as_brute_force_says(seed, returning):
    rng = random.Random(seed)
    stops = [Point(30 + rng.random(), 114 + rng.random()) for _ in range(rng.randint(3, 8))]
    order, exact = order_stops(stops, depot=WUHAN, return_to_depot=returning)
    best = brute_force_order(stops, depot=WUHAN, return_to_depot=returning)
    assert exact
    assert route_km(stops, order, depot=WUHAN, return_to_depot=returning) == pytest.approx(
        route_km(stops, best, depot=WUHAN, return_to_depot=returning))


def test_without_a_depot_the_route_starts_where_it_is_best():
    stops = [Point(30.59 + k / 100, 114.31) for k in (3, 1, 2, 4)]
    order, _ = order_stops(stops)
    assert order in ((1, 2, 0, 3), (3, 0, 2, 1))


def test_the_heuristic_is_close_to_the_optimum_on_nine_stops_forced_through_it():
    rng = random.Random(7)
    worse = []
    for _ in range(5):
        stops = [Point(30 + rng.random(), 114 + rng.random()) for _ in range(8)]
        best = route_km(stops, brute_force_order(stops, depot=WUHAN), depot=WUHAN)
        order, exact = order_stops(stops, depot=WUHAN, exact_limit=0)
        assert not exact
        worse.append(route_km(stops, order, depot=WUHAN) / best)
    assert max(worse) < 1.1


@settings(max_examples=60, deadline=None)
@given(st.lists(points, max_size=25), st.booleans(), st.booleans())
def test_never_longer_than_the_order_given(stops, use_depot, returning):
    depot = WUHAN if use_depot else None
    order, _ = order_stops(stops, depot=depot, return_to_depot=returning)
    assert sorted(order) == list(range(len(stops)))
    assert route_km(stops, order, depot=depot, return_to_depot=returning) <= route_km(
        stops, range(len(stops)), depot=depot, return_to_depot=returning) + 1e-6


def test_two_hundred_stops_are_ordered_much_shorter_than_given():
    rng = random.Random(3)
    stops = [Point(30 + rng.random(), 114 + rng.random()) for _ in range(200)]
    plan = plan_route(stops, depot=WUHAN)
    assert sorted(plan.order) == list(range(200))
    assert plan.distance_km < plan.input_distance_km / 5


def test_minutes_read_like_the_desk_writes_them():
    assert format_minutes(45) == "45分"
    assert format_minutes(205) == "3小时25分"


@pytest.mark.parametrize("text, day, hits", [
    ("周一上午、周五下午", date(2026, 11, 30), ["周一上午"]),  # a Monday
    ("周一上午、周五下午", date(2026, 12, 1), []),
    ("星期日休息", date(2026, 11, 29), ["星期日休息"]),
    ("周末", date(2026, 11, 28), ["周末"]),
    ("每月1-5日财务关账", date(2026, 12, 3), ["每月1-5日财务关账"]),
    ("每月1-5日财务关账", date(2026, 12, 6), []),
    ("月底结算期", date(2026, 2, 25), ["月底结算期"]),
    ("月底结算期", date(2026, 2, 23), []),
    ("季度末", date(2026, 12, 28), ["季度末"]),
    ("季度末", date(2026, 11, 28), []),
    ("年底审计期间", date(2026, 12, 20), ["年底审计期间"]),
    ("午休时间(12:00-14:00)", date(2026, 11, 30), []),
    ("", date(2026, 11, 30), []),
])
def test_unsuitable_times_that_fall_on_a_day(text, day, hits):
    assert unsuitable_on(text, day) == hits
