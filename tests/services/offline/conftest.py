"""A central database (SQLite and PostgreSQL through `db`), a field user, and laptops checked out to them."""
from __future__ import annotations

import pytest

from app.services import customers, users
from app.services.offline import checkout

PASSWORD = "Field-pass-2026"


@pytest.fixture
def field(db):
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin-pass-2026")
    admin = users.authenticate(db, username="admin", password="Admin-pass-2026")
    users.create_user(db, username="zhang", display_name="张经理", role="marketing_gm", password=PASSWORD, by=admin)
    return users.authenticate(db, username="zhang", password=PASSWORD)


@pytest.fixture
def laptops(db, field, tmp_path):
    opened = []

    def make(name: str = "笔记本1", *, user=None, password: str = PASSWORD):
        path = tmp_path / f"{name}.kedesk"
        checkout.checkout(db, path=path, password=password, device_name=name, user=user or field)
        laptop = checkout.open_replica(path, password)
        opened.append(laptop)
        return laptop

    yield make
    for laptop in opened:
        laptop.dispose()


def new_customer(db, name: str, **values):
    return customers.create_customer(db, actor="中心", values={"name": name, "phone": "", **values})
