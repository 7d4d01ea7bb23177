"""活动稽核 — the event auditor: a pure check over the ticket desk's stored rows that the money adds up.

For every buyer: the active ticket and the flat hold agree; the receipts net of refunds and reversals are
what the buyer has paid, never more than the active ticket's amount due and nothing left with a buyer who
holds no flat; a certificate stands only where paid = due and certifies exactly that; every red-letter
document cancels an original that is otherwise untouched; every number series is gapless and its hash chain
intact. Rows come in as plain mappings (column name → value), so the same check runs on any database, in
tests and from the CLI (`audit-event`). Each finding is one Chinese sentence naming the buyer or document.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from app.domain.selection_chain import expected_hash

# purposes of receipts that pay for the flat (fees never count towards the price)
HOUSE_PURPOSES = frozenset({"deposit", "payment", "extra", "transfer", "refund"})
FEE_PURPOSES = frozenset({"rename_fee", "loan_fee"})
HELD = frozenset({"chosen", "paid", "certified"})
ZERO = Decimal("0")


def _series_findings(docs: list[Mapping], series: Iterable[Mapping]) -> list[str]:
    out: list[str] = []
    by_series: dict[tuple, list[Mapping]] = defaultdict(list)
    for d in docs:
        by_series[(d["kind"], d["project_id"], d["year"])].append(d)
    counters = {(r["kind"], r["project_id"], r["year"]): r for r in series}
    for key, rows in by_series.items():
        rows.sort(key=lambda r: r["number"])
        prev = ""
        for expected, d in enumerate(rows, 1):
            if d["number"] != expected:
                out.append(f"{d['display_number']}:编号不连续(应为第 {expected} 号)")
            if d["prev_hash"] != prev:
                out.append(f"{d['display_number']}:与上一张单据的防篡改链断开")
            if expected_hash(d) != d["content_hash"]:
                out.append(f"{d['display_number']}:存储内容与防篡改哈希不符(单据被改动过)")
            prev = d["content_hash"]
        counter = counters.get(key)
        if counter is None or counter["last_number"] != len(rows) or counter["last_hash"] != prev:
            out.append(f"{rows[-1]['display_number']} 所在编号序列的计数器与单据不符(缺号或多号)")
    for key, counter in counters.items():
        if key not in by_series and counter["last_number"]:
            out.append(f"编号序列 {key[0]} {key[2]} 年计数到 {counter['last_number']},但没有任何单据")
    return out


def _reversal_findings(docs: list[Mapping], by_id: dict) -> list[str]:
    out: list[str] = []
    for d in docs:
        if d["reverses_id"] is None:
            continue
        o = by_id.get(d["reverses_id"])
        name = d["display_number"]
        if o is None:
            out.append(f"{name}:红字单据冲销的原单据不存在")
            continue
        if o["reverses_id"] is not None:
            out.append(f"{name}:冲销的 {o['display_number']} 本身是红字单据")
        same = all(o[k] == d[k] for k in ("kind", "buyer_id", "flat_id", "ticket_id", "purpose"))
        if not same or Decimal(d["amount"]) != -Decimal(o["amount"]):
            out.append(f"{name}:红字金额或对象与原单据 {o['display_number']} 不对应")
    return out


def audit(*, documents: Iterable[Mapping], holds: Iterable[Mapping], flats: Iterable[Mapping],
          series: Iterable[Mapping], buyers: Mapping, reviews: Mapping | None = None) -> list[str]:
    """Every finding of the event's rows; an empty list means the money and the documents add up.

    `buyers` maps a buyer id to the name shown in findings; `reviews` (when given) maps a document id to its
    复核 row (reviewer, reviewer_id): a standing certificate needs its ticket reviewed by someone other than
    the ticket's issuer.
    """
    docs = list(documents)
    by_id = {d["id"]: d for d in docs}
    out = _series_findings(docs, series) + _reversal_findings(docs, by_id)
    reversed_ids = {d["reverses_id"] for d in docs if d["reverses_id"] is not None}

    def active(kind: str) -> list[Mapping]:
        return [d for d in docs if d["kind"] == kind and d["reverses_id"] is None and d["id"] not in reversed_ids]

    tickets, certs = active("ticket"), active("certificate")
    flat_status = {f["id"]: f["status"] for f in flats}
    hold_by_buyer = {h["buyer_id"]: h for h in holds}
    ticket_of: dict = {}
    for t in tickets:
        name = buyers.get(t["buyer_id"], "?")
        if t["buyer_id"] in ticket_of:
            out.append(f"{name}:同时持有两张有效选房工作票")
        ticket_of[t["buyer_id"]] = t
        h = hold_by_buyer.get(t["buyer_id"])
        if h is None or h["ticket_id"] != t["id"] or h["flat_id"] != t["flat_id"]:
            out.append(f"{name}:有效选房工作票 {t['display_number']} 与销控表的占房记录不一致")
    active_ids = {t["id"] for t in tickets}
    for h in holds:
        if h["ticket_id"] not in active_ids:
            out.append(f"{buyers.get(h['buyer_id'], '?')}:占房记录指向已冲销或不存在的选房工作票")
        if flat_status.get(h["flat_id"]) not in HELD:
            out.append(f"{buyers.get(h['buyer_id'], '?')}:占用的房源在销控表上不是已选状态")
    held_flats = {h["flat_id"] for h in holds}
    for f in flats:
        if f["status"] in HELD and f["id"] not in held_flats:
            out.append(f"房源 {f.get('label', f['id'])}:销控表显示已选/已付款,但没有有效选房工作票")

    paid: dict = defaultdict(lambda: ZERO)
    fees: dict = defaultdict(lambda: ZERO)
    for d in docs:
        if d["kind"] != "receipt":
            continue
        ticket = by_id.get(d["ticket_id"])
        if ticket is None or ticket["kind"] != "ticket" or ticket["buyer_id"] != d["buyer_id"]:
            out.append(f"{d['display_number']}:收据没有对应本人的选房工作票")
        if d["purpose"] in HOUSE_PURPOSES:
            paid[d["buyer_id"]] += Decimal(d["amount"])
        elif d["purpose"] in FEE_PURPOSES:
            fees[(d["ticket_id"], d["purpose"])] += Decimal(d["amount"])
    for (ticket_id, _purpose), total in fees.items():
        if total < 0:
            out.append(f"{by_id[ticket_id]['display_number'] if ticket_id in by_id else '?'}:费用收据冲销后为负数")

    cert_of: dict = {}
    for c in certs:
        name = buyers.get(c["buyer_id"], "?")
        if c["buyer_id"] in cert_of:
            out.append(f"{name}:同时持有两张有效选房凭证")
        cert_of[c["buyer_id"]] = c
        if c["ticket_id"] not in active_ids:
            out.append(f"{name}:选房凭证 {c['display_number']} 的选房工作票已冲销,凭证却仍有效")
        if reviews is not None and c["ticket_id"] in by_id:
            t, r = by_id[c["ticket_id"]], reviews.get(c["ticket_id"])
            same = r is not None and ((r["reviewer_id"] is not None and r["reviewer_id"] == t["issued_by_id"])
                                      or (r["reviewer_id"] is None and r["reviewer"] == t["issued_by"]))
            if r is None or same:
                out.append(f"{name}:选房凭证 {c['display_number']} 的选房工作票未经开票人以外的人复核")

    for buyer_id in set(paid) | set(ticket_of) | set(cert_of):
        name, money = buyers.get(buyer_id, "?"), paid[buyer_id]
        t = ticket_of.get(buyer_id)
        if money < 0:
            out.append(f"{name}:收据合计为负数 {money:,.2f} 元(退款多于所收)")
        if t is None:
            if money != 0:
                out.append(f"{name}:已无有效选房工作票,但仍有 {money:,.2f} 元房款未退")
            continue
        due = Decimal(json.loads(t["content"])["amount_now"])
        status = flat_status.get(t["flat_id"])
        if money > due:
            out.append(f"{name}:已收 {money:,.2f} 元,超过应收 {due:,.2f} 元,多收部分未退款")
        elif money == due and status not in ("paid", "certified"):
            out.append(f"{name}:房款已付清,销控表却显示“{status}”")
        elif money < due and status != "chosen":
            out.append(f"{name}:还差 {due - money:,.2f} 元,销控表却显示“{status}”")
        c = cert_of.get(buyer_id)
        if c is not None and not (Decimal(c["amount"]) == due == money):
            out.append(f"{name}:选房凭证 {c['display_number']} 证明 {Decimal(c['amount']):,.2f} 元,"
                       f"应收 {due:,.2f} 元,已收 {money:,.2f} 元,三者不一致")
        if (c is None) != (status != "certified"):
            out.append(f"{name}:销控表的“已开凭证”状态与有效选房凭证不一致")
    return out
