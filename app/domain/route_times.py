"""The day's route against the customers' unsuitable times (不宜拜访时间, DOMAIN.md §4: avoid them).

Pure functions. A stop's *windows* are the minutes of the day it should not be visited on that day: the parts of
its 不宜拜访时间 that fall on the day and name hours ("周一上午" on a Monday → 08:00–12:00, "午休12:00-14:00" every
day). A part naming a whole day (每月1-5日, 月底) cannot be avoided by the order: it is flagged, not windowed.

The route leaves at `start` (minutes after midnight, setting `routes.start_time`); each leg takes road km ÷ speed,
each stop `minutes_per_stop`. A visit clashes when [arrival, arrival + stay) overlaps one of its windows. The
shortest order is kept when nothing clashes; otherwise stops are moved (a clashing stop to any other place, or
swapped with another stop) while that lowers (clashes, km) — fewer clashes first, then the shorter route —
so a customer marked 周一上午不宜 is visited in the afternoon when the day allows, at the least extra distance.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, time

from app.domain.visit_rules import falls_on, parse_unsuitable

Window = tuple[int, int]  # minutes after midnight, [start, end)


def _minutes(t: time) -> int:
    return 24 * 60 if t == time.max else t.hour * 60 + t.minute


def windows_on(text: str, day: date) -> tuple[Window, ...]:
    """The hours of a customer's 不宜拜访时间 that apply on `day`, as minute windows."""
    rules, _unknown = parse_unsuitable(text)
    out = []
    for rule in rules:
        if rule.times and falls_on(rule, day):
            out.extend((_minutes(a), _minutes(b)) for a, b in rule.times)
    return tuple(out)


def whole_days_on(text: str, day: date) -> list[str]:
    """The parts of 不宜拜访时间 that bar the whole of `day` (每月1-5日, 月底, 周五): no order avoids them."""
    rules, _unknown = parse_unsuitable(text)
    return [r.text for r in rules if r.day_bound and not r.times and falls_on(r, day)]


def clock_text(minutes: float) -> str:
    """'14:05' for minutes after midnight."""
    total = round(minutes)
    return f"{total // 60 % 24:02d}:{total % 60:02d}"


def arrivals(path: Sequence[int], m: Sequence[Sequence[float]], *, start: float, km_per_minute: float,
             stay: float) -> list[float]:
    """Arrival minute at each stop of `path` (node 0 = start, stops, last = end), road km in m."""
    out, clock = [], float(start)
    for a, b in itertools.pairwise(path[:-1]):
        clock += m[a][b] / km_per_minute if km_per_minute > 0 else 0.0
        out.append(clock)
        clock += stay
    return out


def clashing(path: Sequence[int], m, windows: Sequence[Sequence[Window]], *, start: float, km_per_minute: float,
             stay: float) -> list[int]:
    """The stops (node numbers 1..n) whose visit overlaps one of their windows."""
    out = []
    for node, at in zip(path[1:-1], arrivals(path, m, start=start, km_per_minute=km_per_minute, stay=stay),
                        strict=True):
        if any(at < b and at + stay > a for a, b in windows[node - 1]):
            out.append(node)
    return out


def _score(path, m, windows, **clock) -> tuple[int, float]:
    return len(clashing(path, m, windows, **clock)), sum(m[a][b] for a, b in itertools.pairwise(path))


def avoid(path: list[int], m, windows: Sequence[Sequence[Window]], *, start: float, km_per_minute: float,
          stay: float, rounds: int = 50) -> list[int]:
    """The path reordered to clash with fewer windows (then shorter); the path itself when nothing clashes."""
    clock = {"start": start, "km_per_minute": km_per_minute, "stay": stay}
    best, score = list(path), _score(path, m, windows, **clock)
    for _ in range(rounds):
        if score[0] == 0:
            break
        improved = False
        for node in clashing(best, m, windows, **clock):
            i = best.index(node)
            rest = best[:i] + best[i + 1:]
            options = [rest[:k] + [node] + rest[k:] for k in range(1, len(rest))]  # move it elsewhere
            for k in range(1, len(best) - 1):  # or swap it with another stop
                if k != i:
                    swapped = list(best)
                    swapped[i], swapped[k] = swapped[k], swapped[i]
                    options.append(swapped)
            for option in options:
                s = _score(option, m, windows, **clock)
                if s < score:
                    best, score, improved = option, s, True
            if improved:
                break
        if not improved:
            break
    return best
