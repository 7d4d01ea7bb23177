"""Visit calendar benchmark (拜访日历): opening a month with 5,000 visits in the month view.

Service side: `visits.list_plans` for the 42 days the month grid shows (joins customer, staff,
department, record; the confidentiality flag for a rep's login), the calendar's Entry list,
`CalendarView.set_entries` and one full paint (`grab()`), at 1200×760.
Raw side, in the same process on the same rows: one plain SQL query of (start, end, customer name,
staff name, status) for the same range, a bare QAbstractTableModel over those tuples, a QTableView
reset and one paint at the same size. Medians of alternating runs.
Also the paint alone (entries already loaded vs the bare model already loaded).

    python bench/visit_calendar.py --quick
"""
from __future__ import annotations

import os
import sys
import tempfile
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the project importable, and this file's folder not first
    # (a bench file named like a standard module would shadow it)
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractTableModel, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from bench.common import Report, arguments, median, note, timed  # noqa: E402

FULL, QUICK = 5000, 1000
RUNS_FULL, RUNS_QUICK = 9, 5
SIZE = (1200, 760)
MONTH = date(2026, 11, 1)
TARGETS = {"open": 4.0, "paint": 3.0}


class BareModel(QAbstractTableModel):
    def __init__(self, rows):
        super().__init__()
        self.rows = rows

    def rowCount(self, parent=None):  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None):  # noqa: N802
        return 5

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None

    def reset(self, rows) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


def _fill(db, n: int):
    """n plans spread over November's working hours, for 20 reps and 400 customers of one department."""
    from app.services import customers, staff, users
    from models import Customer, VisitPlan

    dept = staff.add_department(db, name="销售一部")
    reps = [staff.add_staff(db, name=f"代表{i:02d}", department_id=dept, position="营销人员") for i in range(20)]
    for i in range(400):
        customers.create_customer(db, actor="bench", values={"name": f"测试客户{i:04d}有限公司", "owner_id": reps[i % 20],
                                                              "department_id": dept, "region": "华北"})
    with db.read() as s:
        ids = list(s.scalars(text("SELECT id FROM customer ORDER BY code").columns(Customer.id)))
    zone = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
    rows = []
    for i in range(n):
        day = MONTH + timedelta(days=i % 30)
        start = datetime.combine(day, time(8 + i % 10, 30 * (i // 10 % 2)), zone)
        rows.append({"id": uuid.uuid4(), "customer_id": ids[i % len(ids)], "staff_id": reps[i % 20],
                     "department_id": dept, "starts_at": start, "ends_at": start + timedelta(hours=1),
                     "contact_way": "visit", "purpose": "季度回访", "place": "", "status": "planned",
                     "cancel_reason": "", "created_by": "bench", "version": 1,
                     "created_at": start, "updated_at": start})
    db.transact(lambda s: s.execute(insert(VisitPlan.__table__), rows))
    return users.create_user(db, username="rep", display_name="代表00", role="sales_rep", password="bench1234",
                             staff_id=reps[0])


def main() -> None:
    args = arguments(__doc__.splitlines()[0]).parse_args()
    n, runs = (QUICK, RUNS_QUICK) if args.quick else (FULL, RUNS_FULL)
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="kedesk-bench-cal-"))
    from app.bootstrap import open_database

    db = open_database(f"sqlite:///{(tmp / 'cal.sqlite3').as_posix()}")
    note(f"filling {n} plans …")
    _fill(db, n)
    bench = Bench(db)
    shown, raw_count = bench.service_open(), bench.raw_open()
    note(f"month view: {shown} plans (raw query {raw_count} rows)")
    opens, raws, paints, raw_paints = [], [], [], []
    for _ in range(runs):
        opens.append(timed(bench.service_open)[1])
        raws.append(timed(bench.raw_open)[1])
        paints.append(timed(bench.service_paint)[1])
        raw_paints.append(timed(bench.raw_paint)[1])
    report = Report()
    report.add(f"calendar_month_open_{n}", median(opens) * 1000, "ms", median(raws) * 1000, TARGETS["open"])
    report.add(f"calendar_month_paint_{n}", median(paints) * 1000, "ms", median(raw_paints) * 1000, TARGETS["paint"])
    bench.close()
    app.processEvents()
    db.dispose()
    report.finish()


class Bench:
    """Both sides of the comparison, on one database, with a rep's login (own + department's plans)."""

    RAW_SQL = text("SELECT p.starts_at, p.ends_at, c.name, s.name, p.status FROM visit_plan p "
                   "JOIN customer c ON c.id = p.customer_id JOIN staff s ON s.id = p.staff_id "
                   "WHERE (p.staff_id = :staff OR p.department_id = :dept) AND p.starts_at < :hi AND p.ends_at > :lo "
                   "ORDER BY p.starts_at")

    def __init__(self, db) -> None:
        from app.services import users
        from ui.visits.calendar_view import CalendarView

        self.db = db
        self.rep = users.authenticate(db, username="rep", password="bench1234")
        self.view = CalendarView()
        self.view.resize(*SIZE)
        self.view.set_anchor(MONTH)
        self.table = QTableView()
        self.table.resize(*SIZE)
        self.model = BareModel([])
        self.table.setModel(self.model)
        self.days = self.view.days()
        zone = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
        self.params = {"staff": self.rep.staff_id.hex, "dept": self.rep.department_id.hex,
                       "lo": datetime.combine(self.days[0], time.min, zone).astimezone(UTC).replace(tzinfo=None),
                       "hi": datetime.combine(self.days[-1] + timedelta(days=1), time.min, zone).astimezone(UTC)
                       .replace(tzinfo=None)}

    def service_open(self) -> int:
        from app.services import visits
        from ui.visits.calendar_view import Entry

        rows = visits.list_plans(self.db, user=self.rep, start=self.days[0], end=self.days[-1])
        self.view.set_entries([Entry(p.id, p.starts_at.replace(tzinfo=None), p.ends_at.replace(tzinfo=None),
                                     p.customer_name, p.staff_name, p.status) for p in rows])
        self.view.grab()
        return len(rows)

    def raw_open(self) -> int:
        with self.db.engine.connect() as conn:
            rows = conn.execute(self.RAW_SQL, {k: str(v) for k, v in self.params.items()}).all()
        self.model.reset(rows)
        self.table.grab()
        return len(rows)

    def service_paint(self) -> None:
        self.view._changed()  # lay out again, as after a resize
        self.view.grab()

    def raw_paint(self) -> None:
        self.model.reset(self.model.rows)
        self.table.grab()

    def close(self) -> None:
        self.table.setModel(None)
        self.view.deleteLater()
        self.table.deleteLater()


if __name__ == "__main__":
    main()
