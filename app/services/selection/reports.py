"""台帐 (ticket and receipt ledger), 选房明细表 (the list the commissioning unit stamps) and 每日对账 (daily
reconciliation), all built from the issued documents; exports are written to Excel or PDF and logged."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.buyers import mask_id
from app.domain.selection_checks import ReceiptLine, Reconciliation, TicketDue, reconcile
from app.errors import UserError, ValidationFailed
from app.services import access
from app.services.selection import documents, numbering, stock
from app.services.selection.certificates import active_certificate
from app.services.selection.payments import FEES, HOUSE_PAYMENTS, paid_towards
from app.services.users import Principal
from models import Commission, Project, SelectionDocument
from models.base import utcnow
from reports import selection_lists as sl

PURPOSES = {**HOUSE_PAYMENTS, **FEES}
EXPORTS = {"ledger": "票据台帐", "selection": "选房明细表"}


def _unit(c: dict) -> str:
    if "building" in c:
        return stock.flat_label(c["building"], c.get("entrance", ""), c["room"])
    return c.get("flat", "")


def _summary(kind: str, purpose: str, c: dict) -> str:
    if kind == "receipt":
        return f"{c.get('purpose_label') or PURPOSES.get(purpose, purpose)}({c.get('method', '')})"
    if kind == "ticket":
        return f"付款比例 {Decimal(c['payment_ratio']):.0%},本次应付 {Decimal(c['amount_now']):,.2f}"
    return f"复核:{c.get('reviewed_by', '')}"


def _docs(s: Session, commission_id: uuid.UUID, *where) -> list[SelectionDocument]:
    return list(s.scalars(select(SelectionDocument).where(SelectionDocument.commission_id == commission_id, *where)
                          .order_by(SelectionDocument.issued_at, SelectionDocument.kind, SelectionDocument.number)))


def _ledger_rows(s: Session, commission_id: uuid.UUID) -> list[sl.LedgerRow]:
    rows = []
    order = {"ticket": 0, "receipt": 1, "certificate": 2}  # at the same moment: the ticket, then its money
    for d in sorted(_docs(s, commission_id), key=lambda d: (d.issued_at, order[d.kind], d.number)):
        c = json.loads(d.content)
        rows.append(sl.LedgerRow(d.issued_at, numbering.KIND_NAMES[d.kind], d.display_number,
                                 c.get("buyer") or c.get("payer", ""), _unit(c), _summary(d.kind, d.purpose, c),
                                 d.amount, d.issued_by, c.get("reverses") or ""))
    return rows


def _selection_rows(s: Session, commission_id: uuid.UUID) -> list[sl.SelectionRow]:
    tickets = _docs(s, commission_id, SelectionDocument.kind == "ticket", SelectionDocument.reverses_id.is_(None))
    cancelled = documents.reversed_ids(s, [t.id for t in tickets])
    rows = []
    for t in (t for t in tickets if t.id not in cancelled):
        c = json.loads(t.content)
        cert = active_certificate(s, t.id)
        rows.append(sl.SelectionRow(c.get("queue_no"), c["buyer"], mask_id(c["buyer_id_number"]), _unit(c),
                                    Decimal(c["area"]), Decimal(c["price_per_m2"]), t.amount,
                                    paid_towards(s, t.buyer_id), cert.display_number if cert else ""))
    rows.sort(key=lambda r: (r.order is None, r.order or 0))
    return rows


def ledger(db: Database, *, user: Principal, commission_id: uuid.UUID) -> list[sl.LedgerRow]:
    """Every ticket, receipt and certificate of the unit, red-letter ones with their negative amount."""
    user.require("selection.view", "查看选房台帐")
    with db.read() as s:
        return _ledger_rows(s, commission_id)


def selection_list(db: Database, *, user: Principal, commission_id: uuid.UUID) -> list[sl.SelectionRow]:
    """The flats chosen and not cancelled, in the drawn order, with what was paid and the certificate."""
    user.require("selection.view", "查看选房明细表")
    with db.read() as s:
        return _selection_rows(s, commission_id)


def export(db: Database, *, user: Principal, commission_id: uuid.UUID, what: str, path: Path) -> int:
    """Write the ledger or the selection list to path (.xlsx or .pdf); the export is logged. Returns rows."""
    user.require("selection.view", f"导出{EXPORTS.get(what, '')}")
    path = Path(path)
    if what not in EXPORTS or path.suffix.lower() not in (".xlsx", ".pdf"):
        raise ValidationFailed({"path": "只能导出为 Excel(.xlsx)或 PDF(.pdf)文件"})
    with db.read() as s:
        unit, project, company = s.execute(select(Commission.name, Project.name, Project.company)
                                           .join(Project, Project.id == Commission.project_id)
                                           .where(Commission.id == commission_id)).one()
        rows = _ledger_rows(s, commission_id) if what == "ledger" else _selection_rows(s, commission_id)
    try:
        if path.suffix.lower() == ".xlsx":
            if what == "ledger":
                sl.ledger_xlsx(path, rows, project=f"{project}  委建房单位:{unit}")
            else:
                sl.selection_list_xlsx(path, rows, project=project, commissioning_unit=unit)
        else:
            common = {"company": company or project, "printed_by": user.display_name, "printed_at": utcnow()}
            pdf = (sl.ledger_pdf(rows, project=f"{project}  委建房单位:{unit}", **common) if what == "ledger"
                   else sl.selection_list_pdf(rows, project=project, commissioning_unit=unit, **common))
            path.write_bytes(pdf)
    except OSError as exc:
        raise UserError(f"无法写入 {path.name}:{exc.strerror or exc},请换一个位置或关闭已打开的同名文件") from exc
    db.transact(lambda s: access.log(s, user, action="export", customer_id=None, level="", allowed=True,
                                     note=f"导出{EXPORTS[what]}({unit}){len(rows)} 行;{path.name}"))
    return len(rows)


def business_today(db: Database) -> date:
    """Today in the business's time zone (visits.timezone): the day a desk reconciles by default."""
    with db.read() as s:
        return datetime.now(documents.business_zone(s)).date()


def _day_bounds(day: date, zone) -> tuple[datetime, datetime]:
    """The business's calendar day (visits.timezone), whatever the desk PC's zone."""
    return (datetime.combine(day, time.min, tzinfo=zone),
            datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone))


def daily_reconciliation(db: Database, *, user: Principal, commission_id: uuid.UUID, day: date) -> Reconciliation:
    """每日对账: the day's receipts by method and purpose against the amounts due of the day's tickets."""
    user.require("selection.view", "每日对账")
    with db.read() as s:
        start, end = _day_bounds(day, documents.business_zone(s))
        docs = _docs(s, commission_id, SelectionDocument.issued_at >= start, SelectionDocument.issued_at < end)
        cancelled_today = {d.reverses_id for d in docs if d.reverses_id is not None}
        tickets = [TicketDue(d.display_number, c["buyer"], Decimal(c["amount_now"]))
                   for d, c in ((d, json.loads(d.content)) for d in docs)
                   if d.kind == "ticket" and d.reverses_id is None and d.id not in cancelled_today]
        receipts = [ReceiptLine(d.display_number, c["ticket"], c.get("payer", ""), c.get("method", ""), d.purpose,
                                d.amount)
                    for d, c in ((d, json.loads(d.content)) for d in docs if d.kind == "receipt")]
    return reconcile(tickets, receipts, house_purposes=HOUSE_PAYMENTS)
