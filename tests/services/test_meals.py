"""Meal requests: refused when a rule is broken, approval, urgent verbal approval, bill, month-end list."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest

from app import settings
from app.domain.permissions import DEFAULT_ROLES
from app.errors import UserError, ValidationFailed
from app.services import meals
from app.services.users import PermissionDenied, Principal


def who(role: str, name: str) -> Principal:
    label, perms = DEFAULT_ROLES[role]
    return Principal(None, role, name, role, label, frozenset(perms))


REP, GM, FIN = who("sales_rep", "王丽"), who("marketing_gm", "赵总"), who("finance", "钱会计")
NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)


def form(**over):
    return {"unit": "华盛建筑", "customer_kind": "key", "host_level": "gm", "meal_type": "formal",
            "meal_at": NOW + timedelta(days=2), "per_person": "180", "guests": "4", "hosts": "3",
            "restaurant": "锦江饭店", "purpose": "项目洽谈"} | over


def test_a_request_breaking_the_rules_is_refused_with_each_reason_on_its_field(db):
    with pytest.raises(ValidationFailed) as e:
        meals.request_meal(db, user=REP, values=form(per_person="220", hosts="4"), now=NOW)
    assert e.value.errors["hosts"] == "陪同人数超过规定：客人 4 人时陪同不得超过 3 人"
    assert "不得超过 200 元" in e.value.errors["per_person"]
    assert meals.list_meals(db, user=REP) == []


def test_missing_fields_are_named():
    with pytest.raises(ValidationFailed) as e:
        meals._parse(form(unit="", per_person="abc", meal_at=None))
    assert set(e.value.errors) == {"unit", "per_person", "meal_at"}


def test_the_limit_follows_the_setting(db):
    settings.put(db, "meals.key.gm_max", 250)
    meals.request_meal(db, user=REP, values=form(per_person="220"), now=NOW)
    assert len(meals.list_meals(db, user=REP)) == 1


def test_request_approve_bill_and_settle(db, tmp_path):
    ok = meals.request_meal(db, user=REP, values=form(), now=NOW)
    never = meals.request_meal(db, user=REP, values=form(unit="长安物流"), now=NOW)
    with pytest.raises(PermissionDenied):
        meals.decide(db, user=REP, meal_id=ok, approve=True)
    meals.decide(db, user=GM, meal_id=ok, approve=True, now=NOW)
    with pytest.raises(UserError):
        meals.decide(db, user=GM, meal_id=ok, approve=False, note="重复", now=NOW)
    assert meals.record_bill(db, user=FIN, meal_id=ok, total="1200", drinks="300") == []
    broken = meals.record_bill(db, user=FIN, meal_id=never, total="900", drinks="400")
    assert [b.code for b in broken] == ["drinks"]

    st = meals.settlement(db, user=FIN, year=2026, month=11, now=NOW + timedelta(days=20))
    by_unit = {r.unit: r for r in st.rows}
    assert by_unit["华盛建筑"].reimbursable and by_unit["华盛建筑"].flag == ""
    assert not by_unit["长安物流"].reimbursable
    assert by_unit["长安物流"].flag.startswith("未审批,不予报销")
    assert "酒水饮料水果超过规定" in by_unit["长安物流"].flag
    assert st.total_billed == Decimal("2100.00") and st.total_reimbursed == Decimal("1200.00")
    assert st.refused == 1

    path = tmp_path / "s.xlsx"
    assert meals.export_settlement(db, user=FIN, year=2026, month=11, path=path, now=NOW + timedelta(days=20)) == 2
    cells = [[c for c in row] for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    assert cells[0][0] == "序号"
    assert sorted((r[2], r[11]) for r in cells[1:3]) == [("华盛建筑", "是"), ("长安物流", "不予报销")]
    pdf = tmp_path / "s.pdf"
    meals.export_settlement(db, user=FIN, year=2026, month=11, path=pdf, kind="pdf", now=NOW)
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        meals.export_settlement(db, user=REP, year=2026, month=11, path=path)


def test_urgent_verbal_approval_has_paperwork_due_and_is_flagged_when_late(db):
    with pytest.raises(ValidationFailed) as e:
        meals.request_meal(db, user=REP, values=form(), urgent=True, now=NOW)
    assert "verbal_by" in e.value.errors
    mid = meals.request_meal(db, user=REP, values=form(), urgent=True, verbal_by="赵总", now=NOW)
    row = meals.get_meal(db, user=REP, meal_id=mid)
    assert row.status == "verbal" and row.paperwork_due == NOW + timedelta(days=3)
    late = meals.list_meals(db, user=REP, now=NOW + timedelta(days=3, seconds=1))[0]
    assert late.paperwork_overdue and "补办手续逾期" in late.flag and not late.reimbursable
    assert not meals.list_meals(db, user=REP, now=NOW + timedelta(days=3))[0].paperwork_overdue
    meals.decide(db, user=GM, meal_id=mid, approve=True, note="补办手续")
    assert meals.get_meal(db, user=REP, meal_id=mid).reimbursable


def test_rejection_needs_a_reason_and_is_audited(db):
    mid = meals.request_meal(db, user=REP, values=form(), now=NOW)
    with pytest.raises(ValidationFailed):
        meals.decide(db, user=GM, meal_id=mid, approve=False)
    meals.decide(db, user=GM, meal_id=mid, approve=False, note="费用超预算")
    assert meals.get_meal(db, user=REP, meal_id=mid).flag == "未批准,不予报销"
    with db.read() as s:
        from sqlalchemy import select

        from models import AuditRecord
        actions = [a for (a,) in s.execute(select(AuditRecord.action).where(AuditRecord.entity_id == mid))]
    assert sorted(actions) == ["create", "reject"]


def test_approval_comes_before_the_meal_and_from_someone_else(db):
    with pytest.raises(ValidationFailed) as e:  # asked for after it was eaten, and not as an urgent one
        meals.request_meal(db, user=REP, values=form(meal_at=NOW - timedelta(hours=2)), now=NOW)
    assert "事前申请" in e.value.errors["meal_at"]
    mid = meals.request_meal(db, user=REP, values=form(), now=NOW)
    with pytest.raises(UserError, match="不能补批"):
        meals.decide(db, user=GM, meal_id=mid, approve=True, now=NOW + timedelta(days=3))
    own = meals.request_meal(db, user=GM, values=form(), now=NOW)
    with pytest.raises(UserError, match="自己提出"):
        meals.decide(db, user=GM, meal_id=own, approve=True, now=NOW)
    meals.decide(db, user=GM, meal_id=mid, approve=True, now=NOW)
    assert meals.get_meal(db, user=REP, meal_id=mid).status == "approved"


PASSWORD = "Desk-pass-2026"


def test_two_gms_named_wang_wei_are_two_people_and_a_rename_changes_nothing(db):
    from app.services import users

    users.create_user(db, username="admin", display_name="管理员", role="admin", password=PASSWORD)
    admin = users.authenticate(db, username="admin", password=PASSWORD)
    for login in ("wangwei", "wangwei2"):
        users.create_user(db, username=login, display_name="王伟", role="marketing_gm", password=PASSWORD, by=admin)
    wang_a = users.authenticate(db, username="wangwei", password=PASSWORD)
    wang_b = users.authenticate(db, username="wangwei2", password=PASSWORD)

    mine = meals.request_meal(db, user=wang_a, values=form(), now=NOW)
    with pytest.raises(UserError, match="不能审批自己提出的用餐申请"):
        meals.decide(db, user=wang_a, meal_id=mine, approve=True, now=NOW)
    meals.decide(db, user=wang_b, meal_id=mine, approve=True, now=NOW)  # the other 王伟 may
    row = meals.get_meal(db, user=wang_a, meal_id=mine)
    assert row.status == "approved" and row.requested_by == row.decided_by == "王伟" and row.reimbursable

    again = meals.request_meal(db, user=wang_a, values=form(unit="长安物流"), now=NOW)
    users.update_user(db, user_id=wang_a.user_id, display_name="王伟(营销)", role="marketing_gm",
                      department_id=None, staff_id=None, by=admin)
    renamed = users.authenticate(db, username="wangwei", password=PASSWORD)
    with pytest.raises(UserError, match="不能审批自己提出的用餐申请"):
        meals.decide(db, user=renamed, meal_id=again, approve=True, now=NOW)
    assert meals.get_meal(db, user=renamed, meal_id=again).status == "requested"


def test_a_request_recorded_before_ids_were_kept_is_compared_by_name(db):
    from sqlalchemy import update

    from models import Meal

    mid = meals.request_meal(db, user=REP, values=form(), now=NOW)
    with db.write() as s:  # as migration 0018 leaves the rows written before it
        s.execute(update(Meal).values(requested_by_id=None))
    approver = who("marketing_gm", "王丽")  # REP's name
    with pytest.raises(UserError, match="自己提出"):
        meals.decide(db, user=approver, meal_id=mid, approve=True, now=NOW)
    meals.decide(db, user=GM, meal_id=mid, approve=True, now=NOW)


def test_on_a_desk_set_to_utc_the_month_and_the_printed_times_are_beijing(db, desk_on_utc, tmp_path):
    december = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # 2026-12-01 01:00 in Beijing
    late_nov = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 2026-11-30 23:00 in Beijing
    ids = [meals.request_meal(db, user=REP, values=form(unit=unit, meal_at=at), now=NOW)
           for unit, at in (("十二月客户", december), ("十一月客户", late_nov))]
    for mid in ids:
        meals.decide(db, user=GM, meal_id=mid, approve=True, now=NOW)
        meals.record_bill(db, user=FIN, meal_id=mid, total="700", drinks="100")
    assert [r.unit for r in meals.settlement(db, user=FIN, year=2026, month=12, now=NOW).rows] == ["十二月客户"]
    assert [r.unit for r in meals.settlement(db, user=FIN, year=2026, month=11, now=NOW).rows] == ["十一月客户"]
    path = tmp_path / "december.xlsx"
    meals.export_settlement(db, user=FIN, year=2026, month=12, path=path, now=NOW)
    cells = [row for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    assert [r[1:3] for r in cells if r[2] == "十二月客户"] == [("12-01 01:00", "十二月客户")]

    urgent = meals.request_meal(db, user=REP, values=form(unit="急事"), urgent=True, verbal_by="赵总",
                                now=datetime(2026, 12, 1, 16, 30, tzinfo=UTC))
    assert "2026-12-05 00:30" in meals.get_meal(db, user=REP, meal_id=urgent).flag  # due 3 days later, Beijing


def test_a_bill_over_the_standard_is_not_reimbursed_until_the_gm_approves_the_excess(db):
    mid = meals.request_meal(db, user=REP, values=form(), now=NOW)  # 4 guests + 3 hosts at 180: ≤ 200 a head
    meals.decide(db, user=GM, meal_id=mid, approve=True, now=NOW)
    broken = meals.record_bill(db, user=FIN, meal_id=mid, total="1500", drinks="300")  # 214.29 a head
    assert [b.code for b in broken] == ["bill_per_head"]
    row = meals.get_meal(db, user=FIN, meal_id=mid)
    assert not row.reimbursable and "超标准,未经审批不予报销" in row.flag
    st = meals.settlement(db, user=FIN, year=2026, month=11, now=NOW + timedelta(days=20))
    assert st.total_reimbursed == Decimal("0.00") and st.refused == 1
    with pytest.raises(PermissionDenied):
        meals.approve_excess(db, user=FIN, meal_id=mid, note="同意")
    with pytest.raises(ValidationFailed):
        meals.approve_excess(db, user=GM, meal_id=mid, note=" ")
    meals.approve_excess(db, user=GM, meal_id=mid, note="客户临时增加两道菜,同意按实报销")
    row = meals.get_meal(db, user=FIN, meal_id=mid)
    assert row.reimbursable and row.excess_approved_by == "赵总" and "超标准已由赵总批准" in row.flag
    assert meals.settlement(db, user=FIN, year=2026, month=11).total_reimbursed == Decimal("1500.00")
    # a corrected bill needs its own approval
    meals.record_bill(db, user=FIN, meal_id=mid, total="1600", drinks="300")
    assert not meals.get_meal(db, user=FIN, meal_id=mid).reimbursable
    # within the standard: nothing to approve
    fine = meals.request_meal(db, user=REP, values=form(unit="长安物流"), now=NOW)
    meals.decide(db, user=GM, meal_id=fine, approve=True, now=NOW)
    meals.record_bill(db, user=FIN, meal_id=fine, total="1400", drinks="300")  # exactly 200 a head
    assert meals.get_meal(db, user=FIN, meal_id=fine).reimbursable
    with pytest.raises(UserError, match="没有超标准"):
        meals.approve_excess(db, user=GM, meal_id=fine, note="同意")


def test_five_guests_take_at_most_three_hosts(db):
    with pytest.raises(ValidationFailed) as e:  # 五人以下 includes 5
        meals.request_meal(db, user=REP, values=form(guests="5", hosts="4"), now=NOW)
    assert e.value.errors["hosts"] == "陪同人数超过规定：客人 5 人时陪同不得超过 3 人"
    meals.request_meal(db, user=REP, values=form(guests="6", hosts="5"), now=NOW)
