"""The 拜访日历 tab as a rep drives it: plan a visit (with the unsuitable-time warning), drag it to
another day and time, file the visit report — the follow-up appears (overdue in red) and the
customer's archive shows the contact."""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from app.services import archive, customer_search, customers, visits
from app.services.customer_search import CustomerFilter
from ui.visits.dialogs import PlanDialog, ReportDialog
from ui.visits.side_lists import OVERDUE
from ui.visits.tab import VisitsTab

MONDAY = date(2026, 11, 23)


def _shot(widget, name: str) -> None:
    if os.environ.get("KEDESK_SHOT_DIR"):
        widget.grab().save(os.path.join(os.environ["KEDESK_SHOT_DIR"], name))


def _customer(ctx, text: str):
    return customer_search.search_ids(ctx.db, CustomerFilter(text=text))[0]


def _tab(qtbot, ctx) -> VisitsTab:
    tab = VisitsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1400, 820)
    tab.show()
    tab.calendar.show_day(MONDAY)
    return tab


def _plan_via_dialog(monkeypatch, page, *, find: str, starts: str, ends: str, purpose: str = "季度回访"):
    def fill(dialog: PlanDialog):
        dialog.find.setText(find)
        dialog.search()
        dialog.staff.editor.setCurrentIndex(dialog.staff.editor.findText("王丽"))
        dialog.starts.editor.setText(starts)
        dialog.ends.editor.setText(ends)
        dialog.purpose.editor.setText(purpose)
        dialog.preview()
        _shot(dialog, "plan_dialog.png")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(PlanDialog, "exec", fill)
    return page.new_plan()


def test_plan_move_and_report_from_the_calendar(qtbot, ctx, monkeypatch):
    zs = _customer(ctx, "张三")
    customers.update_customer(ctx.db, actor="测试", customer_id=zs, values={"unsuitable_visit_times": "周一上午"})
    tab = _tab(qtbot, ctx)
    page = tab.calendar

    dialog = _plan_via_dialog(monkeypatch, page, find="张三", starts="2026-11-23 09:30", ends="2026-11-23 10:30")
    assert dialog.warnings.isVisibleTo(dialog) and "周一上午" in dialog.warnings.text()  # seen before saving
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [(e.title, e.start) for e in page.view.entries] == [("张三贸易有限公司", datetime(2026, 11, 23, 9, 30))]
    assert page.banner.isVisibleTo(page) and "不宜拜访时间:周一上午" in page.banner.text()
    _shot(page, "month.png")

    page.set_mode("week")  # drag it to Tuesday 15:00
    plan_id = page.view.entries[0].id
    rect = page.view.rect_of(plan_id)
    grab = rect.topLeft().toPoint() + QPoint(10, 3)
    tuesday_3pm = page.view.time_at(grab.toPointF())
    target = grab + QPoint(round(page.view._column_rect(1).x() - page.view._column_rect(0).x()),
                           round((15 * 60 - (tuesday_3pm.hour * 60 + tuesday_3pm.minute)) / 60
                                 * page.view._hour_height()))
    qtbot.mousePress(page.view, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(page.view, pos=grab + QPoint(0, 12))
    qtbot.mouseMove(page.view, pos=target)
    qtbot.mouseRelease(page.view, Qt.MouseButton.LeftButton, pos=target)
    moved = visits.get_plan(ctx.db, user=None, plan_id=plan_id)
    assert (moved.starts_at.date(), moved.starts_at.hour, moved.ends_at.hour) == (date(2026, 11, 24), 15, 16)
    assert page.banner.text() == "Moved to 2026-11-24 15:00."  # no warning any more
    _shot(page, "week.png")

    page.view.move_entry(plan_id, datetime(2026, 11, 30, 9, 0))  # the view's move action: back into 周一上午
    assert "周一上午" in page.banner.text()
    page.view.move_entry(plan_id, datetime(2026, 11, 24, 15, 0))

    page.set_mode("day")
    page.show_day(date(2026, 11, 24))
    page.view.selected_id = plan_id
    page._selection_changed(plan_id)
    _shot(page, "day.png")

    def report(dialog: ReportDialog):
        dialog.save()  # nothing filled in: told in place, nothing lost
        assert dialog.person_met.error.text() == "请填写会见的人(或选择关键人)"
        dialog.person_met.editor.setText("张经理")
        dialog.notes.editor.setPlainText("客户对新方案感兴趣")
        dialog.growth.editor.setText("12.5")
        dialog.set_promise(0, "寄送报价单", "2026-11-20")  # already past: overdue
        dialog.set_promise(1, "安排参观工厂", "2099-12-10")
        _shot(dialog, "report_dialog.png")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ReportDialog, "exec", report)
    assert page.report_button.isEnabled()
    page.report_button.click()
    assert page.view.entries[0].status == "done" and not page.report_button.isEnabled()
    table = page.follow_ups.table
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == ["寄送报价单", "安排参观工厂"]
    assert table.item(0, 0).foreground().color() == OVERDUE and table.item(1, 0).foreground().color() != OVERDUE
    contact = archive.entries(ctx.db, customer_id=zs, user=None, section="contact")
    assert [(e.kind, e.entry_date, e.subject) for e in contact] == [("visit", date(2026, 11, 24), "拜访:会见张经理")]
    table.selectRow(0)
    page.follow_ups.done_button.click()
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == ["安排参观工厂"]
    page.side.setCurrentWidget(page.overdue)
    _shot(page, "day_done.png")


def test_the_plan_dialog_checks_in_place_and_keeps_what_was_typed(qtbot, ctx):
    dialog = PlanDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.starts.editor.setText("明天上午")
    dialog.purpose.editor.setText("送样品")
    dialog.save()
    assert dialog.starts.error.text() == "Write the time like 2026-11-25 09:30"
    dialog.starts.editor.setText("2026-11-25 10:00")
    dialog.ends.editor.setText("2026-11-25 09:00")
    dialog.save()
    assert dialog.customer.error.text() == "请选择客户" and dialog.ends.error.text() == "结束时间应晚于开始时间"
    assert dialog.purpose.value() == "送样品" and dialog.result() != QDialog.DialogCode.Accepted


def test_month_view_shows_more_than_fits_as_a_count(qtbot, ctx):
    tab = _tab(qtbot, ctx)
    page = tab.calendar
    zs = _customer(ctx, "张三")
    rep = next(i for i, n, _d in visits.staff_choices(ctx.db, user=None) if n == "王丽")
    # forty visits in one day: more than a month cell holds with any font (the shipped one is compact)
    for i in range(40):
        start = datetime(2026, 11, 25, 8) + timedelta(minutes=15 * i)
        visits.create_plan(ctx.db, user=None, actor="测试", values={
            "customer_id": zs, "staff_id": rep, "starts_at": start, "ends_at": start + timedelta(minutes=15)})
    page.reload()
    assert len(page.view.entries) == 40
    shown = sum(1 for _r, e in page.view._layout() if e.start.date() == date(2026, 11, 25))
    assert 0 < shown < 40 and page.view._more == [(page.view._more[0][0], 40 - shown)]


def test_the_month_marks_holidays_and_packs_a_busy_day(qtbot, ctx):
    import uuid

    from ui.visits.calendar_view import Entry

    tab = _tab(qtbot, ctx)
    page = tab.calendar
    page.view.set_mode("month")
    page.show_day(date(2026, 10, 12))
    marks = page.view.marks
    assert marks[date(2026, 10, 1)] == ("国庆节", True) and marks[date(2026, 10, 10)][1] is False  # 调休上班
    assert date(2026, 10, 12) not in marks
    # twelve visits on one day: more of them named in the cell than one per line would allow
    start = datetime(2026, 10, 15, 9, 0)
    busy = [Entry(uuid.uuid4(), start + timedelta(minutes=10 * i), start + timedelta(minutes=10 * i + 30),
                  f"客户{i}有限公司", "王丽") for i in range(12)]
    page.view.set_entries(busy)
    cell = page.view._cell(page.view.days().index(date(2026, 10, 15)))
    lines = int((cell.height() - 17 - 2) // 17)
    named = [e for _r, e in page.view._layout()]
    assert len(named) > lines - 1 and len(named) == 12 - sum(n for _r, n in page.view._more)


def test_the_regulations_visit_forms_print_for_the_days_shown(qtbot, ctx, monkeypatch, tmp_path):
    import io

    import openpyxl
    import pypdf

    tab = _tab(qtbot, ctx)
    page = tab.calendar
    _plan_via_dialog(monkeypatch, page, find="张三", starts="2026-11-23 09:30", ends="2026-11-23 10:30",
                     purpose="季度回访")
    page.view.set_mode("week")
    page.show_day(MONDAY)
    page.export_form("plan", "xlsx", str(tmp_path / "plan.xlsx"))
    sheet = list(openpyxl.load_workbook(tmp_path / "plan.xlsx").active.values)
    assert sheet[0][0] == "客户联络计划表" and sheet[2] == ("序号", "客户名称", "地址", "联系方式", "联络人员",
                                                          "联络时间", "联络目的", "联络地点")
    assert sheet[3][1] == "张三贸易有限公司" and sheet[3][5] == "2026-11-23 09:30–10:30" and sheet[3][6] == "季度回访"
    page.export_form("schedule", "pdf", str(tmp_path / "schedule.pdf"))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO((tmp_path / "schedule.pdf").read_bytes())).pages)
    assert "客户联系预定表" in text and "针对部门" in text and "张三贸易有限公司" in text
    page.export_form("record", "pdf", str(tmp_path / "record.pdf"))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO((tmp_path / "record.pdf").read_bytes())).pages)
    assert "客户拜访记录表" in text and "成长率" in text and "制表" in text
    assert page.banner.text().startswith("0 rows written")  # no report filed for these days yet


def test_a_birthday_greeting_is_recorded_from_the_side_list(qtbot, ctx):
    from datetime import timedelta

    from app.services import key_persons

    zs = _customer(ctx, "张三")
    soon = (date.today() + timedelta(days=3)).replace(year=1980)
    key_persons.add_person(ctx.db, actor="王丽", customer_id=zs, user=None,
                           values={"name": "张伟", "position": "总经理", "birthday": soon})
    tab = _tab(qtbot, ctx)
    panel = tab.calendar.greetings
    panel.reload()
    row = next(i for i, g in enumerate(panel.rows) if g.kind == "birthday")
    assert panel.table.item(row, 3).text() == ""
    panel.record_greeting("x")  # nothing chosen: said in place
    assert "Choose a birthday" in panel.message.text()
    panel.table.selectRow(row)
    panel.record_greeting("电话祝福")
    row = next(i for i, g in enumerate(panel.rows) if g.kind == "birthday")
    assert panel.table.item(row, 3).text() == "✓"
    log = archive.entries(ctx.db, customer_id=zs, user=None, section="contact")
    assert log[-1].subject.startswith("问候:张伟(总经理)") and log[-1].content == "电话祝福"
