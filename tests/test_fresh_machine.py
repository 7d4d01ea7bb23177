"""The README's promise: with only Python and pip, documents print in Chinese and the tests need no system tools.

`.ci/without-system-cjk` runs the suite with the system's CJK fonts and poppler hidden and sets
KEDESK_EXPECT_FRESH_MACHINE; these checks prove the hiding worked, so that run cannot pass by accident.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from reports import fonts

fresh = pytest.mark.skipif(os.environ.get("KEDESK_EXPECT_FRESH_MACHINE") != "1",
                           reason="only under .ci/without-system-cjk (system CJK fonts and poppler hidden)")


@fresh
def test_no_system_cjk_font_is_visible_and_the_shipped_one_is_used(monkeypatch):
    assert [p for p in fonts.SYSTEM_CANDIDATES if p.is_file()] == []
    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    fonts.register_cjk_font()
    from reportlab.pdfbase import pdfmetrics

    assert pdfmetrics.getFont(fonts.FONT_NAME).face.filename == str(fonts.BUNDLED_FONT)


@fresh
def test_poppler_tools_cannot_run():
    for tool in ("pdftotext", "pdftoppm", "pdffonts"):
        path = shutil.which(tool)
        if path:
            assert subprocess.run([path, "-v"], capture_output=True).returncode == 127, tool


def test_the_shipped_font_is_a_truetype_collection_reportlab_embeds():
    """Also on a developer's machine: the file in resources/fonts loads (not a Git LFS pointer, not CFF)."""
    assert fonts.BUNDLED_FONT.stat().st_size > 4_000_000
    font = fonts._load(fonts.BUNDLED_FONT)
    assert b"WenQuanYi" in font.face.name
