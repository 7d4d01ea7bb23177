"""The CJK TrueType font (中文字体) every printed document embeds.

reportlab embeds TrueType (glyf) outlines only: CFF/OpenType fonts such as Debian's Noto CJK are
refused, so the search lists TrueType files and skips any that reportlab cannot load. The package ships
WenQuanYi Micro Hei (文泉驿微米黑, resources/fonts, Apache-2.0) as the last resort, so a fresh machine
with only Python prints Chinese too (docs/fonts.md).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

ENV_VAR = "KEDESK_CJK_FONT"
FONT_NAME = "KeDeskCJK"
REPO_FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"
BUNDLED_FONT = REPO_FONTS / "wqy-microhei.ttc"  # shipped with the package: used when the system has none

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
SYSTEM_CANDIDATES: tuple[Path, ...] = (
    _WINDOWS_FONTS / "simsun.ttc",
    _WINDOWS_FONTS / "msyh.ttc",
    _WINDOWS_FONTS / "simhei.ttf",
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),  # Fedora
    Path("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"),  # Arch
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallback.ttf"),
    Path("/usr/share/fonts/google-droid/DroidSansFallbackFull.ttf"),
)

INSTALL_HINT = ("未找到可嵌入 PDF 的中文 TrueType 字体(随软件附带的 resources/fonts/wqy-microhei.ttc 也缺失或损坏)。Windows 请确认 C:\\Windows\\Fonts 中有宋体 (simsun.ttc) "
                "或微软雅黑 (msyh.ttc);Linux 请安装文泉驿微米黑 (sudo apt install fonts-wqy-microhei);"
                f"也可把 .ttf/.ttc 字体放入 resources/fonts,或用环境变量 {ENV_VAR} 指定字体文件。")

_lock = threading.Lock()
_registered: str | None = None


class FontMissing(RuntimeError):
    """No usable CJK font: the message (Chinese) says what to install."""


def candidates() -> list[Path]:
    """Font files in search order: the environment variable, fonts an administrator put into resources/fonts,
    the system's fonts (宋体 on Windows), then the font shipped with the package."""
    found: list[Path] = []
    if os.environ.get(ENV_VAR):
        found.append(Path(os.environ[ENV_VAR]))
    if REPO_FONTS.is_dir():
        found += sorted(p for p in REPO_FONTS.iterdir()
                        if p.suffix.lower() in (".ttf", ".ttc") and p.name != BUNDLED_FONT.name)
    found += [p for p in SYSTEM_CANDIDATES if p not in found]
    return found + ([BUNDLED_FONT] if BUNDLED_FONT not in found else [])


def _load(path: Path) -> TTFont:
    index = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    return TTFont(FONT_NAME, str(path), **index)


def register_cjk_font() -> str:
    """Register the first loadable CJK TrueType font once and return its reportlab name."""
    global _registered
    with _lock:
        if _registered:
            return _registered
        explicit = os.environ.get(ENV_VAR)
        problems: list[str] = []
        for path in candidates():
            if not path.is_file():
                if explicit and str(path) == explicit:
                    raise FontMissing(f"环境变量 {ENV_VAR} 指定的字体文件不存在:{path}")
                continue
            try:
                font = _load(path)
            except (TTFError, OSError) as exc:  # CFF outlines, broken file: try the next one
                if explicit and str(path) == explicit:
                    raise FontMissing(f"环境变量 {ENV_VAR} 指定的字体无法嵌入 PDF({path}):{exc}。"
                                      "请改用 TrueType 字体(.ttf/.ttc)。") from exc
                problems.append(f"{path.name}: {exc}")
                continue
            pdfmetrics.registerFont(font)
            # the font has no bold or italic face: map them to itself so <b> in paragraphs never fails
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
            _registered = FONT_NAME
            return _registered
        detail = f"(已跳过:{';'.join(problems)})" if problems else ""
        raise FontMissing(INSTALL_HINT + detail)

