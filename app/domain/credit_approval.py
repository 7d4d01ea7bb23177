"""信用额度超限审批 — the steps of a request (DOMAIN.md §3.3), pure: who may take the next step.

A request goes to the 部长 first; if it needs the 总经理 too (more than `credit.minister_pct` over the limit,
or a D customer with no limit) it then goes to the 总经理. Nobody decides their own request, and nobody
takes both steps of one request. A request not decided within `credit.request_days` lapses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

STATES = {"minister": "待部长审批", "gm": "待总经理审批", "approved": "已批准", "refused": "未批准",
          "lapsed": "已过期失效"}
OPEN = ("minister", "gm")
STEP_PERMISSION = {"minister": "credit.approve.minister", "gm": "credit.approve.gm"}


class StepRefused(Exception):
    """A step this person may not take now; the message is Chinese."""


@dataclass(frozen=True)
class Request:
    state: str
    needs_gm: bool
    applicant_key: str
    minister_key: str
    expires_at: datetime


def lapsed(req: Request, now: datetime) -> bool:
    return req.state in OPEN and now >= req.expires_at


def expiry(filed_at: datetime, days: int) -> datetime:
    return filed_at + timedelta(days=max(days, 1))


def decide(req: Request, *, actor_key: str, permissions, approve: bool, now: datetime) -> str:
    """The state after `actor_key` approves or refuses, or StepRefused saying why not."""
    if req.state not in OPEN:
        raise StepRefused(f"该申请{STATES.get(req.state, req.state)},不能再审批")
    if lapsed(req, now):
        raise StepRefused("该申请已过期失效,请重新提交")
    if actor_key == req.applicant_key:
        raise StepRefused("不能审批自己提交的申请")
    if STEP_PERMISSION[req.state] not in permissions:
        who = "部长" if req.state == "minister" else "总经理"
        raise StepRefused(f"该申请{STATES[req.state]},您没有{who}审批权限")
    if req.state == "gm" and actor_key == req.minister_key:
        raise StepRefused("部长与总经理两步不能由同一人审批")
    if not approve:
        return "refused"
    return "gm" if req.state == "minister" and req.needs_gm else "approved"
