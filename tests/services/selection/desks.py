"""Desk processes for the race tests: each opens its own connection pool like a real desk would."""
from __future__ import annotations

import os
import random
import time
import uuid
from decimal import Decimal

from app.db import Database
from app.services import selection as sel
from app.services.selection import numbering
from tests.services.selection.conftest import person


class Injected(RuntimeError):
    """A failure after the number was taken: the transaction must give the number back."""


def receipts(url: str, ticket_id: str, count: int, fail_share: float, seed: int, out) -> None:
    """Issue `count` receipts of 1 元; a share of them fail right after taking their number."""
    rng = random.Random(seed)
    real_take = numbering.take

    def flaky_take(*args, **kwargs):
        taken = real_take(*args, **kwargs)
        if rng.random() < fail_share:
            raise Injected(taken.display)
        return taken

    numbering.take = flaky_take
    db = Database(url)
    cashier = person(f"出纳{seed}", "selection.receipt")
    done = failed = errors = 0
    for _ in range(count):
        try:
            sel.record_receipt(db, user=cashier, ticket_id=uuid.UUID(ticket_id), amount=Decimal("1"),
                               purpose="payment")
            done += 1
        except Injected:
            failed += 1
        except Exception as exc:  # anything else reaches a user: a finding
            errors += 1
            print(f"desk {seed}: {type(exc).__name__}: {exc}", flush=True)
    db.dispose()
    out.put((done, failed, errors))


def hold_counter_lock(url: str, ticket_id: str, ready_path: str) -> None:
    """Take a receipt number and then hang inside the transaction until killed (SIGKILL from the test)."""
    real_take = numbering.take

    def take_and_hang(*args, **kwargs):
        taken = real_take(*args, **kwargs)
        with open(ready_path, "w") as f:
            f.write(taken.display)
        while True:
            time.sleep(1)

    numbering.take = take_and_hang
    db = Database(url)
    sel.record_receipt(db, user=person("将被强制结束的桌面", "selection.receipt"), ticket_id=uuid.UUID(ticket_id),
                       amount=Decimal("1"), purpose="payment")
    os._exit(3)  # never reached: the lock holder is killed
