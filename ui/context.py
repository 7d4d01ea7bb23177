"""What every tab is given: the database, the operator's name and the task runner."""
from __future__ import annotations

from dataclasses import dataclass

from app.db import Database
from app.services.users import Principal, system_principal
from ui.tasks import TaskRunner


@dataclass
class DeskContext:
    db: Database
    actor: str
    tasks: TaskRunner
    user: Principal | None = None  # None only in tests that do not care who is logged in

    @property
    def principal(self) -> Principal:
        """Who services check: the logged-in user, or (tests without a login) the operator with every right."""
        return self.user if self.user is not None else system_principal(self.actor)
