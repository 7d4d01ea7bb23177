"""Each printer keeps its own calibration in the desk's local config; an older single offset still counts."""
from __future__ import annotations

import json

from app.config import LocalConfig


def test_offsets_are_kept_per_printer_and_an_older_single_offset_is_the_fallback():
    LocalConfig.path().write_text(json.dumps({"print_offset_mm": [1.0, 2.0], "printer_name": "Desk3"}))
    config = LocalConfig.load()
    assert config.offset_for("Desk3") == (1.0, 2.0) and config.paper == "241-2"
    config.set_offset("Desk3", (-0.5, 1.5))
    config.set_offset("", (0.0, 3.0))
    config.save()
    again = LocalConfig.load()
    assert again.offset_for("Desk3") == (-0.5, 1.5) and again.offset_for("") == (0.0, 3.0)
    assert again.offset_for("Laser") == (1.0, 2.0)  # never calibrated: the desk's older value


def test_the_dialog_keeps_what_was_typed_for_each_printer(qtbot):
    from ui.selection.print_settings import PrintSettingsDialog

    dialog = PrintSettingsDialog()
    qtbot.addWidget(dialog)
    dialog.printer.addItem("Desk3", "Desk3")
    dialog.dx.setValue(2.0)  # the default printer
    dialog.printer.setCurrentIndex(dialog.printer.findData("Desk3"))
    assert (dialog.dx.value(), dialog.dy.value()) == (0.0, 0.0)
    dialog.dy.setValue(-1.5)
    dialog.printer.setCurrentIndex(dialog.printer.findData(""))
    assert dialog.dx.value() == 2.0  # back on the default printer: its value again
    dialog.printer.setCurrentIndex(dialog.printer.findData("Desk3"))
    dialog.save()
    saved = LocalConfig.load()
    assert saved.printer_name == "Desk3"
    assert saved.offset_for("Desk3") == (0.0, -1.5) and saved.offset_for("") == (2.0, 0.0)
