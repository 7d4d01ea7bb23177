"""The event auditor (活动稽核) as a pure function over plain rows, and the two versions of the tamper chain."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from app.domain import selection_chain as chain
from app.domain.selection_audit import audit

P, C = uuid.uuid4(), uuid.uuid4()
B, F = uuid.uuid4(), uuid.uuid4()


class Event:
    """Rows as a database would hold them, issued one after another on their series."""

    def __init__(self, version: int = 2):
        self.docs, self.version, self.last = [], version, {}

    def issue(self, kind, amount, *, purpose="", ticket=None, reverses=None, content=None):
        number = sum(1 for d in self.docs if d["kind"] == kind) + 1
        body = chain.canonical(content or {"amount_now": "100.00"})
        row = {"id": uuid.uuid4(), "kind": kind, "project_id": P, "year": 2026, "number": number,
               "display_number": f"JY-{kind}-{number}", "commission_id": C, "buyer_id": B, "flat_id": F,
               "ticket_id": ticket["id"] if ticket else None, "amount": Decimal(amount), "purpose": purpose,
               "reverses_id": reverses["id"] if reverses else None, "content": body,
               "prev_hash": self.last.get(kind, ""), "issued_by": "小陈", "issued_by_id": None,
               "issued_at": datetime(2026, 12, 8, 1, 2, 3, 456789, tzinfo=UTC), "hash_version": self.version}
        row["content_hash"] = chain.expected_hash(row)
        self.last[kind] = row["content_hash"]
        self.docs.append(row)
        return row

    def run(self, *, status="paid", hold=True):
        series = [{"kind": k, "project_id": P, "year": 2026, "last_number": sum(d["kind"] == k for d in self.docs),
                   "last_hash": h} for k, h in self.last.items()]
        tickets = [d for d in self.docs if d["kind"] == "ticket" and not d["reverses_id"]]
        holds = [{"flat_id": F, "ticket_id": tickets[-1]["id"], "buyer_id": B}] if hold else []
        return audit(documents=self.docs, holds=holds, flats=[{"id": F, "status": status}], series=series,
                     buyers={B: "张伟"})


def test_a_paid_buyer_adds_up_under_both_chain_versions():
    for version in (1, 2):
        e = Event(version)
        t = e.issue("ticket", "200.00")
        e.issue("receipt", "100.00", purpose="payment", ticket=t)
        assert e.run() == []


def test_overpaid_and_refund_missing_are_named():
    e = Event()
    t = e.issue("ticket", "200.00")
    e.issue("receipt", "100.00", purpose="payment", ticket=t)
    e.issue("receipt", "20.00", purpose="extra", ticket=t)
    assert e.run() == ["张伟:已收 120.00 元,超过应收 100.00 元,多收部分未退款"]
    e.issue("receipt", "-20.00", purpose="refund", ticket=t)
    assert e.run() == []


def test_a_certificate_for_another_amount_than_due_is_named():
    e = Event()
    t = e.issue("ticket", "200.00")
    e.issue("receipt", "100.00", purpose="payment", ticket=t)
    e.issue("certificate", "120.00", ticket=t)
    assert e.run(status="certified") == ["张伟:选房凭证 JY-certificate-1 证明 120.00 元,应收 100.00 元,"
                                         "已收 100.00 元,三者不一致"]


def test_a_cancelled_ticket_with_money_left_and_a_bad_reversal_are_named():
    e = Event()
    t = e.issue("ticket", "200.00")
    e.issue("receipt", "100.00", purpose="payment", ticket=t)
    e.issue("ticket", "-199.00", reverses=t, content={"amount_now": "100.00"})
    assert e.run(status="released", hold=False) == [
        "JY-ticket-2:红字金额或对象与原单据 JY-ticket-1 不对应", "张伟:已无有效选房工作票,但仍有 100.00 元房款未退"]


def test_version_two_covers_the_amount_column_and_version_one_rows_still_verify():
    for version, caught in ((1, False), (2, True)):
        e = Event(version)
        t = e.issue("ticket", "200.00")
        t["amount"] = Decimal("150.00")  # a raw edit of the column only
        assert ("JY-ticket-1:存储内容与防篡改哈希不符(单据被改动过)" in e.run(status="chosen")) is caught
    e = Event(2)
    t = e.issue("ticket", "200.00")
    t["hash_version"] = 1  # flipping a new row back to the old version does not hide an edit
    assert "JY-ticket-1:存储内容与防篡改哈希不符(单据被改动过)" in e.run(status="chosen")
    assert json.loads(t["content"]) == {"amount_now": "100.00"}


def test_a_removed_document_leaves_a_gap_and_a_broken_link():
    e = Event()
    t = e.issue("ticket", "200.00")
    e.issue("receipt", "50.00", purpose="deposit", ticket=t)
    second = e.issue("receipt", "25.00", purpose="payment", ticket=t)
    e.issue("receipt", "25.00", purpose="payment", ticket=t)
    e.docs.remove(second)
    findings = e.run(status="chosen")
    assert findings[:2] == ["JY-receipt-3:编号不连续(应为第 2 号)", "JY-receipt-3:与上一张单据的防篡改链断开"]
    assert "张伟:还差 25.00 元,销控表却显示“chosen”" not in findings  # the money itself is consistent
