"""Specific refusals of the ticket desk; the UI shows their Chinese message as it is."""
from __future__ import annotations

from app.errors import UserError
from app.services.users import PermissionDenied


class SelectionError(UserError):
    """Base of the ticket desk's refusals."""


class FlatTaken(SelectionError):
    """已被选 — another desk chose this flat first, or it is not released to this commissioning unit."""


class NotOnList(SelectionError):
    """The ID number is not on the commissioning unit's approved list (or failed the eligibility review)."""


class AmountMismatch(SelectionError):
    """Receipts do not add up to what is due, or a payment would exceed the price."""


class AlreadyReversed(SelectionError):
    """红字冲红 happens once: a reversed document, or a reversal, cannot be reversed again."""


class RuleBroken(SelectionError):
    """A rule of the regulations refuses the step (price not approved, payment ratio below the minimum …)."""


class OutOfOrder(RuleBroken):
    """按序选房 — the buyer has not been called (or is on the 过号 list): the lead may authorise it."""


NotPermitted = PermissionDenied

__all__ = ["AlreadyReversed", "AmountMismatch", "FlatTaken", "NotOnList", "NotPermitted", "OutOfOrder", "RuleBroken",
           "SelectionError"]
