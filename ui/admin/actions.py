"""Menu actions of the Administration menu for users, roles and the read log."""
from __future__ import annotations


def users(window) -> None:
    from ui.admin.users_dialog import UsersDialog

    UsersDialog(window.ctx, window).exec()


def read_log(window) -> None:
    from ui.admin.read_log_dialog import ReadLogDialog

    ReadLogDialog(window.ctx, window).exec()
