"""Desks racing on one server: never two tickets for one flat, numbers gapless and unique under failures
and a killed desk (DESIGN.md "Numbered documents")."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from app.db import Database
from app.services import selection as sel
from app.services.selection import stock
from models import Buyer, FlatHold, SelectionDocument
from tests.services.selection import desks
from tests.services.selection.conftest import make_event, person

SPAWN = multiprocessing.get_context("spawn")


def _more_buyers(db, commission_id, count: int, start: int) -> list[str]:
    from stdnum.cn import ric

    ids = []
    for i in range(count):
        body = f"1101011990{(i // 28) % 12 + 1:02d}{i % 28 + 1:02d}{(start + i) % 1000:03d}"
        ids.append(body + ric.calc_check_digit(body + "0"))
    ids = list(dict.fromkeys(ids))
    with db.write() as s:
        s.execute(insert(Buyer), [{"commission_id": commission_id, "list_no": start + n, "name": f"职工{start + n}",
                                   "id_number": x, "phone": "", "audit_flag": "", "eligible": True,
                                   "reviewed_by": "审计", "called_desk": ""} for n, x in enumerate(ids)])
    return ids


def _numbers(db, kind: str) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(SelectionDocument.number).where(SelectionDocument.kind == kind)
                              .order_by(SelectionDocument.number)))


@pytest.mark.pg
@pytest.mark.slow
def test_ten_desks_racing_for_each_of_200_flats_sell_each_once(pg_db):
    e = make_event(pg_db, flats=200)
    ids = _more_buyers(pg_db, e.commission_id, 2000, start=100)
    pools = [iter(ids[d::10]) for d in range(10)]
    desk_dbs = [Database(pg_db.url) for _ in range(10)]
    outcomes: dict[int, list] = {i: [] for i in range(len(e.flats))}
    barrier = threading.Barrier(10)

    def desk(d: int) -> None:
        buyer = next(pools[d])
        user = person(f"选房员{d}", "selection.ticket")
        for i, flat in enumerate(e.flats):
            barrier.wait()
            try:
                sel.issue_ticket(desk_dbs[d], user=user, commission_id=e.commission_id, id_number=buyer,
                                 flat_id=flat, payment_ratio=Decimal("0.5"))
                outcomes[i].append("ok")
                buyer = next(pools[d])
            except sel.FlatTaken as exc:
                outcomes[i].append(exc.message)
            except Exception as exc:  # a deadlock or raw error reaching the desk is a failure
                outcomes[i].append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=desk, args=(d,)) for d in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for db in desk_dbs:
        db.dispose()
    for i, results in outcomes.items():
        assert results.count("ok") == 1, (i, results)
        assert all(r == "ok" or r.endswith("已被选,请选择其他房源") for r in results), results
    assert _numbers(pg_db, "ticket") == list(range(1, 201))
    with pg_db.read() as s:
        assert s.scalar(select(func.count()).select_from(FlatHold)) == 200


def _ticket_for_receipts(db):
    e = make_event(db, flats=1)
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("1"))
    return e, t


def _race_receipts(url: str, ticket_id, processes: int, each: int, fail_share: float):
    out = SPAWN.Queue()
    procs = [SPAWN.Process(target=desks.receipts, args=(url, str(ticket_id), each, fail_share, n, out))
             for n in range(processes)]
    for p in procs:
        p.start()
    results = [out.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return results


@pytest.mark.pg
@pytest.mark.slow
def test_ten_processes_with_injected_failures_leave_numbers_one_to_n(pg_db):
    _e, t = _ticket_for_receipts(pg_db)
    results = _race_receipts(pg_db.url, t.id, processes=10, each=60, fail_share=0.1)
    committed = sum(r[0] for r in results)
    assert sum(r[2] for r in results) == 0  # no error other than the injected ones reached a desk
    assert sum(r[1] for r in results) > 0 and committed + sum(r[1] for r in results) == 600
    assert _numbers(pg_db, "receipt") == list(range(1, committed + 1))


def test_four_sqlite_processes_issue_gapless_numbers_without_lock_errors(sqlite_db):
    _e, t = _ticket_for_receipts(sqlite_db)
    results = _race_receipts(sqlite_db.url, t.id, processes=4, each=40, fail_share=0.1)
    committed = sum(r[0] for r in results)
    assert sum(r[2] for r in results) == 0  # "database is locked" never reached a user
    assert _numbers(sqlite_db, "receipt") == list(range(1, committed + 1))


@pytest.mark.pg
def test_a_desk_killed_while_holding_the_counter_does_not_stop_the_others(pg_db, tmp_path):
    e, t = _ticket_for_receipts(pg_db)
    ready = tmp_path / "holding"
    victim = SPAWN.Process(target=desks.hold_counter_lock, args=(pg_db.url, str(t.id), str(ready)))
    victim.start()
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.read_text().endswith("000001")  # it holds the lock with number 1 taken
    os.kill(victim.pid, signal.SIGKILL)
    victim.join()
    started = time.monotonic()
    other = sel.record_receipt(pg_db, user=person("另一出纳", "selection.receipt"), ticket_id=t.id,
                               amount=Decimal("1"), purpose="payment")
    waited = time.monotonic() - started
    assert waited < 5, f"the next desk waited {waited:.1f} s"
    assert other.number.endswith("000001")  # the killed desk's number came back: still gapless
    assert stock.count_flats(pg_db, project_id=e.project_id) == 1


@pytest.mark.pg
def test_the_app_role_cannot_update_or_delete_an_issued_document(pg_db):
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from app.db.pg_roles import grant_app_role

    e, t = _ticket_for_receipts(pg_db)
    grant_app_role(pg_db.engine, role="kedesk_desk_test", password="desk-pw")
    url = make_url(pg_db.url).set(username="kedesk_desk_test", password="desk-pw")
    engine = sa.create_engine(url)
    try:
        for statement in ("UPDATE selection_document SET amount = 1", "DELETE FROM selection_document",
                          "UPDATE document_series SET last_number = 0 WHERE false",
                          "DELETE FROM document_review"):
            with engine.connect() as conn:
                if statement.startswith("UPDATE document_series"):
                    conn.execute(sa.text(statement))  # working tables stay writable for the desks
                    continue
                with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                    conn.execute(sa.text(statement))
    finally:
        engine.dispose()
        with pg_db.engine.begin() as conn:
            conn.execute(sa.text("REASSIGN OWNED BY kedesk_desk_test TO postgres"))
            conn.execute(sa.text("DROP OWNED BY kedesk_desk_test"))
            conn.execute(sa.text("DROP ROLE kedesk_desk_test"))
    with pg_db.read() as s:
        assert s.scalar(select(SelectionDocument.amount).where(SelectionDocument.id == t.id)) == t.amount


@pytest.mark.pg
@pytest.mark.slow
def test_six_desks_swapping_refunding_and_renaming_while_one_is_killed_leave_the_money_adding_up(pg_db, tmp_path):
    """The event day on one server: six desks take, pay, certify, swap up and down (refunds), rename, cancel
    (退房 with refund) and reverse receipts at once, while a seventh desk dies holding the receipt counter.
    The event auditor finds nothing afterwards."""
    from app.services.selection.event_audit import audit_project
    from tests.services.selection import event_desks

    e = make_event(pg_db, flats=40)
    ids = _more_buyers(pg_db, e.commission_id, 72, start=100)
    victim_ticket = sel.issue_ticket(pg_db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0],
                                     flat_id=e.flats[0], payment_ratio=Decimal("1"))
    staff = {"desk": e.desk, "cashier": e.cashier, "review": e.finance, "lead": e.site_lead}
    ready = tmp_path / "holding"
    victim = SPAWN.Process(target=desks.hold_counter_lock, args=(pg_db.url, str(victim_ticket.id), str(ready)))
    victim.start()
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    desk_dbs = [Database(pg_db.url) for _ in range(6)]
    steps: list[str] = []
    errors: list[str] = []

    def run(d: int) -> None:
        try:
            event_desks.work(desk_dbs[d], d=d, ids=ids[d::6], commission_id=e.commission_id, staff=staff,
                             steps=steps, seed=d)
        except Exception as exc:  # anything reaching a desk other than a lost flat is a finding
            errors.append(f"desk {d}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(d,)) for d in range(6)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # the desks queue behind the dying desk's counter lock, then it is killed
    os.kill(victim.pid, signal.SIGKILL)
    victim.join()
    for t in threads:
        t.join()
    for db in desk_dbs:
        db.dispose()
    assert errors == []
    for kind in ("swap-up", "swap-down", "cancel-refund", "rename", "receipt-reversed", "certificate"):
        assert kind in steps, (kind, steps)
    assert audit_project(pg_db, project_id=e.project_id) == []
    for kind in ("ticket", "receipt", "certificate"):
        assert _numbers(pg_db, kind) == list(range(1, len(_numbers(pg_db, kind)) + 1))
