"""Several desks creating customers at the same moment on one PostgreSQL server."""
import threading

import pytest

from app.db import Database
from app.services import customers
from app.services.customer_search import CustomerFilter, fetch_rows, search_ids


@pytest.mark.pg
def test_desks_creating_at_once_get_distinct_codes(pg_db):
    desks = [Database(pg_db.url) for _ in range(4)]
    errors, start = [], threading.Barrier(len(desks))

    def desk(n: int, db: Database) -> None:
        start.wait()
        for i in range(15):
            try:
                customers.create_customer(db, actor=f"前台{n}", values={"name": f"并发测试{n}号{i}有限公司"})
            except Exception as exc:  # any failure is a finding
                errors.append(exc)

    threads = [threading.Thread(target=desk, args=(n, db)) for n, db in enumerate(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for db in desks:
        db.dispose()
    assert errors == []
    codes = [r.code for r in fetch_rows(pg_db, search_ids(pg_db, CustomerFilter()))]
    assert len(codes) == 60 and len(set(codes)) == 60
    assert codes == [f"KH{n:06d}" for n in range(1, 61)]  # gapless too: a lost race gives its number back
