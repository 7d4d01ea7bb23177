"""Relationship flats (关系房) are sold on a recorded approval: relationship_approval, and the permission to
record one (selection.relationship) for the roles that lead the selection desk and the key-account desk.

Flats released before this revision with only a free-text relationship_note stay marked as relationship
flats; they are sold once an approval is recorded for them.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

GRANTS = {
    "regional_director": ["selection.relationship"],
    "marketing_gm": ["selection.relationship"],
    "key_account": ["selection.relationship"],
}


def upgrade() -> None:
    op.create_table('relationship_approval',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('flat_id', sa.Uuid(), nullable=False),
    sa.Column('commission_id', sa.Uuid(), nullable=False),
    sa.Column('beneficiary', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('approval_no', sa.String(length=40), nullable=False),
    sa.Column('approver', sa.String(length=40), nullable=False),
    sa.Column('handled_by', sa.String(length=40), nullable=False),
    sa.Column('phoned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paperwork_due', sa.Date(), nullable=True),
    sa.Column('paper_no', sa.String(length=40), nullable=False),
    sa.Column('paper_approver', sa.String(length=40), nullable=False),
    sa.Column('paperwork_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paperwork_by', sa.String(length=40), nullable=False),
    sa.Column('average_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('payment_ratio', sa.Numeric(precision=4, scale=3), nullable=False),
    sa.Column('pay_deadline', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sa.String(length=40), nullable=False),
    sa.Column('end_reason', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=40), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commission_id'], ['commission.id'],
                            name=op.f('fk_relationship_approval_commission_id_commission')),
    sa.ForeignKeyConstraint(['flat_id'], ['flat.id'], name=op.f('fk_relationship_approval_flat_id_flat')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship_approval'))
    )
    op.create_index(op.f('ix_relationship_approval_commission_id'), 'relationship_approval', ['commission_id'],
                    unique=False)
    op.create_index(op.f('ix_relationship_approval_flat_id'), 'relationship_approval', ['flat_id'], unique=False)

    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    # roles the administrator deleted stay deleted
    existing = {r for (r,) in op.get_bind().execute(sa.text("SELECT code FROM role"))}
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission = 'selection.relationship'"))
    op.drop_index(op.f('ix_relationship_approval_flat_id'), table_name='relationship_approval')
    op.drop_index(op.f('ix_relationship_approval_commission_id'), table_name='relationship_approval')
    op.drop_table('relationship_approval')
