"""The house-selection desk (选房票务): stock, commissioning units, buyers, draw and numbered documents.

Also seeds the new permissions and the 大客户部选房员 role.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# frozen copy of what app.domain.permissions added at this revision: migrations never import app code
NEW_ROLES = {"key_account": "大客户部选房员"}
_LEAD = ["selection.view", "selection.stock", "selection.price_approve", "selection.buyers", "selection.draw",
         "selection.reverse", "selection.print"]
GRANTS = {
    "front_desk": ["selection.view", "selection.call"],
    "regional_director": _LEAD,
    "marketing_gm": _LEAD,
    "finance": ["selection.view", "selection.receipt", "selection.review", "selection.eligibility",
                "selection.print"],
    "auditor": ["selection.view", "selection.eligibility"],
    "key_account": ["customer.list", "selection.view", "selection.buyers", "selection.call", "selection.ticket",
                    "selection.certificate", "selection.print"],
}


def upgrade() -> None:
    op.create_table('project',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('company', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('code', name=op.f('uq_project_code')),
    sa.UniqueConstraint('name', name=op.f('uq_project_name'))
    )
    op.create_table('document_series',
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_document_series_project_id_project')),
    sa.PrimaryKeyConstraint('kind', 'project_id', 'year', name=op.f('pk_document_series'))
    )
    op.create_table('commission',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('average_price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('min_payment_ratio', sa.Numeric(precision=4, scale=3), nullable=False),
    sa.Column('deposit_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('price_rules', sa.Text(), nullable=False),
    sa.Column('price_version', sa.Integer(), nullable=False),
    sa.Column('choose_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pay_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_commission_customer_id_customer')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_commission_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission')),
    sa.UniqueConstraint('project_id', 'name', name='uq_commission_name')
    )
    op.create_table('buyer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('commission_id', sa.Uuid(), nullable=False),
    sa.Column('list_no', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('audit_flag', sa.Text(), nullable=False),
    sa.Column('eligible', sa.Boolean(), nullable=True),
    sa.Column('reviewed_by', sa.String(length=40), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('draw_order', sa.Integer(), nullable=True),
    sa.Column('called_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('called_desk', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['commission_id'], ['commission.id'], name=op.f('fk_buyer_commission_id_commission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buyer')),
    sa.UniqueConstraint('commission_id', 'id_number', name='uq_buyer_id_number'),
    sa.UniqueConstraint('commission_id', 'list_no', name='uq_buyer_list_no')
    )
    op.create_index('ix_buyer_id_number', 'buyer', ['id_number'], unique=False)
    op.create_table('flat',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('building', sa.String(length=16), nullable=False),
    sa.Column('entrance', sa.String(length=8), nullable=False),
    sa.Column('floor', sa.Integer(), nullable=False),
    sa.Column('room', sa.String(length=16), nullable=False),
    sa.Column('unit_type', sa.String(length=24), nullable=False),
    sa.Column('area', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('orientation', sa.String(length=16), nullable=False),
    sa.Column('price_per_m2', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('commission_id', sa.Uuid(), nullable=True),
    sa.Column('relationship_note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commission_id'], ['commission.id'], name=op.f('fk_flat_commission_id_commission')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_flat_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flat')),
    sa.UniqueConstraint('project_id', 'building', 'entrance', 'room', name='uq_flat_position')
    )
    op.create_index('ix_flat_changed', 'flat', ['project_id', 'changed_at'], unique=False)
    op.create_index('ix_flat_project_status', 'flat', ['project_id', 'status'], unique=False)
    op.create_table('price_approval',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('commission_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('approver', sa.String(length=40), nullable=False),
    sa.Column('average_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('price_version', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=40), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commission_id'], ['commission.id'], name=op.f('fk_price_approval_commission_id_commission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_approval')),
    sa.UniqueConstraint('commission_id', 'step', 'price_version', name='uq_price_approval_step')
    )
    op.create_table('selection_draw',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('commission_id', sa.Uuid(), nullable=False),
    sa.Column('seed', sa.String(length=200), nullable=False),
    sa.Column('list_hash', sa.String(length=64), nullable=False),
    sa.Column('algorithm', sa.String(length=40), nullable=False),
    sa.Column('performed_by', sa.String(length=40), nullable=False),
    sa.Column('notary', sa.String(length=40), nullable=False),
    sa.Column('performed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commission_id'], ['commission.id'], name=op.f('fk_selection_draw_commission_id_commission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selection_draw')),
    sa.UniqueConstraint('commission_id', name=op.f('uq_selection_draw_commission_id'))
    )
    op.create_table('selection_document',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('display_number', sa.String(length=32), nullable=False),
    sa.Column('commission_id', sa.Uuid(), nullable=False),
    sa.Column('buyer_id', sa.Uuid(), nullable=False),
    sa.Column('flat_id', sa.Uuid(), nullable=False),
    sa.Column('ticket_id', sa.Uuid(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('purpose', sa.String(length=24), nullable=False),
    sa.Column('reverses_id', sa.Uuid(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by', sa.String(length=40), nullable=False),
    sa.Column('issued_by_id', sa.Uuid(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], name=op.f('fk_selection_document_buyer_id_buyer')),
    sa.ForeignKeyConstraint(['commission_id'], ['commission.id'], name=op.f('fk_selection_document_commission_id_commission')),
    sa.ForeignKeyConstraint(['flat_id'], ['flat.id'], name=op.f('fk_selection_document_flat_id_flat')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_selection_document_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selection_document')),
    sa.UniqueConstraint('display_number', name=op.f('uq_selection_document_display_number')),
    sa.UniqueConstraint('kind', 'project_id', 'year', 'number', name='uq_selection_document_number'),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_selection_document_reverses_id'))
    )
    op.create_index('ix_selection_document_buyer', 'selection_document', ['buyer_id', 'kind'], unique=False)
    op.create_index('ix_selection_document_ticket', 'selection_document', ['ticket_id'], unique=False)
    op.create_table('document_print',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('copy_no', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('printed_by', sa.String(length=40), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['selection_document.id'], name=op.f('fk_document_print_document_id_selection_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_print')),
    sa.UniqueConstraint('document_id', 'copy_no', name='uq_document_print_copy')
    )
    op.create_index(op.f('ix_document_print_document_id'), 'document_print', ['document_id'], unique=False)
    op.create_table('document_review',
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('reviewer', sa.String(length=40), nullable=False),
    sa.Column('reviewer_id', sa.Uuid(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['selection_document.id'], name=op.f('fk_document_review_document_id_selection_document')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_review'))
    )
    op.create_table('flat_hold',
    sa.Column('flat_id', sa.Uuid(), nullable=False),
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('buyer_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], name=op.f('fk_flat_hold_buyer_id_buyer')),
    sa.ForeignKeyConstraint(['flat_id'], ['flat.id'], name=op.f('fk_flat_hold_flat_id_flat')),
    sa.ForeignKeyConstraint(['ticket_id'], ['selection_document.id'], name=op.f('fk_flat_hold_ticket_id_selection_document')),
    sa.PrimaryKeyConstraint('flat_id', name=op.f('pk_flat_hold')),
    sa.UniqueConstraint('buyer_id', name=op.f('uq_flat_hold_buyer_id')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_flat_hold_ticket_id'))
    )
    role = sa.table("role", sa.column("code", sa.String), sa.column("name", sa.String))
    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    op.bulk_insert(role, [{"code": code, "name": name} for code, name in NEW_ROLES.items()])
    # roles the administrator deleted stay deleted
    existing = {r for (r,) in op.get_bind().execute(sa.text("SELECT code FROM role"))}
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission LIKE 'selection.%'"))
    op.execute(sa.text("DELETE FROM role_permission WHERE role_code = 'key_account'"))
    op.execute(sa.text("DELETE FROM role WHERE code = 'key_account'"))
    for table in ("flat_hold", "document_review", "document_print", "selection_document", "selection_draw",
                  "price_approval", "flat", "buyer", "commission", "document_series", "project"):
        op.drop_table(table)
