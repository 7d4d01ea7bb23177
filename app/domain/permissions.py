"""Actions a user may be allowed, and the default roles of the regulations with their permissions.

Roles are data (editable by the administrator); these are the defaults the database is seeded with.
Archive reading follows DOMAIN.md §2 保密: company level — the marketing GM (and directors above
the branches); department level — the department's manager; personal level — the rep and their manager.
"""
from __future__ import annotations

PERMISSIONS: dict[str, str] = {
    "customer.list": "查看客户列表",
    "customer.open": "打开客户档案",
    "customer.create": "新建客户",
    "customer.edit": "修改客户档案",
    "customer.export": "导出客户资料",
    "customer.print": "打印客户档案",
    "customer.import": "导入客户",
    "customer.handover": "员工调离移交",
    "blacklist.edit": "黑名单管理",
    "archive.read.company": "阅读公司级档案",
    "archive.read.department.own": "阅读本部门的部门级档案",
    "archive.read.department.all": "阅读所有部门级档案",
    "archive.read.personal.team": "阅读本部门员工的个人级档案",
    "archive.approve": "审批档案查阅申请",
    "readlog.view": "查看与导出借阅记录",
    "users.manage": "用户与角色管理",
    "rules.edit": "业务规则设置",
    "backup.run": "备份与恢复",
    "selection.view": "查看销控表与选房台帐",
    "selection.stock": "房源导入、定价与释放",
    "selection.price_approve": "登记价格审批",
    "selection.relationship": "登记关系房审批(书面审批、总经理电话审批)与转新价格政策",
    "selection.buyers": "导入购房者名单",
    "selection.eligibility": "购房资格审查",
    "selection.draw": "公证机选选房顺序",
    "selection.call": "叫号",
    "selection.ticket": "开选房工作票",
    "selection.receipt": "收款开收据",
    "selection.certificate": "开选房凭证",
    "selection.review": "复核选房单据",
    "selection.reverse": "红字冲红、换房、更名",
    "selection.print": "打印与重打选房单据",
    "selection.out_of_order": "授权越序选房(未叫到或跳号的购房者)",
    "reception.view": "查看参观、招待用餐与投诉",
    "reception.request": "申请客户参观与招待用餐",
    "reception.approve_gm": "审核参观、批准招待用餐(营销中心总经理)",
    "reception.approve_chairman": "批准重点客户与团体参观(董事长)",
    "reception.settle": "登记用餐账单与月底结算",
    "complaints.receive": "受理客户投诉",
    "complaints.handle": "处理客户投诉(调查、处理、反馈、结案)",
    "visits.routes": "拜访路线规划与拜访区域表",
    "visits.areas.manage": "划分拜访区域、补全客户坐标",
    "offline.checkout": "离线外出:检出客户副本并同步",
    "offline.resolve": "处理离线同步冲突",
    "visits.view": "查看拜访日历(本人与本部门)",
    "visits.view.all": "查看与安排所有人员的拜访计划",
    "visits.edit": "制定拜访计划、填写拜访记录",
    "grading.advance.apply": "提交客户进阶申请",
    "grading.advance.review": "审核客户进阶申请(销售主管)",
    "grading.advance.approve": "审批客户进阶申请(销售经理)",
    "grading.evaluate": "填写客户关系评估表",
    "grading.tables.view": "查看重点、重要、问题客户表",
    "grading.tables.edit": "编辑重点、重要、问题客户表",
    "grading.tables.gm": "填写重点客户管理表的营销总经理建议",
    "grading.tables.chairman": "填写重点客户管理表的董事长意见",
    "credit.request": "查看信用额度,提交超限审批申请",
    "credit.approve.minister": "审批信用额度超限(部长)",
    "credit.approve.gm": "审批信用额度超限(总经理)",
    "grading.view": "查看客户分级",
    "grading.run": "计算与确认客户分级",
    "grading.override": "调整客户等级(须填写原因)",
    "grading.table.all": "查看与打印完整的客户分级表(含全部客户名称与数字)",
    "credit.grade": "计算与确认信用等级(财务定期复核)",
    "sales.edit": "录入与导入销售、回款记录",
}

# how the administrator sees them when ticking a role's permissions (角色权限分组)
PERMISSION_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("客户档案", ("customer.list", "customer.open", "customer.create", "customer.edit", "customer.print",
              "customer.export", "customer.import", "customer.handover", "blacklist.edit")),
    ("保密与借阅", ("archive.read.company", "archive.read.department.own", "archive.read.department.all",
               "archive.read.personal.team", "archive.approve", "readlog.view")),
    ("拜访", ("visits.routes", "visits.areas.manage")),
    ("拜访日历", ("visits.view", "visits.view.all", "visits.edit")),
    ("客户分级", ("grading.view", "grading.run", "grading.override", "grading.table.all", "sales.edit")),
    ("信用额度", ("credit.grade", "credit.request", "credit.approve.minister", "credit.approve.gm")),
    ("系统管理", ("users.manage", "rules.edit", "backup.run")),
    ("接待与投诉", ("reception.view", "reception.request", "reception.approve_gm", "reception.approve_chairman",
               "reception.settle", "complaints.receive", "complaints.handle")),
    ("离线外出", ("offline.checkout", "offline.resolve")),
    ("客户进阶与重点客户", ("grading.advance.apply", "grading.advance.review", "grading.advance.approve",
                     "grading.evaluate", "grading.tables.view", "grading.tables.edit", "grading.tables.gm",
                     "grading.tables.chairman")),
)
ADMIN_PERMISSION = "users.manage"  # at least one active user must keep it (最后一位管理员)

_DESK = ("customer.list", "customer.open", "customer.create", "customer.edit", "customer.print")
_FIELD = ("offline.checkout",)  # field laptops (离线外出)
_VISITS = ("visits.view", "visits.edit")  # a rep plans and reports their own visits, sees the department's
_REP = (*_DESK, *_VISITS, "visits.routes", *_FIELD, "credit.request")
_MANAGER = (*_REP, "visits.view.all", "visits.areas.manage", "offline.resolve", "customer.export", "customer.import", "blacklist.edit", "archive.read.department.own",
            "archive.read.personal.team", "archive.approve")

# 客户进阶: reps apply, the branch manager reviews (销售主管), directors and the GM approve (销售经理)
_APPLY = ("grading.advance.apply", "grading.evaluate")
_SUPERVISOR = (*_APPLY, "grading.advance.review", "grading.tables.view")
_SALES_MANAGER = (*_SUPERVISOR, "grading.advance.approve", "grading.tables.edit")

_GRADING_LEAD = ("grading.view", "grading.run", "grading.override", "grading.table.all")

_SELECTION_LEAD = ("selection.view", "selection.stock", "selection.price_approve", "selection.buyers",
                   "selection.draw", "selection.reverse", "selection.print", "selection.relationship")

_RECEPTION = ("reception.view", "reception.request", "complaints.receive")  # 接待申请与投诉受理
_RECEPTION_LEAD = (*_RECEPTION, "complaints.handle")

DEFAULT_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "front_desk": ("前台", ("customer.list", "customer.open", "customer.create", "selection.view", "selection.call",
                          *_RECEPTION)),
    "sales_rep": ("营销人员", (*_REP, *_RECEPTION, *_APPLY)),
    "branch_manager": ("销售分公司经理", (*_MANAGER, *_RECEPTION_LEAD, *_SUPERVISOR, "grading.view",
                                        "credit.approve.minister")),
    "regional_director": ("区域总监", (*_MANAGER, "archive.read.department.all", "customer.handover",
                                    *_SELECTION_LEAD, *_RECEPTION_LEAD, *_SALES_MANAGER, "grading.view",
                                    "credit.approve.minister")),
    "marketing_gm": ("营销中心总经理", (*_MANAGER, "archive.read.department.all", "archive.read.company",
                                      "customer.handover", "readlog.view", "rules.edit", *_SELECTION_LEAD,
                                      *_RECEPTION_LEAD, "reception.approve_gm", "reception.settle", *_SALES_MANAGER,
                                      *_GRADING_LEAD, "sales.edit", "credit.approve.gm", "grading.tables.gm")),
    # 董事长: approves key-customer and group tours after the GM's review, and may approve meals; reads the
    # company- and department-level archives the key-customer table (重点客户管理表) lists, to write his opinion
    "chairman": ("董事长", ("customer.list", "customer.open", "archive.read.company", "archive.read.department.all",
                           "reception.view", "reception.approve_gm", "reception.approve_chairman",
                           "grading.tables.view", "grading.tables.chairman")),
    "archive_clerk": ("市场部信息管理人员", (*_DESK, "customer.import", "customer.export", "customer.handover",
                                         "visits.routes", "visits.areas.manage")),
    "finance": ("财务", ("customer.list", "customer.open", "selection.view", "selection.receipt",
                         "selection.review", "selection.eligibility", "selection.print", "reception.view",
                         "reception.settle", "grading.view", "grading.table.all", "sales.edit", "credit.grade")),
    "auditor": ("审计", ("customer.list", "customer.open", "readlog.view", "selection.view",
                         "selection.eligibility", "reception.view", "grading.tables.view", "grading.view",
                         "grading.table.all")),
    # 大客户部选房员: the desk that verifies buyers, calls numbers and issues tickets and certificates
    "key_account": ("大客户部选房员", ("customer.list", "selection.view", "selection.buyers", "selection.call",
                                      "selection.ticket", "selection.certificate", "selection.print",
                                      "selection.relationship")),
    # the event-day stations (选房日): each role holds exactly what its station does
    "selection_desk": ("选房员", ("selection.view", "selection.ticket", "selection.certificate", "selection.print")),
    "selection_review": ("复核员", ("selection.view", "selection.review", "selection.print")),
    "selection_cashier": ("收银员", ("selection.view", "selection.receipt", "selection.print")),
    # 现场主管: swaps, renames, reversals, out-of-order tickets, calls and re-calls
    "selection_lead": ("现场主管", ("selection.view", "selection.ticket", "selection.reverse", "selection.certificate",
                                    "selection.print", "selection.call", "selection.out_of_order")),
    "selection_caller": ("叫号员", ("selection.view", "selection.call")),
    "admin": ("管理员", ("users.manage", "rules.edit", "backup.run", "readlog.view", "customer.list")),
}
