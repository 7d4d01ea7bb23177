"""客户销售分析表 for a year: the readable customers' sales by product (app.domain.sales_analysis), optionally only
the customers of the routes panel's scope (an area or a rep). Names customers, so only archives the user may read."""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select

from app import settings
from app.db import Database
from app.domain import sales_analysis as rules
from app.services import access
from app.services.users import Principal
from models import Customer, SalesRecord


def sales_table(db: Database, *, user: Principal, year: int, customer_ids: Iterable[uuid.UUID] | None = None
                ) -> tuple[list[str], list[rules.SalesRow], rules.SalesRow]:
    user.require("visits.routes", "查看客户销售分析表")
    columns = rules.parse_products(settings.get(db, "sales.products"))
    q = (select(Customer.name, Customer.code, SalesRecord.product, func.sum(SalesRecord.amount))
         .join(Customer, Customer.id == SalesRecord.customer_id)
         .where(SalesRecord.year == year, Customer.merged_into_id.is_(None), access.readable(user))
         .group_by(Customer.name, Customer.code, SalesRecord.product))
    if customer_ids is not None:
        q = q.where(Customer.id.in_(list(customer_ids)))
    with db.read() as s:
        lines = [(n, c, p, amount) for n, c, p, amount in s.execute(q)]
    return rules.table(((n, c, p, rules.Decimal(str(a or 0))) for n, c, p, a in lines), columns)
