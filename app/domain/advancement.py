"""Stage advancement (客户进阶, DOMAIN.md §3.5): the steps, their criteria and the application's workflow.

Steps: 潜在客户 → 意向客户 → 成交客户 (customer.status), 成交客户 → A级 and B级 → A级 (customer.grade).
The rep files an application (进阶申请表) with reasons and the criteria met; the sales supervisor
(销售主管, ``grading.advance.review``) agrees or returns it; the sales manager (销售经理,
``grading.advance.approve``) approves it or sends it back for more (要求补充资料); on approval the
customer's stage changes, then the customer is notified (进阶通知) and that is recorded.

Nobody reviews or approves their own application, and the approver is not the reviewer. Everything here
is pure: the service feeds in who is acting and stores what comes out.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    code: str
    label: str  # Chinese
    field: str  # the customer column it changes: status or grade
    from_value: str
    to_value: str


STEPS: dict[str, Step] = {s.code: s for s in (
    Step("to_intent", "潜在客户 → 意向客户", "status", "potential", "intent"),
    Step("to_deal", "意向客户 → 成交客户", "status", "intent", "deal"),
    Step("deal_to_a", "成交客户 → A级客户", "grade", "deal", "A"),
    Step("b_to_a", "B级客户 → A级客户", "grade", "B", "A"),
)}

# the criteria of the regulation (销售客户进阶管理制度 六(一)); numbers the regulation leaves as [X] are
# settings (advance.*) and filled in here
CRITERIA_SETTING = {code: f"advance.criteria.{code}" for code in STEPS}
CRITERIA_DEFAULTS = {
    "to_intent": "对公司产品或服务表现出持续兴趣,主动与销售人员进一步沟通;"
                 "深入了解关键问题,提出具体需求和关注点;"
                 "同意参加产品演示、方案介绍或实地考察",
    "to_deal": "认可解决方案和报价,进入商务谈判;就合作条款达成一致,签订正式销售合同;"
               "按合同提供产品或服务,并收到客户首次付款",
    "deal_to_a": "首次合作后满意度达到{satisfaction}%以上,反馈积极;"
                 "采购金额持续增长,年采购额占公司销售总额{share}%以上;"
                 "为公司带来新客户或业务机会(推荐客户、参与市场推广等)",
    "b_to_a": "满意度大幅提升,成为忠实客户;年采购金额增长率超过{growth}%,在同行业内有一定影响力;"
              "积极参与公司产品研发和市场推广,提供有价值的建议",
}


def criteria(step: str, rules: dict) -> list[str]:
    """The criteria of one step, from the settings, with the numbers filled in."""
    text = str(rules.get(CRITERIA_SETTING[step]) or CRITERIA_DEFAULTS[step])
    numbers = {"satisfaction": rules.get("advance.deal_to_a.satisfaction_pct", 90),
               "share": rules.get("advance.deal_to_a.share_pct", 5),
               "growth": rules.get("advance.b_to_a.growth_pct", 20)}
    try:
        text = text.format(**numbers)
    except (KeyError, ValueError, IndexError):  # a brace typed by hand: show the text as typed
        pass
    return [c.strip() for c in text.replace(";", ";").split(";") if c.strip()]


def current_value(step: Step, *, status: str, grade: str) -> str:
    """What the customer is now, in the terms of the step (deal_to_a: a deal customer not yet A)."""
    if step.code == "deal_to_a":
        return "deal" if status == "deal" and grade != "A" else ""
    return status if step.field == "status" else grade


def steps_for(*, status: str, grade: str) -> list[Step]:
    """The steps this customer may be put up for now (a lost customer: none)."""
    if status == "lost":
        return []
    return [s for s in STEPS.values() if current_value(s, status=status, grade=grade) == s.from_value]


# ---- the application's workflow -------------------------------------------------------------------
STATES = {
    "submitted": "待主管审核",
    "reviewed": "待经理审批",
    "returned": "已退回",
    "approved": "已批准",
    "notified": "已通知客户",
    "withdrawn": "已撤回",
}
ACTIONS = {
    "submit": "提交申请", "resubmit": "补充后重新提交", "agree": "主管审核通过", "return": "主管退回",
    "approve": "经理批准", "send_back": "经理要求补充", "notify": "已通知客户", "withdraw": "撤回",
}
OPEN_STATES = ("submitted", "reviewed", "returned")


class StepRefused(Exception):
    """A workflow step that may not be taken now, with the reason in Chinese."""


@dataclass(frozen=True)
class Actor:
    user_key: str  # who is acting (user id or username)
    permissions: frozenset[str]


# action: (states it may be taken from, state it leads to)
_MOVES = {
    "resubmit": (("returned",), "submitted"),
    "agree": (("submitted",), "reviewed"),
    "return": (("submitted",), "returned"),
    "approve": (("reviewed",), "approved"),
    "send_back": (("reviewed",), "returned"),
    "notify": (("approved",), "notified"),
    "withdraw": (("submitted", "reviewed", "returned"), "withdrawn"),
}


def next_state(state: str, action: str, *, actor: Actor, applicant: str, reviewer: str = "") -> str:
    """The state after `action`, or StepRefused saying why not (order, rights, no self-approval)."""
    if action not in _MOVES:
        raise StepRefused(f"未知的操作:{action}")
    allowed_from, to = _MOVES[action]
    if state not in allowed_from:
        raise StepRefused(f"申请当前为“{STATES.get(state, state)}”,不能{ACTIONS[action]}")
    me = actor.user_key
    if action in ("resubmit", "withdraw"):
        if me != applicant:
            raise StepRefused(f"只有申请人本人可以{ACTIONS[action]}")
    elif action in ("agree", "return"):
        if "grading.advance.review" not in actor.permissions:
            raise StepRefused("您没有审核进阶申请的权限(销售主管)")
        if me == applicant:
            raise StepRefused("不能审核自己提交的进阶申请")
    elif action in ("approve", "send_back"):
        if "grading.advance.approve" not in actor.permissions:
            raise StepRefused("您没有审批进阶申请的权限(销售经理)")
        if me == applicant:
            raise StepRefused("不能审批自己提交的进阶申请")
        if me == reviewer:
            raise StepRefused("审核人与审批人不能是同一人")
    elif action == "notify":
        if me != applicant and "grading.advance.approve" not in actor.permissions:
            raise StepRefused("只有申请人或审批人可以登记进阶通知")
    return to


def check_application(*, step: str, reasons: str, criteria_met: list[str], all_criteria: list[str],
                      require_all: bool) -> dict[str, str]:
    """Field errors of an application as filed (empty when it may be filed)."""
    errors = {}
    if step not in STEPS:
        errors["step"] = "请选择进阶类别"
    if not reasons.strip():
        errors["reasons"] = "请填写进阶理由"
    unknown = [c for c in criteria_met if c not in all_criteria]
    if unknown:
        errors["criteria"] = "所选标准不属于该进阶类别"
    elif not criteria_met:
        errors["criteria"] = "请勾选客户已达到的进阶标准"
    elif require_all and len(set(criteria_met)) < len(all_criteria):
        errors["criteria"] = f"须达到全部 {len(all_criteria)} 项进阶标准才能申请"
    return errors
