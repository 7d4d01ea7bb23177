"""The laptop file is encrypted at rest, opens only with the user's password, and refuses what never
happens offline; the server refuses such uploads too."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError

from app.services import customers
from app.services.offline import checkout, crypto, push
from app.services.offline.guard import OfflineRefused
from app.services.offline.journal import Operation, is_offline_refusal
from app.services.selection import draw, numbering, tickets
from app.services.users import system_principal
from models import Project
from tests.services.offline.conftest import PASSWORD, new_customer

NAME = "保密测试远洋重工集团有限公司"


def test_a_stolen_replica_shows_no_customer_name_and_a_wrong_password_fails(db, field, tmp_path):
    cid = new_customer(db, NAME, address="机密路 1 号")
    path = tmp_path / "laptop.kedesk"
    checkout.checkout(db, path=path, password=PASSWORD, device_name="外勤1", user=field)
    laptop = checkout.open_replica(path, PASSWORD)
    assert customers.get_card(laptop, customer_id=cid).values["name"] == NAME  # it is in there
    customers.update_customer(laptop, actor="张", customer_id=cid, values={"note": NAME + " 备注"}, user=field)
    laptop.dispose()

    files = [p for p in tmp_path.iterdir() if p.name.startswith("laptop.kedesk")]
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    for f in files:
        data = f.read_bytes()
        assert NAME.encode("utf-8") not in data and "远洋重工".encode() not in data, f.name
        assert "远洋重工".encode("utf-16-le") not in data
    with pytest.raises(crypto.WrongPassword):
        checkout.open_replica(path, "not-the-password")
    # without the key file's wrapping, the raw key is needed: a guessed key opens nothing
    with pytest.raises(DBAPIError):
        crypto.encrypted_engine(path, b"\x00" * 32).connect()


def test_ticketing_draws_and_document_numbers_are_refused_offline(db, field, laptops):
    laptop = laptops()
    desk = system_principal()
    with pytest.raises(OfflineRefused, match="离线状态下不能开选房工作票.*请连接中心数据库后再办理"):
        tickets.issue_ticket(laptop, user=desk, commission_id=uuid.uuid4(), id_number="110101199001011234",
                             flat_id=uuid.uuid4(), payment_ratio=Decimal("0.3"))
    with pytest.raises(OfflineRefused, match="离线状态下不能进行公证机选"):
        draw.run_draw(laptop, user=desk, commission_id=uuid.uuid4(), seed="1")
    with pytest.raises(OfflineRefused, match="离线状态下不能取单据编号"), laptop.write() as s:
        numbering.take(s, kind="ticket", project_id=uuid.uuid4(), project_code="JY", year=2026)
    # and a write that goes round the services is stopped by the replica itself
    with pytest.raises(DBAPIError) as caught, laptop.write() as s:
        s.execute(insert(Project).values(id=uuid.uuid4(), code="P1", name="离线项目"))
    assert is_offline_refusal(caught.value)


def test_the_server_refuses_an_upload_of_what_never_happens_offline(db, field, laptops):
    laptops()
    with db.read() as s:
        from sqlalchemy import select

        from models import SyncDevice
        device = s.scalar(select(SyncDevice.id))
    forged = Operation(uuid.uuid4(), 1, "selection_document", uuid.uuid4(), "insert",
                       {"number": [None, "000001"]}, datetime.now(UTC))
    with pytest.raises(push.Refused, match="服务器拒绝上传"):
        push.apply_batch(db, device_id=device, ops=[forged], user=field)
