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
