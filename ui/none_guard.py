"""Work around a PySide6 6.12.0 reference-count bug on Python 3.11: many void methods (QLabel.setText,
QPainter.fillRect / drawRect / drawLine / setPen, …) drop one reference to None per call. Measured here:
100 calls of QLabel.setText or QPainter.fillRect take 100 from sys.getrefcount(None); a widget that
repaints a few thousand times, or a long session, then ends the process with
"Fatal Python error: none_dealloc: deallocating None".

`make_none_immortal()` gives None a reference count no program can spend (2**40), as Python 3.12 does for
every such object (PEP 683, immortal objects); there it does nothing. Call it once before any widget is
made (ui.application.main, the UI tests' conftest, the benchmarks). Remove it when PySide6 is fixed:
tests/ui/test_visits_tab.py::test_pyside_still_drops_references_to_none says when.
"""
from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 40


def make_none_immortal() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of every object
    if refcount.value < RESERVE:
        refcount.value += RESERVE
