"""SQLAlchemy models: data and invariants only (no Qt, no I/O besides the ORM)."""
from models.access_request import AccessRequest
from models.archive import ArchiveEntry, BlacklistEntry
from models.audit import AuditRecord
from models.base import Base
from models.commission import Buyer, Commission, Draw, PriceApproval, RelationshipApproval
from models.contact import CustomerContact
from models.credit import CreditRequest
from models.customer import Customer
from models.documents import (
    BankBalance,
    DocumentPrint,
    DocumentReview,
    DocumentSeries,
    FlatHold,
    SelectionDocument,
)
from models.grading import GradingAttribute, GradingResult, GradingRun, GradingScheme, PaymentTermDrop
from models.grading_tables import (
    AdvancementApplication,
    AdvancementEvent,
    KeyCustomerPlan,
    RelationEvaluation,
    StrategyEntry,
    StrategyNote,
)
from models.housing import Flat, Project
from models.key_person import KeyPerson, KeyPersonRelation
from models.org import Department, Staff
from models.read_log import ReadLog
from models.reception import Complaint, ComplaintStep, Inquiry, Meal, ReceptionCounter, Tour
from models.sales import PaymentRecord, SalesRecord
from models.security import AppUser, Role, RolePermission
from models.setting import Setting
from models.sync import SyncApplied, SyncChange, SyncConflict, SyncDevice
from models.visit import FollowUp, VisitPlan, VisitRecord
from models.visit_area import CustomerLocation, VisitArea, VisitAreaPlace

__all__ = [
    "AdvancementApplication", "AdvancementEvent", "KeyCustomerPlan", "RelationEvaluation", "StrategyEntry",
    "StrategyNote",
    "AccessRequest", "AppUser", "ArchiveEntry", "AuditRecord", "Base", "BlacklistEntry", "Buyer", "Commission",
    "Complaint", "ComplaintStep", "CreditRequest", "Inquiry", "Meal", "ReceptionCounter", "Tour",
    "BankBalance", "Customer", "CustomerContact", "CustomerLocation", "Department", "DocumentPrint", "DocumentReview",
    "DocumentSeries", "Draw", "Flat", "FlatHold",
    "FollowUp", "GradingAttribute", "GradingResult", "GradingRun", "GradingScheme", "PaymentTermDrop",
    "KeyPerson", "KeyPersonRelation", "PaymentRecord", "PriceApproval", "Project", "RelationshipApproval", "ReadLog", "SalesRecord", "Role", "RolePermission",
    "SelectionDocument", "Setting", "Staff", "SyncApplied", "SyncChange", "SyncConflict", "SyncDevice", "VisitArea", "VisitAreaPlace",
    "VisitPlan", "VisitRecord",
]
