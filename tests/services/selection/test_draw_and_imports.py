"""The notarised draw stored and re-verified, pricing by rules, and Excel imports of stock and buyers."""
from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import update

from app.domain.pricing import FloorRule, PriceRules
from app.services import selection as sel
from app.services.selection import buyers, draw, grid, imports, stock
from models import Buyer
from tests.services.selection.conftest import make_event


def test_the_draw_is_stored_once_and_verifies(db, event):
    e = event
    done = draw.run_draw(db, user=e.lead, commission_id=e.commission_id, seed=" 07 23 41　18 ", notary="公证员甲")
    assert done.seed == "07 23 41 18" and len(done.list_hash) == 64
    assert sorted(o for o, _n, _i in done.rows) == [1, 2, 3, 4]
    assert all("*" in masked for _o, _n, masked in done.rows)
    assert draw.verify_draw(db, commission_id=e.commission_id).ok
    with pytest.raises(sel.RuleBroken, match="不能重抽"):
        draw.run_draw(db, user=e.lead, commission_id=e.commission_id, seed="1")
    with db.write() as s:  # someone edits a name on the list after the draw
        s.execute(update(Buyer).where(Buyer.name == "李娜").values(name="李娜娜"))
    check = draw.verify_draw(db, commission_id=e.commission_id)
    assert not check.ok and "名单在机选后被改动" in check.message


def test_draw_waits_for_the_eligibility_review(db):
    e = make_event(db)
    buyers.add_buyers(db, user=e.lead, commission_id=e.commission_id,
                      rows=[buyers.BuyerRow(9, "陈静", "110101199003071233")])
    with pytest.raises(sel.RuleBroken, match="陈静"):
        draw.run_draw(db, user=e.lead, commission_id=e.commission_id, seed="123")


def test_prices_by_rules_average_back_to_the_approved_price(db, event):
    e = event
    rules = PriceRules(average=Decimal("6000"), floors=FloorRule(base_floor=2, step=Decimal("40")))
    average = stock.price_by_rules(db, user=e.lead, commission_id=e.commission_id, rules=rules)
    assert abs(average - Decimal("6000")) <= 1
    cells = grid.sales_control(db, user=e.lead, project_id=e.project_id, commission_id=e.commission_id)
    by_floor = {c.floor: c.price_per_m2 for c in cells}
    assert by_floor[7] - by_floor[2] == 200  # 5 floors × 40 元
    with pytest.raises(sel.RuleBroken, match="缺少:营销总监"):  # a new price needs new signatures
        sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"))


def _sheet(path, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_stock_and_buyer_lists_import_all_or_nothing_with_audit_flags(db, event, tmp_path):
    e = event
    bad = _sheet(tmp_path / "bad.xlsx", ["楼号", "单元", "楼层", "房号", "建筑面积", "户型"],
                 [["5号楼", "1", 3, "301", "89.5", "两室"], ["5号楼", "1", "三楼", "302", "89.5", "两室"]])
    with pytest.raises(imports.ImportRefused, match="第 3 行"):
        imports.import_stock(db, user=e.lead, project_id=e.project_id, path=bad)
    assert stock.count_flats(db, project_id=e.project_id) == 12  # nothing went in
    good = _sheet(tmp_path / "good.xlsx", ["楼号", "单元", "楼层", "房号", "建筑面积", "户型"],
                  [["5号楼", "1", 3, "301", "89.5", "两室"], ["5号楼", "1", 3, "302", "89.5", "两室"]])
    assert imports.import_stock(db, user=e.lead, project_id=e.project_id, path=good) == 2

    other = stock.create_commission(db, user=e.lead, project_id=e.project_id, name="市税务局")
    listed = _sheet(tmp_path / "buyers.xlsx", ["序号", "姓名", "身份证号"],
                    [[1, "张伟", e.ids[0]], [2, "孙丽", "110101199003071233"]])
    assert imports.import_buyers(db, user=e.lead, commission_id=other, path=listed) == 2
    flagged = {b.name: b.audit_flag for b in buyers.buyers_of(db, commission_id=other)}
    assert "同时出现在 2 个单位的名单中" in flagged["张伟"] and flagged["孙丽"] == ""


def test_a_person_twice_in_the_file_or_already_listed_is_refused_by_row(db, event, tmp_path):
    e = event
    twice = _sheet(tmp_path / "twice.xlsx", ["序号", "姓名", "身份证号"],
                   [[11, "孙丽", "110101199003071233"], [12, "孙丽", "110101199003071233"]])
    with pytest.raises(imports.ImportRefused, match="第 3 行:身份证号与第 2 行重复"):
        imports.import_buyers(db, user=e.lead, commission_id=e.commission_id, path=twice)
    again = _sheet(tmp_path / "again.xlsx", ["序号", "姓名", "身份证号"], [[13, "张伟", e.ids[0]]])
    with pytest.raises(imports.ImportRefused, match=r"已在本单位名单中\(序号 1\)"):
        imports.import_buyers(db, user=e.lead, commission_id=e.commission_id, path=again)
    assert len(buyers.buyers_of(db, commission_id=e.commission_id)) == 4
