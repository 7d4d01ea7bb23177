"""Business rules are edited in the app; a bad value is refused in place and nothing is saved."""
from app import settings
from ui.rules_dialog import RulesDialog


def test_rules_dialog_saves_typed_values_and_refuses_bad_ones(qtbot, ctx):
    dialog = RulesDialog(ctx)
    qtbot.addWidget(dialog)
    interval = dialog.boxes["reverify.interval_months"]
    assert interval.editor.text() == "3"  # the regulation's default: every quarter
    interval.editor.setText("三个月")
    dialog.save()
    assert interval.error.text() == "档案重新核定周期(月)应为整数"
    assert settings.get(ctx.db, "reverify.interval_months") == 3
    interval.editor.setText("6")
    dialog.save()
    assert settings.get(ctx.db, "reverify.interval_months") == 6


def test_rules_are_grouped_and_a_bad_value_on_another_page_is_shown(qtbot, ctx):
    dialog = RulesDialog(ctx)
    qtbot.addWidget(dialog)
    titles = [dialog.pages.tabText(i) for i in range(dialog.pages.count())]
    assert titles[:4] == ["Customer archive", "Grading", "Visits and routes", "Reception"]
    assert dialog.pages.currentIndex() == 0
    limit = dialog.boxes["meals.key.staff_max"]
    limit.editor.setText("一百")
    dialog.save()
    assert limit.error.text() and dialog.pages.currentWidget().widget().isAncestorOf(limit)
    assert settings.get(ctx.db, "meals.key.staff_max") == 100  # nothing saved
