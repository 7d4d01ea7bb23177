"""选房活动设置 — the set-up windows of the ticket desk (project, stock, units, pricing, buyers, draw)."""
from __future__ import annotations


def open_event_setup(parent, ctx, user):
    """Open the event set-up window (non-modal) for `user`; returns it."""
    from ui.selection.setup.dialog import EventSetupDialog

    dialog = EventSetupDialog(ctx, user, parent)
    dialog.show()
    return dialog
