"""Shared helpers for the benchmarks (基准测试): timing, percentiles, peak memory and the BENCH lines.

Every benchmark ends with one line per figure (DESIGN.md):
    BENCH <name> value=<v> unit=<u> baseline=<b> ratio=<v/b> target=<=<t>
The target applies to the ratio; a benchmark prints, it never asserts a time.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

MB = 1024 * 1024


# ---------------------------------------------------------------- time


def timed(fn: Callable[..., Any], *args, **kwargs) -> tuple[Any, float]:
    """(result, seconds) of one call, on the monotonic high-resolution clock."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def timed_cpu(fn: Callable[..., Any], *args, **kwargs) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process): CPU time barely moves when other
    processes load the machine, so it tells noise from a real difference in long runs."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def percentile(values: list[float], p: float) -> float:
    """p-th percentile with linear interpolation between ranks (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: list[float]) -> float:
    return percentile(values, 50)


# ---------------------------------------------------------------- memory


def rss_peak_mb() -> float:
    """The process's resident-set high-water mark in MB (since start, or since reset_rss_peak())."""
    if sys.platform == "win32":
        return _windows_peak_working_set() / MB
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def reset_rss_peak() -> bool:
    """Start a new high-water mark (Linux ≥ 4.0 only, via /proc/self/clear_refs); False where unsupported."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _windows_peak_working_set() -> int:
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                    ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                    ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t), ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                    ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]

    counters = Counters()
    counters.cb = ctypes.sizeof(counters)
    process = ctypes.windll.kernel32.GetCurrentProcess()
    ctypes.windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb)
    return counters.PeakWorkingSetSize


@dataclass
class MemoryLog:
    """RSS peaks per named phase where the OS lets us reset the mark, and the peak of the whole run."""

    phases: dict[str, tuple[float, float]] = field(default_factory=dict)  # name → (RSS at start, peak)
    run_peak: float = 0.0
    resettable: bool | None = None

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """A reset mark falls to the current RSS, not to zero: read a phase's peak beside its start."""
        self.run_peak = max(self.run_peak, rss_peak_mb())  # keep what a reset would forget
        if self.resettable is not False:
            self.resettable = reset_rss_peak()
        start = rss_peak_mb()
        try:
            yield
        finally:
            peak = rss_peak_mb()
            self.run_peak = max(self.run_peak, peak)
            if self.resettable:
                before = self.phases.get(name, (start, 0.0))
                self.phases[name] = (min(before[0], start), max(before[1], peak))

    def whole_run(self) -> float:
        self.run_peak = max(self.run_peak, rss_peak_mb())
        return self.run_peak


def traced_peak_mb(fn: Callable[..., Any], *args, **kwargs) -> tuple[Any, float]:
    """(result, peak MB of Python allocations during the call). tracemalloc slows code 2–4×: time separately."""
    tracemalloc.start()
    try:
        result = fn(*args, **kwargs)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / MB


# ---------------------------------------------------------------- figures


def fmt(value: float) -> str:
    """Up to 6 significant digits, no exponent in the range benchmarks produce."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    return f"{value:.6g}"


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline: float
    target: float  # on the ratio value/baseline
    higher_is_better: bool = False

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else math.inf

    @property
    def met(self) -> bool:
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target

    def line(self) -> str:
        op = ">=" if self.higher_is_better else "<="
        return (f"BENCH {self.name} value={fmt(self.value)} unit={self.unit} baseline={fmt(self.baseline)} "
                f"ratio={self.ratio:.3g} target={op}{fmt(self.target)}")


class Report:
    """Collects figures while the benchmark runs; finish() prints the BENCH lines last."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def add(self, name: str, value: float, unit: str, baseline: float, target: float, *,
            higher_is_better: bool = False) -> Figure:
        figure = Figure(name, value, unit, baseline, target, higher_is_better)
        self.figures.append(figure)
        note("{:<28} {:>12} {:<3} raw {:>12}  ratio {:.3g}{}".format(
            name, fmt(value), unit, fmt(baseline), figure.ratio, "" if figure.met else "  (target missed)"))
        return figure

    def finish(self) -> None:
        missed = [f.name for f in self.figures if not f.met]
        note(f"targets missed: {', '.join(missed)}" if missed else "all targets met")
        for figure in self.figures:
            print(figure.line(), flush=True)


def note(text: str) -> None:
    """A progress line; flushed so a run written to a file can be followed."""
    print(text, flush=True)


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a smaller size: a check that finishes in under a minute")
    return parser


def scratch_env(workdir: str) -> None:
    """Keep the benchmark away from the user's own KeDesk configuration and database."""
    os.environ["KEDESK_DATA_DIR"] = os.path.join(workdir, "data")
    os.environ.pop("KEDESK_DB_URL", None)
