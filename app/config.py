"""Where things live and which database to open: the desk's local configuration.

Business-rule settings shared by all desks live in the database (app/settings.py); this file
only holds what belongs to one machine: the database URL and the UI language.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

from app.files import write_atomic

APP_NAME = "KeDesk"
ENV_DB_URL = "KEDESK_DB_URL"


def data_dir() -> Path:
    path = Path(os.environ.get("KEDESK_DATA_DIR") or platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    return f"sqlite:///{(data_dir() / 'kedesk.sqlite3').as_posix()}"


@dataclass
class LocalConfig:
    db_url: str = ""
    language: str = "zh_CN"
    operator: str = ""  # name written into the audit trail until login arrives
    desk_name: str = ""  # 选房台号 shown on the big screen when this desk calls
    print_mode: str = "plain"  # plain paper, or overlay (套打) on pre-printed multi-part forms
    print_offset_mm: tuple[float, float] = (0.0, 0.0)  # before per-printer offsets: read as the fallback only
    printer_name: str = ""  # this station's printer; empty: the system's default printer
    preview_first: bool = False  # the event day prints straight away; a preview only when asked for
    paper: str = "241-2"  # the form loaded in this station's printer (reports.print_job.PAPERS)
    # each printer's calibration from the ruler slip, mm (x right, y down); key "" is the default printer
    printer_offsets: dict[str, list[float]] = field(default_factory=dict)

    def offset_for(self, printer: str) -> tuple[float, float]:
        x, y = self.printer_offsets.get(printer, self.print_offset_mm)
        return (float(x), float(y))

    def set_offset(self, printer: str, offset: tuple[float, float]) -> None:
        self.printer_offsets[printer] = [float(offset[0]), float(offset[1])]

    @staticmethod
    def path() -> Path:
        return data_dir() / "config.json"

    @classmethod
    def load(cls) -> LocalConfig:
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        config = cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})
        config.print_offset_mm = tuple(config.print_offset_mm)
        return config

    def save(self) -> None:
        """Atomically: a crash mid-write keeps the previous settings (app/files.py)."""
        write_atomic(self.path(), json.dumps(asdict(self), ensure_ascii=False, indent=2))


def resolve_db_url(cli_url: str | None = None) -> str:
    """--db URL beats the environment variable, which beats the settings file and the default."""
    return cli_url or os.environ.get(ENV_DB_URL) or LocalConfig.load().db_url or default_db_url()
