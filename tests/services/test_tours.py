"""Tours: notice periods refused in place, the approval chain, permit numbers, printed badges and permit."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.permissions import DEFAULT_ROLES
from app.errors import UserError, ValidationFailed
from app.services import tours
from app.services.users import PermissionDenied, Principal
from tests import pdfcheck


def who(role: str, name: str) -> Principal:
    label, perms = DEFAULT_ROLES[role]
    return Principal(None, role, name, role, label, frozenset(perms))


REP, GM, BOSS = who("sales_rep", "王丽"), who("marketing_gm", "赵总"), who("chairman", "孙董")
NOW = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)


def form(kind="key", ahead=timedelta(days=3), **over):
    return {"kind": kind, "visitor_unit": "华盛建筑工程有限公司", "visitors": "张伟\n李娜、王强",
            "headcount": "3", "visit_at": NOW + ahead, "purpose": "考察样板间", "route": "展厅 → 样板间 → 工地",
            "host": "王丽"} | over


def test_late_application_is_refused_on_the_visit_time(db):
    with pytest.raises(ValidationFailed) as e:
        tours.apply(db, user=REP, values=form(ahead=timedelta(days=3) - timedelta(minutes=1)), now=NOW)
    assert e.value.errors["visit_at"].startswith("重点客户参观须提前 3 个工作日申请:最迟 2026-11-10 08:59")
    tours.apply(db, user=REP, values=form(ahead=timedelta(days=3)), now=NOW)
    tours.apply(db, user=REP, values=form(kind="temporary", ahead=timedelta(hours=1)), now=NOW)
    with pytest.raises(ValidationFailed):
        tours.apply(db, user=REP, values=form(kind="ordinary", ahead=timedelta(hours=23)), now=NOW)
    rows = tours.list_tours(db, user=REP)
    assert len(rows) == 2 and {r.kind for r in rows} == {"key", "temporary"}
    assert next(r for r in rows if r.kind == "temporary").by_phone
    assert next(r for r in rows if r.kind == "key").visitors == ("张伟", "李娜", "王强")


def test_the_notice_days_are_working_days(db):
    monday = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    thursday = monday - timedelta(days=4)  # four days ahead, but only Thu and Fri are working days before it
    with pytest.raises(ValidationFailed) as e:
        tours.apply(db, user=REP, values=form(visit_at=monday), now=thursday)
    assert "最迟 2026-11-11 09:00 前申请" in e.value.errors["visit_at"]
    tours.apply(db, user=REP, values=form(visit_at=monday), now=monday - timedelta(days=5))  # Wednesday: 3 days
    # after 国庆节 2026: Sat 10-10 is a make-up working day (调休上班), Mon 10-05 … Wed 10-07 are rest days
    visit = datetime(2026, 10, 12, 1, 0, tzinfo=UTC)
    tours.apply(db, user=REP, values=form(visit_at=visit), now=datetime(2026, 10, 8, 1, 0, tzinfo=UTC))
    with pytest.raises(ValidationFailed):
        tours.apply(db, user=REP, values=form(visit_at=visit), now=datetime(2026, 10, 8, 1, 1, tzinfo=UTC))


def test_more_names_than_headcount_is_refused(db):
    with pytest.raises(ValidationFailed) as e:
        tours.apply(db, user=REP, values=form(headcount="2"), now=NOW)
    assert "多于参观人数" in e.value.errors["headcount"]


def test_key_tour_needs_gm_review_then_chairman_and_gets_a_permit(db):
    tid = tours.apply(db, user=REP, values=form(photos_requested=True), now=NOW)
    with pytest.raises(PermissionDenied):
        tours.decide(db, user=REP, tour_id=tid, approve=True)
    with pytest.raises(PermissionDenied):
        tours.decide(db, user=Principal(None, "x", "某人", "chairman", "董事长",
                                             frozenset({"reception.approve_chairman"})), tour_id=tid, approve=True)
    row = tours.decide(db, user=GM, tour_id=tid, approve=True, photos_allowed=True, now=NOW)
    assert row.status == "reviewed" and row.permit_no is None and row.next_step == "chairman"
    with pytest.raises(PermissionDenied):
        tours.decide(db, user=GM, tour_id=tid, approve=True, now=NOW)
    with pytest.raises(UserError):
        tours.print_documents(db, user=REP, tour_id=tid)
    row = tours.decide(db, user=BOSS, tour_id=tid, approve=True, photos_allowed=True, now=NOW)
    assert row.status == "approved" and row.permit_no == "CG-2026-0001" and row.photos_allowed
    with pytest.raises(UserError, match="不能再审批"):
        tours.decide(db, user=BOSS, tour_id=tid, approve=True, now=NOW)


def test_permit_numbers_are_sequential_and_not_given_to_rejected_tours(db):
    ids = [tours.apply(db, user=REP, values=form(kind="ordinary", ahead=timedelta(days=1)), now=NOW) for _ in range(3)]
    tours.decide(db, user=GM, tour_id=ids[0], approve=True, now=NOW)
    with pytest.raises(ValidationFailed):
        tours.decide(db, user=GM, tour_id=ids[1], approve=False)
    tours.decide(db, user=GM, tour_id=ids[1], approve=False, note="当日无人接待")
    tours.decide(db, user=GM, tour_id=ids[2], approve=True, now=NOW)
    rows = {r.id: r for r in tours.list_tours(db, user=REP)}
    assert [rows[i].permit_no for i in ids] == ["CG-2026-0001", None, "CG-2026-0002"]
    assert rows[ids[1]].status == "rejected" and not rows[ids[0]].photos_allowed
    next_year = tours.apply(db, user=REP, values=form(kind="ordinary", ahead=timedelta(days=60)), now=NOW)
    assert tours.decide(db, user=GM, tour_id=next_year, approve=True,
                        now=datetime(2027, 1, 5, 3, tzinfo=UTC)).permit_no == "CG-2027-0001"


def test_badges_and_permit_print(db, tmp_path):
    tid = tours.apply(db, user=REP, values=form(kind="group", headcount="12"), now=NOW)
    tours.decide(db, user=GM, tour_id=tid, approve=True, now=NOW)
    tours.decide(db, user=BOSS, tour_id=tid, approve=True, now=NOW)
    badges = tours.print_documents(db, user=REP, tour_id=tid, what="badges")
    permit = tours.print_documents(db, user=REP, tour_id=tid, what="permit")
    for name, data in (("badges", badges), ("permit", permit)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        text = pdfcheck.text(tmp_path / f"{name}.pdf")
        assert "CG-2026-0001" in text and "禁止拍照" in text
    assert pdfcheck.page_count(tmp_path / "badges.pdf") == 2  # 12 badges, ten to a page


@pytest.mark.pg
def test_two_desks_approving_at_once_get_different_permit_numbers(pg_db):
    from concurrent.futures import ThreadPoolExecutor

    ids = [tours.apply(pg_db, user=REP, values=form(kind="ordinary", ahead=timedelta(days=1)), now=NOW)
           for _ in range(12)]
    with ThreadPoolExecutor(4) as pool:
        permits = list(pool.map(lambda i: tours.decide(pg_db, user=GM, tour_id=i, approve=True, now=NOW).permit_no,
                                ids))
    assert sorted(permits) == [f"CG-2026-{n:04d}" for n in range(1, 13)]


def test_a_tour_whose_time_has_passed_is_not_approved(db):
    tid = tours.apply(db, user=REP, values=form("ordinary", timedelta(days=2)), now=NOW)
    with pytest.raises(UserError, match="参观时间已过"):
        tours.decide(db, user=GM, tour_id=tid, approve=True, now=NOW + timedelta(days=3))
    assert tours.decide(db, user=GM, tour_id=tid, approve=False, note="已过期", now=NOW + timedelta(days=3)).status \
        == "rejected"


PASSWORD = "Desk-pass-2026"


def _logins(db, role: str, *names: str):
    """Real logins (each with its own id): an administrator, then one user of `role` per display name."""
    from app.services import users

    users.create_user(db, username="admin", display_name="管理员", role="admin", password=PASSWORD)
    admin = users.authenticate(db, username="admin", password=PASSWORD)
    for i, name in enumerate(names, 1):
        users.create_user(db, username=f"user{i}", display_name=name, role=role, password=PASSWORD, by=admin)
    return admin, [users.authenticate(db, username=f"user{i}", password=PASSWORD) for i in range(1, len(names) + 1)]


def test_the_reviewer_may_not_approve_but_a_namesake_may_even_after_a_rename(db):
    from app.services import users

    admin, (wang_a, wang_b) = _logins(db, "chairman", "王伟", "王伟")  # the chairman may also review
    tid = tours.apply(db, user=REP, values=form(), now=NOW)
    assert tours.decide(db, user=wang_a, tour_id=tid, approve=True, now=NOW).status == "reviewed"
    with pytest.raises(UserError, match="审核人与批准人不能是同一人"):
        tours.decide(db, user=wang_a, tour_id=tid, approve=True, now=NOW)
    row = tours.decide(db, user=wang_b, tour_id=tid, approve=True, now=NOW)  # the other 王伟
    assert row.status == "approved" and row.permit_no == "CG-2026-0001"
    assert (row.reviewed_by, row.approved_by) == ("王伟", "王伟")

    other = tours.apply(db, user=REP, values=form(kind="group"), now=NOW)
    tours.decide(db, user=wang_a, tour_id=other, approve=True, now=NOW)
    users.update_user(db, user_id=wang_a.user_id, display_name="王伟(董办)", role="chairman", department_id=None,
                      staff_id=None, by=admin)
    renamed = users.authenticate(db, username="user1", password=PASSWORD)
    with pytest.raises(UserError, match="审核人与批准人不能是同一人"):
        tours.decide(db, user=renamed, tour_id=other, approve=True, now=NOW)


def test_a_review_recorded_before_ids_were_kept_is_compared_by_name(db):
    from sqlalchemy import update

    from models import Tour

    _admin, (wang,) = _logins(db, "chairman", "王伟")
    tid = tours.apply(db, user=REP, values=form(), now=NOW)
    tours.decide(db, user=wang, tour_id=tid, approve=True, now=NOW)
    with db.write() as s:  # as migration 0018 leaves the rows written before it
        s.execute(update(Tour).values(reviewed_by_id=None))
    with pytest.raises(UserError, match="同一人"):
        tours.decide(db, user=wang, tour_id=tid, approve=True, now=NOW)
    assert tours.decide(db, user=BOSS, tour_id=tid, approve=True, now=NOW).status == "approved"  # 孙董


def test_on_a_desk_set_to_utc_the_permit_year_and_printed_times_are_beijing(db, desk_on_utc, tmp_path):
    applied = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
    tid = tours.apply(db, user=REP, values=form(kind="temporary", ahead=timedelta(0),
                                                visit_at=datetime(2026, 12, 31, 17, 0, tzinfo=UTC)), now=applied)
    row = tours.decide(db, user=GM, tour_id=tid, approve=True, now=datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert row.permit_no == "CG-2027-0001"  # 2027-01-01 00:30 in Beijing
    for what in ("permit", "badges"):
        (tmp_path / f"{what}.pdf").write_bytes(tours.print_documents(db, user=REP, tour_id=tid, what=what))
        text = pdfcheck.text(tmp_path / f"{what}.pdf")
        assert "2027-01-01 01:00" in text and "2026-12-31 17:00" not in text
    permit = pdfcheck.text(tmp_path / "permit.pdf")
    assert "2026-12-31 23:00" in permit  # applied at, also Beijing


def test_the_business_zone_is_a_setting(db, desk_on_utc):
    from app import settings

    settings.put(db, "visits.timezone", "Europe/London")
    tid = tours.apply(db, user=REP, values=form(kind="temporary", ahead=timedelta(0),
                                                visit_at=datetime(2026, 12, 31, 17, 0, tzinfo=UTC)),
                      now=datetime(2026, 12, 31, 15, 0, tzinfo=UTC))
    assert tours.decide(db, user=GM, tour_id=tid, approve=True,
                        now=datetime(2026, 12, 31, 16, 30, tzinfo=UTC)).permit_no == "CG-2026-0001"
