"""台帐, 选房明细表 and their exports, 每日对账 and 逾期名单 from the issued documents."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.errors import ValidationFailed
from app.services import access
from app.services import selection as sel
from app.services.selection import deadlines, rename, reports
from app.services.users import PermissionDenied
from models import Buyer
from tests.services.selection.conftest import person

DAY = datetime(2026, 5, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a morning at the desk (visits.timezone)
VIEWER = person("审计小张", "selection.view")


def desk_day(db, e):
    """Two tickets on DAY: 张伟 pays in full (deposit + payment), 王芳 only the deposit; 李娜's is cancelled."""
    t1 = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                          payment_ratio=Decimal("0.5"), now=DAY)
    sel.record_receipt(db, user=e.cashier, ticket_id=t1.id, amount=Decimal("20000"), purpose="deposit",
                       method="现金", now=DAY)
    sel.record_receipt(db, user=e.cashier, ticket_id=t1.id, amount=Decimal(t1.content["amount_now"]) - 20000,
                       purpose="payment", now=DAY)
    t2 = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[1], flat_id=e.flats[1],
                          payment_ratio=Decimal("0.5"), now=DAY)
    sel.record_receipt(db, user=e.cashier, ticket_id=t2.id, amount=Decimal("20000"), purpose="deposit",
                       method="刷卡", now=DAY)
    t3 = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[2], flat_id=e.flats[2],
                          payment_ratio=Decimal("0.5"), now=DAY)
    sel.reverse(db, user=e.site_lead, document_id=t3.id, reason="客户放弃", now=DAY)
    return t1, t2, t3


def test_ledger_and_selection_list(db, event):
    e = event
    t1, t2, t3 = desk_day(db, e)
    sel.issue_certificate(db, user=e.desk, reviewer=e.finance, ticket_id=t1.id, now=DAY)
    rows = reports.ledger(db, user=VIEWER, commission_id=e.commission_id)
    assert [r.kind for r in rows].count("选房工作票") == 4 and [r.kind for r in rows].count("收据") == 3
    red = next(r for r in rows if r.reversal_of == t3.number)
    assert red.amount == -t3.amount and red.buyer_name == "李娜"
    assert next(r for r in rows if r.kind == "收据").purpose == "封户费(现金)"
    listed = reports.selection_list(db, user=VIEWER, commission_id=e.commission_id)
    assert [r.buyer_name for r in listed] == ["张伟", "王芳"]  # the cancelled ticket is not on the list
    assert listed[0].paid == Decimal(t1.content["amount_now"]) and "-PZ-" in listed[0].certificate_number
    assert listed[1].paid == Decimal("20000.00") and listed[1].certificate_number == ""
    assert listed[0].id_masked.count("*") == 8
    with pytest.raises(PermissionDenied, match="没有查看选房台帐的权限"):
        reports.ledger(db, user=person("前台小李", "customer.list"), commission_id=e.commission_id)


def test_exports_are_written_and_logged(db, event, tmp_path):
    e = event
    desk_day(db, e)
    n = reports.export(db, user=e.lead, commission_id=e.commission_id, what="selection", path=tmp_path / "明细.xlsx")
    ws = load_workbook(tmp_path / "明细.xlsx").active
    assert n == 2 and ws["A1"].value == "选房明细表" and ws["B4"].value == "张伟"
    reports.export(db, user=e.lead, commission_id=e.commission_id, what="ledger", path=tmp_path / "台帐.pdf")
    assert (tmp_path / "台帐.pdf").read_bytes().startswith(b"%PDF")
    notes = [r.note for r in access.read_log(db, user=access_reader(), flt=None) if r.action == "export"]
    assert any("导出选房明细表(市第一人民医院)2 行" in x for x in notes) and any("票据台帐" in x for x in notes)
    with pytest.raises(ValidationFailed):
        reports.export(db, user=e.lead, commission_id=e.commission_id, what="ledger", path=tmp_path / "x.doc")


def access_reader():
    return person("审计小王", "readlog.view")


def test_daily_reconciliation(db, event):
    e = event
    t1, t2, _ = desk_day(db, e)
    r = reports.daily_reconciliation(db, user=VIEWER, commission_id=e.commission_id, day=DAY.date())
    assert r.by_method == {"现金": Decimal("20000.00"), "转账": Decimal(t1.content["amount_now"]) - 20000,
                           "刷卡": Decimal("20000.00")}
    assert r.due == Decimal(t1.content["amount_now"]) + Decimal(t2.content["amount_now"])  # not the cancelled one
    assert [(d.ticket_number, d.note) for d in r.differences] == [(t2.number, "少收")]
    nothing = reports.daily_reconciliation(db, user=VIEWER, commission_id=e.commission_id,
                                           day=(DAY + timedelta(days=1)).date())
    assert nothing.received == 0 and nothing.differences == ()


def test_rename_transfers_show_in_the_ledger(db, event):
    e = event
    t1, _, _ = desk_day(db, e)
    rename.rename(db, user=e.site_lead, ticket_id=t1.id, new_id_number=e.ids[3], reason="调整", now=DAY)
    rows = [r for r in reports.ledger(db, user=e.lead, commission_id=e.commission_id) if "更名结转" in r.purpose]
    assert sorted(r.amount for r in rows) == [-Decimal(t1.content["amount_now"]), Decimal(t1.content["amount_now"])]
    r = reports.daily_reconciliation(db, user=VIEWER, commission_id=e.commission_id, day=DAY.date())
    assert r.by_method["结转"] == 0


def test_deadlines_and_who_is_late(db, event):
    e = event
    t1, t2, _ = desk_day(db, e)
    with db.write() as s:  # 李娜 was called to the desk and left
        s.execute(Buyer.__table__.update().where(Buyer.id_number == e.ids[2]).values(called_at=DAY))
    choose, pay = datetime(2026, 5, 10, 17, tzinfo=UTC), datetime(2026, 5, 20, 17, tzinfo=UTC)
    with pytest.raises(ValidationFailed) as err:
        deadlines.set_deadlines(db, user=e.lead, commission_id=e.commission_id, choose_deadline=pay,
                                pay_deadline=choose)
    assert "不能早于" in err.value.errors["pay_deadline"]
    with pytest.raises(PermissionDenied):
        deadlines.set_deadlines(db, user=e.desk, commission_id=e.commission_id, choose_deadline=choose,
                                pay_deadline=pay)
    deadlines.set_deadlines(db, user=e.lead, commission_id=e.commission_id, choose_deadline=choose,
                            pay_deadline=pay)
    assert deadlines.deadlines(db, user=VIEWER, commission_id=e.commission_id).pay_deadline == pay
    assert deadlines.late_list(db, user=VIEWER, commission_id=e.commission_id, now=choose - timedelta(hours=1)) == []
    after_choose = deadlines.late_list(db, user=VIEWER, commission_id=e.commission_id, now=choose + timedelta(1))
    assert {(x.name, x.detail[:6]) for x in after_choose} == {("李娜", "已叫号未选房"), ("刘洋", "未到场/未叫")}
    after_pay = deadlines.late_list(db, user=VIEWER, commission_id=e.commission_id, now=pay + timedelta(1))
    owing = [x for x in after_pay if x.what == "逾期未交足房款"]
    assert [(x.reference, x.short) for x in owing] == [(t2.number, Decimal(t2.content["amount_now"]) - 20000)]
    with db.read() as s:
        assert s.scalar(select(Buyer.called_at).where(Buyer.id_number == e.ids[2])) is not None


def test_a_desk_pc_on_utc_numbers_and_reconciles_by_the_business_day(db, event, desk_on_utc):
    """00:30 on 1 January in Beijing is still 31 December on a PC left on UTC: the ticket is the new
    year's first, and it is in 1 January's reconciliation."""
    e = event
    at = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    t = sel.issue_ticket(db, user=e.desk, commission_id=e.commission_id, id_number=e.ids[0], flat_id=e.flats[0],
                         payment_ratio=Decimal("0.5"), now=at)
    assert "2027" in t.number and "2026" not in t.number
    day = reports.daily_reconciliation(db, user=VIEWER, commission_id=e.commission_id,
                                       day=datetime(2027, 1, 1).date())
    assert day.due == Decimal(t.content["amount_now"])
