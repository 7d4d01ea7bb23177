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
    "grading.view": "查看客户分级",
    "grading.run": "计算与确认客户分级",
    "grading.override": "调整客户等级(须填写原因)",
    "sales.edit": "录入与导入销售、回款记录",
}

# how the administrator sees them when ticking a role's permissions (角色权限分组)
PERMISSION_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("客户档案", ("customer.list", "customer.open", "customer.create", "customer.edit", "customer.print",
              "customer.export", "customer.import", "customer.handover", "blacklist.edit")),
    ("保密与借阅", ("archive.read.company", "archive.read.department.own", "archive.read.department.all",
               "archive.read.personal.team", "archive.approve", "readlog.view")),
    ("客户分级", ("grading.view", "grading.run", "grading.override", "sales.edit")),
    ("系统管理", ("users.manage", "rules.edit", "backup.run")),
)
ADMIN_PERMISSION = "users.manage"  # at least one active user must keep it (最后一位管理员)

_DESK = ("customer.list", "customer.open", "customer.create", "customer.edit", "customer.print")
_MANAGER = (*_DESK, "customer.export", "customer.import", "blacklist.edit", "archive.read.department.own",
            "archive.read.personal.team", "archive.approve")

_GRADING_LEAD = ("grading.view", "grading.run", "grading.override")
_SELECTION_LEAD = ("selection.view", "selection.stock", "selection.price_approve", "selection.buyers",
                   "selection.draw", "selection.reverse", "selection.print")

DEFAULT_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "front_desk": ("前台", ("customer.list", "customer.open", "customer.create", "selection.view", "selection.call")),
    "sales_rep": ("营销人员", _DESK),
    "branch_manager": ("销售分公司经理", (*_MANAGER, "grading.view")),
    "regional_director": ("区域总监", (*_MANAGER, "archive.read.department.all", "customer.handover",
                                    *_SELECTION_LEAD, "grading.view")),
    "marketing_gm": ("营销中心总经理", (*_MANAGER, "archive.read.department.all", "archive.read.company",
                                      "customer.handover", "readlog.view", "rules.edit", *_SELECTION_LEAD,
                                      *_GRADING_LEAD, "sales.edit")),
    "archive_clerk": ("市场部信息管理人员", (*_DESK, "customer.import", "customer.export", "customer.handover")),
    "finance": ("财务", ("customer.list", "customer.open", "selection.view", "selection.receipt",
                         "selection.review", "selection.eligibility", "selection.print", "grading.view",
                         "sales.edit")),
    "auditor": ("审计", ("customer.list", "customer.open", "readlog.view", "selection.view",
                         "selection.eligibility", "grading.view")),
    # 大客户部选房员: the desk that verifies buyers, calls numbers and issues tickets and certificates
    "key_account": ("大客户部选房员", ("customer.list", "selection.view", "selection.buyers", "selection.call",
                                      "selection.ticket", "selection.certificate", "selection.print")),
    "admin": ("管理员", ("users.manage", "rules.edit", "backup.run", "readlog.view", "customer.list")),
}
