"""Translation catalogue for ui/: extract, update the .ts files, build the .qm files.

pyside6-lupdate does not see strings passed through a module's `_tr` helper or marked with `N_`,
so extraction is done here from the Python AST:
  - QCoreApplication.translate("Context", "text")
  - _tr("text") and N_("text"), with the context named in the module's own `_tr` definition.

    python tools/i18n.py update   # add new strings (unfinished), drop vanished ones, keep translations
    python tools/i18n.py build    # compile .qm with pyside6-lrelease (zh_CN and the zh_TW derived from it)
    python tools/i18n.py set CONTEXT SOURCE TRANSLATION
    python tools/i18n.py merge OTHER.ts  # take finished translations from another copy (a merged branch)
"""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
LANGS = ("zh_CN",)
DERIVED = {"zh_TW": "s2twp"}  # 繁體中文: converted from zh_CN with OpenCC (Taiwan phrases), never edited by hand


def _module_context(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "_tr":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "translate":
                    first = call.args[0] if call.args else None
                    if isinstance(first, ast.Constant):
                        return first.value
    return None


def extract(root: Path = ROOT / "ui") -> dict[tuple[str, str], str]:
    """{(context, source): 'file:line'} for every translatable literal under root."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        context = _module_context(tree)
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = node.args
            if name == "translate" and len(args) >= 2 and all(isinstance(a, ast.Constant) for a in args[:2]):
                found.setdefault((args[0].value, args[1].value), f"{where}:{node.lineno}")
            elif name in ("_tr", "N_") and args and isinstance(args[0], ast.Constant) and context:
                found.setdefault((context, args[0].value), f"{where}:{node.lineno}")
    return found


def read_ts(path: Path) -> dict[tuple[str, str], tuple[str, bool]]:
    """{(context, source): (translation, finished)}"""
    out = {}
    if not path.exists():
        return out
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            finished = tr is not None and tr.get("type") not in ("unfinished", "obsolete", "vanished")
            out[(name, msg.findtext("source"))] = ((tr.text or "") if tr is not None else "", finished)
    return out


def write_ts(path: Path, lang: str, strings: dict[tuple[str, str], str],
             known: dict[tuple[str, str], tuple[str, bool]]) -> None:
    ts = ET.Element("TS", version="2.1", language=lang)
    for context in sorted({c for c, _ in strings}):
        ctx = ET.SubElement(ts, "context")
        ET.SubElement(ctx, "name").text = context
        for (c, source), where in sorted(strings.items()):
            if c != context:
                continue
            msg = ET.SubElement(ctx, "message")
            file, line = where.rsplit(":", 1)
            ET.SubElement(msg, "location", filename=f"../../{file}", line=line)
            ET.SubElement(msg, "source").text = source
            text, finished = known.get((c, source), ("", False))
            tr = ET.SubElement(msg, "translation")
            tr.text = text
            if not finished:
                tr.set("type", "unfinished")
    ET.indent(ts)
    body = ET.tostring(ts, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def update() -> None:
    strings = extract()
    for lang in LANGS:
        path = TS_DIR / f"kedesk_{lang}.ts"
        write_ts(path, lang, strings, read_ts(path))
        unfinished = sum(1 for k in strings if not read_ts(path)[k][1])
        print(f"{path.name}: {len(strings)} strings, {unfinished} unfinished")
    derive(strings)


def derive(strings: dict[tuple[str, str], str] | None = None) -> None:
    """Write the derived catalogues (zh_TW) from the finished zh_CN translations."""
    from opencc import OpenCC

    strings = strings or extract()
    source = read_ts(TS_DIR / "kedesk_zh_CN.ts")
    for lang, config in DERIVED.items():
        convert = OpenCC(config).convert
        known = {k: (convert(text), True) for k, (text, finished) in source.items() if finished and text}
        write_ts(TS_DIR / f"kedesk_{lang}.ts", lang, strings, known)


def set_translation(context: str, source: str, text: str, lang: str = "zh_CN") -> None:
    """Record one finished translation (python tools/i18n.py set CONTEXT SOURCE TEXT)."""
    path = TS_DIR / f"kedesk_{lang}.ts"
    known = read_ts(path)
    known[(context, source)] = (text, True)
    write_ts(path, lang, extract(), known)


def merge(other: str, lang: str = "zh_CN") -> None:
    """Keep our translations and add the finished ones another copy of the catalogue has (after a merge)."""
    path = TS_DIR / f"kedesk_{lang}.ts"
    known = read_ts(path)
    for key, (text, finished) in read_ts(Path(other)).items():
        if finished and not known.get(key, ("", False))[1]:
            known[key] = (text, True)
    write_ts(path, lang, extract(), known)


def build() -> None:
    derive()  # zh_TW follows zh_CN, also after `set` or tools/apply_tsv.py
    tool = shutil.which("pyside6-lrelease") or "pyside6-lrelease"
    for lang in (*LANGS, *DERIVED):
        ts = TS_DIR / f"kedesk_{lang}.ts"
        subprocess.run([tool, str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "set":
        set_translation(*sys.argv[2:5])
    elif command == "merge":
        merge(sys.argv[2])
    else:
        {"update": update, "build": build}[command]()
