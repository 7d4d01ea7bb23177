"""Printing through a real print system: CUPS with the cups-pdf virtual printer (.ci/run sets it up).

The ticket goes the way a desk sends it (reports.print_job.send → lp, vector PDF), on the 241 mm × 1/3 of
11 in continuous form; cups-pdf writes what a printer would have received as a PDF. The printed page must
be the form's size and the field where the layout puts it (plus the printer's offset) within 0.5 mm.
Skips where no CUPS queue is present; under CI=true a missing queue FAILS (like the PostgreSQL tests).
"""
from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from reports import slip_layout
from reports.print_job import PAPERS, make_job, send
from reports.ticket_pdf import GRID, ticket_pdf
from tests.printing.geometry import page_size_mm, text_at
from tests.reports.test_selection_docs import ticket

QUEUE = os.environ.get("KEDESK_TEST_PRINTER", "KeDeskPDF")
TOLERANCE_MM = 0.5


def _cups_problem() -> str | None:
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        return "CUPS client (lp, lpstat) not installed"
    state = subprocess.run(["lpstat", "-p", QUEUE], capture_output=True, text=True, timeout=10)
    if state.returncode or "enabled" not in state.stdout:
        return f"CUPS queue {QUEUE} not available: {(state.stderr or state.stdout).strip()}"
    return None


@pytest.fixture(scope="module")
def cups_queue() -> str:
    problem = _cups_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CUPS with the cups-pdf queue is required in CI (.ci/run starts it): {problem}")
        pytest.skip(problem)
    return QUEUE


def output_dirs() -> list[Path]:
    """Where cups-pdf writes: its Out setting (per user), else its documented defaults."""
    dirs = [Path(os.environ["KEDESK_CUPS_PDF_DIR"])] if os.environ.get("KEDESK_CUPS_PDF_DIR") else []
    conf = Path("/etc/cups/cups-pdf.conf")
    text = conf.read_text(errors="replace") if conf.exists() else ""
    found = re.search(r"^Out\s+(\S+)", text, re.M)
    out = found.group(1) if found else "/var/spool/cups-pdf/${USER}"
    dirs.append(Path(out.replace("${HOME}", str(Path.home())).replace("${USER}", getpass.getuser())))
    dirs.append(Path("/var/spool/cups-pdf/ANONYMOUS"))
    return dirs


def wait_for_output(job_id: str, stamp: str, timeout: float = 60.0) -> Path:
    """cups-pdf's file for this job: named from the title (which carries a unique stamp) and the job number,
    so a file left from an earlier run with the same job number is never taken."""
    number = job_id.rsplit("-", 1)[-1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for folder in output_dirs():
            for path in folder.glob(f"*{stamp}*job_{number}.pdf") if folder.is_dir() else ():
                size = path.stat().st_size
                time.sleep(0.3)  # cups-pdf may still be writing
                if size and path.stat().st_size == size:
                    return path
        time.sleep(0.5)
    log = subprocess.run(["lpstat", "-W", "not-completed", "-o"], capture_output=True, text=True).stdout
    pytest.fail(f"no cups-pdf output for job {job_id} in {output_dirs()} after {timeout:g} s; queue: {log}")


@pytest.mark.parametrize("offset", [(0.0, 0.0), (4.0, 2.5)])
def test_a_ticket_printed_on_the_241_by_one_third_form_lands_within_half_a_millimetre(cups_queue, offset):
    form, stamp = PAPERS["241-3"], str(time.time_ns())
    job = make_job(ticket_pdf(ticket(), mode="overlay"), f"KeDesk print geometry {stamp}",
                   paper_key=form.key, printer=cups_queue, offset_mm=offset)
    printed = wait_for_output(send(job), stamp)

    width, height = page_size_mm(printed)
    assert abs(width - form.width_mm) <= TOLERANCE_MM and abs(height - form.height_mm) <= TOLERANCE_MM, \
        f"printed page {width:.2f} × {height:.2f} mm, form {form.width_mm} × {form.height_mm:.2f} mm"
    x, baseline = text_at(printed, "2026-11-25")  # the issue date, at slip_layout.ISSUED_AT
    assert abs(x - (slip_layout.ISSUED_AT[0] + offset[0])) <= TOLERANCE_MM, f"date printed at x={x:.2f} mm"
    assert abs(baseline - (slip_layout.ISSUED_AT[1] + offset[1])) <= TOLERANCE_MM, f"baseline {baseline:.2f} mm"
    number_x, _ = text_at(printed, "110105196805120031")  # 身份证号码, a field further right on the form
    expected = slip_layout.value_positions(GRID)["buyer_id_number"][0]
    assert abs(number_x - (expected + offset[0])) <= TOLERANCE_MM
