"""SQLAlchemy models: data and invariants only (no Qt, no I/O besides the ORM)."""
from models.access_request import AccessRequest
from models.archive import ArchiveEntry, BlacklistEntry
from models.audit import AuditRecord
from models.base import Base
from models.customer import Customer
from models.key_person import KeyPerson, KeyPersonRelation
from models.org import Department, Staff
from models.read_log import ReadLog
from models.security import AppUser, Role, RolePermission
from models.setting import Setting

__all__ = [
    "AccessRequest", "AppUser", "ArchiveEntry", "AuditRecord", "Base", "BlacklistEntry", "Customer",
    "Department", "KeyPerson", "KeyPersonRelation", "ReadLog", "Role", "RolePermission", "Setting", "Staff",
]
