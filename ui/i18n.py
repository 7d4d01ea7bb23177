"""UI language: Simplified Chinese by default (Qt .qm translations), English from the source strings."""
from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from ui import vocab
from ui.resources import resource_path

LANGUAGES = {"zh_CN": "简体中文", "zh_TW": "繁體中文", "en": "English"}
COUNTRY = {"zh_CN": QLocale.Country.China, "zh_TW": QLocale.Country.Taiwan}


def install(app: QApplication, lang: str) -> list[QTranslator]:
    """Install translators for KeDesk and Qt's own dialogs; returns them (keep references alive)."""
    vocab.set_language(lang)
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, COUNTRY.get(lang, QLocale.Country.China)))
    installed = []
    ours = QTranslator(app)
    if ours.load(str(resource_path("translations", f"kedesk_{lang}.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
