"""Apply translations from a TSV file (CONTEXT<TAB>SOURCE<TAB>译文 per line) to the zh_CN catalogue.

    python tools/apply_tsv.py FILE.tsv && python tools/i18n.py build
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

spec = importlib.util.spec_from_file_location("kedesk_i18n", Path(__file__).with_name("i18n.py"))
i18n = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n)


def apply(path: str, lang: str = "zh_CN") -> int:
    ts = i18n.TS_DIR / f"kedesk_{lang}.ts"
    known, strings = i18n.read_ts(ts), i18n.extract()
    count = 0
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        context, source, text = line.split("\t")
        if (context, source) not in strings:
            raise SystemExit(f"not a UI string: {context} / {source}")
        known[(context, source)] = (text, True)
        count += 1
    i18n.write_ts(ts, lang, strings, known)
    return count


if __name__ == "__main__":
    print(f"{apply(sys.argv[1])} translations set")
