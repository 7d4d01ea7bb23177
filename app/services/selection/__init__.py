"""The house-selection ticket desk (选房票务) — the public, scriptable API.

Every function is keyword-only, takes the acting user (`Principal`, see app.services.users) and raises a
specific exception whose message is Chinese and can be shown as it is:

    from app.services import selection as sel

    ticket = sel.issue_ticket(db, user=desk, commission_id=c, id_number="110105…", flat_id=f,
                              payment_ratio=Decimal("0.5"), discounts=[("一次性付款9.8折", False)])
    sel.record_receipt(db, user=cashier, ticket_id=ticket.id, amount=Decimal("20000"), purpose="deposit")
    sel.record_receipt(db, user=cashier, ticket_id=ticket.id, amount=..., purpose="payment")
    sel.review_by_number(db, reviewer=reviewer, number=ticket.number)   # 复核区: the ticket's QR code scanned
    cert = sel.issue_certificate(db, user=desk, ticket_id=ticket.id)    # the ticket's reviewer signs it
    sel.reverse(db, user=lead, document_id=cert.id, reason="补交房款后重开")      # 红字冲红
    sel.swap_flat(db, user=lead, ticket_id=ticket.id, new_flat_id=g, reason="换房")   # refunds or asks 补交房款
    sel.cancel_ticket(db, user=lead, ticket_id=ticket.id, reason="退房")              # red ticket + 退款收据

Documents: `issue_ticket` (选房工作票, 4 copies), `record_receipt` (收据, 3 copies: purposes deposit 封户费,
payment 房款, extra 补交房款, rename_fee 更名费, loan_fee 转按揭手续费), `issue_certificate` (选房凭证, 3 copies;
needs a reviewer other than the issuer and receipts net of refunds exactly equal to the amount due), `reverse`,
`cancel_ticket` and `swap_flat`. Every change that moves money issues its balancing documents (退款收据 purpose
refund, 更名结转 pair purpose transfer) in its own transaction; `event_audit.audit_project` checks it all.
Numbers are gapless per (kind, project, year) and taken in the same transaction as the document and the
flat's status change; issued documents are never updated or deleted.

Exceptions: FlatTaken (已被选 / not released to this unit), NotOnList (ID not on the approved list or not
eligible), AmountMismatch (receipts do not cover what is due, or would exceed the price), AlreadyReversed,
RuleBroken (price not approved, payment ratio below the minimum without approval, reviewer = issuer …),
NotPermitted (the role lacks the permission).
"""
from app.services.selection.certificates import issue_certificate, review_by_number, review_document
from app.services.selection.corrections import Changed, cancel_ticket, reverse, swap_flat
from app.services.selection.documents import IssuedDocument
from app.services.selection.errors import (
    AlreadyReversed,
    AmountMismatch,
    FlatTaken,
    NotOnList,
    NotPermitted,
    OutOfOrder,
    RuleBroken,
    SelectionError,
)
from app.services.selection.payments import record_receipt
from app.services.selection.tickets import issue_ticket

__all__ = ["AlreadyReversed", "AmountMismatch", "Changed", "FlatTaken", "IssuedDocument", "NotOnList", "NotPermitted", "OutOfOrder",
           "RuleBroken", "SelectionError", "cancel_ticket", "issue_certificate", "issue_ticket", "record_receipt", "reverse",
           "review_by_number", "review_document", "swap_flat"]
