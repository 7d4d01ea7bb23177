"""What the house-selection desk's documents print (选房票务单据): plain frozen data, no database objects.

The issuing services (app/services) build these from the stored documents; the renderers
(ticket_pdf, receipt_pdf, certificate_pdf, draw_pdf) turn them into PDF bytes. Money is Decimal.
A 红字 reversal (冲红) carries `reversal_of` = the number of the document it cancels; its amounts
print negative whether they are stored negative or not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from app.domain.money_words import capital_amount

TICKET_COPIES = ("存根联", "客户联", "大客户部联", "财务部留存联")
RECEIPT_COPIES = ("存根联", "客户联", "财务部留存联")
CERTIFICATE_COPIES = RECEIPT_COPIES

# China has kept one offset without daylight saving since 1991: a fixed +08:00 needs no tz database
CHINA_TIME = timezone(timedelta(hours=8), "CST")


@dataclass(frozen=True)
class TicketDoc:
    """选房工作票: the unit chosen, its price, the payment ratio and discounts the customer confirmed."""

    number: str
    project: str
    commissioning_unit: str  # 委建房单位
    buyer_name: str
    buyer_id_number: str
    building: str  # 楼号
    entrance: str  # 单元
    floor: str
    room: str  # 房号
    unit_type: str  # 户型
    area: Decimal  # m², 2 places
    price_per_m2: Decimal
    total: Decimal
    payment_ratio: Decimal  # 0.5 … 1
    amount_now: Decimal  # total × ratio: what is paid now
    deposit: Decimal | None  # 封户费; None for full payment
    issued_by: str
    issued_at: datetime
    printed_by: str
    printed_at: datetime
    company: str
    queue_no: int | None = None  # 选房顺序号
    discounts: tuple[tuple[str, bool], ...] = ()  # (name, taken); False = waived (放弃)
    reviewed_by: str = ""
    reversal_of: str | None = None
    note: str = ""
    reprint: int = 0  # 0 = the original print; n → 重打 n
    reversed_by: str | None = None  # the red-letter document that cancelled this one: 已冲销 on every copy


@dataclass(frozen=True)
class ReceiptDoc:
    """收据: one payment (封户费, 房款, 补交房款, 更名费, 转按揭手续费 …) against a ticket."""

    number: str
    payer: str
    buyer_id_number: str
    ticket_number: str
    unit: str  # e.g. 3号楼2单元1502
    purpose: str
    amount: Decimal
    method: str  # 现金 / 转账 / 刷卡
    received_by: str
    issued_at: datetime
    printed_by: str
    printed_at: datetime
    company: str
    reversal_of: str | None = None
    reprint: int = 0
    reversed_by: str | None = None


@dataclass(frozen=True)
class CertificateDoc:
    """选房凭证: made from the ticket once the receipts add up to the amount due."""

    number: str
    project: str
    commissioning_unit: str
    buyer_name: str
    buyer_id_number: str
    unit: str
    area: Decimal
    price_per_m2: Decimal
    total: Decimal
    paid_total: Decimal
    receipts: tuple[tuple[str, Decimal], ...]  # (receipt number, amount)
    ticket_number: str
    issued_by: str
    reviewed_by: str
    issued_at: datetime
    printed_by: str
    printed_at: datetime
    company: str
    reversal_of: str | None = None
    reprint: int = 0
    reversed_by: str | None = None


@dataclass(frozen=True)
class DrawResultDoc:
    """公证处机选结果: the notarised random draw of the selection order."""

    project: str
    commissioning_unit: str
    seed: str  # as read out by the notary
    list_hash: str  # hex digest of the approved list the draw ran on
    algorithm: str  # a paragraph describing the draw
    rows: tuple[tuple[int, str, str], ...]  # (order, name, masked ID number)
    performed_by: str
    notary: str
    performed_at: datetime
    printed_by: str
    printed_at: datetime
    company: str


# ---------------------------------------------------------------- how values read on paper


def signed(amount: Decimal, reversal: bool) -> Decimal:
    """A reversal's amounts are negative on paper (红字), however the service stored them."""
    return -abs(amount) if reversal else amount


def money(amount: Decimal | None) -> str:
    """¥1,234,567.89; an empty string for no amount."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def capital(amount: Decimal) -> str:
    return capital_amount(amount)


def ratio(value: Decimal) -> str:
    """0.5 → 50%; 1 → 100%(全款)."""
    percent = (value * 100).normalize()
    text = f"{percent:f}%"
    return text + "(全款)" if value == 1 else text


def area(value: Decimal) -> str:
    return f"{value:,.2f} m²"


def unit_text(building: str, entrance: str, floor: str, room: str) -> str:
    """3号楼2单元15层1502室; a part that already says 号楼 / 单元 / 层 / 室 keeps its own word."""
    parts = ((building, "号楼", "楼"), (entrance, "单元", "单元"), (floor, "层", "层"), (room, "室", "室"))
    out = []
    for value, word, ending in parts:
        value = str(value or "").strip()
        if value:
            out.append(value if value.endswith(ending) or not value[-1].isdigit() else value + word)
    return "".join(out)


def when(moment: datetime, *, seconds: bool = False) -> str:
    """Beijing time: an aware moment is converted, a naive one is taken as already local."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA_TIME)
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def discounts_text(discounts: tuple[tuple[str, bool], ...]) -> str:
    """一次性付款九八折 ■享受 □放弃 …: the customer ticks each policy taken or waived."""
    if not discounts:
        return "无"
    return "    ".join(f"{name} {'■享受 □放弃' if taken else '□享受 ■放弃'}" for name, taken in discounts)
