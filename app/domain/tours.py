"""Customer tours (客户参观): notice periods, the approval chain and permit numbers.

DOMAIN.md §4 and the regulation 参观管理办法: key-customer and group tours are notified 3 days ahead and need
the marketing GM's review, then the chairman's approval; ordinary tours 1 day ahead, temporary tours 1 hour
ahead by phone, approved by the GM. Every period is a setting (`tours.*`). No photos unless approved.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

KINDS = {"key": "重点客户参观", "group": "团体客户参观", "ordinary": "普通客户参观", "temporary": "临时参观"}
STATUS = {"applied": "待审核", "reviewed": "待董事长批准", "approved": "已批准", "rejected": "未批准",
          "cancelled": "已取消"}

DEFAULTS: dict[str, Any] = {
    "tours.notice.key_days": 3,  # key-customer and group tours
    "tours.notice.ordinary_days": 1,
    "tours.notice.temporary_minutes": 60,
}


def notice_needed(rules: Mapping[str, Any], kind: str) -> timedelta:
    r = {**DEFAULTS, **rules}
    if kind in ("key", "group"):
        return timedelta(days=int(r["tours.notice.key_days"]))
    if kind == "ordinary":
        return timedelta(days=int(r["tours.notice.ordinary_days"]))
    return timedelta(minutes=int(r["tours.notice.temporary_minutes"]))


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)} 天"
    if minutes % 60 == 0:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def check_notice(rules: Mapping[str, Any], *, kind: str, applied_at: datetime, visit_at: datetime,
                 calendar=None, zone=None) -> str | None:
    """None when the application is early enough, else the reason in Chinese. With a working-day calendar
    (app.domain.workdays) the days of notice are working days: a key-customer tour on Monday 10:00 must be
    applied for by the Wednesday before, 10:00 (three working days), not by Friday."""
    if kind not in KINDS:
        return "请选择参观类型"
    need = notice_needed(rules, kind)
    if calendar is not None and kind != "temporary":
        days = need.days
        visit = visit_at.astimezone(zone) if zone is not None else visit_at
        latest = datetime.combine(calendar.subtract_working_days(visit.date(), days), visit.timetz())
        if applied_at <= latest:
            return None
        how = "申请"
        return (f"{KINDS[kind]}须提前 {days} 个工作日{how}:最迟 {latest:%Y-%m-%d %H:%M} 前申请"
                f"(节假日与周末不计)")
    if visit_at - applied_at >= need:
        return None
    how = "以电话通知" if kind == "temporary" else "申请"
    return f"{KINDS[kind]}须提前 {_span(need)}{how}:参观时间距现在不足 {_span(need)}"


def needs_chairman(kind: str) -> bool:
    """Key-customer and group tours: GM review, then chairman approval; others end with the GM."""
    return kind in ("key", "group")


def next_step(kind: str, status: str) -> str | None:
    """Who acts next: 'gm', 'chairman' or None (decided)."""
    if status == "applied":
        return "gm"
    if status == "reviewed" and needs_chairman(kind):
        return "chairman"
    return None


def permit_number(year: int, seq: int, prefix: str = "CG") -> str:
    """许可编号: sequential per year, e.g. CG-2026-0007."""
    return f"{prefix}-{year}-{seq:04d}"
