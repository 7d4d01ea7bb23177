"""Grading-run benchmark (客户分级基准): a grading run over every demo customer with three years of monthly
sales, against the same computation as one raw SQL query.

* `sales_share`: grading_runs.compute_run of the sales-share scheme (A–E) — the service's aggregate, the
  grading (inside the database) and the snapshot rows written — against one raw sqlite3 query that
  aggregates the same inputs (the year's sales, profit, orders, first year, payments and late payments)
  and grades them with window functions (cumulative share), its result stored (CREATE TEMP TABLE … AS,
  as a run stores its snapshot; a temporary table has no indexes to keep).
* `scoring`: compute_run of the 100-point scheme (graded inside the database) against RAW_SCORING: the
  same inputs, the eight items, the percentiles, the forced distribution and the item scores as JSON text
  in one hand-written sqlite3 query, stored the same way; the bench prints how many customers the two
  grade differently (0 expected).
* `table`: grading_runs.run_rows of the scoring run (what the tab shows) against the same join fetched raw.
* `commit`: commit_run of the scoring run (the customer grade: customer.grade set and audited where it
  changed) against a raw UPDATE … FROM of the same grades (no audit rows: kinder than the run).
* memory: the peak allocated during the scoring run — Python's heap (tracemalloc) plus SQLite's own heap
  (sqlite3_memory_highwater via ctypes) — against the raw scoring query measured the same way.

Timings are medians of --repeats calls, raw and KeDesk alternating call by call on the same data.

    python bench/grading.py --quick       # 10,000 customers
    python bench/grading.py               # 100,000 customers
"""
from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable, and drop bench/ from the
    # path (bench/calendar.py would shadow the standard library's calendar module)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import open_database
from app.services import demo, grading_runs, grading_schemes
from app.services.demo_sales import generate_sales
from bench.common import Report, arguments, median, note, scratch_env, timed, traced_peak_mb

FULL, QUICK = 100_000, 10_000
TODAY = date(2026, 11, 29)
YEAR = 2025
TARGETS = {"time": 3.0, "memory": 3.0}

RAW_SHARE = """
WITH s AS (
  SELECT c.id, c.code, COALESCE(t.amount, 0) AS amount, COALESCE(t.profit, 0) AS profit,
         COALESCE(t.orders, 0) AS orders, f.first_year, COALESCE(p.payments, 0) AS payments,
         COALESCE(p.late, 0) AS late, MAX(COALESCE(t.amount, 0), 0) AS positive
  FROM customer c
  LEFT JOIN (SELECT customer_id, SUM(amount) AS amount, SUM(profit) AS profit, SUM(orders) AS orders
             FROM sales_record WHERE year = :year GROUP BY customer_id) t ON t.customer_id = c.id
  LEFT JOIN (SELECT customer_id, MIN(year) AS first_year FROM sales_record WHERE year <= :year AND amount > 0
             GROUP BY customer_id) f ON f.customer_id = c.id
  LEFT JOIN (SELECT customer_id, COUNT(*) AS payments,
                    SUM(CASE WHEN paid_on > due_on OR (paid_on IS NULL AND due_on < :today) THEN 1 ELSE 0 END) AS late
             FROM payment_record WHERE due_on BETWEEN :first AND :last GROUP BY customer_id) p ON p.customer_id = c.id
  WHERE c.merged_into_id IS NULL),
r AS (
  SELECT s.*, SUM(positive) OVER () AS total,
         SUM(positive) OVER (ORDER BY positive DESC, code ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS above,
         ROW_NUMBER() OVER (ORDER BY positive DESC, code) AS rank
  FROM s)
SELECT id, code, amount, profit, orders, first_year, payments, late, rank,
       CASE WHEN positive <= 0 OR total <= 0 THEN 'E'
            WHEN (total - COALESCE(above, 0)) * 100.0 / total >= 90 THEN 'A'
            WHEN (total - COALESCE(above, 0)) * 100.0 / total >= 80 THEN 'B'
            WHEN (total - COALESCE(above, 0)) * 100.0 / total >= 70 THEN 'C'
            WHEN (total - COALESCE(above, 0)) * 100.0 / total >= 60 THEN 'D' ELSE 'E' END AS grade
FROM r
"""

RAW_INPUTS = """
SELECT c.id, c.code, s.amount, s.profit, s.orders, f.first_year, p.payments, p.late
FROM customer c
LEFT JOIN (SELECT customer_id, SUM(amount) AS amount, SUM(profit) AS profit, SUM(orders) AS orders
           FROM sales_record WHERE year = :year GROUP BY customer_id) s ON s.customer_id = c.id
LEFT JOIN (SELECT customer_id, MIN(year) AS first_year FROM sales_record WHERE year <= :year AND amount > 0
           GROUP BY customer_id) f ON f.customer_id = c.id
LEFT JOIN (SELECT customer_id, COUNT(*) AS payments,
                  SUM(CASE WHEN paid_on > due_on OR (paid_on IS NULL AND due_on < :today) THEN 1 ELSE 0 END) AS late
           FROM payment_record WHERE due_on BETWEEN :first AND :last GROUP BY customer_id) p ON p.customer_id = c.id
WHERE c.merged_into_id IS NULL
"""

# the 100-point scoring and forced distribution (domain.grading.scoring, default weights and quotas) as
# one hand-written query: the same inputs, the percentiles of sales and orders by window functions, the
# eight items in hundredths of a point, the quota boundaries rounded half up, the item scores as JSON text
RAW_SCORING = """
WITH s AS (
  SELECT c.id, c.code, COALESCE(t.amount, 0) AS amount, COALESCE(t.profit, 0) AS profit,
         COALESCE(t.orders, 0) AS orders, f.first_year, COALESCE(p.payments, 0) AS payments,
         COALESCE(p.late, 0) AS late,
         CASE WHEN t.amount > 0 THEN CAST(ROUND(t.amount * 100) AS INTEGER) ELSE 0 END AS cents,
         CAST(ROUND(COALESCE(t.profit, 0) * 100) AS INTEGER) AS pcents, MAX(COALESCE(t.orders, 0), 0) AS pos_orders,
         COALESCE(a.sales_model, 50) AS sales_model, COALESCE(a.their_share, 50) AS their_share,
         COALESCE(a.reputation, 50) AS reputation
  FROM customer c
  LEFT JOIN (SELECT customer_id, SUM(amount) AS amount, SUM(profit) AS profit, SUM(orders) AS orders
             FROM sales_record WHERE year = :year GROUP BY customer_id) t ON t.customer_id = c.id
  LEFT JOIN (SELECT customer_id, MIN(year) AS first_year FROM sales_record WHERE year <= :year AND amount > 0
             GROUP BY customer_id) f ON f.customer_id = c.id
  LEFT JOIN (SELECT customer_id, COUNT(*) AS payments,
                    SUM(CASE WHEN paid_on > due_on OR (paid_on IS NULL AND due_on < :today) THEN 1 ELSE 0 END) AS late
             FROM payment_record WHERE due_on BETWEEN :first AND :last GROUP BY customer_id) p ON p.customer_id = c.id
  LEFT JOIN grading_attribute a ON a.customer_id = c.id
  WHERE c.merged_into_id IS NULL),
w AS (
  SELECT s.*, COUNT(*) OVER () AS n,
         RANK() OVER (ORDER BY cents) AS s_rank, COUNT(*) OVER (ORDER BY cents) AS s_le,
         RANK() OVER (ORDER BY pos_orders) AS o_rank, COUNT(*) OVER (ORDER BY pos_orders) AS o_le
  FROM s),
pts AS (
  SELECT id, code, amount, profit, orders, first_year, payments, late, cents,
         CAST(ROUND(2000.0 * CASE WHEN cents <= 0 THEN 0 WHEN n = 1 THEN 1
                                  ELSE (s_rank - 1 + (s_le - s_rank) / 2.0) / (n - 1) END) AS INTEGER) AS p1,
         CAST(ROUND(2000.0 * CASE WHEN payments <= 0 THEN 1 ELSE 1 - late * 1.0 / payments END) AS INTEGER) AS p2,
         CAST(ROUND(1500.0 * CASE WHEN cents <= 0 THEN 0
                                  ELSE MIN(MAX(pcents * 1.0 / cents * 100 / 30, 0), 1) END) AS INTEGER) AS p3,
         CAST(ROUND(1000.0 * CASE WHEN pos_orders <= 0 THEN 0 WHEN n = 1 THEN 1
                                  ELSE (o_rank - 1 + (o_le - o_rank) / 2.0) / (n - 1) END) AS INTEGER) AS p4,
         CAST(ROUND(10.0 * MIN(MAX(sales_model, 0), 100)) AS INTEGER) AS p5,
         CAST(ROUND(10.0 * MIN(MAX(their_share, 0), 100)) AS INTEGER) AS p6,
         CAST(ROUND(1000.0 * CASE WHEN first_year IS NULL THEN 0
                                  ELSE MIN(MAX(:year - first_year + 1, 0) / 5.0, 1) END) AS INTEGER) AS p7,
         CAST(ROUND(5.0 * MIN(MAX(reputation, 0), 100)) AS INTEGER) AS p8
  FROM w),
r AS (
  SELECT pts.*, p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 AS total,
         ROW_NUMBER() OVER (ORDER BY cents <= 0, p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 DESC, cents DESC, code)
           AS rank,
         SUM(cents > 0) OVER () AS active
  FROM pts)
SELECT id, code, amount, profit, orders, first_year, payments, late, rank, total / 100.0 AS score,
       CASE WHEN cents <= 0 THEN 'D' WHEN rank <= (active * 20 + 50) / 100 THEN 'A'
            WHEN rank <= (active * 50 + 50) / 100 THEN 'B' WHEN rank <= (active * 90 + 50) / 100 THEN 'C'
            ELSE 'D' END AS grade,
       printf('{"sales": %d.%02d, "payment": %d.%02d, "margin": %d.%02d, "orders": %d.%02d, '
              || '"sales_model": %d.%02d, "their_share": %d.%02d, "years": %d.%02d, "reputation": %d.%02d}',
              p1 / 100, p1 % 100, p2 / 100, p2 % 100, p3 / 100, p3 % 100, p4 / 100, p4 % 100,
              p5 / 100, p5 % 100, p6 / 100, p6 % 100, p7 / 100, p7 % 100, p8 / 100, p8 % 100) AS items
FROM r
"""

RAW_ROWS = """
SELECT r.*, c.code, c.name, c.industry FROM grading_result r JOIN customer c ON c.id = r.customer_id
WHERE r.run_id = :run ORDER BY r.rank
"""

RAW_COMMIT = """
UPDATE customer SET grade = r.grade, version = version + 1
FROM (SELECT customer_id, grade FROM grading_result WHERE run_id = :run) r
WHERE r.customer_id = customer.id AND customer.grade <> r.grade
"""


def _raw(path: Path, sql: str, params: dict) -> int:
    """The raw computation with its result stored, as a run stores its snapshot: CREATE TEMP TABLE … AS."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"CREATE TEMP TABLE raw_result AS {sql}", params)
        return conn.execute("SELECT COUNT(*) FROM raw_result").fetchone()[0]
    finally:
        conn.close()


def _raw_fetch(path: Path, sql: str, params: dict) -> int:
    conn = sqlite3.connect(path)
    try:
        return len(conn.execute(sql, params).fetchall())
    finally:
        conn.close()


def _paired(raw_fn, run_fn, repeats: int):
    """(raw result, raw median seconds, run result, run median seconds): the two alternate call by call on
    the same data in this process, so a neighbour's load falls on both alike."""
    raw_times, run_times, raw_result, run_result = [], [], None, None
    for _ in range(repeats):
        raw_result, seconds = timed(raw_fn)
        raw_times.append(seconds)
        run_result, seconds = timed(run_fn)
        run_times.append(seconds)
    return raw_result, median(raw_times), run_result, median(run_times)


def _sqlite_heap():
    """(memory_used, memory_highwater) of the SQLite library this Python runs, or None where ctypes cannot
    reach it (sqlite3 built in statically)."""
    try:
        import _sqlite3
        import ctypes

        lib = ctypes.CDLL(_sqlite3.__file__)
        used, high = lib.sqlite3_memory_used, lib.sqlite3_memory_highwater
    except (OSError, AttributeError):
        return None
    used.restype, high.restype, high.argtypes = ctypes.c_int64, ctypes.c_int64, [ctypes.c_int]
    return used, high


def _peak_mb(fn, *args, **kwargs) -> float:
    """Peak MB allocated during the call: Python's heap (tracemalloc) plus SQLite's own heap (its page
    cache, sorter and temporary b-trees, which tracemalloc cannot see) above what each held at the start."""
    heap = _sqlite_heap()
    before = 0
    if heap:
        before = heap[0]()
        heap[1](1)  # the high-water mark falls to what is in use now
    _r, python_peak = traced_peak_mb(fn, *args, **kwargs)
    return python_peak + ((heap[1](0) - before) / 1024 / 1024 if heap else 0.0)


def _raw_grades(path: Path, sql: str, params: dict) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {row[0]: row[1] for row in conn.execute(f"SELECT id, grade FROM ({sql})", params)}
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, help=f"how many demo customers (default {FULL:,}, --quick {QUICK:,})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--db", type=Path, help="a copy of this demo database instead of generating one")
    args = parser.parse_args(argv)
    n = args.customers or (QUICK if args.quick else FULL)
    workdir = Path(tempfile.mkdtemp(prefix="kedesk-bench-grading-"))
    scratch_env(str(workdir))
    report = Report()
    try:
        path = workdir / "grading.sqlite3"
        if args.db:
            shutil.copyfile(args.db, path)
            note(f"copied {args.db} (generation not timed)")
        db = open_database(f"sqlite:///{path.as_posix()}")
        if not args.db:
            _c, seconds = timed(demo._generate, db, customers=n, seed=args.seed, progress=None, today=TODAY,
                                only_if_empty=False)
            note(f"demo customers: {n:,} in {seconds:.1f} s")
            counts, seconds = timed(generate_sales, db, seed=args.seed, today=TODAY)
            note(f"demo sales: {counts['销售记录']:,} sales and {counts['回款记录']:,} payment records in "
                 f"{seconds:.1f} s ({seconds / n * 1000:.2f} ms a customer)")
        schemes = {s.kind: s for s in grading_schemes.ensure_default_schemes(db, user=None)}
        params = {"year": YEAR, "today": TODAY.isoformat(), "first": f"{YEAR}-01-01", "last": f"{YEAR}-12-31"}

        shared = dict(user=None, year=YEAR, today=TODAY)
        raw_rows, raw_share, run_id, share = _paired(
            lambda: _raw(path, RAW_SHARE, params),
            lambda: grading_runs.compute_run(db, scheme_id=schemes["sales_share"].id, **shared), args.repeats)
        info = grading_runs.get_run(db, user=None, run_id=run_id)
        note(f"sales share: {info.customer_count:,} graded ({raw_rows:,} raw), {info.counts}")
        report.add("grading_run_sales_share", share, "s", raw_share, TARGETS["time"])

        raw_rows, raw_scoring, run_id, scoring = _paired(
            lambda: _raw(path, RAW_SCORING, params),
            lambda: grading_runs.compute_run(db, scheme_id=schemes["scoring"].id, **shared), args.repeats)
        info = grading_runs.get_run(db, user=None, run_id=run_id)
        raw = _raw_grades(path, RAW_SCORING, params)
        differ = sum(raw.get(r.customer_id.hex) != r.grade for r in grading_runs.run_rows(db, user=None, run_id=run_id))
        note(f"scoring: {info.customer_count:,} graded ({raw_rows:,} raw, {differ} graded otherwise by the raw "
             f"query), {info.counts}")
        report.add("grading_run_scoring", scoring, "s", raw_scoring, TARGETS["time"])

        _r, raw_table, rows, table = _paired(lambda: _raw_fetch(path, RAW_ROWS, {"run": run_id.hex}),
                                             lambda: grading_runs.run_rows(db, user=None, run_id=run_id),
                                             args.repeats)
        note(f"table: {len(rows):,} rows for the tab")
        report.add("grading_table_rows", table, "s", raw_table, TARGETS["time"])

        changed, commit = timed(grading_runs.commit_run, db, user=None, run_id=run_id)
        note(f"commit: {changed:,} customer grades changed")
        raw_path = workdir / "raw-commit.sqlite3"
        db.dispose()
        shutil.copyfile(path, raw_path)
        conn = sqlite3.connect(raw_path)
        conn.execute("UPDATE customer SET grade = ''")
        conn.commit()
        _r, raw_commit = timed(lambda: (conn.execute(RAW_COMMIT, {"run": run_id.hex}), conn.commit()))
        conn.close()
        report.add("grading_commit", commit, "s", raw_commit, TARGETS["time"])

        db = open_database(f"sqlite:///{path.as_posix()}")
        scoring_run = dict(scheme_id=schemes["scoring"].id, **shared)
        raw_mem = median([_peak_mb(_raw, path, RAW_SCORING, params) for _ in range(3)])
        run_mem = median([_peak_mb(grading_runs.compute_run, db, **scoring_run) for _ in range(3)])
        report.add("grading_run_memory", run_mem, "MB", raw_mem, TARGETS["memory"])
        _r, traced = traced_peak_mb(grading_runs.compute_run, db, **scoring_run)
        _r, raw_traced = traced_peak_mb(_raw_fetch, path, RAW_INPUTS, params)
        note(f"Python heap (tracemalloc peak) of the scoring run: {traced:.1f} MB; of fetching its raw inputs "
             f"into Python: {raw_traced:.1f} MB")
        db.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report.finish()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
