"""Labels of the domain vocabularies in the current UI language."""
from __future__ import annotations

from app.domain.normalise import traditional
from app.domain.vocab import Vocabulary

_lang = {"value": "zh"}


def set_language(lang: str) -> None:
    _lang["value"] = "en" if lang.startswith("en") else "zh_TW" if lang == "zh_TW" else "zh"


def label(vocabulary: Vocabulary, code: str | None) -> str:
    if _lang["value"] == "zh_TW":  # the vocabularies are written in simplified characters
        return traditional(vocabulary.label(code, "zh"))
    return vocabulary.label(code, _lang["value"])


def choices(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    return [(code, label(vocabulary, code)) for code in vocabulary.codes()]
