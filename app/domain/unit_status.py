"""Statuses of a unit on the sales-control grid (销控表 / 楼盘控制表) and the moves between them.

The key-account department and the marketing centre sell from the same grid, so a unit can only move
along the allowed paths (避免一房多卖). Once chosen, a unit goes back only through a red-letter
reversal (红字冲红) of its ticket or certificate.
"""
from __future__ import annotations

from app.domain.vocab import Term, Vocabulary

UNIT_STATUS = Vocabulary(  # 房源状态
    Term("available", "可售", "Available"),
    Term("released", "已释放本单位", "Released to this unit"),
    Term("reserved", "其他单位/保留", "Reserved elsewhere"),
    Term("chosen", "已选", "Chosen"),
    Term("paid", "已付款", "Paid"),
    Term("certified", "已开凭证", "Certificate issued"),
    Term("relationship", "关系房", "Relationship unit"),
)

# Grid colours (background, hex): free is light, taken is strong, so double sales stand out.
COLOURS = {
    "available": "#FFFFFF",
    "released": "#DDEBF7",  # light blue: open to this commissioning unit
    "reserved": "#D9D9D9",  # grey: not ours to sell
    "chosen": "#FFE699",  # yellow: taken, money not in yet
    "paid": "#A9D08E",  # green
    "certified": "#548235",  # dark green: done
    "relationship": "#F4B183",  # orange: sold on a separate approval
}

TEXT_COLOURS = {code: ("#FFFFFF" if code == "certified" else "#000000") for code in COLOURS}

# Ordinary moves.
MOVES = frozenset({
    ("available", "released"),  # released to a commissioning unit with approval
    ("available", "reserved"),  # kept for another unit or held back
    ("available", "relationship"),  # 关系房 approved on paper (or by phone)
    ("released", "available"),  # release withdrawn
    ("released", "chosen"),  # chosen at the desk: taken on the grid at once
    ("reserved", "available"),
    ("relationship", "chosen"),
    ("relationship", "available"),  # approval lapsed
    ("chosen", "paid"),  # receipts add up to the amount due
    ("paid", "certified"),  # selection certificate issued
})

# Moves that only a red-letter reversal may make (swap, refund, extra payment).
REVERSALS = frozenset(
    {(taken, back) for taken in ("chosen", "paid", "certified") for back in ("released", "relationship")}
    | {("certified", "paid")}  # certificate reversed for an extra payment, then issued anew
)


def can_move(from_status: str, to_status: str, *, reversal: bool = False) -> bool:
    """True when a unit may go from one status to the other (by a reversal if reversal=True)."""
    return (from_status, to_status) in (REVERSALS if reversal else MOVES)


def allowed_moves(from_status: str, *, reversal: bool = False) -> list[str]:
    """Statuses reachable in one move, in vocabulary order (for a context menu)."""
    return [code for code in UNIT_STATUS.codes() if can_move(from_status, code, reversal=reversal)]


def is_taken(status: str) -> bool:
    """Whether the unit is sold or being sold: the grid must not offer it again."""
    return status in {"chosen", "paid", "certified"}


def move_problem(from_status: str, to_status: str, *, reversal: bool = False) -> str | None:
    """Why the move is refused, in Chinese, or None."""
    if can_move(from_status, to_status, reversal=reversal):
        return None
    was, new = UNIT_STATUS.label(from_status), UNIT_STATUS.label(to_status)
    if not reversal and can_move(from_status, to_status, reversal=True):
        return f"房源已是“{was}”,改为“{new}”须通过红字冲红办理:请对原选房工作票/凭证做冲红。"
    if is_taken(from_status) and to_status in {"chosen", "relationship", "reserved", "available"}:
        return f"房源已是“{was}”,不能再改为“{new}”:该房已售出或正在办理,避免一房多卖。"
    return f"房源状态不能从“{was}”改为“{new}”。"
