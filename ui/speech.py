"""The queue's voice (叫号语音): which QtTextToSpeech engine speaks, and whether one can at all.

Windows has two engines: SAPI speaks by itself, WinRT needs a Qt Multimedia audio backend; SAPI comes
first so the bundle needs no media backend. "mock" is Qt's test engine and never speaks.
"""
from __future__ import annotations

import sys
from pathlib import Path

PREFERRED = ("sapi", "winrt", "speechd", "flite", "darwin", "macos", "android")


def choose(engines: list[str]) -> str | None:
    real = [e for e in engines if e != "mock"]
    for name in PREFERRED:
        if name in real:
            return name
    return real[0] if real else None


def speaker():
    """A QTextToSpeech on the best engine, or None: a desk without a voice just shows the numbers."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return None
    engine = choose(QTextToSpeech.availableEngines())
    return QTextToSpeech(engine) if engine else None


def _plugin_files() -> list[Path]:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "texttospeech"
    return sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []


def check() -> tuple[bool, str]:
    """(ok, what to print) for the self-test: the module and its engine plugins are in the build, and
    an engine loads. Only Windows, where SAPI is part of the system, must have one that speaks."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:
        return False, f"speech: QtTextToSpeech is missing from this build ({exc})"
    plugins = [p.name for p in _plugin_files()]
    if not plugins:
        return False, "speech: no Qt texttospeech plugin in this build (build.spec must collect them)"
    engines = QTextToSpeech.availableEngines()
    engine = choose(engines)
    if engine is None:
        note = (f"speech: no engine loads (plugins {', '.join(plugins)}; engines {engines or 'none'}); "
                "queue calls are shown but not spoken")
        if sys.platform == "win32":
            return False, note
        return True, note + " — on Linux install speech-dispatcher (libspeechd2)"
    voice = QTextToSpeech(engine)
    if voice.state() == QTextToSpeech.State.Error:
        note = f"speech: engine {engine} failed to start: {voice.errorString()}"
        return sys.platform != "win32", note
    return True, f"speech: engine {engine} ready ({len(voice.availableVoices())} voice(s))"
