"""What never happens offline: ticketing, document numbers, unit sales, grading runs (DESIGN.md)."""
from __future__ import annotations

from app.errors import UserError


class OfflineRefused(UserError):
    pass


def message(what: str) -> str:
    return f"离线状态下不能{what},请连接中心数据库后再办理"


def refuse_offline(db, what: str) -> None:
    """Call first thing in a service that must run against the central database."""
    if getattr(db, "offline", False):
        raise OfflineRefused(message(what))


def refuse_offline_session(s, what: str) -> None:
    """The same inside a transaction (document numbering): the session knows its database."""
    if s.info.get("kedesk_offline"):
        raise OfflineRefused(message(what))
