"""Visit routes (路线规划, DOMAIN.md §4): the order of a day's customers, with distance and time.

Pure functions, no Qt, no database. Distances are great-circle (haversine) kilometres between
coordinates; the road distance shown to users is that times a road factor (a setting), and the time is
road distance / average speed plus a fixed time per stop (settings too).

How the order is found
- The route starts at a depot (the office) when one is given, otherwise wherever is best; it may end
  back at the depot (`return_to_depot`) or at the last customer.
- n ≤ `exact_limit` stops (15 by default, setting routes.exact_limit): the exact optimum by Held–Karp dynamic
  programming (O(2ⁿ·n²)), vectorised with numpy one subset size at a time.
- More stops: a heuristic. Two starting orders are improved — nearest neighbour from the depot, and the
  order the user gave — each by local search until neither move helps:
    * 2-opt: reverse a stretch of the route when that shortens it (removes crossings);
    * or-opt: move a run of 1–3 consecutive stops, either way round, to another place in the route.
  The shorter result is returned. Local search only ever accepts improvements, so the result is never
  longer than the order the user gave (a property the tests check). It is not guaranteed optimal; on
  random instances it lands within a few per cent of the optimum (bench/routes.py measures it).
Internally the route is a path from a fixed start node to a fixed end node over a matrix with two
extra rows: "no depot" is a start at zero distance from everyone, "not returning" an end at zero
distance from everyone, so one code path serves every case.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from app.domain import route_times
from app.domain.visit_rules import falls_on, parse_unsuitable

EARTH_RADIUS_KM = 6371.0088
# the exact method up to this many stops: the most bench/routes.py orders within 100 ms here (15 stops ~70 ms,
# 16 ~130 ms); setting routes.exact_limit
EXACT_LIMIT = 15
_EPS = 1e-9  # improvements smaller than this are rounding noise (duplicate points, ties)


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class RouteRules:
    """The settings the estimate needs (routes.road_factor, routes.speed_kmh, routes.minutes_per_stop)."""

    road_factor: float = 1.3
    speed_kmh: float = 30.0
    minutes_per_stop: float = 30.0


@dataclass(frozen=True)
class RoutePlan:
    order: tuple[int, ...]  # indices into the stops as given, in visiting order
    legs_km: tuple[float, ...]  # road km of each leg: depot→first, …, last→depot when returning
    distance_km: float  # road km of the whole route
    minutes: float  # driving plus the time spent at each stop
    input_distance_km: float  # road km of the stops in the order given
    exact: bool  # True when the order is the proven optimum
    arrivals: tuple[float, ...] = ()  # estimated arrival at each stop, minutes after midnight (route order)
    clashes: tuple[int, ...] = ()  # stops (indices as given) still visited in one of their unsuitable hours
    moved_for_times: bool = False  # the shortest order was changed to avoid unsuitable hours

    @property
    def saved_km(self) -> float:
        return self.input_distance_km - self.distance_km


def haversine_km(a: Point, b: Point) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _matrix(stops: Sequence[Point], depot: Point | None, return_to_depot: bool) -> list[list[float]]:
    """Nodes 0 = start, 1..n = stops, n+1 = end (see the module notes)."""
    n = len(stops)
    m = [[0.0] * (n + 2) for _ in range(n + 2)]
    for i in range(n):
        for j in range(i + 1, n):
            m[i + 1][j + 1] = m[j + 1][i + 1] = haversine_km(stops[i], stops[j])
        if depot is not None:
            d = haversine_km(depot, stops[i])
            m[0][i + 1] = m[i + 1][0] = d
            if return_to_depot:
                m[i + 1][n + 1] = m[n + 1][i + 1] = d
    return m


def _cost(path: Sequence[int], m: list[list[float]]) -> float:
    return sum(m[a][b] for a, b in itertools.pairwise(path))


def _held_karp(n: int, m: list[list[float]]) -> list[int]:
    """Exact shortest path 0 → (all of 1..n) → n+1, by Held–Karp over the subsets, one popcount layer at a
    time with numpy (a maintained library doing the 2ⁿ·n² inner loop in C: 14 stops in ~40 ms against
    ~170 ms for the same loop in Python). best[S, k] = min over j in S∖k of best[S∖k, j] + d(j, k): every
    (S, k) has a single predecessor set, so a layer is one gather, one add and one min."""
    if n == 0:
        return []
    d = np.array(m, dtype=np.float64)
    inner = d[1:n + 1, 1:n + 1]  # stop j → stop k
    size = 1 << n
    best = np.full((size, n), np.inf)
    back = np.full((size, n), -1, dtype=np.int8)
    bits = 1 << np.arange(n)
    best[bits, np.arange(n)] = d[0, 1:n + 1]
    masks = np.arange(size)
    count = np.zeros(size, dtype=np.int8)  # popcount of every subset
    for i in range(n):
        count += ((masks >> i) & 1).astype(np.int8)
    transposed = inner.T  # [k, j] = d(j, k)
    for layer in range(2, n + 1):
        sets = masks[count == layer]
        has = (sets[:, None] & bits[None, :]) != 0  # (sets, k): k in S
        before = sets[:, None] ^ bits[None, :]  # S without k (or with it, where k is not in S: masked below)
        cand = best[before] + transposed[None, :, :]  # (sets, k, j)
        j = cand.argmin(axis=2)
        value = np.take_along_axis(cand, j[:, :, None], axis=2)[:, :, 0]
        value[~has] = np.inf
        best[sets] = value
        back[sets] = np.where(has, j, -1)
    full = size - 1
    last = int(np.argmin(best[full] + d[1:n + 1, n + 1]))
    order, mask = [], full
    while last != -1:
        order.append(last + 1)
        prev = int(back[mask, last]) if mask & (mask - 1) else -1
        last, mask = prev, mask & ~(1 << last)
    return order[::-1]


def _nearest_neighbour(n: int, m: list[list[float]]) -> list[int]:
    left, here, out = set(range(1, n + 1)), 0, []
    while left:
        here = min(left, key=lambda j: (m[here][j], j))
        left.remove(here)
        out.append(here)
    return out


def _two_opt(path: list[int], m: list[list[float]]) -> bool:
    """Reverse path[i..j] (interior positions only) when that shortens the path; True if it changed."""
    changed, improved = False, True
    last = len(path) - 2
    while improved:
        improved = False
        for i in range(1, last):
            a, b = path[i - 1], path[i]
            ab = m[a][b]
            for j in range(i + 1, last + 1):
                c, d = path[j], path[j + 1]
                delta = m[a][c] + m[b][d] - ab - m[c][d]
                if delta < -_EPS:
                    path[i:j + 1] = path[i:j + 1][::-1]
                    b, ab = path[i], m[a][path[i]]
                    improved = changed = True
    return changed


def _or_opt(path: list[int], m: list[list[float]]) -> bool:
    """Move a run of 1–3 stops (either way round) to a better place; True if anything moved."""
    changed, improved = False, True
    while improved:
        improved = False
        for size in (1, 2, 3):
            i = 1
            while i + size <= len(path) - 1:
                seg = path[i:i + size]
                prev, nxt = path[i - 1], path[i + size]
                removed = m[prev][seg[0]] + m[seg[-1]][nxt] - m[prev][nxt]
                rest = path[:i] + path[i + size:]
                best, where, flip = 0.0, -1, False
                for k in range(len(rest) - 1):
                    if k == i - 1:
                        continue  # back where it came from
                    x, y = rest[k], rest[k + 1]
                    base = m[x][y]
                    gain = removed - (m[x][seg[0]] + m[seg[-1]][y] - base)
                    if gain > best + _EPS:
                        best, where, flip = gain, k, False
                    gain = removed - (m[x][seg[-1]] + m[seg[0]][y] - base)
                    if size > 1 and gain > best + _EPS:
                        best, where, flip = gain, k, True
                if where >= 0:
                    path[:] = rest[:where + 1] + (seg[::-1] if flip else seg) + rest[where + 1:]
                    improved = changed = True
                i += 1
    return changed


def _improve(path: list[int], m: list[list[float]]) -> list[int]:
    while True:
        moved = _two_opt(path, m)
        moved = _or_opt(path, m) or moved
        if not moved:
            return path


def order_stops(stops: Sequence[Point], *, depot: Point | None = None, return_to_depot: bool = False,
                exact_limit: int = EXACT_LIMIT) -> tuple[tuple[int, ...], bool]:
    """(visiting order as indices into `stops`, exact?) — never longer than the order given."""
    n = len(stops)
    if n <= 1:
        return tuple(range(n)), True
    m = _matrix(stops, depot, return_to_depot)
    end = n + 1
    if n <= exact_limit:
        inner = _held_karp(n, m)
        given = list(range(1, n + 1))
        if _cost([0, *given, end], m) <= _cost([0, *inner, end], m):  # ties keep the user's order
            inner = given
        return tuple(j - 1 for j in inner), True
    candidates = [[0, *_nearest_neighbour(n, m), end], [0, *range(1, n + 1), end]]
    best = min((_improve(c, m) for c in candidates), key=lambda p: _cost(p, m))
    return tuple(j - 1 for j in best[1:-1]), False


def brute_force_order(stops: Sequence[Point], *, depot: Point | None = None,
                      return_to_depot: bool = False) -> tuple[int, ...]:
    """Every permutation (n ≤ 9 or so): the reference the exact and heuristic orders are checked against."""
    n = len(stops)
    m = _matrix(stops, depot, return_to_depot)
    best = min(itertools.permutations(range(1, n + 1)), key=lambda p: _cost([0, *p, n + 1], m))
    return tuple(j - 1 for j in best)


def legs_km(stops: Sequence[Point], order: Sequence[int], *, depot: Point | None = None,
            return_to_depot: bool = False) -> list[float]:
    """Straight-line km of each leg of the route in this order."""
    points = [stops[i] for i in order]
    if depot is not None and points:
        points = [depot, *points, *([depot] if return_to_depot else [])]
    return [haversine_km(a, b) for a, b in itertools.pairwise(points)]


def route_km(stops: Sequence[Point], order: Sequence[int], *, depot: Point | None = None,
             return_to_depot: bool = False) -> float:
    return sum(legs_km(stops, order, depot=depot, return_to_depot=return_to_depot))


def estimate_minutes(road_km: float, stops: int, rules: RouteRules) -> float:
    driving = road_km / rules.speed_kmh * 60 if rules.speed_kmh > 0 else 0.0
    return driving + stops * rules.minutes_per_stop


def plan_route(stops: Sequence[Point], *, depot: Point | None = None, return_to_depot: bool = False,
               rules: RouteRules = RouteRules(), exact_limit: int = EXACT_LIMIT,
               windows: Sequence[Sequence[route_times.Window]] | None = None, start_minute: int = 9 * 60
               ) -> RoutePlan:
    """The best order found, with road distance (km × road factor) and time (driving + minutes per stop);
    with `windows` (each stop's unsuitable minutes that day, route_times) the order avoids them where it can."""
    order, exact = order_stops(stops, depot=depot, return_to_depot=return_to_depot, exact_limit=exact_limit)
    n, moved, clashes, arrive = len(stops), False, (), ()
    if n:
        m = _matrix(stops, depot, return_to_depot)
        path = [0, *(i + 1 for i in order), n + 1]
        clock = {"start": start_minute, "stay": rules.minutes_per_stop,
                 "km_per_minute": rules.speed_kmh / 60 / rules.road_factor if rules.road_factor else 0.0}
        if windows and any(windows):
            better = route_times.avoid(path, m, windows, **clock)
            moved = better != path
            path = better
            clashes = tuple(i - 1 for i in route_times.clashing(path, m, windows, **clock))
        order = tuple(i - 1 for i in path[1:-1])
        arrive = tuple(route_times.arrivals(path, m, **clock))
        exact = exact and not moved
    legs = [km * rules.road_factor for km in legs_km(stops, order, depot=depot, return_to_depot=return_to_depot)]
    given = route_km(stops, range(len(stops)), depot=depot, return_to_depot=return_to_depot) * rules.road_factor
    total = sum(legs)
    return RoutePlan(order=order, legs_km=tuple(legs), distance_km=total,
                     minutes=estimate_minutes(total, len(stops), rules), input_distance_km=given, exact=exact,
                     arrivals=arrive, clashes=clashes, moved_for_times=moved)


def format_minutes(minutes: float) -> str:
    """'3小时25分' / '45分' — how the desk reads a duration."""
    total = round(minutes)
    hours, rest = divmod(total, 60)
    return f"{hours}小时{rest:02d}分" if hours else f"{rest}分"


def why_not_visited(*, status: str, blacklisted: bool, merged: bool, located: bool) -> str:
    """Why a customer is left out of a route (无效客户取消), in Chinese; '' when it can be visited."""
    if merged:
        return "已合并到其他客户"
    if blacklisted:
        return "黑名单客户"
    if status == "lost":
        return "流失客户"
    if not located:
        return "没有坐标(地址未能识别,请手工录入)"
    return ""


_WEEKDAYS = "一二三四五六日"
_PIECES = re.compile(r"[、,,;;/ ]+")
_MONTH_DAYS = re.compile(r"每月\s*(\d{1,2})\s*[-–—~至到]\s*(\d{1,2})\s*[日号]")


def unsuitable_on(text: str, day: date) -> list[str]:
    """The parts of a customer's 不宜拜访时间 tied to days that fall on `day` (DOMAIN §4: avoid unsuitable
    times) — read by the visit calendar's parser (app.domain.visit_rules.parse_unsuitable): weekdays, days of
    the month, 月初 / 月底, 季度末, 年底. Hours of every day (午休 12:00-14:00) do not bar a day's route."""
    rules, _unknown = parse_unsuitable(text)
    return [r.text for r in rules if r.day_bound and falls_on(r, day)]
