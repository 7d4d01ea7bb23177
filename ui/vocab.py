"""Labels of the domain vocabularies in the current UI language."""
from __future__ import annotations

from app.domain.vocab import Vocabulary

_lang = {"value": "zh"}


def set_language(lang: str) -> None:
    _lang["value"] = "en" if lang.startswith("en") else "zh"


def label(vocabulary: Vocabulary, code: str | None) -> str:
    return vocabulary.label(code, _lang["value"])


def choices(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    return [(code, label(vocabulary, code)) for code in vocabulary.codes()]
