"""The office day (客户卡片与保密): loans say what they lend (查阅 read / 修改 edit); the search text of
cards with traditional characters gains their simplified spelling (search finds 張三 by 张三); a blacklist
elimination names its criterion (移出标准).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_request") as batch:
        batch.add_column(sa.Column("mode", sa.String(8), nullable=False, server_default="read"))
    op.add_column("blacklist_entry", sa.Column("removal_criterion", sa.String(80), nullable=False,
                                               server_default=""))
    _simplified_search_keys()


def _simplified_search_keys() -> None:
    from app.domain.normalise import simplified

    customer = sa.table("customer", sa.column("id", sa.Uuid), sa.column("name", sa.String),
                        sa.column("search_text", sa.Text))
    bind = op.get_bind()
    changed = []
    for cid, name, search_text in bind.execute(sa.select(customer.c.id, customer.c.name, customer.c.search_text)):
        key = simplified(name or "").lower()
        if key and key != (name or "").lower() and f"| {key} |" not in (search_text or ""):
            changed.append({"cid": cid, "text": f"{search_text} | {key}"})
    if changed:
        bind.execute(customer.update().where(customer.c.id == sa.bindparam("cid"))
                     .values(search_text=sa.bindparam("text")), changed)


def downgrade() -> None:
    with op.batch_alter_table("blacklist_entry") as batch:
        batch.drop_column("removal_criterion")
    with op.batch_alter_table("access_request") as batch:
        batch.drop_column("mode")
