"""The demo's logins (app.services.demo_users) over a small office: 销售一部 with its rep and manager,
销售二部 with rep2, so tests log in with the default role of each job, never with every permission."""
from __future__ import annotations

import pytest

from app.services import demo_users, staff, users

OFFICE = (("销售一部", "营销人员", "李业务"), ("销售一部", "销售分公司经理", "王经理"),
          ("销售二部", "营销人员", "赵业务"), ("销售一部", "区域总监", "钱总监"),
          ("大客户部", "营销中心总经理", "孙总"), ("市场部", "市场部信息管理人员", "周档案"),
          ("市场部", "前台", "吴前台"), ("审计法务部", "审计法务主管", "郑审计"))


def build(db) -> dict:
    for dept, position, name in OFFICE:
        staff.add_staff(db, name=name, department_id=staff.add_department(db, name=dept), position=position)
    demo_users.ensure_demo_users(db)
    return {u: users.authenticate(db, username=u, password=demo_users.DEMO_PASSWORD)
            for u, *_ in demo_users.DEMO_USERS if u not in ("desk", "finance")}


@pytest.fixture
def logins(db):
    """(db, {username: Principal}) with the demo's default roles."""
    return db, build(db)
