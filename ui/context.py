"""What every tab is given: the database, the operator's name and the task runner."""
from __future__ import annotations

from dataclasses import dataclass

from app.db import Database
from ui.tasks import TaskRunner


@dataclass
class DeskContext:
    db: Database
    actor: str
    tasks: TaskRunner
