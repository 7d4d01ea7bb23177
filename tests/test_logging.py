"""The log a support person reads: writes and refusals with the user (no customer data at INFO), a native
crash's trace, Qt's own messages, and the crash dialog that names the file."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.services import customers, key_persons, staff, users

ROOT = Path(__file__).resolve().parents[1]
CUSTOMER, PERSON, PHONE = "个人级日志测试有限公司", "刘建国", "13812345678"


def _office(db):
    a = staff.add_department(db, name="销售一部")
    b = staff.add_department(db, name="销售二部")
    owner = staff.add_staff(db, name="乙部业务员", department_id=b)
    cid = customers.create_customer(db, actor="建档", values={
        "name": CUSTOMER, "confidentiality": "personal", "owner_id": owner, "department_id": b})
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    people = {}
    for username, dept, sid in (("owner", b, owner), ("rep", a, None)):
        sid = sid or staff.add_staff(db, name=username, department_id=dept)
        users.create_user(db, username=username, display_name=f"{username}-员工", role="sales_rep",
                          password="pass-2026", staff_id=sid, department_id=dept, by=admin)
        people[username] = users.authenticate(db, username=username, password="pass-2026")
    return cid, people


def test_writes_and_refusals_are_logged_with_the_user_and_without_customer_data(db, caplog):
    cid, people = _office(db)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        key_persons.add_person(db, actor="乙部业务员", customer_id=cid, values={"name": PERSON, "phone": PHONE},
                               user=people["owner"])
        with pytest.raises(users.UserError):  # another department's rep may not touch a personal-level card
            key_persons.add_person(db, actor="rep", customer_id=cid, values={"name": "陈静"}, user=people["rep"])
    info = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    writes = [m for m in info if m.startswith("write by owner:")]
    assert writes and "key_person" in writes[0], info
    assert any(m.startswith("refused ") and "app.services.key_persons.add_person" in m and m.endswith("for rep")
               for m in info), info
    for message in info:
        for secret in (CUSTOMER, PERSON, PHONE, "陈静"):
            assert secret not in message, message


def _run(code: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEDESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONFAULTHANDLER": ""}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_native_crash_leaves_its_trace_and_the_next_start_puts_it_in_the_log(tmp_path):
    crashed = _run("""
        import faulthandler
        from PySide6.QtCore import QCoreApplication, qWarning
        from app import logs
        from ui import qt_log

        app = QCoreApplication([])
        logs.setup(native_crashes=True)
        qt_log.install()
        qWarning("printer queue not found")  # Qt's own message, routed into the log

        def open_print_preview():
            faulthandler._sigsegv()  # what a crash inside Qt's C++ looks like to Python

        open_print_preview()
    """, tmp_path)
    assert crashed.returncode != 0
    logs_dir = tmp_path / "logs"
    trace = (logs_dir / "native-crash.log").read_text(encoding="utf-8")
    assert "Segmentation fault" in trace and "open_print_preview" in trace
    log_text = (logs_dir / "kedesk.log").read_text(encoding="utf-8")
    assert "WARNING" in log_text and "kedesk.qt: printer queue not found" in log_text

    started = _run("from app import logs; logs.setup(native_crashes=True)", tmp_path)
    assert started.returncode == 0, started.stderr
    log_text = (logs_dir / "kedesk.log").read_text(encoding="utf-8")
    assert "previous run ended in a native crash" in log_text and "open_print_preview" in log_text
    assert (logs_dir / "native-crash.log").read_text(encoding="utf-8") == ""  # told once, not at every start


def test_the_log_rotates_instead_of_growing_forever(tmp_path, monkeypatch):
    from app import logs

    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup()
    try:
        for i in range(200):
            logging.getLogger("kedesk.test").info("line %d %s", i, "x" * 50)
        names = sorted(p.name for p in path.parent.iterdir())
        assert "kedesk.log.1" in names and len([n for n in names if n.startswith("kedesk.log")]) <= 1 + logs.BACKUPS
        assert path.stat().st_size <= 2000
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if isinstance(h, logs._KeDeskHandler)]:
            root.removeHandler(handler)
            handler.close()
