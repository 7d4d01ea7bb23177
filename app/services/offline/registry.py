"""The tables a field laptop may edit offline. Adding one is one line in SYNCABLE (plus, in that table's
own migration, `app.db.sync_feed.install_feed(op.get_bind(), "table")` for the central change feed).

Every syncable table has a UUID primary key `id` and names its customer (`customer_key`), which decides
who may read (check-out, pull) and edit (push) the row. `derived` columns are recomputed, never merged.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table

from models import Base


def _customer_search(values: dict) -> dict:
    from app.services.customers import _search_fields

    return _search_fields(values)


@dataclass(frozen=True)
class Syncable:
    table: str
    customer_key: str  # the column holding the customer's id ("id" on customer itself)
    audit_entity: str  # how the audit trail (修改记录) names it
    derived: tuple[str, ...] = ()
    derive: Callable[[dict], dict] | None = None  # full row values → derived columns

    @property
    def t(self) -> Table:
        return Base.metadata.tables[self.table]


SYNCABLE: dict[str, Syncable] = {s.table: s for s in (
    Syncable("customer", "id", "customer", ("search_text", "name_pinyin"), _customer_search),
    Syncable("key_person", "customer_id", "key_person"),
    Syncable("key_person_relation", "customer_id", "relation"),
    Syncable("archive_entry", "customer_id", "archive_entry"),
    Syncable("customer_contact", "customer_id", "customer_contact"),
    Syncable("visit_plan", "customer_id", "visit_plan"),
    Syncable("visit_record", "customer_id", "visit_record"),
    Syncable("visit_follow_up", "customer_id", "follow_up"),
    # complaints stay central: receiving one takes a TS-number, and numbers are never given offline
)}

# tables a laptop copies whole at check-out and refreshes on every pull (no customer data): the rows
# the syncable ones refer to. app_user is copied for the checked-out user only (offline login).
REFERENCE = ("department", "staff", "role", "role_permission", "setting")
# tables the laptop writes for itself and never sends: the read log and audit rows of local work,
# login failure counts. Everything else is refused offline by a trigger (and by the services).
LOCAL_ONLY = ("read_log", "audit_record", "app_user", "alembic_version")
