"""客户进阶 workflow on both databases: file → review → approve → notify, with history and audit."""
from __future__ import annotations

import pytest

from app.errors import UserError, ValidationFailed
from app.services import advancement, audit, customers, staff, users
from app.services.users import PermissionDenied


@pytest.fixture
def office(db):
    dept = staff.add_department(db, name="销售一部")
    rep_staff = staff.add_staff(db, name="王丽", department_id=dept)
    cid = customers.create_customer(db, actor="建档", values={
        "name": "张三贸易有限公司", "status": "potential", "owner_id": rep_staff, "department_id": dept})
    admin = users.system_principal()
    people = {}
    for username, name, role, staff_id in (("rep", "王丽", "sales_rep", rep_staff),
                                           ("sup", "赵主管", "branch_manager", None),
                                           ("mgr", "钱经理", "regional_director", None)):
        users.create_user(db, username=username, display_name=name, role=role, password="pass-2026",
                          staff_id=staff_id or staff.add_staff(db, name=name, department_id=dept),
                          department_id=dept, by=admin)
        people[username] = users.authenticate(db, username=username, password="pass-2026")
    return db, cid, people


def _file(db, cid, rep, step="to_intent"):
    crit = advancement.criteria_for(db, step=step, user=rep)
    return advancement.file_application(db, user=rep, customer_id=cid, step=step, reasons="客户主动来电询价",
                                        criteria_met=crit)


def test_filed_reviewed_approved_notified_and_the_customer_advances(office):
    db, cid, p = office
    app_id = _file(db, cid, p["rep"])
    assert [a.number for a in advancement.list_applications(db, user=p["sup"], scope="todo")] != []
    assert advancement.list_applications(db, user=p["mgr"], scope="todo")[0].state == "submitted"  # may review too
    advancement.review(db, user=p["sup"], application_id=app_id, agree=True, comment="情况属实")
    assert advancement.list_applications(db, user=p["sup"], scope="todo") == []
    advancement.decide(db, user=p["mgr"], application_id=app_id, approve=True, comment="同意")
    assert customers.get_card(db, customer_id=cid).values["status"] == "intent"
    advancement.record_notified(db, user=p["rep"], application_id=app_id, comment="电话通知")

    info = advancement.get_application(db, user=p["rep"], application_id=app_id)
    assert info.state_label == "已通知客户" and info.reviewer == "赵主管" and info.approver == "钱经理"
    assert info.number.startswith("JJ") and len(info.criteria_met) == 3
    assert [e.action for e in info.events] == ["提交申请", "主管审核通过", "经理批准", "已通知客户"]
    assert [e.actor for e in info.events] == ["王丽", "赵主管", "钱经理", "王丽"]
    changed = [h for h in audit.history(db, customer_id=cid, user=None) if h.field == "合作状态"
               or h.old_value == "potential"]
    assert any(h.action == "客户进阶" and h.new_value == "intent" for h in changed)
    # the next step is now open, the old one is not
    assert [s.code for s in advancement.steps_for(db, customer_id=cid, user=p["rep"])] == ["to_deal"]


def test_no_self_review_and_no_approval_out_of_order(office):
    db, cid, p = office
    own = _file(db, cid, p["sup"])
    with pytest.raises(PermissionDenied, match="自己"):
        advancement.review(db, user=p["sup"], application_id=own, agree=True)
    with pytest.raises(PermissionDenied, match="待主管审核"):
        advancement.decide(db, user=p["mgr"], application_id=own, approve=True)
    with pytest.raises(PermissionDenied, match="没有审核"):
        advancement.review(db, user=p["rep"], application_id=own, agree=True)
    # the manager reviews it, and then may not approve it too
    advancement.review(db, user=p["mgr"], application_id=own, agree=True)
    with pytest.raises(PermissionDenied, match="同一人"):
        advancement.decide(db, user=p["mgr"], application_id=own, approve=True)
    assert customers.get_card(db, customer_id=cid).values["status"] == "potential"


def test_sent_back_for_more_then_resubmitted_keeps_the_history(office):
    db, cid, p = office
    app_id = _file(db, cid, p["rep"])
    with pytest.raises(ValidationFailed):
        advancement.review(db, user=p["sup"], application_id=app_id, agree=False)  # a return says why
    advancement.review(db, user=p["sup"], application_id=app_id, agree=True)
    advancement.decide(db, user=p["mgr"], application_id=app_id, approve=False, comment="补充演示记录")
    crit = advancement.criteria_for(db, step="to_intent", user=p["rep"])
    advancement.resubmit(db, user=p["rep"], application_id=app_id, reasons="已参加产品演示", criteria_met=crit)
    info = advancement.get_application(db, user=p["rep"], application_id=app_id)
    assert info.state == "submitted" and info.reviewer == "" and info.reasons == "已参加产品演示"
    assert [e.action for e in info.events] == ["提交申请", "主管审核通过", "经理要求补充", "补充后重新提交"]
    assert info.events[2].comment == "补充演示记录"


def test_an_application_must_match_the_customer_and_meet_the_criteria(office):
    db, cid, p = office
    with pytest.raises(UserError, match="目前不是意向客户"):
        _file(db, cid, p["rep"], step="to_deal")
    with pytest.raises(ValidationFailed) as err:
        advancement.file_application(db, user=p["rep"], customer_id=cid, step="to_intent", reasons="",
                                     criteria_met=[])
    assert set(err.value.errors) == {"reasons", "criteria"}
    _file(db, cid, p["rep"])
    with pytest.raises(UserError, match="未办结"):
        _file(db, cid, p["rep"])


def test_a_lost_customer_records_the_reason_and_withdraws_open_applications(office):
    db, cid, p = office
    app_id = _file(db, cid, p["rep"])
    with pytest.raises(ValidationFailed):
        advancement.mark_lost(db, user=p["rep"], customer_id=cid, reason=" ")
    advancement.mark_lost(db, user=p["rep"], customer_id=cid, reason="被竞争对手低价抢走")
    card = customers.get_card(db, customer_id=cid)
    assert card.values["status"] == "lost" and card.values["lost_reason"] == "被竞争对手低价抢走"
    assert advancement.get_application(db, user=p["rep"], application_id=app_id).state == "withdrawn"
    assert advancement.steps_for(db, customer_id=cid, user=p["rep"]) == []


def test_demo_applications_wait_at_each_desk_and_can_be_processed(sqlite_db):
    from datetime import date

    from app.services import demo

    counts = demo.generate(sqlite_db, customers=600, seed=2, today=date(2026, 11, 29))
    assert counts["进阶申请"] == 6 and counts["关系评估"] == 8 and counts["客户对策"] == 4
    again = demo.generate(sqlite_db, customers=5, seed=2, today=date(2026, 11, 29))
    assert again["进阶申请"] == 0  # once per database
    manager = users.authenticate(sqlite_db, username="manager", password=_demo_password())
    director = users.authenticate(sqlite_db, username="director", password=_demo_password())
    waiting = advancement.list_applications(sqlite_db, user=manager, scope="todo")
    assert {a.state for a in waiting} == {"submitted"} and len(waiting) == 3
    ready = [a for a in advancement.list_applications(sqlite_db, user=director, scope="todo")
             if a.state == "reviewed"]
    assert len(ready) == 2
    advancement.decide(sqlite_db, user=director, application_id=ready[0].id, approve=True)
    info = advancement.get_application(sqlite_db, user=director, application_id=ready[0].id)
    assert info.state == "approved" and [e.action for e in info.events][-1] == "经理批准"


def _demo_password() -> str:
    from app.services import demo_users

    return demo_users.DEMO_PASSWORD


def test_two_managers_approving_at_once_advance_the_customer_once(office):
    import threading

    db, cid, p = office
    users.create_user(db, username="gm", display_name="孙总", role="marketing_gm", password="pass-2026",
                      by=users.system_principal())
    gm = users.authenticate(db, username="gm", password="pass-2026")
    app_id = _file(db, cid, p["rep"])
    advancement.review(db, user=p["sup"], application_id=app_id, agree=True)
    results, start = [], threading.Barrier(2)

    def approve(who):
        start.wait()
        try:
            advancement.decide(db, user=who, application_id=app_id, approve=True)
            results.append("ok")
        except UserError as exc:
            results.append(exc.message)

    threads = [threading.Thread(target=approve, args=(u,)) for u in (p["mgr"], gm)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1 and any("已批准" in r for r in results)
    history = advancement.get_application(db, user=p["mgr"], application_id=app_id).events
    assert [e.action for e in history].count("经理批准") == 1
    advances = [h for h in audit.history(db, customer_id=cid, user=None) if h.new_value == "intent"]
    assert len(advances) == 1
