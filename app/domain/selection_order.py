"""按序选房 — the drawn order (机选顺序) at the desk: who may take a ticket now. Pure rules, Chinese refusals."""
from __future__ import annotations

from datetime import datetime


def order_problem(*, name: str, draw_order: int | None, called_at: datetime | None, skipped_at: datetime | None,
                  current: int | None) -> str | None:
    """Why this buyer may not take a ticket now, or None.

    Once the unit's order is drawn, a buyer takes a ticket only after being called (in drawn order, or by the
    现场主管's out-of-order authorisation, which is a call too); an absent buyer put on the 过号 list waits for a
    re-call. `current` is the highest drawn number called so far.
    """
    at = f"当前叫到 {current} 号" if current else "尚未开始叫号"
    if skipped_at is not None:
        return f"{name}(选房顺序号 {draw_order})已过号,请由叫号员重新叫号后再选房"
    if called_at is not None:
        return None
    if draw_order is None:
        return f"{name} 不在本单位的机选顺序中({at}):越序选房须现场主管授权"
    return f"{name}(选房顺序号 {draw_order})尚未叫号,{at}:请按机选顺序选房;越序选房须现场主管授权"
