"""Demo reception quarter: deterministic, once per database, consistent with the rules and the counters."""
from __future__ import annotations

from datetime import date

from app.domain.permissions import DEFAULT_ROLES
from app.services import complaints, demo_reception, meals, tours
from app.services.users import Principal

TODAY = date(2026, 11, 25)
GM = Principal(None, "gm", "赵总", "marketing_gm", "营销中心总经理", frozenset(DEFAULT_ROLES["marketing_gm"][1]))


def test_a_quarter_of_reception_data_once(db):
    counts = demo_reception.generate(db, seed=1, today=TODAY)
    assert counts == {"参观": 36, "招待用餐": 64, "投诉": 42}
    assert demo_reception.generate(db, seed=1, today=TODAY) == {"参观": 0, "招待用餐": 0, "投诉": 0}
    rows = tours.list_tours(db, user=GM)
    permits = sorted(r.permit_no for r in rows if r.permit_no)
    assert permits and len(set(permits)) == len(permits)
    assert {r.status for r in rows} >= {"approved"}
    complaint_rows = complaints.list_complaints(db, user=GM)
    assert len({c.number for c in complaint_rows}) == 42
    assert {c.status for c in complaint_rows} >= {"closed", "received"}
    assert any(m.flag for m in meals.list_meals(db, user=GM))
    # a desk continues the numbering after the demo's
    new = complaints.receive(db, user=GM, values={"complainant": "x", "channel": "phone", "cause": "other",
                                                  "subject": "新投诉"})
    assert new in {c.id for c in complaints.list_complaints(db, user=GM)}


def test_deterministic_by_seed(sqlite_db, tmp_path):
    from app.bootstrap import open_database

    other = open_database(f"sqlite:///{(tmp_path / 'b.sqlite3').as_posix()}")
    try:
        demo_reception.generate(sqlite_db, seed=4, today=TODAY)
        demo_reception.generate(other, seed=4, today=TODAY)
        key = lambda db: sorted((m.unit, m.per_person, m.guests, m.hosts, m.status)  # noqa: E731
                                for m in meals.list_meals(db, user=GM))
        assert key(sqlite_db) == key(other)
    finally:
        other.dispose()


def test_the_same_day_gives_the_same_complaints_morning_and_evening(sqlite_db, tmp_path, monkeypatch):
    """`python -m app demo` gives no day: the data must not drift with the hour it is run at."""
    from datetime import UTC, datetime

    from app.bootstrap import open_database

    class Clock(datetime):
        at = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 09:00 in Beijing

        @classmethod
        def now(cls, tz=None):
            return cls.at.astimezone(tz)

    monkeypatch.setattr(demo_reception, "datetime", Clock)
    other = open_database(f"sqlite:///{(tmp_path / 'evening.sqlite3').as_posix()}")
    try:
        demo_reception.generate(sqlite_db, seed=2)
        Clock.at = datetime(2026, 11, 25, 11, 30, tzinfo=UTC)  # 19:30 in Beijing, the same day
        demo_reception.generate(other, seed=2)
        key = lambda db: sorted((c.number, c.status, c.subject)  # noqa: E731
                                for c in complaints.list_complaints(db, user=GM))
        assert key(sqlite_db) == key(other)
    finally:
        other.dispose()
