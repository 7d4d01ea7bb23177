"""The Database handle: one engine, sessions for reading and writing, bounded retries."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.db import write_log
from app.db.engine import make_engine

T = TypeVar("T")
# a field laptop's replica refuses writes to tables that never change offline with this mark in the error
# (app.services.offline.journal); transact turns it into a message instead of a crash
OFFLINE_MARK = "kedesk-offline:"
OFFLINE_WHAT = {"reception_counter": "受理投诉或批准参观(需要编号)", "meal": "申请或审批招待用餐",
                "tour": "申请或审批客户参观", "complaint": "受理或处理客户投诉", "complaint_step": "处理客户投诉",
                "sales_record": "录入销售记录", "payment_record": "录入回款记录"}


def offline_refusal(error: str):
    from app.errors import UserError

    table = error.split(OFFLINE_MARK, 1)[1].split()[0].strip("'\"") if OFFLINE_MARK in error else ""
    what = OFFLINE_WHAT.get(table, "办理这项业务")
    return UserError(f"离线状态下不能{what},请连接中心数据库后再办理")
RETRYABLE_PG = {"40001", "40P01"}  # serialization failure, deadlock


def _is_retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code in RETRYABLE_PG:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


class Database:
    """Owns the engine; hands out sessions. Services receive it instead of a global."""

    def __init__(self, url: str, *, engine: Engine | None = None, offline: bool = False):
        self.url = url
        self.engine = engine or make_engine(url)
        write_log.install(self.engine)  # one INFO line per committed write: who, tables, counts
        # an offline replica on a field laptop (app.services.offline): services that must never run
        # offline (tickets, document numbers, sales, grading runs) refuse when this is set
        self.offline = offline
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, info={"kedesk_offline": offline})

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            session.connection(execution_options={"kedesk_readonly": True})
            yield session
            session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def transact(self, work: Callable[[Session], T], *, attempts: int = 5) -> T:
        """Run work in one write transaction, retrying deadlocks and serialization failures."""
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as session:
                    return work(session)
            except StaleDataError:
                # another desk saved the row between our read and our UPDATE ... WHERE version = :read: run the
                # work again on fresh rows, where the service's own version check names both versions
                if attempt == attempts:
                    from app.errors import StaleEdit

                    raise StaleEdit() from None
            except DBAPIError as exc:
                if self.offline and OFFLINE_MARK in str(exc.orig):
                    raise offline_refusal(str(exc.orig)) from exc
                if attempt == attempts or not _is_retryable(exc):
                    raise
                time.sleep(0.02 * 2**attempt)
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()
