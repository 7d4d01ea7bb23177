"""Audit trail: record field-level changes and read a card's history (修改记录)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.fields import ARCHIVE_FIELD, CUSTOMER_FIELD, KEY_PERSON_FIELD
from models import AuditRecord
from models.base import utcnow

if TYPE_CHECKING:
    from app.services.users import Principal

ENTITY_LABELS = {"customer": "客户", "key_person": "关键人", "archive_entry": "档案记录",
                 "blacklist": "黑名单", "relation": "关键人关系", "customer_contact": "联系人员",
                 "app_user": "用户", "role": "角色",
                 "meal": "招待用餐", "tour": "客户参观", "complaint": "客户投诉",
                 "customer_location": "客户坐标",
                 "visit_plan": "拜访计划", "visit_record": "拜访记录", "follow_up": "跟进事项",
                 "advancement": "进阶申请", "evaluation": "关系评估", "key_plan": "重点客户管理表",
                 "strategy": "客户对策表", "grading": "客户分级",
                 "sales_record": "销售记录", "payment_record": "回款记录",
                 "grading_attribute": "评分项", "credit_request": "信用超限审批",
                 "relationship_approval": "关系房审批"}
ACTION_LABELS = {"create": "新建", "update": "修改", "delete": "删除", "merge": "合并",
                 "handover": "移交", "verify": "核定", "blacklist": "列入黑名单", "unblacklist": "移出黑名单",
                 "deactivate": "停用", "reactivate": "启用", "unlock": "解锁", "password": "重置密码",
                 "approve": "批准", "reject": "不批准", "review": "审核", "step": "处理",
                 "cancel": "取消", "done": "完成", "advance": "客户进阶", "lost": "流失",
                 "override": "调整等级", "grade": "分级确认", "term_drop": "付款条件降级",
                 "lapse": "过期失效"}
_EXTRA_FIELDS = {"important": "重要客户", "status": "状态", "paid_on": "实付日期", "permit_no": "许可编号", "bill_total": "账单金额",
                 "bill_drinks": "酒水饮料水果"}  # card facts set outside the card form
_FIELDS = {"customer": CUSTOMER_FIELD, "key_person": KEY_PERSON_FIELD, "archive_entry": ARCHIVE_FIELD}


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def changes(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(field, old, new) for every field whose text differs."""
    out = []
    for key, new in after.items():
        old_text, new_text = as_text(before.get(key)), as_text(new)
        if old_text != new_text:
            out.append((key, old_text, new_text))
    return out


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: uuid.UUID,
           customer_id: uuid.UUID | None, diffs: list[tuple[str, str, str]] | None = None,
           note: str = "") -> None:
    """Write audit rows in the caller's transaction: one per changed field, or one for the action."""
    session.execute(insert(AuditRecord), rows_for(actor=actor, action=action, entity=entity, entity_id=entity_id,
                                                  customer_id=customer_id, diffs=diffs, note=note))


def rows_for(*, actor: str, action: str, entity: str, entity_id: uuid.UUID, customer_id: uuid.UUID | None,
             diffs: list[tuple[str, str, str]] | None = None, note: str = "") -> list[dict]:
    """The rows record() writes, for a caller that writes many actions' rows in one statement (sync)."""
    now = utcnow()
    return [
        {"id": uuid.uuid4(), "at": now, "actor": actor, "action": action, "entity": entity,
         "entity_id": entity_id, "customer_id": customer_id, "field": f, "old_value": o, "new_value": n}
        for f, o, n in (diffs or [("", "", note)])
    ]


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    actor: str
    action: str  # Chinese label
    entity: str  # Chinese label
    field: str  # Chinese label
    old_value: str
    new_value: str


def history(db: Database, *, customer_id: uuid.UUID, user: Principal | None, limit: int = 2000) -> list[HistoryRow]:
    """Newest first: everything that happened to the card, its key persons and archive entries.

    Needs the right to open the card (access.ensure_may, no read-log row: opening the card wrote one)."""
    from app.services import access  # local: access → users → this module

    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        rows = s.execute(
            select(AuditRecord)
            .where(or_(AuditRecord.customer_id == customer_id, AuditRecord.entity_id == customer_id))
            .order_by(AuditRecord.at.desc())
            .limit(limit)
        ).scalars().all()
        out = []
        for r in rows:
            spec = _FIELDS.get(r.entity, {}).get(r.field)
            out.append(HistoryRow(r.at, r.actor, ACTION_LABELS.get(r.action, r.action),
                                  ENTITY_LABELS.get(r.entity, r.entity),
                                  spec.label if spec else _EXTRA_FIELDS.get(r.field, r.field),
                                  r.old_value, r.new_value))
        return out
