"""The desk's config.json is replaced whole or not at all: a writer killed mid-write loses nothing."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.config import LocalConfig
from app.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]

# saves two big settings, one after the other, forever; prints "ready" after the first one is on disk
WRITER = textwrap.dedent("""
    import sys
    from app.config import LocalConfig
    old = LocalConfig(db_url="sqlite:///old.sqlite3", operator="旧" * 3_000_000, desk_name="1号台")
    new = LocalConfig(db_url="sqlite:///new.sqlite3", operator="新" * 3_000_000, desk_name="2号台")
    old.save()
    print("ready", flush=True)
    while True:
        new.save()
        old.save()
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_mid_write_leaves_the_old_or_the_new_settings_whole(tmp_path):
    env = {**os.environ, "KEDESK_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    rng = random.Random(20)
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", WRITER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.25))  # a 9 MB file: the kill lands inside a write
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        raw = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))  # never half a file
        os.environ["KEDESK_DATA_DIR"] = str(tmp_path)
        try:
            loaded = LocalConfig.load()
        finally:
            os.environ.pop("KEDESK_DATA_DIR")
        assert (loaded.desk_name, loaded.db_url) in {("1号台", "sqlite:///old.sqlite3"),
                                                     ("2号台", "sqlite:///new.sqlite3")}
        assert len(raw["operator"]) == 3_000_000 and len(set(raw["operator"])) == 1
    # a killed writer may leave its temporary file beside it; nothing else
    assert {p.name for p in tmp_path.iterdir() if not p.name.endswith(".tmp")} == {"config.json"}


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "config.json"
    write_atomic(target, "{}")
    write_atomic(target, '{"language": "en"}')
    assert target.read_text(encoding="utf-8") == '{"language": "en"}'
    assert [p.name for p in target.parent.iterdir()] == ["config.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "config.json"
    write_atomic(target, '{"desk_name": "1号台"}')

    def broken(*_a):
        raise PermissionError("locked")

    monkeypatch.setattr(os, "replace", broken)
    monkeypatch.setattr("app.files.time.sleep", lambda _s: None)
    with pytest.raises(PermissionError):
        write_atomic(target, '{"desk_name": "2号台"}')
    assert target.read_text(encoding="utf-8") == '{"desk_name": "1号台"}'
    assert [p.name for p in tmp_path.iterdir()] == ["config.json"]
