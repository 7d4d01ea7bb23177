"""Important new customers get two or more of our staff in contact (两个以上人员联系): the rule, the
assignments with their checks and history, and the list of important customers short of contacts."""
import pytest
from sqlalchemy import update

from app import settings
from app.domain.contacts import contacts_short, importance_reasons
from app.errors import ValidationFailed
from app.services import audit, customer_contacts, customer_search, customers, staff, users
from app.services.customer_search import CustomerFilter
from app.services.users import PermissionDenied
from models import Staff

RULES = {"important.grade_a": 1, "important.large_size": 1}


@pytest.mark.parametrize("important, assigned, minimum, short", [
    (True, 1, 2, 1), (True, 0, 2, 2), (True, 2, 2, 0), (True, 3, 2, 0), (False, 0, 2, 0), (True, 1, 3, 2),
    (True, -1, 2, 2),
])
def test_contacts_short_counts_only_what_an_important_customer_lacks(important, assigned, minimum, short):
    assert contacts_short(important, assigned, minimum) == short


def test_a_customer_is_important_by_hand_by_grade_a_or_by_size_but_never_once_lost():
    assert importance_reasons(flagged=True, grade="", size="", status="potential", rules=RULES) == ("flag",)
    assert importance_reasons(flagged=False, grade="A", size="large", status="deal", rules=RULES) == ("grade", "size")
    assert importance_reasons(flagged=False, grade="B", size="medium", status="intent", rules=RULES) == ()
    assert importance_reasons(flagged=True, grade="A", size="large", status="lost", rules=RULES) == ()
    off = {"important.grade_a": 0, "important.large_size": 0}
    assert importance_reasons(flagged=False, grade="A", size="large", status="deal", rules=off) == ()


@pytest.fixture
def desk(db):
    dept = staff.add_department(db, name="大客户部")
    owner = staff.add_staff(db, name="王丽", department_id=dept)
    second = staff.add_staff(db, name="李强", department_id=dept)
    third = staff.add_staff(db, name="赵敏", department_id=dept)
    cid = customers.create_customer(db, actor="建档", values={
        "name": "重庆长安物流有限公司", "status": "intent", "owner_id": owner, "department_id": dept})
    plain = customers.create_customer(db, actor="建档", values={
        "name": "张三贸易有限公司", "status": "intent", "owner_id": owner, "department_id": dept})
    return db, cid, plain, {"owner": owner, "second": second, "third": third}


def _short_names(db, user=None) -> list[str]:
    return [r.name for r in customer_contacts.short_list(db, user=user)]


def _filtered_ids(db, user=None) -> list:
    return customer_search.search_ids(db, CustomerFilter(contacts_short=True), user=user)


def test_an_important_customer_with_only_its_owner_is_short_until_a_second_staff_member_is_assigned(desk):
    db, cid, plain, people = desk
    assert customer_contacts.team(db, customer_id=cid, user=None).important is False
    assert _short_names(db) == [] and _filtered_ids(db) == []

    customer_contacts.set_important(db, actor="王丽", customer_id=cid, important=True, user=None)
    team = customer_contacts.team(db, customer_id=cid, user=None)
    assert team.reasons == ("flag",)
    assert [(c.name, c.role) for c in team.contacts] == [("王丽", "owner")]
    assert (team.counted, team.minimum, team.short) == (1, 2, 1)
    assert _short_names(db) == ["重庆长安物流有限公司"]
    assert _filtered_ids(db) == [cid]  # the plain customer is never listed

    contact = customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["second"], role="main",
                                       user=None)
    team = customer_contacts.team(db, customer_id=cid, user=None)
    assert [(c.name, c.role, c.assigned_by) for c in team.contacts] == [("王丽", "owner", ""), ("李强", "main", "王丽")]
    assert (team.counted, team.short) == (2, 0)
    assert _short_names(db) == [] and _filtered_ids(db) == []

    customer_contacts.unassign(db, actor="王丽", contact_id=contact, user=None)
    assert customer_contacts.team(db, customer_id=cid, user=None).short == 1
    assert _filtered_ids(db) == [cid]
    history = audit.history(db, customer_id=cid, user=None)
    assert [(h.entity, h.action) for h in history[:3]] == [("联系人员", "删除"), ("联系人员", "新建"), ("客户", "修改")]
    assert history[0].old_value == "李强(主联系人)"
    assert (history[2].field, history[2].old_value, history[2].new_value) == ("重要客户", "否", "是")


def test_the_owner_counts_once_and_nobody_is_assigned_twice(desk):
    db, cid, _plain, people = desk
    with pytest.raises(ValidationFailed) as exc:
        customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["owner"], user=None)
    assert "负责人" in exc.value.errors["staff"]
    customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["second"], user=None)
    with pytest.raises(ValidationFailed) as exc:
        customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["second"], user=None)
    assert exc.value.errors["staff"] == "李强 已是该客户的联系人员"
    # the assisting contact becomes the owner: still one person, so one contact
    customers.update_customer(db, actor="经理", customer_id=cid, values={"owner_id": str(people["second"])})
    customer_contacts.set_important(db, actor="经理", customer_id=cid, important=True, user=None)
    team = customer_contacts.team(db, customer_id=cid, user=None)
    assert (team.counted, team.short) == (1, 1)
    assert _filtered_ids(db) == [cid]


def test_a_leaver_no_longer_counts_and_cannot_be_assigned(desk):
    db, cid, _plain, people = desk
    customer_contacts.set_important(db, actor="王丽", customer_id=cid, important=True, user=None)
    customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["second"], user=None)
    assert _filtered_ids(db) == []
    with db.write() as s:
        s.execute(update(Staff).where(Staff.id == people["second"]).values(active=False))
    team = customer_contacts.team(db, customer_id=cid, user=None)
    assert [c.active for c in team.contacts] == [True, False] and team.short == 1
    assert _filtered_ids(db) == [cid]
    with pytest.raises(ValidationFailed) as exc:
        customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["second"], user=None)
    assert "已离职" in exc.value.errors["staff"]


def test_grade_a_and_large_customers_are_important_unless_the_settings_say_otherwise(desk):
    db, cid, plain, _people = desk
    customers.update_customer(db, actor="经理", customer_id=cid, values={"grade": "A"})
    customers.update_customer(db, actor="经理", customer_id=plain, values={"size": "large"})
    assert set(_filtered_ids(db)) == {cid, plain}
    assert customer_contacts.team(db, customer_id=cid, user=None).reasons == ("grade",)
    settings.put(db, "important.grade_a", 0)
    assert _filtered_ids(db) == [plain]
    settings.put(db, "important.min_contacts", 1)  # the owner alone is then enough
    assert _filtered_ids(db) == [] and _short_names(db) == []
    settings.put(db, "important.min_contacts", 3)
    assert customer_contacts.team(db, customer_id=plain, user=None).short == 2
    customers.update_customer(db, actor="经理", customer_id=plain, values={"status": "lost", "lost_reason": "转投竞争对手"})
    assert _filtered_ids(db) == []


def test_merging_cards_keeps_the_contact_staff_without_doubles(desk):
    db, cid, plain, people = desk
    customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["second"], user=None)
    customer_contacts.assign(db, actor="王丽", customer_id=plain, staff_id=people["second"], user=None)
    customer_contacts.assign(db, actor="王丽", customer_id=plain, staff_id=people["third"], user=None)
    customer_contacts.set_important(db, actor="王丽", customer_id=plain, important=True, user=None)
    customers.merge_customers(db, actor="经理", keep_id=cid, merge_id=plain)
    team = customer_contacts.team(db, customer_id=cid, user=None)
    assert [c.name for c in team.contacts] == ["王丽", "李强", "赵敏"]
    assert team.important and team.counted == 3


@pytest.fixture
def logins(desk):
    db, cid, plain, people = desk
    other = staff.add_department(db, name="销售二部")
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    with db.write() as s:
        dept = s.get(Staff, people["owner"]).department_id
    out = {}
    for username, role, sid, dept_id in (("owner", "sales_rep", people["owner"], dept),
                                         ("outsider", "sales_rep", None, other),
                                         ("auditor", "auditor", None, dept)):
        sid = sid or staff.add_staff(db, name=username, department_id=dept_id)
        users.create_user(db, username=username, display_name=username, role=role, password="pass-2026",
                          staff_id=sid, department_id=dept_id, by=admin)
        out[username] = users.authenticate(db, username=username, password="pass-2026")
    customers.update_customer(db, actor="建档", customer_id=cid, values={"confidentiality": "personal"})
    customer_contacts.set_important(db, actor="建档", customer_id=cid, important=True, user=None)
    return db, cid, people, out


def test_assigning_needs_customer_edit_and_the_right_to_the_archive(logins):
    db, cid, people, who = logins
    with pytest.raises(PermissionDenied) as exc:  # no customer.edit in the role
        customer_contacts.assign(db, actor="审计", customer_id=cid, staff_id=people["second"], user=who["auditor"])
    assert "分配联系人员" in exc.value.message
    with pytest.raises(PermissionDenied) as exc:  # a personal archive of another department
        customer_contacts.assign(db, actor="外部", customer_id=cid, staff_id=people["second"], user=who["outsider"])
    assert "保密" in exc.value.message
    with pytest.raises(PermissionDenied):
        customer_contacts.set_important(db, actor="外部", customer_id=cid, important=False, user=who["outsider"])
    with pytest.raises(PermissionDenied):
        customer_contacts.team(db, customer_id=cid, user=who["outsider"])
    assert customer_contacts.team(db, customer_id=cid, user=who["owner"]).short == 1
    # the short list and the filter show only archives the user may list
    assert _short_names(db, who["outsider"]) == [] and _filtered_ids(db, who["outsider"]) == []
    assert _short_names(db, who["owner"]) == ["重庆长安物流有限公司"]
    contact = customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["second"],
                                       user=who["owner"])
    with pytest.raises(PermissionDenied):
        customer_contacts.unassign(db, actor="外部", contact_id=contact, user=who["outsider"])
    assert _filtered_ids(db, who["owner"]) == []


def test_a_hand_over_passes_the_leavers_contact_places_to_the_successor(desk):
    db, cid, plain, people = desk
    customer_contacts.set_important(db, actor="王丽", customer_id=cid, important=True, user=None)
    customer_contacts.assign(db, actor="王丽", customer_id=cid, staff_id=people["second"], role="main", user=None)
    customer_contacts.assign(db, actor="王丽", customer_id=plain, staff_id=people["second"], user=None)
    customer_contacts.assign(db, actor="王丽", customer_id=plain, staff_id=people["third"], user=None)
    # 李强 leaves; 赵敏 takes over his places — already assigned to the plain customer, so no double there
    staff.hand_over(db, actor="经理", leaver_id=people["second"], successor_id=people["third"])
    team = customer_contacts.team(db, customer_id=cid, user=None)
    assert [(c.name, c.role) for c in team.contacts] == [("王丽", "owner"), ("赵敏", "main")]
    assert team.short == 0 and _filtered_ids(db) == []
    assert [c.name for c in customer_contacts.team(db, customer_id=plain, user=None).contacts] == ["王丽", "赵敏"]
    change = audit.history(db, customer_id=cid, user=None)[0]
    assert (change.action, change.old_value, change.new_value) == ("移交", "李强(主联系人)", "赵敏(主联系人)")
