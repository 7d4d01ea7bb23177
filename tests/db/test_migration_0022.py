"""Migration 0022 on a database with cards typed before it: a traditional name gains its simplified key."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import command

from app.db.migrate import alembic_config
from app.services.customer_search import CustomerFilter, search_ids


def test_cards_from_before_are_found_by_their_simplified_name(sqlite_db):
    engine = sqlite_db.engine
    config = alembic_config(engine)
    from alembic.script import ScriptDirectory

    below = ScriptDirectory.from_config(config).get_revision("0022").down_revision  # whatever the chain says
    command.downgrade(config, below)
    with engine.begin() as conn:
        cid = uuid.uuid4()
        conn.execute(sa.text("INSERT INTO customer (id, code, name, name_pinyin, search_text, industry, size, "
                             "customer_type, source, channel_level, status, grade, confidentiality, important, "
                             "created_at, updated_at, version, legal_representative, address, postcode, phone, "
                             "fax, business_scope, region, unsuitable_visit_times, lost_reason, note) VALUES "
                             "(:id, 'KH000009', '張三貿易', 'zhangsanmaoyi', '張三貿易 | zhangsanmaoyi | zsmy', "
                             "'other', '', 'end_user', 'sales_visit', 1, 'potential', '', 'department', 0, "
                             "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, '', '', '', '', '', '', '', '', '', '')"),
                     {"id": cid.hex})
    command.upgrade(config, "head")
    assert search_ids(sqlite_db, CustomerFilter(text="张三")) == [cid]
