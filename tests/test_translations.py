"""Simplified Chinese is complete and built; every UI string goes through the catalogue."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("kedesk_i18n", ROOT / "tools" / "i18n.py")
i18n = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n)
TS = ROOT / "resources" / "translations" / "kedesk_zh_CN.ts"


def test_every_ui_string_is_translated_to_simplified_chinese():
    strings = i18n.extract()
    known = i18n.read_ts(TS)
    missing = sorted(k for k in strings if k not in known)
    unfinished = sorted(k for k in strings if k in known and not (known[k][1] and known[k][0].strip()))
    assert missing == [], f"run `python tools/i18n.py update`: {missing[:5]}"
    assert unfinished == [], f"unfinished zh_CN translations: {unfinished[:5]}"


def test_placeholders_survive_translation():
    for (context, source), (text, _finished) in i18n.read_ts(TS).items():
        assert sorted(re.findall(r"\{\w+\}", source)) == sorted(re.findall(r"\{\w+\}", text)), (context, source)


def test_the_built_qm_matches_the_ts(qapp):
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(TS.with_suffix(".qm"))), "run `python tools/i18n.py build`"
    stale = [(c, s) for (c, s), (text, _) in i18n.read_ts(TS).items() if translator.translate(c, s) != text]
    assert stale == [], f"the .qm is older than the .ts: {stale[:3]}"


def test_traditional_chinese_is_the_simplified_catalogue_converted_and_built(qapp):
    from opencc import OpenCC
    from PySide6.QtCore import QTranslator

    tw = TS.with_name("kedesk_zh_TW.ts")
    known, source = i18n.read_ts(tw), i18n.read_ts(TS)
    convert = OpenCC("s2twp").convert
    assert set(known) == set(i18n.extract())
    wrong = [k for k, (text, finished) in known.items() if not finished or text != convert(source[k][0])]
    assert wrong == [], f"run `python tools/i18n.py update` then `build`: {wrong[:3]}"
    translator = QTranslator()
    assert translator.load(str(tw.with_suffix(".qm")))
    stale = [k for k, (text, _) in known.items() if translator.translate(*k) != text]
    assert stale == [], f"the zh_TW .qm is older than the .ts: {stale[:3]}"


@pytest.mark.parametrize("lang, expected", [("zh_CN", "客户"), ("zh_TW", "客戶"), ("en", "Customer cards")])
def test_main_window_speaks_the_chosen_language(qtbot, sqlite_db, lang, expected):
    from PySide6.QtWidgets import QApplication

    from ui import i18n as ui_i18n
    from ui.context import DeskContext
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    app = QApplication.instance()
    installed = ui_i18n.install(app, lang)
    try:
        window = MainWindow(DeskContext(db=sqlite_db, actor="测试", tasks=TaskRunner()))
        qtbot.addWidget(window)
        assert expected in window.tabs.tabText(0)
    finally:
        for t in installed:
            app.removeTranslator(t)
        ui_i18n.vocab.set_language("zh_CN")
