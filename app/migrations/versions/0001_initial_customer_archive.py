"""Initial customer archive: customers, key persons, archive, blacklist, audit, staff.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 14:29:01.261063
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_record',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('entity', sa.String(length=24), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_record'))
    )
    with op.batch_alter_table('audit_record', schema=None) as batch_op:
        batch_op.create_index('ix_audit_customer_at', ['customer_id', 'at'], unique=False)

    op.create_table('department',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name=op.f('uq_department_name'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('department_id', sa.Uuid(), nullable=True),
    sa.Column('position', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_staff_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_name'), ['name'], unique=False)

    op.create_table('customer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_pinyin', sa.String(length=400), nullable=False),
    sa.Column('legal_representative', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=6), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('fax', sa.String(length=40), nullable=False),
    sa.Column('business_scope', sa.Text(), nullable=False),
    sa.Column('registered_capital', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('industry', sa.String(length=20), nullable=False),
    sa.Column('annual_revenue', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('size', sa.String(length=10), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=False),
    sa.Column('distance_km', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('unsuitable_visit_times', sa.String(length=200), nullable=False),
    sa.Column('customer_type', sa.String(length=24), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('channel_level', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('grade', sa.String(length=2), nullable=False),
    sa.Column('credit_limit', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('lost_reason', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('department_id', sa.Uuid(), nullable=True),
    sa.Column('confidentiality', sa.String(length=12), nullable=False),
    sa.Column('last_verified_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('merged_into_id', sa.Uuid(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_customer_department_id_department')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['customer.id'], name=op.f('fk_customer_merged_into_id_customer')),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_customer_owner_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer')),
    sa.UniqueConstraint('code', name=op.f('uq_customer_code')),
    sa.UniqueConstraint('uscc', name=op.f('uq_customer_uscc'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_grade'), ['grade'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_last_verified_on'), ['last_verified_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_name_pinyin'), ['name_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_customer_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_region'), ['region'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_status'), ['status'], unique=False)

    op.create_table('archive_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('section', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_archive_entry_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_entry'))
    )
    with op.batch_alter_table('archive_entry', schema=None) as batch_op:
        batch_op.create_index('ix_archive_customer_section_date', ['customer_id', 'section', 'entry_date'], unique=False)

    op.create_table('blacklist_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('criterion', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('listed_by', sa.String(length=40), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('removed_by', sa.String(length=40), nullable=False),
    sa.Column('removal_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_blacklist_entry_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blacklist_entry'))
    )
    with op.batch_alter_table('blacklist_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blacklist_entry_customer_id'), ['customer_id'], unique=False)

    op.create_table('key_person',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('work_unit', sa.String(length=120), nullable=False),
    sa.Column('position', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=80), nullable=False),
    sa.Column('wechat', sa.String(length=40), nullable=False),
    sa.Column('decision_role', sa.String(length=16), nullable=False),
    sa.Column('personality', sa.String(length=200), nullable=False),
    sa.Column('hobbies', sa.String(length=200), nullable=False),
    sa.Column('family', sa.String(length=200), nullable=False),
    sa.Column('education', sa.String(length=40), nullable=False),
    sa.Column('birthday', sa.Date(), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('is_key', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_key_person_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_person'))
    )
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_person_customer_id'), ['customer_id'], unique=False)

    op.create_table('key_person_relation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('from_person_id', sa.Uuid(), nullable=False),
    sa.Column('to_person_id', sa.Uuid(), nullable=False),
    sa.Column('relation', sa.String(length=40), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_key_person_relation_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_person_id'], ['key_person.id'], name=op.f('fk_key_person_relation_from_person_id_key_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_person_id'], ['key_person.id'], name=op.f('fk_key_person_relation_to_person_id_key_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_person_relation')),
    sa.UniqueConstraint('from_person_id', 'to_person_id', 'relation', name=op.f('uq_key_person_relation_from_person_id'))
    )
    with op.batch_alter_table('key_person_relation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_person_relation_customer_id'), ['customer_id'], unique=False)



    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # trigram full-text index: fast for 3+ character queries (shorter ones fall back to LIKE)
        op.execute(
            "CREATE VIRTUAL TABLE customer_fts USING fts5("
            "search_text, content='customer', content_rowid='rowid', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER customer_fts_ai AFTER INSERT ON customer BEGIN "
            "INSERT INTO customer_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER customer_fts_ad AFTER DELETE ON customer BEGIN "
            "INSERT INTO customer_fts(customer_fts, rowid, search_text) "
            "VALUES ('delete', old.rowid, old.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER customer_fts_au AFTER UPDATE OF search_text ON customer BEGIN "
            "INSERT INTO customer_fts(customer_fts, rowid, search_text) "
            "VALUES ('delete', old.rowid, old.search_text); "
            "INSERT INTO customer_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END"
        )
    else:
        # pg_trgm makes LIKE '%…%' an index scan; skipped quietly where the extension is not allowed
        op.execute(
            "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; "
            "EXCEPTION WHEN OTHERS THEN NULL; END $$"
        )
        op.execute(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN "
            "CREATE INDEX ix_customer_search_trgm ON customer USING gin (search_text gin_trgm_ops); "
            "END IF; END $$"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS customer_fts")

    with op.batch_alter_table('key_person_relation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_person_relation_customer_id'))

    op.drop_table('key_person_relation')
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_person_customer_id'))

    op.drop_table('key_person')
    with op.batch_alter_table('blacklist_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blacklist_entry_customer_id'))

    op.drop_table('blacklist_entry')
    with op.batch_alter_table('archive_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_customer_section_date')

    op.drop_table('archive_entry')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_status'))
        batch_op.drop_index(batch_op.f('ix_customer_region'))
        batch_op.drop_index(batch_op.f('ix_customer_phone'))
        batch_op.drop_index('ix_customer_owner_status')
        batch_op.drop_index(batch_op.f('ix_customer_owner_id'))
        batch_op.drop_index(batch_op.f('ix_customer_name'))
        batch_op.drop_index(batch_op.f('ix_customer_last_verified_on'))
        batch_op.drop_index(batch_op.f('ix_customer_grade'))

    op.drop_table('customer')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_name'))

    op.drop_table('staff')
    op.drop_table('setting')
    op.drop_table('department')
    with op.batch_alter_table('audit_record', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_customer_at')

    op.drop_table('audit_record')

