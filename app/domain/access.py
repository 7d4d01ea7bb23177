"""Who may read which archive (保密级别), as one pure rule; the SQL filter in app.services.access mirrors it.

company level    — roles with archive.read.company (营销中心总经理 by default);
department level — the department's managers (archive.read.department.own) and those over all
                   departments (archive.read.department.all);
personal level   — the owning rep and the managers of the rep's department (archive.read.personal.team).
The owning rep always reads their own customers. Anyone else needs an approved request (借阅审批).
"""
from __future__ import annotations

import uuid


def may_read(*, permissions: frozenset[str], staff_id: uuid.UUID | None, department_id: uuid.UUID | None,
             level: str, owner_id: uuid.UUID | None, customer_department_id: uuid.UUID | None) -> bool:
    if owner_id is not None and owner_id == staff_id:
        return True
    same_department = department_id is not None and customer_department_id == department_id
    if level == "company":
        return "archive.read.company" in permissions
    if level == "department":
        return "archive.read.department.all" in permissions or (
            "archive.read.department.own" in permissions and same_department)
    if level == "personal":
        return "archive.read.personal.team" in permissions and same_department
    return False
