"""Demo logins (演示账号): one user per role, linked to a demo staff member, all with one known password.

The README lists them so a newcomer can log in as a rep, a manager or the GM and see what each may do.
"""
from __future__ import annotations

from sqlalchemy import select

from app.db import Database
from app.domain.permissions import DEFAULT_ROLES
from app.services import users
from models import AppUser, Department, Staff

DEMO_PASSWORD = "demo1234"
# (username, role, department, position of the staff member to link; None: no staff record)
DEMO_USERS = (
    ("admin", "admin", None, None),
    ("gm", "marketing_gm", "大客户部", "营销中心总经理"),
    ("director", "regional_director", "销售一部", "区域总监"),
    ("manager", "branch_manager", "销售一部", "销售分公司经理"),
    ("rep", "sales_rep", "销售一部", "营销人员"),
    ("rep2", "sales_rep", "销售二部", "营销人员"),
    ("desk", "key_account", "大客户部", "客户经理"),  # the ticket desk (选房票务) of the demo event
    ("clerk", "archive_clerk", "市场部", "市场部信息管理人员"),
    ("front", "front_desk", "市场部", "前台"),
    ("finance", "finance", "财务部", "财务经理"),
    ("auditor", "auditor", "审计法务部", "审计法务主管"),
    ("chairman", "chairman", None, None),  # 董事长: approves key-customer and group tours
    # the stations of the demo event day (选房日), named as the people on the demo's documents
    ("seldesk", "selection_desk", None, None),  # 选房员
    ("review", "selection_review", None, None),  # 复核员
    ("cashier", "selection_cashier", None, None),  # 收银员
    ("sitelead", "selection_lead", None, None),  # 现场主管
    ("caller", "selection_caller", None, None),  # 叫号员
)
# the logins without a staff record; the chairman is the 孙董 who signs the demo's tours (demo_reception)
NAMES_WITHOUT_STAFF = {"admin": "系统管理员", "chairman": "孙董", "seldesk": "王丽", "review": "刘会计",
                       "cashier": "吴敏", "sitelead": "张磊", "caller": "赵晓燕"}


def _name_without_staff(username: str, role: str) -> str:
    return NAMES_WITHOUT_STAFF.get(username) or DEFAULT_ROLES.get(role, (role,))[0]  # e.g. 营销中心总经理


def ensure_demo_users(db: Database) -> int:
    """Create the demo logins that do not exist yet; returns how many were created."""
    with db.read() as s:
        existing = set(s.scalars(select(AppUser.username)))
        staff = s.execute(select(Staff.id, Staff.name, Staff.position, Department.id, Department.name)
                          .join(Department, Department.id == Staff.department_id)
                          .where(Staff.active.is_(True)).order_by(Staff.name)).all()
    digest = users.hash_password(DEMO_PASSWORD)  # one hash for all: argon2 is slow on purpose
    rows = []
    for username, role, dept, position in DEMO_USERS:
        if username in existing:
            continue
        person = next((p for p in staff if p[4] == dept and p[2] == position), None)
        rows.append(AppUser(username=username, role_code=role, password_hash=digest,
                            display_name=person[1] if person else _name_without_staff(username, role),
                            staff_id=person[0] if person else None, department_id=person[3] if person else None))

    def work(s):
        s.add_all(rows)

    db.transact(work)
    return len(rows)
