"""The queue's voice: SAPI before WinRT (which needs a media backend), never Qt's silent test engine, and a
self-test line that says whether calls will be spoken."""
from __future__ import annotations

import pytest

from ui import speech


def test_the_engine_that_speaks_without_a_media_backend_comes_first():
    assert speech.choose(["winrt", "sapi", "mock"]) == "sapi"
    assert speech.choose(["mock", "speechd"]) == "speechd"
    assert speech.choose(["mock"]) is None and speech.choose([]) is None
    assert speech.choose(["mock", "espeak-ng"]) == "espeak-ng"


# a machine without speech-dispatcher or PipeWire: Qt says so while it looks for an engine
@pytest.mark.qt_log_ignore("pipewire", "text-to-speech")
def test_the_self_test_line_names_the_engine_or_says_why_calls_stay_silent(qapp, monkeypatch):
    ok, note = speech.check()
    assert note.startswith("speech: ") and ok  # Linux here: a missing engine is reported, not fatal
    monkeypatch.setattr(speech, "_plugin_files", lambda: [])
    ok, note = speech.check()
    assert not ok and "build.spec" in note
    monkeypatch.setattr(speech, "_plugin_files", lambda: [speech.Path("qtexttospeech_sapi.dll")])
    monkeypatch.setattr(speech.sys, "platform", "win32")
    monkeypatch.setattr(speech, "choose", lambda engines: None)
    ok, note = speech.check()
    assert not ok and "not spoken" in note  # on a desk PC a silent queue fails the self-test
