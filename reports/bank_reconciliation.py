"""共管账户对账表 — the joint account's balance against the receipts by day and payment method, with the
difference explained; Excel and PDF through the selection lists' writers (same look as 票据台帐)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from reports import selection_lists as sl

COLUMNS = (
    sl.Column("日期", 30, lambda r: r.day.strftime("%Y-%m-%d")), sl.Column("付款方式", 26, lambda r: r.method),
    sl.Column("笔数", 18, lambda r: r.count), sl.Column("收款净额(元)", 40, lambda r: r.amount, summed=True),
    sl.Column("累计(元)", 40, lambda r: r.running),
)


def _subtitle(r, project: str) -> str:
    return (f"{project}  截至 {r.as_of:%Y-%m-%d}:银行余额 {r.balance:,.2f} 元,收款合计 {r.received:,.2f} 元"
            f"(其中现金 {r.cash:,.2f} 元),差额 {r.difference:,.2f} 元。{r.explanation}")


def reconciliation_xlsx(target: Path | BinaryIO, r, *, project: str) -> None:
    sl.write_xlsx(target, "共管账户对账表", _subtitle(r, project), COLUMNS, r.lines)


def reconciliation_pdf(r, *, project: str, company: str, printed_by: str, printed_at: datetime) -> bytes:
    return sl.write_pdf("共管账户对账表", _subtitle(r, project), COLUMNS, r.lines, company=company,
                        printed_by=printed_by, printed_at=printed_at, stamp="财务部盖章")
