"""The event day (选房日): documents hashed over every stored column (hash_version 2; older rows keep
verifying under version 1); default roles for the event's stations — 选房员 (desk), 复核员 (review),
收银员 (cashier), 现场主管 (lead: swaps, renames, reversals, out-of-order tickets) and 叫号员 (caller) — and the
permission to authorise a ticket out of the drawn order (selection.out_of_order); buyer.skipped_at for the
过号 list (called but absent, until re-called); bank_balance, the joint account's balance as the bank stated
it, for the reconciliation (共管账户对账).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# frozen copy of the stations in app.domain.permissions.DEFAULT_ROLES at this revision
ROLES = {
    "selection_desk": ("选房员", ["selection.view", "selection.ticket", "selection.certificate", "selection.print"]),
    "selection_review": ("复核员", ["selection.view", "selection.review", "selection.print"]),
    "selection_cashier": ("收银员", ["selection.view", "selection.receipt", "selection.print"]),
    "selection_lead": ("现场主管", ["selection.view", "selection.ticket", "selection.reverse", "selection.certificate",
                                    "selection.print", "selection.call", "selection.out_of_order"]),
    "selection_caller": ("叫号员", ["selection.view", "selection.call"]),
}


def upgrade() -> None:
    with op.batch_alter_table("selection_document") as batch:
        batch.add_column(sa.Column("hash_version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("buyer") as batch:  # 过号: called but absent, until re-called
        batch.add_column(sa.Column("skipped_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(  # 共管账户余额, insert-only like the documents it is reconciled with
        "bank_balance",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("commission_id", sa.Uuid(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("balance", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=40), nullable=False),
        sa.Column("entered_by_id", sa.Uuid(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commission_id"], ["commission.id"],
                                name=op.f("fk_bank_balance_commission_id_commission")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_balance")),
    )
    op.create_index(op.f("ix_bank_balance_commission_id"), "bank_balance", ["commission_id"], unique=False)
    role = sa.table("role", sa.column("code", sa.String), sa.column("name", sa.String))
    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    bind = op.get_bind()
    codes = {r for (r,) in bind.execute(sa.text("SELECT code FROM role"))}
    names = {r for (r,) in bind.execute(sa.text("SELECT name FROM role"))}
    new = {code: spec for code, spec in ROLES.items() if code not in codes and spec[0] not in names}
    op.bulk_insert(role, [{"code": code, "name": name} for code, (name, _perms) in new.items()])
    op.bulk_insert(permission, [{"role_code": code, "permission": p} for code, (_n, perms) in new.items()
                                for p in perms])


def downgrade() -> None:
    op.drop_index(op.f("ix_bank_balance_commission_id"), table_name="bank_balance")
    op.drop_table("bank_balance")
    with op.batch_alter_table("buyer") as batch:
        batch.drop_column("skipped_at")
    op.execute(sa.text("DELETE FROM role_permission WHERE permission = 'selection.out_of_order'"))
    codes = ", ".join(f"'{c}'" for c in ROLES)
    op.execute(sa.text(f"DELETE FROM role_permission WHERE role_code IN ({codes})"))
    op.execute(sa.text(f"DELETE FROM role WHERE code IN ({codes}) AND code NOT IN (SELECT role_code FROM app_user)"))
    with op.batch_alter_table("selection_document") as batch:
        batch.drop_column("hash_version")
