"""The set-up window's reads and checks: clashes refused in Chinese, signatures read back, verify-draw CLI."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app.cli import EXIT_OK, EXIT_USER, main
from app.errors import ValidationFailed
from app.services.selection import approvals, catalog, draw, stock
from tests.services.selection.conftest import make_event, person


def test_a_taken_project_code_or_unit_name_is_refused_field_by_field(db, event):
    e = event
    with pytest.raises(ValidationFailed) as caught:
        catalog.new_project(db, user=e.lead, code="jy", name="金苑小区JY")
    assert "JY 已被使用" in caught.value.errors["code"] and "已有名为" in caught.value.errors["name"]
    with pytest.raises(ValidationFailed) as caught:
        catalog.new_commission(db, user=e.lead, project_id=e.project_id, name="市第一人民医院", customer_id=None,
                               min_payment_ratio=Decimal("1.5"), deposit_amount=Decimal("0"))
    assert set(caught.value.errors) == {"name", "ratio"}
    other = catalog.new_commission(db, user=e.lead, project_id=e.project_id, name="市税务局", customer_id=None,
                                   min_payment_ratio=Decimal("0.3"), deposit_amount=Decimal("10000"))
    units = {c.name: c for c in catalog.commissions(db, project_id=e.project_id)}
    assert units["市第一人民医院"].released == 12 and units["市税务局"].id == other


def test_flats_per_building_and_the_price_list_average(db, event):
    e = event
    assert catalog.building_counts(db, project_id=e.project_id) == [("1号楼", 6, 0), ("2号楼", 6, 0)]
    listed = catalog.flats(db, project_id=e.project_id, commission_id=e.commission_id)
    assert len(listed) == 12 and all(f.commission == "市第一人民医院" for f in listed)
    assert catalog.list_average(listed) == Decimal("6010.00")  # 5900 … 6120 over equal areas


def test_signatures_read_back_in_chain_order_and_restart_with_a_new_price(db, event):
    e = event
    done = approvals.state(db, commission_id=e.commission_id)
    assert done.complete and [s.approver for s in done.signatures][:2] == ["赵营销", "钱财务"]
    stock.set_prices(db, user=e.lead, commission_id=e.commission_id, average_price=Decimal("6100"), prices={})
    again = approvals.state(db, commission_id=e.commission_id)
    assert again.next_step == 1 and not again.complete and again.average_price == Decimal("6100")


def test_a_unit_without_the_stock_permission_cannot_be_created(db, event):
    clerk = person("前台小王", "selection.view")
    with pytest.raises(Exception, match="没有登记委建房单位的权限"):
        catalog.new_commission(db, user=clerk, project_id=event.project_id, name="某局", customer_id=None,
                               min_payment_ratio=Decimal("0.5"), deposit_amount=Decimal("0"))


def test_verify_draw_command_exits_0_when_the_order_is_proved(sqlite_db, capsys):
    e = make_event(sqlite_db)
    assert main(["--db", sqlite_db.url, "verify-draw", "市第一人民医院"]) == EXIT_USER
    assert "尚未机选" in capsys.readouterr().err
    draw.run_draw(sqlite_db, user=e.lead, commission_id=e.commission_id, seed="18 07 33")
    assert main(["--db", sqlite_db.url, "verify-draw", "市第一人民医院"]) == EXIT_OK
    assert "核验通过" in capsys.readouterr().out
    assert main(["--db", sqlite_db.url, "verify-draw", "不存在的单位"]) == EXIT_USER
    assert "找不到委建房单位" in capsys.readouterr().err
