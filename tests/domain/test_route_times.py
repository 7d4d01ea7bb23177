"""The exact method up to routes.exact_limit stops, and the day's route against unsuitable times (不宜拜访时间)."""
from __future__ import annotations

import itertools
import math
import random
from datetime import date

import pytest

from app.domain import route_times
from app.domain.routes import EXACT_LIMIT, Point, RouteRules, order_stops, plan_route, route_km

WUHAN = Point(30.59, 114.31)
MONDAY, TUESDAY = date(2026, 12, 7), date(2026, 12, 8)
RULES = RouteRules(road_factor=1.3, speed_kmh=30, minutes_per_stop=30)


def _reference_optimum(stops, depot) -> float:
    """Held–Karp over dicts, written plainly: the length the exact method must reach."""
    n = len(stops)
    d = [[0.0] * n for _ in range(n)]
    for i, j in itertools.permutations(range(n), 2):
        d[i][j] = route_km([stops[i], stops[j]], [0, 1])
    start = [route_km([stops[j]], [0], depot=depot) for j in range(n)]
    best = {(1 << j, j): start[j] for j in range(n)}
    for size in range(2, n + 1):
        for subset in itertools.combinations(range(n), size):
            mask = sum(1 << j for j in subset)
            for k in subset:
                prev = mask & ~(1 << k)
                best[mask, k] = min(best[prev, j] + d[j][k] for j in subset if j != k)
    full = (1 << n) - 1
    return min(best[full, j] for j in range(n))


@pytest.mark.parametrize("seed", range(3))
def test_the_exact_method_reaches_the_optimum_on_eleven_stops(seed):
    rng = random.Random(seed)
    stops = [Point(30.09 + rng.random(), 113.81 + rng.random()) for _ in range(11)]
    order, exact = order_stops(stops, depot=WUHAN)
    assert exact and sorted(order) == list(range(11))
    assert route_km(stops, order, depot=WUHAN) == pytest.approx(_reference_optimum(stops, WUHAN), rel=1e-9)


def test_the_exact_method_is_used_up_to_its_limit_and_the_heuristic_above():
    rng = random.Random(7)
    stops = [Point(30.09 + rng.random(), 113.81 + rng.random()) for _ in range(EXACT_LIMIT + 1)]
    assert order_stops(stops[:EXACT_LIMIT], depot=WUHAN)[1] is True
    assert order_stops(stops, depot=WUHAN)[1] is False
    assert order_stops(stops, depot=WUHAN, exact_limit=EXACT_LIMIT + 1)[1] is True


def test_windows_are_the_hours_that_fall_on_the_day():
    assert route_times.windows_on("周一上午不宜", MONDAY) == ((8 * 60, 12 * 60),)
    assert route_times.windows_on("周一上午不宜", TUESDAY) == ()
    assert route_times.windows_on("午休12:00-14:00", TUESDAY)[0] == (12 * 60, 14 * 60)
    assert route_times.whole_days_on("每月1-5日;周一上午", date(2026, 12, 3)) == ["每月1-5日"]
    assert route_times.clock_text(14 * 60 + 5) == "14:05"


def _line(n: int) -> list[Point]:
    """Customers along a road north of the office, about 2.2 km apart: the nearest first is the shortest."""
    return [Point(WUHAN.lat + 0.02 * (i + 1), WUHAN.lon) for i in range(n)]


def test_a_monday_route_visits_the_customer_marked_monday_morning_in_the_afternoon():
    stops = _line(8)
    windows = [route_times.windows_on("周一上午不宜" if i == 0 else "", MONDAY) for i in range(8)]
    plan = plan_route(stops, depot=WUHAN, rules=RULES, windows=windows, start_minute=9 * 60)
    k = plan.order.index(0)
    assert plan.arrivals[k] >= 12 * 60 and plan.clashes == () and plan.moved_for_times and not plan.exact
    shortest = plan_route(stops, depot=WUHAN, rules=RULES)
    assert shortest.order[0] == 0 and plan.distance_km > shortest.distance_km  # the detour it takes
    # on a Tuesday nothing applies: the shortest order, customer 0 first at once
    tuesday = [route_times.windows_on("周一上午不宜" if i == 0 else "", TUESDAY) for i in range(8)]
    assert plan_route(stops, depot=WUHAN, rules=RULES, windows=tuesday).order == shortest.order


def test_a_window_the_day_cannot_avoid_is_reported_as_a_clash():
    stops = _line(2)  # back by 10:10: the morning cannot be avoided
    windows = [route_times.windows_on("周一上午不宜", MONDAY), ()]
    plan = plan_route(stops, depot=WUHAN, rules=RULES, windows=windows, start_minute=9 * 60)
    assert plan.clashes == (0,)


def test_arrivals_add_driving_and_the_stay():
    stops = _line(2)
    plan = plan_route(stops, depot=WUHAN, rules=RULES, start_minute=9 * 60)
    leg = plan.legs_km[0] / RULES.speed_kmh * 60
    assert plan.arrivals[0] == pytest.approx(9 * 60 + leg)
    assert plan.arrivals[1] == pytest.approx(plan.arrivals[0] + 30 + plan.legs_km[1] / 30 * 60)
    assert not math.isnan(plan.arrivals[1])
