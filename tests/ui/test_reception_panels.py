"""Reception panels: a meal request that breaks a rule is refused in place with nothing typed lost; the lists
colour what is overdue or not reimbursed."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.permissions import DEFAULT_ROLES
from app.services import complaints, meals, tours
from app.services.users import Principal
from ui.visits.reception_common import OVERDUE


def who(role: str, name: str) -> Principal:
    label, perms = DEFAULT_ROLES[role]
    return Principal(None, role, name, role, label, frozenset(perms))


@pytest.fixture
def gm_ctx(ctx):
    ctx.user = who("marketing_gm", "赵总")
    return ctx


def _ok(dialog):
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_meal_breaking_the_host_rule_is_refused_and_the_reason_shown_with_nothing_lost(gm_ctx, qtbot, tmp_path):
    from ui.visits.meal_dialog import MealDialog

    dialog = MealDialog(gm_ctx)
    qtbot.addWidget(dialog)
    f = dialog.fields
    f["unit"].editor.setText("华盛建筑")  # QTest cannot type CJK (it aborts)
    f["customer_kind"].set_value("key")
    f["host_level"].set_value("gm")
    assert "150–200" in dialog.standard.text()
    qtbot.keyClicks(f["per_person"].editor, "180")
    qtbot.keyClicks(f["guests"].editor, "4")
    qtbot.keyClicks(f["hosts"].editor, "4")
    f["restaurant"].editor.setText("锦江饭店")
    dialog.show()
    _ok(dialog)

    assert dialog.isVisible() and dialog.meal_id is None
    assert f["hosts"].error.text() == "陪同人数超过规定：客人 4 人时陪同不得超过 3 人"
    assert not f["hosts"].error.isHidden()
    assert [f[k].value() for k in ("unit", "per_person", "guests", "hosts", "restaurant")] == [
        "华盛建筑", "180", "4", "4", "锦江饭店"]
    assert meals.list_meals(gm_ctx.db, user=gm_ctx.user) == []
    dialog.resize(560, 640)
    dialog.grab().save(str(tmp_path / "meal_refused.png"))

    f["hosts"].editor.clear()
    qtbot.keyClicks(f["hosts"].editor, "3")
    _ok(dialog)
    assert dialog.meal_id is not None and not dialog.isVisible()


def test_meals_panel_flags_an_unapproved_billed_meal(gm_ctx, qtbot):
    from ui.visits.meals_panel import MealsPanel

    rep = who("sales_rep", "王丽")
    when = datetime.now(UTC) - timedelta(hours=1)
    values = {"unit": "长安物流", "customer_kind": "ordinary", "host_level": "staff", "meal_type": "formal",
              "meal_at": when, "per_person": "50", "guests": "3", "hosts": "2", "restaurant": "小馆"}
    mid = meals.request_meal(gm_ctx.db, user=rep, values=values, now=when - timedelta(days=1))
    meals.record_bill(gm_ctx.db, user=rep, meal_id=mid, total="250", drinks="50")
    panel = MealsPanel(gm_ctx)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 1
    assert "不予报销" in panel.table.item(0, 8).text()
    assert panel.table.item(0, 0).background().color() == OVERDUE
    panel.table.selectRow(0)
    panel.decide(True)  # approval comes before the meal: after it, the GM is told why not, in place
    assert "不能补批" in panel.error.text()
    assert panel.table.item(0, 0).background().color() == OVERDUE and "不予报销" in panel.table.item(0, 8).text()


def test_complaints_panel_highlights_overdue(gm_ctx, qtbot):
    from ui.visits.complaints_panel import ComplaintsPanel

    complaints.receive(gm_ctx.db, user=gm_ctx.user, values={"complainant": "李先生", "channel": "phone",
                                                             "cause": "service", "subject": "接待态度"},
                       now=datetime(2026, 11, 3, 1, 0, tzinfo=UTC))  # a Tuesday: due Wednesday 09:00, unanswered
    complaints.receive(gm_ctx.db, user=gm_ctx.user, values={"complainant": "王女士", "channel": "web",
                                                             "cause": "quality", "subject": "漏水"})
    panel = ComplaintsPanel(gm_ctx)
    qtbot.addWidget(panel)
    rows = {panel.table.item(i, 2).text(): i for i in range(panel.table.rowCount())}
    assert panel.table.item(rows["李先生"], 0).background().color() == OVERDUE
    assert panel.table.item(rows["王女士"], 0).background().color() != OVERDUE
    # the footer counts what the rows show: one 超时 row, one overdue in the footer
    marked = [i for i in range(panel.table.rowCount()) if panel.table.item(i, 9).text()]
    assert marked == [rows["李先生"]] and "1 overdue (1 still unanswered)" in panel.summary.text()
    assert "2 complaints" in panel.summary.text() and "resolved 0 (0.0%)" in panel.summary.text()


def test_a_late_answer_stays_overdue_in_the_rows_and_the_footer(gm_ctx, qtbot):
    from ui.visits.complaints_panel import ComplaintsPanel

    when = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)  # Tuesday 09:00 in Beijing: due Wednesday 09:00
    cid = complaints.receive(gm_ctx.db, user=gm_ctx.user, values={"complainant": "赵先生", "channel": "phone",
                                                                   "cause": "service", "subject": "迟复"}, now=when)
    complaints.advance(gm_ctx.db, user=gm_ctx.user, complaint_id=cid, action="answer", note="致歉",
                       now=when + timedelta(hours=30))
    panel = ComplaintsPanel(gm_ctx)
    qtbot.addWidget(panel)
    assert panel.table.item(0, 9).text() == "Overdue" and "1 overdue (0 still unanswered)" in panel.summary.text()
    assert "mean answer 30.0 h" in panel.summary.text()


def test_tours_panel_shows_permit_after_approval(gm_ctx, qtbot):
    from ui.visits.tours_panel import ToursPanel

    tid = tours.apply(gm_ctx.db, user=gm_ctx.user, values={
        "kind": "ordinary", "visitor_unit": "华盛建筑", "visitors": "张伟", "headcount": "1",
        "visit_at": datetime.now(UTC) + timedelta(days=2)})
    panel = ToursPanel(gm_ctx)
    qtbot.addWidget(panel)
    panel.table.selectRow(0)
    panel.decide(True)
    assert tours.get_tour(gm_ctx.db, user=gm_ctx.user, tour_id=tid).permit_no in panel.table.item(0, 6).text()


def test_complaint_dialog_finds_the_customer_and_files_it_in_the_archive(gm_ctx, qtbot):
    from app.services import archive
    from ui.visits.complaint_dialog import ComplaintDialog

    dialog = ComplaintDialog(gm_ctx)
    qtbot.addWidget(dialog)
    dialog.find.setText("张三")
    dialog._search()
    assert "张三贸易有限公司" in dialog.fields["customer_id"].editor.currentText()
    dialog.fields["subject"].editor.setText("发票开错")
    dialog.fields["cause"].set_value("billing")
    dialog.submit()
    assert dialog.complaint_id is not None
    row = complaints.list_complaints(gm_ctx.db, user=gm_ctx.user)[0]
    entries = archive.entries(gm_ctx.db, customer_id=row.customer_id, user=None, section="complaint")
    assert [e.reference for e in entries] == [row.number]


def test_on_a_desk_set_to_utc_a_tour_is_typed_and_listed_in_beijing_time(gm_ctx, qtbot, desk_on_utc):
    from PySide6.QtCore import QDateTime

    from ui.visits.tour_dialog import TourDialog
    from ui.visits.tours_panel import ToursPanel

    dialog = TourDialog(gm_ctx)
    qtbot.addWidget(dialog)
    f = dialog.fields
    f["kind"].set_value("ordinary")
    f["visitor_unit"].editor.setText("华盛建筑")
    qtbot.keyClicks(f["headcount"].editor, "2")
    f["visit_at"].editor.setDateTime(QDateTime(datetime(2030, 1, 1, 9, 0)))  # typed: 9 o'clock in Beijing
    dialog.submit()
    assert dialog.tour_id is not None, dialog.message.text()
    assert tours.get_tour(gm_ctx.db, user=gm_ctx.user, tour_id=dialog.tour_id).visit_at == datetime(
        2030, 1, 1, 1, 0, tzinfo=UTC)
    panel = ToursPanel(gm_ctx)
    qtbot.addWidget(panel)
    assert panel.table.item(0, 0).text() == "2030-01-01 09:00"


def test_on_a_desk_set_to_utc_a_complaint_taken_after_midnight_in_beijing_shows_that_day(gm_ctx, qtbot,
                                                                                          desk_on_utc):
    from ui.visits.complaints_panel import ComplaintsPanel

    complaints.receive(gm_ctx.db, user=gm_ctx.user, values={"complainant": "李先生", "channel": "phone",
                                                             "cause": "service", "subject": "接待态度"},
                       now=datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    panel = ComplaintsPanel(gm_ctx)
    qtbot.addWidget(panel)
    # 元旦 and the weekend after it are not working days: the 24-hour clock runs on Monday 4 January
    assert [panel.table.item(0, c).text() for c in (0, 1, 7)] == ["TS-2027-0001", "2027-01-01 00:30",
                                                                  "2027-01-05 00:00"]


def test_the_gm_approves_a_bill_over_the_standard_before_it_is_reimbursed(gm_ctx, qtbot):
    from ui.visits.meals_panel import MealsPanel

    rep = who("sales_rep", "王丽")
    when = datetime.now(UTC) + timedelta(hours=2)
    values = {"unit": "华盛建筑", "customer_kind": "key", "host_level": "gm", "meal_type": "formal",
              "meal_at": when, "per_person": "180", "guests": "5", "hosts": "3", "restaurant": "锦江饭店"}
    mid = meals.request_meal(gm_ctx.db, user=rep, values=values)
    meals.decide(gm_ctx.db, user=gm_ctx.user, meal_id=mid, approve=True)
    meals.record_bill(gm_ctx.db, user=rep, meal_id=mid, total="1800", drinks="300")  # 225 a head
    panel = MealsPanel(gm_ctx)
    qtbot.addWidget(panel)
    assert "超标准,未经审批不予报销" in panel.table.item(0, 8).text()
    assert panel.table.item(0, 0).background().color() == OVERDUE
    assert panel.table.item(0, 2).text() == "重要客户·总经理/董事长出面·正餐宴请"
    panel.table.selectRow(0)
    panel.approve_excess("")  # no reason: refused in place
    assert panel.error.text()
    panel.approve_excess("客户临时加人,同意按实报销")
    assert "超标准已由赵总批准" in panel.table.item(0, 8).text() and "1 meals" in panel.summary.text()
    assert panel.table.item(0, 0).background().color() != OVERDUE and "0 not reimbursed" in panel.summary.text()


def test_an_inquiry_is_recorded_answered_and_the_footer_counts_the_rows(gm_ctx, qtbot, monkeypatch):
    from app.services import inquiries
    from ui.visits.inquiries_panel import AnswerDialog, InquiriesPanel, InquiryDialog

    inquiries.receive(gm_ctx.db, user=gm_ctx.user, values={"inquirer": "李经理", "channel": "phone",
                                                            "subject": "PE管报价"},
                      now=datetime(2026, 11, 3, 1, 0, tzinfo=UTC))  # long past its clock, unanswered
    panel = InquiriesPanel(gm_ctx)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 1 and panel.table.item(0, 7).text() == "Overdue"
    assert panel.table.item(0, 0).background().color() == OVERDUE
    assert "1 overdue (1 still unanswered)" in panel.summary.text()

    def record(dialog: InquiryDialog):
        dialog.fields["subject"].editor.setText("")
        dialog.submit()  # nothing typed: refused in place
        assert dialog.fields["inquirer"].error.text() == "请填写询价人或选择客户"
        dialog.fields["inquirer"].editor.setText("王女士")
        dialog.fields["subject"].editor.setText("交期询问")
        dialog.submit()
        return dialog.inquiry_id is not None

    monkeypatch.setattr(InquiryDialog, "exec", record)
    panel.receive()
    assert panel.table.rowCount() == 2 and "2 inquiries" in panel.summary.text()
    row = next(i for i in range(2) if panel.table.item(i, 2).text() == "王女士")
    panel.table.selectRow(row)

    def reply(dialog: AnswerDialog):
        dialog.fields["answer"].editor.setPlainText("已电话答复:下周三发货")
        dialog.submit()
        return True

    monkeypatch.setattr(AnswerDialog, "exec", reply)
    panel.answer()
    assert "1 answered" in panel.summary.text() and "answered in time 50.0%" in panel.summary.text()
