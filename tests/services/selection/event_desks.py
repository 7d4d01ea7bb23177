"""A desk working buyers through every money-moving step, for the PostgreSQL event race (test_event_race)."""
from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import select

from app.db import Database
from app.services import selection as sel
from app.services.selection import desk as desk_reads
from app.services.selection.rename import rename
from models import Flat


def _released(db: Database, commission_id, rng: random.Random) -> list:
    with db.read() as s:
        ids = list(s.scalars(select(Flat.id).where(Flat.commission_id == commission_id, Flat.status == "released")))
    rng.shuffle(ids)
    return ids


def _take(db, rng, commission_id, attempt):
    """Try released flats until one is ours: losing a flat to another desk is the expected refusal."""
    for flat in _released(db, commission_id, rng)[:12]:
        try:
            return attempt(flat)
        except sel.FlatTaken:
            continue
    return None


def work(db: Database, *, d: int, ids: list[str], commission_id, staff: dict, steps: list[str], seed: int) -> None:
    """Each buyer: ticket, payment, maybe a certificate, a swap up or down, then a rename, a refunded
    cancellation, a reversed receipt or nothing, and a certificate at the end when paid."""
    rng = random.Random(seed)
    spare = ids[len(ids) // 2:]  # listed people without a flat: renames go to them
    for number in ids[:len(ids) // 2]:
        ratio = Decimal(rng.choice(("1", "0.5")))
        t = _take(db, rng, commission_id, lambda f, n=number, r=ratio: sel.issue_ticket(
            db, user=staff["desk"], commission_id=commission_id, id_number=n, flat_id=f, payment_ratio=r))
        if t is None:
            continue
        steps.append("ticket")
        cert = None
        due = Decimal(t.content["amount_now"])
        sel.record_receipt(db, user=staff["cashier"], ticket_id=t.id, amount=due, purpose="payment")
        sel.review_document(db, issuer_name=t.issued_by, reviewer=staff["review"], document_id=t.id)
        if rng.random() < 0.5:
            cert = sel.issue_certificate(db, user=staff["desk"], reviewer=staff["review"], ticket_id=t.id)
            steps.append("certificate")
        swapped = _take(db, rng, commission_id, lambda f, old=t: sel.swap_flat(
            db, user=staff["lead"], ticket_id=old.id, new_flat_id=f, reason="换房"))
        if swapped is not None:
            t = swapped.new
            steps.append("swap-down" if swapped.refund else "swap-up")
            sel.review_document(db, issuer_name=t.issued_by, reviewer=staff["review"], document_id=t.id)
            short = Decimal(t.content["amount_now"]) - desk_reads.verify_buyer(
                db, user=staff["lead"], commission_id=commission_id, id_number=number).paid
            if short > 0:
                sel.record_receipt(db, user=staff["cashier"], ticket_id=t.id, amount=short, purpose="extra")
        elif cert is not None:  # no flat to swap to: the certificate is reversed (reprinted wrong) instead
            sel.reverse(db, user=staff["lead"], document_id=cert.id, reason="凭证打印错误")
        roll = rng.random()
        if roll < 0.25:
            out = sel.cancel_ticket(db, user=staff["lead"], ticket_id=t.id, reason="退房")
            steps.append("cancel-refund" if out.refund else "cancel")
            continue
        if roll < 0.45 and spare:
            red, t = rename(db, user=staff["lead"], ticket_id=t.id, new_id_number=spare.pop(), reason="更名")
            steps.append("rename")
            sel.review_document(db, issuer_name=t.issued_by, reviewer=staff["review"], document_id=t.id)
        elif roll < 0.65:
            receipt = sel.record_receipt  # a mis-keyed receipt: reversed in red, then received again
            ledger = desk_reads.ledger(db, user=staff["lead"], commission_id=commission_id, buyer_id=t.buyer_id,
                                       kind="receipt")
            paid = desk_reads.verify_buyer(db, user=staff["lead"], commission_id=commission_id,
                                           id_number=number).paid  # a refunded receipt cannot be reversed
            last = next((r for r in reversed(ledger) if 0 < r.amount <= paid and not r.reversed_by
                        and not r.purpose.startswith("更名结转")), None)
            if last is not None:
                sel.reverse(db, user=staff["lead"], document_id=last.id, reason="收款金额录错")
                receipt(db, user=staff["cashier"], ticket_id=t.id, amount=last.amount, purpose="payment")
                steps.append("receipt-reversed")
        sel.issue_certificate(db, user=staff["desk"], reviewer=staff["review"], ticket_id=t.id)
        steps.append("certificate")
