"""Grading-run benchmark (客户分级基准): a grading run over every demo customer with three years of monthly
sales, against the same computation as one raw SQL query.

* `sales_share`: grading_runs.compute_run of the sales-share scheme (A–E) — the service's aggregate, the
  grading (inside the database) and the snapshot rows written — against one raw sqlite3 query that
  aggregates the same inputs (the year's sales, profit, orders, first year, payments and late payments)
  and grades them with window functions (cumulative share), its result stored (CREATE TEMP TABLE … AS,
  as a run stores its snapshot; a temporary table has no indexes to keep).
* `scoring`: compute_run of the 100-point scheme against the raw aggregate of every scoring input
  (sales, profit, orders, first year, payments, late payments) as one sqlite3 query, stored the same way
  (the scores and the forced distribution are not in the raw query: the baseline is kinder than the run).
* `table`: grading_runs.run_rows of the scoring run (what the tab shows) against the same join fetched raw.
* `commit`: commit_run of the scoring run (the customer grade: customer.grade set and audited where it
  changed) against a raw UPDATE … FROM of the same grades.
* memory: tracemalloc peak of the scoring run (graded in Python) against that of fetching the raw inputs
  into Python; the sales-share run's peak (graded in the database) is printed beside it.

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

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import open_database
from app.services import demo, grading_runs
from app.services.demo_sales import generate_sales
from bench.common import Report, arguments, note, scratch_env, timed, traced_peak_mb

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


def _best(fn, repeats: int):
    """(result of the last call, best seconds of `repeats` calls)."""
    best, result = float("inf"), None
    for _ in range(repeats):
        result, seconds = timed(fn)
        best = min(best, seconds)
    return result, best


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, help=f"how many demo customers (default {FULL:,}, --quick {QUICK:,})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
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
        schemes = {s.kind: s for s in grading_runs.ensure_default_schemes(db, user=None)}
        params = {"year": YEAR, "today": TODAY.isoformat(), "first": f"{YEAR}-01-01", "last": f"{YEAR}-12-31"}

        raw_rows, raw_share = _best(lambda: _raw(path, RAW_SHARE, params), args.repeats)
        run_id, share = _best(lambda: grading_runs.compute_run(db, user=None, scheme_id=schemes["sales_share"].id,
                                                               year=YEAR, today=TODAY), args.repeats)
        info = grading_runs.get_run(db, user=None, run_id=run_id)
        note(f"sales share: {info.customer_count:,} graded ({raw_rows:,} raw), {info.counts}")
        report.add("grading_run_sales_share", share, "s", raw_share, TARGETS["time"])

        _r, raw_inputs = _best(lambda: _raw(path, RAW_INPUTS, params), args.repeats)
        run_id, scoring = _best(lambda: grading_runs.compute_run(db, user=None, scheme_id=schemes["scoring"].id,
                                                                 year=YEAR, today=TODAY), args.repeats)
        report.add("grading_run_scoring", scoring, "s", raw_inputs, TARGETS["time"])

        rows, table = _best(lambda: grading_runs.run_rows(db, user=None, run_id=run_id), args.repeats)
        _r, raw_table = _best(lambda: _raw_fetch(path, RAW_ROWS, {"run": run_id.hex}), args.repeats)
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
        _r, raw_mem = traced_peak_mb(_raw_fetch, path, RAW_INPUTS, params)
        _r, run_mem = traced_peak_mb(grading_runs.compute_run, db, user=None, scheme_id=schemes["scoring"].id,
                                     year=YEAR, today=TODAY)
        report.add("grading_run_memory", run_mem, "MB", raw_mem, TARGETS["memory"])
        _r, share_mem = traced_peak_mb(grading_runs.compute_run, db, user=None,
                                       scheme_id=schemes["sales_share"].id, year=YEAR, today=TODAY)
        note(f"memory of the sales-share run (graded in the database): {share_mem:.1f} MB")
        db.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report.finish()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
