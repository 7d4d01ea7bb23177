"""The visit calendar's services: plans with warnings, who sees and arranges what, filing a report (plan
done, archive contact, follow-ups, history), the side lists and the .ics export."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from app.domain.permissions import DEFAULT_ROLES
from app.errors import ValidationFailed
from app.services import (
    archive,
    audit,
    customers,
    key_persons,
    staff,
    visit_ics,
    visit_lists,
    visit_records,
    visits,
)
from app.services.users import PermissionDenied, Principal
from app.services.visit_records import Promise

MONDAY = datetime(2026, 11, 23, 9, 0)  # local (Asia/Shanghai)


def _as(role: str, staff_id, dept) -> Principal:
    name, perms = DEFAULT_ROLES[role]
    return Principal(uuid.uuid4(), role, role, role, name, frozenset(perms), staff_id, dept)


@pytest.fixture
def org(db):
    one = staff.add_department(db, name="销售一部")
    two = staff.add_department(db, name="销售二部")
    wang = staff.add_staff(db, name="王丽", department_id=one)
    li = staff.add_staff(db, name="李强", department_id=one)
    zhao = staff.add_staff(db, name="赵敏", department_id=two)
    mk = lambda name, owner, dept, **kw: customers.create_customer(db, actor="建档", values={  # noqa: E731
        "name": name, "status": "deal", "owner_id": owner, "department_id": dept, "region": "华北", **kw})
    return {
        "db": db, "one": one, "two": two, "wang": wang, "li": li, "zhao": zhao,
        "zs": mk("张三贸易有限公司", wang, one, grade="A", unsuitable_visit_times="周一上午、12:00-14:00"),
        "ca": mk("重庆长安物流有限公司", li, one, grade="B", confidentiality="personal", region="西南"),
        "hs": mk("北京华盛建筑工程有限公司", zhao, two, grade="A"),
        "rep": _as("sales_rep", wang, one), "rep2": _as("sales_rep", zhao, two),
        "boss": _as("branch_manager", None, one),
    }


def _plan(o, user, customer, staff_id, start=MONDAY, minutes=60, **kw):
    return visits.create_plan(o["db"], user=user, actor="王丽", values={
        "customer_id": customer, "staff_id": staff_id, "starts_at": start,
        "ends_at": start + timedelta(minutes=minutes), "purpose": "季度回访", **kw})


def test_a_plan_in_unsuitable_times_is_saved_with_a_warning_and_moving_it_clears_it(org):
    o = org
    made = _plan(o, o["rep"], o["zs"], o["wang"])
    assert made.warnings == ["“张三贸易有限公司”不宜拜访时间:周一上午"]
    moved = visits.move_plan(o["db"], user=o["rep"], actor="王丽", plan_id=made.id,
                             starts_at=datetime(2026, 11, 24, 15, 0), expected_version=made.version)
    assert moved.warnings == [] and moved.version == made.version + 1
    row = visits.get_plan(o["db"], user=o["rep"], plan_id=made.id)
    assert (row.starts_at.hour, row.ends_at.hour, row.starts_at.utcoffset()) == (15, 16, timedelta(hours=8))
    history = audit.history(o["db"], customer_id=o["zs"], user=None)
    assert (history[0].entity, history[0].field, history[0].old_value, history[0].new_value) == (
        "拜访计划", "starts_at", "2026-11-23 09:00", "2026-11-24 15:00")
    clash = _plan(o, o["rep"], o["zs"], o["wang"], start=datetime(2026, 11, 24, 15, 30))
    assert clash.warnings == ["与同一人员 11-24 15:00 的另一拜访计划时间重叠"]
    national = _plan(o, o["rep"], o["zs"], o["wang"], start=datetime(2026, 10, 1, 10, 0))
    assert national.warnings == ["2026-10-01 是节日(国庆节)"]


def test_plans_are_checked_in_place_and_a_rep_plans_only_for_themselves(org):
    o = org
    with pytest.raises(ValidationFailed) as bad:
        _plan(o, o["rep"], None, o["wang"], minutes=0)
    assert bad.value.errors == {"customer_id": "请选择客户", "ends_at": "结束时间应晚于开始时间"}
    with pytest.raises(PermissionDenied, match="只能安排"):
        _plan(o, o["rep"], o["zs"], o["li"])
    with pytest.raises(PermissionDenied, match="保密"):  # 长安 is 李强's personal archive
        _plan(o, o["rep"], o["ca"], o["wang"])
    assert _plan(o, o["boss"], o["ca"], o["li"]).warnings == []  # the manager arranges for his reps


def test_who_sees_which_plans_and_a_hidden_customer_is_not_named(org):
    o = org
    _plan(o, None, o["zs"], o["wang"])
    _plan(o, None, o["ca"], o["li"], start=MONDAY + timedelta(hours=3))
    _plan(o, None, o["hs"], o["zhao"], start=MONDAY + timedelta(hours=5))
    week = lambda user, **kw: [(p.staff_name, p.customer_name) for p in visits.list_plans(  # noqa: E731
        o["db"], user=user, start=date(2026, 11, 23), end=date(2026, 11, 29), **kw)]
    assert week(o["rep"]) == [("王丽", "张三贸易有限公司"), ("李强", visits.HIDDEN_NAME)]
    assert week(o["rep2"]) == [("赵敏", "北京华盛建筑工程有限公司")]
    # the manager sees every rep's plans, but another department's archive stays hidden
    assert week(o["boss"]) == [("王丽", "张三贸易有限公司"), ("李强", "重庆长安物流有限公司"),
                               ("赵敏", visits.HIDDEN_NAME)]
    assert week(o["boss"], department_id=o["two"]) == [("赵敏", visits.HIDDEN_NAME)]
    assert week(o["boss"], region="西南") == [("李强", "重庆长安物流有限公司")]
    assert week(o["boss"], staff_id=o["wang"]) == [("王丽", "张三贸易有限公司")]
    front = _as("front_desk", None, None)
    with pytest.raises(PermissionDenied):
        week(front)


def test_filing_a_report_marks_the_plan_done_files_the_contact_and_opens_follow_ups(org):
    o = org
    db = o["db"]
    kp = key_persons.add_person(db, actor="王丽", customer_id=o["zs"], values={"name": "张伟", "position": "总经理"},
                                user=None)
    made = _plan(o, o["rep"], o["zs"], o["wang"])
    with pytest.raises(ValidationFailed) as bad:
        visit_records.file_record(db, user=o["rep"], actor="王丽", plan_id=made.id, values={
            "visited_on": "2026-11-23", "notes": "", "growth_rate": "十二"},
            promises=[Promise("寄送报价单", "")])
    assert bad.value.errors == {"growth_rate": "请填写数字,例如 12.5(%)", "person_met": "请填写会见的人(或选择关键人)",
                                "notes": "请填写拜访情况或客户需求", "promise_0": "请填写“寄送报价单”的完成日期"}
    rid = visit_records.file_record(db, user=o["rep"], actor="王丽", plan_id=made.id, values={
        "visited_on": "2026-11-23", "key_person_id": kp, "needs": "明年扩建仓库", "competitors": "某物流报价低5%",
        "growth_rate": "12.5", "profit_margin": "8", "notes": "客户满意"},
        promises=[Promise("寄送报价单", "2026-11-25"), Promise("安排参观工厂", "2026-12-10")])
    assert rid
    assert visits.get_plan(db, user=o["rep"], plan_id=made.id).status == "done"
    contact = archive.entries(db, customer_id=o["zs"], user=o["rep"], section="contact")
    assert [(e.kind, e.entry_date, e.subject) for e in contact] == [("visit", date(2026, 11, 23), "拜访:会见张伟(总经理)")]
    assert "客户需求:明年扩建仓库" in contact[0].content and "增长率 12.50%" in contact[0].content
    tasks = visit_records.follow_ups(db, user=o["rep"], today=date(2026, 12, 1))
    assert [(t.text, t.due_on, t.overdue, t.owner_name) for t in tasks] == [
        ("寄送报价单", date(2026, 11, 25), True, "王丽"), ("安排参观工厂", date(2026, 12, 10), False, "王丽")]
    assert visit_records.follow_ups(db, user=o["rep2"]) == []  # another department
    visit_records.complete_follow_up(db, user=o["rep"], actor="王丽", follow_up_id=tasks[0].id)
    assert [t.text for t in visit_records.follow_ups(db, user=o["rep"])] == ["安排参观工厂"]
    with pytest.raises(ValidationFailed, match="已由王丽完成"):
        visit_records.complete_follow_up(db, user=o["rep"], actor="王丽", follow_up_id=tasks[0].id)
    with pytest.raises(ValidationFailed, match="已完成"):
        visit_records.file_record(db, user=o["rep"], actor="王丽", plan_id=made.id, values={
            "visited_on": "2026-11-23", "person_met": "前台", "notes": "再来一次"})
    with pytest.raises(ValidationFailed, match="不能再修改"):
        visits.move_plan(db, user=o["rep"], actor="王丽", plan_id=made.id, starts_at=MONDAY)
    entities = {h.entity for h in audit.history(db, customer_id=o["zs"], user=None)}
    assert {"拜访计划", "拜访记录", "跟进事项", "档案记录"} <= entities


def test_a_cancelled_plan_leaves_the_calendar_but_not_the_export(org):
    o = org
    made = _plan(o, o["rep"], o["zs"], o["wang"], start=datetime(2026, 11, 24, 10, 0), place="客户总部")
    other = _plan(o, o["rep"], o["zs"], o["wang"], start=datetime(2026, 11, 25, 10, 0))
    visits.cancel_plan(o["db"], user=o["rep"], actor="王丽", plan_id=other.id, reason="客户出差")
    assert [p.id for p in visits.list_plans(o["db"], user=o["rep"], start=date(2026, 11, 1),
                                            end=date(2026, 11, 30))] == [made.id]
    data = visit_ics.export_ics(o["db"], user=o["rep"], start=date(2026, 11, 1), end=date(2026, 11, 30),
                                staff_id=o["wang"])
    cal = Calendar.from_ical(data)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    first = events[f"{made.id}@kedesk"]
    assert first["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert first.decoded("dtstart").isoformat() == "2026-11-24T10:00:00+08:00"
    assert str(first["location"]) == "客户总部" and "张三贸易有限公司" in str(first["summary"])
    assert str(events[f"{other.id}@kedesk"]["status"]) == "CANCELLED"
    assert [str(t["tzid"]) for t in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert b"DTSTART;TZID=Asia/Shanghai:20261124T100000" in data
    with o["db"].read() as s:  # the file names customers: logged like every export
        from sqlalchemy import select

        from models import ReadLog
        notes = list(s.scalars(select(ReadLog.note).where(ReadLog.action == "export")))
    assert any("拜访日历 2026-11-01–2026-11-30(.ics)" in n for n in notes)


def test_overdue_rotation_and_greetings(org):
    o = org
    db = o["db"]
    today = date(2026, 11, 29)
    archive.add_entry(db, actor="王丽", customer_id=o["zs"], user=None, values={
        "section": "contact", "kind": "call", "entry_date": date(2026, 8, 1), "subject": "电话回访"})
    archive.add_entry(db, actor="赵敏", customer_id=o["hs"], user=None, values={
        "section": "contact", "kind": "visit", "entry_date": date(2026, 10, 20), "subject": "拜访"})
    due = visit_lists.overdue_list(db, user=o["boss"], today=today)
    assert [(d.name, d.last_contact, d.days_overdue) for d in due] == [
        ("重庆长安物流有限公司", None, None), ("张三贸易有限公司", date(2026, 8, 1), 30)]
    assert [d.name for d in visit_lists.overdue_list(db, user=o["rep"], today=today)] == ["张三贸易有限公司"]
    assert [d.name for d in visit_lists.rotation_list(db, user=o["boss"], today=today)] == [
        "重庆长安物流有限公司", "张三贸易有限公司"]
    key_persons.add_person(db, actor="王丽", customer_id=o["zs"], user=None,
                           values={"name": "张伟", "position": "总经理", "birthday": date(1976, 12, 3)})
    key_persons.add_person(db, actor="李强", customer_id=o["ca"], user=None,
                           values={"name": "陈静", "birthday": date(1980, 12, 1)})
    rows = visit_lists.greetings(db, user=o["rep"], today=today)
    assert [(g.when, g.kind, g.title) for g in rows] == [
        (date(2026, 12, 3), "birthday", "张伟(总经理) 50岁生日 · 张三贸易有限公司"),
        (date(2026, 12, 7), "report", "月度市场报告截止")]  # 陈静 belongs to a personal archive of 李强
    assert not rows[0].done
    visit_lists.record_greeting(db, user=o["rep"], actor="王丽", row=rows[0], note="电话祝福,寄贺卡", on=today)
    again = visit_lists.greetings(db, user=o["rep"], today=today)
    assert again[0].done and not again[1].done
    contact = archive.entries(db, customer_id=o["zs"], user=o["rep"], section="contact")
    assert contact[-1].subject == "问候:张伟(总经理) 50岁生日" and contact[-1].content == "电话祝福,寄贺卡"


def test_the_visit_forms_list_the_plans_and_the_filed_reports_in_the_regulations_columns(org):
    from app.services import visit_forms

    o = org
    db = o["db"]
    made = _plan(o, o["rep"], o["zs"], o["wang"])
    _plan(o, None, o["ca"], o["li"], start=MONDAY + timedelta(hours=3))  # 李强's personal archive
    visit_records.file_record(db, user=o["rep"], actor="王丽", plan_id=made.id, values={
        "visited_on": "2026-11-23", "person_met": "张伟", "needs": "明年扩建仓库", "growth_rate": "12.5",
        "profit_margin": "8", "credit_changes": "按时回款", "notes": "客户满意"})
    week = {"start": date(2026, 11, 23), "end": date(2026, 11, 29)}
    (record,) = visit_forms.record_lines(db, user=o["rep"], **week)
    assert (record.customer, record.person, record.growth, record.margin, record.credit) == (
        "张三贸易有限公司", "张伟", "12.50%", "8.00%", "按时回款")
    assert record.notes == "客户满意;需求:明年扩建仓库"
    assert visit_forms.record_lines(db, user=o["rep2"], **week) == []  # another department's archive
    plans = visit_forms.plan_lines(db, user=o["rep"], **week)
    assert [(p.customer, p.staff) for p in plans] == [("张三贸易有限公司", "王丽"), (visits.HIDDEN_NAME, "李强")]
    assert plans[1].address == ""  # a hidden archive's address is not printed
    schedule = visit_forms.schedule_lines(db, user=o["rep"], **week)
    assert schedule[0].note.startswith("已拜访")
