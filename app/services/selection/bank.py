"""共管账户对账 — the cashier records the joint account's balance as the bank states it; the reconciliation
sets it against every receipt up to that day (app.domain.bank_reconciliation), on screen, in Excel and PDF."""
from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import insert, select

from app.db import Database
from app.domain.bank_reconciliation import BankReconciliation, reconcile_bank
from app.errors import UserError, ValidationFailed
from app.services import access
from app.services.selection import documents
from app.services.users import Principal
from models import BankBalance, Commission, Project, SelectionDocument
from models.base import utcnow


def record_balance(db: Database, *, user: Principal, commission_id: uuid.UUID, as_of: date, balance,
                   note: str = "") -> None:
    """The balance on the bank's statement for the end of `as_of`; a later entry for the day replaces it."""
    user.require("selection.receipt", "登记共管账户余额")
    try:
        amount = Decimal(str(balance).replace(",", "").strip()).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationFailed({"balance": "请填写银行对账单上的余额(元),例如 1234567.89"}) from None
    db.transact(lambda s: s.execute(insert(BankBalance).values(
        id=uuid.uuid4(), commission_id=commission_id, as_of=as_of, balance=amount, note=note.strip(),
        entered_by=user.display_name, entered_by_id=user.user_id, entered_at=utcnow())))


def bank_reconciliation(db: Database, *, user: Principal, commission_id: uuid.UUID, as_of: date
                        ) -> BankReconciliation | None:
    """The latest balance recorded for `as_of` against the receipts up to that business day; None without one."""
    user.require("selection.view", "共管账户对账")
    with db.read() as s:
        balance = s.scalar(select(BankBalance.balance).where(BankBalance.commission_id == commission_id,
                                                             BankBalance.as_of == as_of)
                           .order_by(BankBalance.entered_at.desc()).limit(1))
        if balance is None:
            return None
        zone = documents.business_zone(s)
        rows = s.execute(select(SelectionDocument.issued_at, SelectionDocument.content, SelectionDocument.amount)
                         .where(SelectionDocument.commission_id == commission_id,
                                SelectionDocument.kind == "receipt")).all()
    receipts = [(at.astimezone(zone).date(), json.loads(c).get("method", ""), amount) for at, c, amount in rows]
    return reconcile_bank(receipts=receipts, balance=balance, as_of=as_of)


def export_reconciliation(db: Database, *, user: Principal, commission_id: uuid.UUID, as_of: date,
                          path: Path) -> BankReconciliation:
    """共管账户对账表 to .xlsx or .pdf (printable, for the finance file); the export is logged."""
    from reports import bank_reconciliation as report

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".pdf"):
        raise ValidationFailed({"path": "只能导出为 Excel(.xlsx)或 PDF(.pdf)文件"})
    r = bank_reconciliation(db, user=user, commission_id=commission_id, as_of=as_of)
    if r is None:
        raise ValidationFailed({"balance": f"尚未登记 {as_of:%Y-%m-%d} 的共管账户余额,请先登记银行对账单余额"})
    with db.read() as s:
        unit, project, company = s.execute(select(Commission.name, Project.name, Project.company)
                                           .join(Project, Project.id == Commission.project_id)
                                           .where(Commission.id == commission_id)).one()
    title = f"{project}  委建房单位:{unit}"
    try:
        if path.suffix.lower() == ".xlsx":
            report.reconciliation_xlsx(path, r, project=title)
        else:
            path.write_bytes(report.reconciliation_pdf(r, project=title, company=company or project,
                                                       printed_by=user.display_name, printed_at=utcnow()))
    except OSError as exc:
        raise UserError(f"无法写入 {path.name}:{exc.strerror or exc},请换一个位置或关闭已打开的同名文件") from exc
    db.transact(lambda s: access.log(s, user, action="export", customer_id=None, level="", allowed=True,
                                     note=f"导出共管账户对账表({unit},截至 {as_of:%Y-%m-%d});{path.name}"))
    return r
