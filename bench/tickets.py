"""Ticket desk benchmark (选房票务): issuance throughput and p95 latency with 1, 4 and 8 desk processes on
PostgreSQL, and the PDF of a stored 4-copy ticket.

Issuance: each desk is its own process with its own connection (like a desk PC), issuing tickets for its
own flats and buyers, all through one gapless counter row (the lock every desk queues on). The service
side calls `selection.issue_ticket`; the raw side is one psycopg transaction per ticket doing the same
locking and writes: the conditional UPDATE of the flat (RETURNING its facts), the buyer's row, SELECT …
FOR UPDATE of the counter, the canonical JSON and hash, INSERT of the document and of the hold, UPDATE of
the counter. Both sides run in the same run, one after the other for each desk count, in a fresh database
created here (like tests/conftest.py `pg_db`) and dropped at the end.

PDF: `printing.document_pdf` (load the stored ticket, log the print, render) against bench/ticket_pdf.py's
raw canvas drawing of the same values; medians of alternating runs.

    python bench/tickets.py --quick
    python bench/tickets.py --profile     # also cProfile one desk's issuance and print where the time goes
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.common import Report, arguments, median, note, percentile, timed

ADMIN_URL = os.environ.get("KEDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DESKS = (1, 4, 8)
FULL, QUICK = 60, 12  # tickets per desk per side
PDF_FULL, PDF_QUICK = 100, 20
TARGETS = {"throughput": 0.5, "p95": 2.0, "pdf": 1.3}  # p95 is proposed here; issue #4 sets throughput
SPAWN = multiprocessing.get_context("spawn")


# ---------------------------------------------------------------- the event


def valid_id(i: int) -> str:
    from stdnum.cn import ric

    body = f"1101051975{i // 28 % 12 + 1:02d}{i % 28 + 1:02d}{i // 336:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_event(db, flats: int) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID], list[str]]:
    """One project, `flats` flats released and priced for one unit, as many eligible buyers."""
    from sqlalchemy import select

    from app.services.selection import buyers, stock
    from app.services.users import system_principal
    from models import Flat

    lead = system_principal("基准")
    pid = stock.create_project(db, user=lead, code="BM", name="基准小区", company="基准置业有限公司")
    stock.add_flats(db, user=lead, project_id=pid, rows=[
        stock.FlatRow(f"{i // 400 + 1}号楼", str(i // 200 % 2 + 1), i % 200 // 4 + 1, f"{i % 200 // 4 + 1}{i % 4 + 1:02d}",
                      Decimal("98.50"), "三室两厅一卫") for i in range(flats)])
    with db.read() as s:
        ids = list(s.scalars(select(Flat.id).where(Flat.project_id == pid).order_by(Flat.building, Flat.room)))
    cid = stock.create_commission(db, user=lead, project_id=pid, name="基准单位")
    stock.release_flats(db, user=lead, commission_id=cid, flat_ids=ids)
    stock.set_prices(db, user=lead, commission_id=cid, average_price=Decimal("8000"),
                     prices={f: Decimal(8000) for f in ids})
    for step, name in enumerate(("甲", "乙", "丙", "丁", "戊"), 1):
        stock.record_approval(db, user=lead, commission_id=cid, step=step, approver=name)
    numbers = [valid_id(i) for i in range(flats)]
    buyers.add_buyers(db, user=lead, commission_id=cid,
                      rows=[buyers.BuyerRow(i + 1, f"职工{i + 1}", n) for i, n in enumerate(numbers)])
    buyers.review(db, user=lead, buyer_ids=[b.id for b in buyers.buyers_of(db, commission_id=cid)], eligible=True)
    return pid, cid, ids, numbers


# ---------------------------------------------------------------- one desk (a process)


def service_desk(url: str, commission_id: str, work: list, go, out) -> None:
    from app.db import Database
    from app.services import selection as sel
    from app.services.users import system_principal

    db, user, cid = Database(url), system_principal(f"选房员{os.getpid()}"), uuid.UUID(commission_id)

    def one(flat: str, number: str) -> None:
        sel.issue_ticket(db, user=user, commission_id=cid, id_number=number, flat_id=uuid.UUID(flat),
                         payment_ratio=Decimal("0.5"))

    _run(one, work, go, out)
    db.dispose()


RAW_FLAT = ("UPDATE flat SET status = 'chosen', version = version + 1, changed_at = %s "
            "WHERE id = %s AND status = 'released' AND commission_id = %s "
            "RETURNING building, entrance, floor, room, unit_type, area, price_per_m2")
RAW_BUYER = "SELECT id, name, draw_order FROM buyer WHERE commission_id = %s AND id_number = %s AND eligible"
RAW_LOCK = ("SELECT last_number, last_hash FROM document_series WHERE kind = 'ticket' AND project_id = %s "
            "AND year = %s FOR UPDATE")
RAW_DOC = ("INSERT INTO selection_document (id, kind, project_id, year, number, display_number, commission_id, "
           "buyer_id, flat_id, amount, purpose, content, content_hash, prev_hash, issued_by, issued_at) "
           "VALUES (%s, 'ticket', %s, %s, %s, %s, %s, %s, %s, %s, '', %s, %s, %s, %s, %s)")
RAW_HOLD = "INSERT INTO flat_hold (flat_id, ticket_id, buyer_id) VALUES (%s, %s, %s)"
RAW_ADVANCE = ("UPDATE document_series SET last_number = %s, last_hash = %s WHERE kind = 'ticket' "
               "AND project_id = %s AND year = %s")


def raw_desk(url: str, commission_id: str, project_id: str, work: list, go, out) -> None:
    import hashlib
    import json
    from datetime import UTC, datetime

    import psycopg

    conn = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))
    cid, pid = uuid.UUID(commission_id), uuid.UUID(project_id)

    def one(flat: str, number: str) -> None:
        now = datetime.now(UTC)
        with conn.transaction(), conn.cursor() as cur:
            f = cur.execute(RAW_FLAT, (now, uuid.UUID(flat), cid)).fetchone()
            if f is None:
                raise RuntimeError("flat taken")
            buyer_id, name, order = cur.execute(RAW_BUYER, (cid, number)).fetchone()
            last, prev = cur.execute(RAW_LOCK, (pid, now.year)).fetchone()
            display = f"BM-XP-{now.year}-{last + 1:06d}"
            total = (f[6] * f[5]).quantize(Decimal("0.01"))
            body = json.dumps({"buyer": name, "buyer_id_number": number, "queue_no": order, "building": f[0],
                               "entrance": f[1], "floor": f[2], "room": f[3], "unit_type": f[4], "area": str(f[5]),
                               "price_per_m2": str(f[6]), "total": str(total), "number": display,
                               "issued_at": now.isoformat()}, sort_keys=True, ensure_ascii=False)
            digest = hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()
            doc = uuid.uuid4()
            cur.execute(RAW_DOC, (doc, pid, now.year, last + 1, display, cid, buyer_id, uuid.UUID(flat), total,
                                  body, digest, prev, "raw", now))
            cur.execute(RAW_HOLD, (uuid.UUID(flat), doc, buyer_id))
            cur.execute(RAW_ADVANCE, (last + 1, digest, pid, now.year))

    _run(one, work, go, out)
    conn.close()


def _run(one, work: list, go, out) -> None:
    """The first item warms up (statement caches, connection), untimed; then wait for the start signal."""
    one(*work[0])
    out.put(("ready", os.getpid()))
    go.wait()
    latencies, start = [], time.monotonic()
    for item in work[1:]:
        t = time.monotonic()
        one(*item)
        latencies.append(time.monotonic() - t)
    out.put((start, time.monotonic(), latencies))


def run_desks(side: str, desks: int, args: tuple, items: list) -> tuple[float, float]:
    """(tickets a second over all desks, p95 latency in ms) for `desks` processes of one side."""
    go, out = SPAWN.Event(), SPAWN.Queue()
    target = service_desk if side == "service" else raw_desk
    share = len(items) // desks
    procs = [SPAWN.Process(target=target, args=(*args, items[d * share:(d + 1) * share], go, out))
             for d in range(desks)]
    for p in procs:
        p.start()
    for _ in procs:
        out.get(timeout=120)  # every desk warmed up
    go.set()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    latencies = [x for r in results for x in r[2]]
    span = max(r[1] for r in results) - min(r[0] for r in results)
    return len(latencies) / span, percentile(latencies, 95) * 1000


# ---------------------------------------------------------------- PDF


def bench_pdf(db, document_id: uuid.UUID, n: int) -> tuple[float, float]:
    from app.services.selection import documents, printing
    from app.services.users import system_principal
    from bench.ticket_pdf import raw_ticket
    from reports.fonts import register_cjk_font
    from reports.ticket_pdf import ticket_values

    user, font = system_principal("打印员"), register_cjk_font()
    with db.read() as s:
        doc = documents.load(s, document_id)
    data = printing.printable(doc, project="基准小区", company="基准置业有限公司", printed_by="打印员", reprint=0)
    texts = {key: value.text for key, value in ticket_values(data).items()}
    for _ in range(3):  # fonts, reportlab caches, statement cache
        printing.document_pdf(db, user=user, document_id=document_id)
        raw_ticket(data, texts, font)
    ours, raw = [], []
    for _ in range(n):
        ours.append(timed(printing.document_pdf, db, user=user, document_id=document_id)[1])
        raw.append(timed(raw_ticket, data, texts, font)[1])
    return median(ours) * 1000, median(raw) * 1000


def profile(url: str, commission_id: uuid.UUID, items: list) -> None:
    import cProfile
    import io
    import pstats

    from app.db import Database
    from app.services import selection as sel
    from app.services.users import system_principal

    db, user = Database(url), system_principal("剖析")
    prof = cProfile.Profile()
    for i, (flat, number) in enumerate(items):
        if i == 1:
            prof.enable()
        sel.issue_ticket(db, user=user, commission_id=commission_id, id_number=number, flat_id=uuid.UUID(flat),
                         payment_ratio=Decimal("0.5"))
    prof.disable()
    db.dispose()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(r"app/services|sqlalchemy/(orm|engine)/"
                                                                         r"(session|base|context)|psycopg", 30)
    note(buf.getvalue())


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="cProfile one desk's issuance")
    args = parser.parse_args(argv)
    per_desk = QUICK if args.quick else FULL
    from app.bootstrap import open_database
    from app.services import selection as sel
    from app.services.users import system_principal

    name = f"kedesk_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        db = open_database(url)
        needed = sum(DESKS) * (per_desk + 1) * 2 + 1 + (per_desk + 1 if args.profile else 0)
        (pid, cid, flats, numbers), seconds = timed(make_event, db, needed)
        note(f"event: {needed} flats and buyers in {seconds:.1f} s on {name}")
        pairs = [(str(f), n) for f, n in zip(flats, numbers, strict=True)]
        first = sel.issue_ticket(db, user=system_principal("基准"), commission_id=cid, id_number=pairs[0][1],
                                 flat_id=flats[0], payment_ratio=Decimal("0.5"))  # creates the counter row
        pairs = pairs[1:]
        report = Report()
        for desks in DESKS:
            figures = {}
            for side in ("service", "raw"):
                take = desks * (per_desk + 1)
                items, pairs = pairs[:take], pairs[take:]
                args_ = (url, str(cid)) if side == "service" else (url, str(cid), str(pid))
                figures[side] = run_desks(side, desks, args_, items)
                note(f"{desks} desk(s) {side}: {figures[side][0]:.1f} tickets/s, p95 {figures[side][1]:.1f} ms")
            report.add(f"tickets_per_s_{desks}desk", figures["service"][0], "tickets/s", figures["raw"][0],
                       TARGETS["throughput"], higher_is_better=True)
            report.add(f"ticket_p95_{desks}desk", figures["service"][1], "ms", figures["raw"][1], TARGETS["p95"])
        if args.profile:
            profile(url, cid, pairs[:per_desk + 1])
        ours, raw = bench_pdf(db, first.id, PDF_QUICK if args.quick else PDF_FULL)
        report.add("ticket_document_pdf", ours, "ms", raw, TARGETS["pdf"])
        db.dispose()
        report.finish()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
