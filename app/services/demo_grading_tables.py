"""Demo data of the grading tables: advancement applications waiting at each desk, a few evaluations,
key-customer plans and strategy rows for this year. Deterministic by seed; once per database; Core inserts.

Applications are filed by the demo rep (rep) and stop before approval, so no customer's stage changes:
three wait for the supervisor (manager), two for the sales manager (director), one is back with the rep.
"""
from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain import advancement as adv
from app.domain import evaluation as ev
from models import (
    AdvancementApplication,
    AdvancementEvent,
    AppUser,
    Customer,
    KeyCustomerPlan,
    RelationEvaluation,
    StrategyEntry,
)
from models.base import utcnow

STATES = ("submitted", "submitted", "submitted", "reviewed", "reviewed", "returned")
REASONS = ("客户主动来电询价,已两次到访公司", "已签订年度框架合同并按期付款", "年采购额同比增长超过两成,并推荐了两家新客户",
           "参加了新品演示会,提出具体的技术需求")


def generate_grading_tables(db: Database, *, seed: int, today: date | None = None) -> dict[str, int]:
    today = today or date.today()
    rules = settings.get_all(db)
    rnd = random.Random(f"kedesk-demo-grading:{seed}")

    def work(s: Session) -> dict[str, int]:
        counts = {"进阶申请": 0, "关系评估": 0, "重点客户计划": 0, "客户对策": 0}
        if s.scalar(select(AdvancementApplication.id).limit(1)) is not None:
            return counts
        people = {u: (uid, name) for u, uid, name in s.execute(
            select(AppUser.username, AppUser.id, AppUser.display_name)
            .where(AppUser.username.in_(("rep", "manager", "director"))))}
        rep_staff = s.scalar(select(AppUser.staff_id).where(AppUser.username == "rep"))
        if len(people) < 3 or rep_staff is None:
            return counts
        # the rep's own customers that the department's manager and director may read (not company level)
        pool = s.execute(select(Customer.id, Customer.status, Customer.grade)
                         .where(Customer.merged_into_id.is_(None), Customer.status != "lost",
                                Customer.owner_id == rep_staff, Customer.confidentiality != "company")
                         .order_by(Customer.code).limit(400)).all()
        others = s.execute(select(Customer.id, Customer.status, Customer.grade)
                           .where(Customer.merged_into_id.is_(None), Customer.status != "lost")
                           .order_by(Customer.code).limit(400)).all()
        if not others:
            return counts
        picked = rnd.sample(pool, min(len(pool), 30))
        apps, events, now = [], [], utcnow()
        for cid, status, grade in picked:
            steps = adv.steps_for(status=status, grade=grade)
            if not steps or len(apps) == len(STATES):
                continue
            step, state = rnd.choice(steps), STATES[len(apps)]
            app_id, reasons = uuid.uuid4(), rnd.choice(REASONS)
            filed = now - timedelta(days=rnd.randint(2, 20), minutes=rnd.randint(0, 600))
            apps.append({"id": app_id, "number": f"JJ{today.year}-{len(apps) + 1:04d}", "customer_id": cid,
                         "step": step.code, "from_value": step.from_value, "to_value": step.to_value,
                         "reasons": reasons, "criteria_met": json.dumps(adv.criteria(step.code, rules),
                                                                        ensure_ascii=False),
                         "state": state, "applicant_id": people["rep"][0], "applicant_key": "rep",
                         "applicant_name": people["rep"][1],
                         "reviewer_key": "manager" if state == "reviewed" else "",
                         "reviewer_name": people["manager"][1] if state == "reviewed" else "", "approver_name": "",
                         "notified_on": None, "created_at": filed, "updated_at": filed, "version": 1})
            trail = [("submit", "", "submitted", people["rep"], "rep", reasons)]
            if state == "reviewed":
                trail.append(("agree", "submitted", "reviewed", people["manager"], "manager", "情况属实"))
            if state == "returned":
                trail.append(("return", "submitted", "returned", people["manager"], "manager", "请补充合同复印件"))
            for i, (action, before, after, (_uid, name), key, comment) in enumerate(trail):
                events.append({"id": uuid.uuid4(), "application_id": app_id, "at": filed + timedelta(hours=i * 20),
                               "actor_key": key, "actor_name": name, "action": action, "from_state": before,
                               "to_state": after, "comment": comment})
        if apps:
            s.execute(insert(AdvancementApplication), apps)
            s.execute(insert(AdvancementEvent), events)
        counts["进阶申请"] = len(apps)

        indicators = ev.parse_indicators(rules["evaluation.indicators"])
        bands = {g: rules[f"evaluation.grade_{g.lower()}"] for g in "ABC"}
        evaluations = []
        tables = rnd.sample(others, min(len(others), 15))
        for cid, _st, _gr in tables[:8]:
            scores = {i.name: Decimal(rnd.randint(40, 100)) for i in indicators}
            out = ev.evaluate(indicators, scores, bands=bands, develop_min=rules["evaluation.develop_min"],
                              maintain_min=rules["evaluation.maintain_min"])
            items = [{"name": i.name, "weight": str(i.weight), "score": str(i.score), "grade": i.grade,
                      "basis": "", "note": ""} for i in out.items]
            evaluations.append({"id": uuid.uuid4(), "customer_id": cid,
                                "evaluated_on": today - timedelta(days=rnd.randint(0, 60)),
                                "items": json.dumps(items, ensure_ascii=False), "total": out.total,
                                "grade": out.grade, "result": out.result, "suggestion": "",
                                "evaluator": people["director"][1], "created_at": now})
        if evaluations:
            s.execute(insert(RelationEvaluation), evaluations)
        counts["关系评估"] = len(evaluations)

        plans = [{"id": uuid.uuid4(), "year": today.year, "customer_id": cid,
                  "sales_target": Decimal(rnd.randint(20, 200) * 50_000), "reason": "年采购额居前,增长稳定",
                  "actions": "每季度高层拜访一次,优先排产", "gm_suggestion": "", "chairman_opinion": "",
                  "updated_by": people["director"][1], "updated_at": now} for cid, _s, _g in tables[8:11]]
        if plans:
            s.execute(insert(KeyCustomerPlan), plans)
        counts["重点客户计划"] = len(plans)
        rows = [{"id": uuid.uuid4(), "kind": kind, "period": str(today.year), "customer_id": cid, "responsible": "",
                 "sales": "", "location": "", "trend": trend, "problem": problem, "strategy": strategy,
                 "updated_by": people["director"][1], "updated_at": now}
                for (cid, _s, _g), (kind, trend, problem, strategy) in zip(tables[11:15], (
                    ("important", "", "竞争对手降价争夺", "提供年度返利方案"),
                    ("important", "", "决策层更换", "安排总经理拜访新负责人"),
                    ("problem", "回款周期由30天拉长到75天", "两次逾期付款", "收紧信用额度,改为款到发货"),
                    ("problem", "订单量连续两个季度下降", "投诉交货延迟", "优先排产并指定专人跟单")), strict=False)]
        if rows:
            s.execute(insert(StrategyEntry), rows)
        counts["客户对策"] = len(rows)
        return counts

    return db.transact(work)
