"""Route ordering benchmark (路线规划): 200 stops through app.domain.routes, and the heuristic's quality.

Figures, each against a raw baseline in the same process:
- route_order_ms: time to order 200 random stops around a depot (Wuhan, ±0.5°), against computing the
  plain distance matrix once (the least any ordering must do) — a cost ratio;
- route_len_vs_input: length of the ordered route / length of the stops in the order given (lower is
  better; the baseline is the input order itself, so value = ratio);
- route_len_vs_optimum_n8: the heuristic forced on 8-stop days (exact_limit=0), mean length / brute-force
  optimum over many instances (1.0 is optimal);
- route_exact_n9_ms: the Held–Karp exact order of 9 stops against brute force over 9! permutations;
- route_exact_limit_n15_ms: the exact order at routes.exact_limit stops (EXACT_LIMIT, 15) against the 100 ms
  budget (ratio ≤ 1); the heuristic's time on them and the largest size solved within 100 ms are printed;
- route_heuristic_vs_exact_n12: the heuristic alone on 12-stop days, mean length / the exact optimum.

    python bench/routes.py --quick
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.routes import EXACT_LIMIT, Point, brute_force_order, haversine_km, order_stops, route_km
from bench.common import Report, arguments, median, note, timed

DEPOT = Point(30.59, 114.31)


def random_stops(rng: random.Random, n: int) -> list[Point]:
    return [Point(DEPOT.lat - 0.5 + rng.random(), DEPOT.lon - 0.5 + rng.random()) for _ in range(n)]


def raw_matrix(stops: list[Point]) -> list[list[float]]:
    return [[haversine_km(a, b) for b in stops] for a in stops]


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args(argv)
    rng = random.Random(20261129)
    runs, small = (3, 10) if args.quick else (9, 40)
    n = 200
    ours, raw, ratios = [], [], []
    for _ in range(runs):
        stops = random_stops(rng, n)
        (order, _), seconds = timed(order_stops, stops, depot=DEPOT)
        ours.append(seconds)
        raw.append(timed(raw_matrix, stops)[1])
        ratios.append(route_km(stops, order, depot=DEPOT) / route_km(stops, range(n), depot=DEPOT))
    note(f"{n} stops, {runs} instances: ordered route is {median(ratios):.1%} of the input order's length")

    vs_opt = []
    for _ in range(small):
        stops = random_stops(rng, 8)
        best = route_km(stops, brute_force_order(stops, depot=DEPOT), depot=DEPOT)
        order, _ = order_stops(stops, depot=DEPOT, exact_limit=0)
        vs_opt.append(route_km(stops, order, depot=DEPOT) / best)
    optimal = sum(1 for r in vs_opt if r < 1 + 1e-9)
    note(f"heuristic on {small} 8-stop days: {optimal} optimal, worst {max(vs_opt):.3f}× the optimum")

    nine = random_stops(rng, 9)
    hk = median([timed(order_stops, nine, depot=DEPOT)[1] for _ in range(3)])
    bf = timed(brute_force_order, nine, depot=DEPOT)[1]

    at_limit = random_stops(rng, EXACT_LIMIT)
    exact_ms = median([timed(order_stops, at_limit, depot=DEPOT, exact_limit=EXACT_LIMIT)[1] for _ in range(3)])
    heur_ms = median([timed(order_stops, at_limit, depot=DEPOT, exact_limit=0)[1] for _ in range(3)])
    largest = 0
    for size in range(9, 19):
        if timed(order_stops, random_stops(rng, size), depot=DEPOT, exact_limit=size)[1] > 0.1:
            break
        largest = size
    note(f"exact method: {EXACT_LIMIT} stops in {exact_ms * 1000:.0f} ms (heuristic {heur_ms * 1000:.1f} ms); "
         f"largest solved within 100 ms: {largest}")
    vs_exact = []
    for _ in range(max(3, small // 4)):
        stops = random_stops(rng, 12)
        best = route_km(stops, order_stops(stops, depot=DEPOT, exact_limit=12)[0], depot=DEPOT)
        vs_exact.append(route_km(stops, order_stops(stops, depot=DEPOT, exact_limit=0)[0], depot=DEPOT) / best)
    note(f"heuristic on {len(vs_exact)} 12-stop days: worst {max(vs_exact):.3f}× the optimum (now solved exactly)")

    report = Report()
    report.add("route_order_ms", median(ours) * 1000, "ms", median(raw) * 1000, 200)
    report.add("route_len_vs_input", median(ratios), "x", 1.0, 0.25)
    report.add("route_len_vs_optimum_n8", sum(vs_opt) / len(vs_opt), "x", 1.0, 1.02)
    report.add("route_exact_n9_ms", hk * 1000, "ms", bf * 1000, 0.1)
    # the baseline is the 100 ms budget itself: ratio ≤ 1 means the exact method fits it at its limit
    report.add(f"route_exact_limit_n{EXACT_LIMIT}_ms", exact_ms * 1000, "ms", 100.0, 1.0)
    report.add("route_heuristic_vs_exact_n12", sum(vs_exact) / len(vs_exact), "x", 1.0, 1.02)
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
