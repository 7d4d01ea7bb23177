"""Rendering is separate from issuing: a PDF is made from the stored document, and every print and reprint
is logged — a reprint says 重打 n on the paper (DESIGN.md "Numbered documents")."""
from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from app.db import Database
from app.services.selection import documents, draw
from app.services.selection.documents import IssuedDocument
from app.services.users import Principal
from models import DocumentPrint, DocumentReview, Project, SelectionDocument
from models.base import utcnow
from reports import selection_docs as sd
from reports.certificate_pdf import certificate_pdf
from reports.draw_pdf import draw_pdf
from reports.receipt_pdf import receipt_pdf
from reports.ticket_pdf import ticket_pdf

MODES = ("plain", "overlay")  # 白纸打印 / 套打


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def printable(doc: IssuedDocument, *, project: str, company: str, printed_by: str, reprint: int,
              reversed_by: str | None = None):
    """The report dataclass for one stored document (pure: no database); `reversed_by` names the red-letter
    document that cancelled it (已冲销 on every copy of a reprint)."""
    c, now = doc.content, utcnow()
    common = {"printed_by": printed_by, "printed_at": now, "company": company, "reprint": reprint,
              "reversal_of": c.get("reverses"), "reversed_by": reversed_by}
    if doc.kind == "ticket":
        return sd.TicketDoc(
            number=doc.number, project=project, commissioning_unit=c["commission"], buyer_name=c["buyer"],
            buyer_id_number=c["buyer_id_number"], building=c["building"], entrance=c["entrance"],
            floor=str(c["floor"]), room=c["room"], unit_type=c["unit_type"], area=_d(c["area"]),
            price_per_m2=_d(c["price_per_m2"]), total=_d(c["total"]), payment_ratio=_d(c["payment_ratio"]),
            amount_now=_d(c["amount_now"]), deposit=_d(c["deposit"]), issued_by=doc.issued_by,
            issued_at=doc.issued_at, queue_no=c.get("queue_no"), reviewed_by=doc.reviewed_by,
            discounts=tuple((n, bool(t)) for n, t in c.get("discounts", [])),
            note=c.get("reason", "") or (f"特批:{c['ratio_approval']}" if c.get("ratio_approval") else ""),
            **common)
    if doc.kind == "receipt":
        return sd.ReceiptDoc(
            number=doc.number, payer=c["payer"], buyer_id_number=c["buyer_id_number"], ticket_number=c["ticket"],
            unit=c["flat"], purpose=c["purpose_label"], amount=doc.amount, method=c["method"],
            received_by=doc.issued_by, issued_at=doc.issued_at, **common)
    entrance = f"{c['entrance']}单元" if c.get("entrance") else ""
    return sd.CertificateDoc(
        number=doc.number, project=project, commissioning_unit=c["commission"], buyer_name=c["buyer"],
        buyer_id_number=c["buyer_id_number"], unit=f"{c['building']}{entrance}{c['room']}", area=_d(c["area"]),
        price_per_m2=_d(c["price_per_m2"]), total=_d(c["total"]), paid_total=doc.amount,
        receipts=tuple((n, _d(a)) for n, a in c.get("receipts", [])), ticket_number=c["ticket"],
        issued_by=doc.issued_by, reviewed_by=c.get("reviewed_by") or doc.reviewed_by, issued_at=doc.issued_at,
        **common)


RENDER = {"ticket": ticket_pdf, "receipt": receipt_pdf, "certificate": certificate_pdf}


def document_pdf(db: Database, *, user: Principal, document_id: uuid.UUID, mode: str = "plain",
                 offset_mm: tuple[float, float] = (0, 0)) -> tuple[bytes, int]:
    """The PDF of a stored document and which print this is (0 = first, n = 重打 n); the print is logged."""
    user.require("selection.print", "打印选房单据")
    if mode not in MODES:
        raise ValueError(mode)

    d, r, pr, dp = (SelectionDocument.__table__, DocumentReview.__table__, Project.__table__,
                    DocumentPrint.__table__)
    prints = select(func.count()).where(dp.c.document_id == d.c.id).scalar_subquery().label("prints")
    red = d.alias("red")
    cancelled_by = select(red.c.display_number).where(red.c.reverses_id == d.c.id).scalar_subquery().label("red")
    facts = (select(d, r.c.reviewer, pr.c.name.label("project"), pr.c.company, prints, cancelled_by)
             .join(pr, pr.c.id == d.c.project_id).outerjoin(r, r.c.document_id == d.c.id)
             .where(d.c.id == document_id))

    def work(s) -> tuple:  # one read and one insert: the stored document, its project and how often printed
        conn = s.connection()
        row = conn.execute(facts).one()
        conn.execute(insert(dp).values(id=uuid.uuid4(), document_id=document_id, copy_no=row.prints, mode=mode,
                                       printed_by=user.display_name, printed_at=utcnow()))
        return documents.as_issued(row, row.reviewer), row.project, row.company, row.prints, row.red

    for attempt in range(3):  # two desks reprinting the same document at once: the later takes the next n
        try:
            doc, project, company, n, red_number = db.transact(work)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    data = printable(doc, project=project, company=company, printed_by=user.display_name, reprint=n,
                     reversed_by=red_number)
    return RENDER[doc.kind](data, mode=mode, offset_mm=offset_mm), n


def draw_result_pdf(db: Database, *, user: Principal, commission_id: uuid.UUID) -> bytes:
    user.require("selection.view", "打印机选结果")
    o = draw.outcome(db, commission_id=commission_id)
    return draw_pdf(sd.DrawResultDoc(project=o.project, commissioning_unit=o.commission, seed=o.seed,
                                     list_hash=o.list_hash, algorithm=o.algorithm, rows=tuple(o.rows),
                                     performed_by=o.performed_by, notary=o.notary, performed_at=o.performed_at,
                                     printed_by=user.display_name, printed_at=utcnow(), company=o.company))
