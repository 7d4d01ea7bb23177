"""UI tests: an offscreen Qt app, a synchronous task runner and a small database of customers."""
from __future__ import annotations

import pytest

from app.services import customers, staff
from ui.context import DeskContext
from ui.tasks import TaskRunner


@pytest.fixture
def ctx(sqlite_db, qapp):
    runner = TaskRunner()
    runner.synchronous = True
    dept = staff.add_department(sqlite_db, name="销售一部")
    rep = staff.add_staff(sqlite_db, name="王丽", department_id=dept, position="营销人员")
    staff.add_staff(sqlite_db, name="李强", department_id=dept, position="营销人员")
    for name, phone, status in (("张三贸易有限公司", "13812345678", "deal"),
                                ("重庆长安物流有限公司", "023-61234567", "intent"),
                                ("北京华盛建筑工程有限公司", "010-62345678", "potential")):
        customers.create_customer(sqlite_db, actor="测试", values={
            "name": name, "phone": phone, "status": status, "owner_id": rep, "department_id": dept,
            "region": "华北"})
    return DeskContext(db=sqlite_db, actor="王丽", tasks=runner)


@pytest.fixture
def previewed(monkeypatch) -> dict:
    """Stands in for the print preview (ui.selection.pdf_preview.PdfPreview): what it was given to show,
    as {"pdf": bytes, "title": str}, without opening a modal window."""
    shown: dict = {}

    class Preview:
        def __init__(self, pdf, title, parent=None, **print_as):
            shown["pdf"], shown["title"], shown["print_as"] = pdf, title, print_as

        def exec(self):
            return 0

    monkeypatch.setattr("ui.selection.pdf_preview.PdfPreview", Preview)
    return shown


@pytest.fixture(autouse=True)
def printed(monkeypatch) -> list:
    """Stands in for this station's printer (ui.selection.station_print.print_pdf): every job sent to it, as
    {"pdf": bytes, "title": str, "printer": str, "paper": str, "offset": (x, y)}; no test reaches a printer."""
    jobs: list = []

    def send(pdf, title, printer_name="", *, paper_key="241-2", offset_mm=(0.0, 0.0)):
        import re

        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))  # reportlab writes its page objects plainly
        jobs.append({"pdf": pdf, "title": title, "printer": printer_name, "pages": pages, "paper": paper_key,
                     "offset": tuple(offset_mm)})
        return pages

    monkeypatch.setattr("ui.selection.station_print.print_pdf", send)
    return jobs


@pytest.fixture(autouse=True)
def _selection_audited(request):
    """The selection UI tests move money too: the event auditor runs after each of them."""
    if not request.module.__name__.split(".")[-1].startswith("test_selection"):
        yield
        return
    from tests.services.selection.conftest import audited

    yield from audited(request)
