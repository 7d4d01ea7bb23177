"""Customer codes (客户编号) made offline never clash with central ones.

Scheme: a laptop gives a new card a *temporary* code of its own device, ``TMP<device tag>-000001``
(the tag is the first 6 hex digits of the device id, so two laptops never share a code, and the code
passes the code rule: letters, digits, -). On push the central database replaces it with the next real
code (``KH000123``, the same gapless sequence as at a desk) and the laptop takes the card back with that
code. A code the rep typed by hand is kept as typed (a clash then becomes an insert conflict).
"""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

TEMPORARY = "TMP"


def device_prefix(device_id: uuid.UUID) -> str:
    return f"{TEMPORARY}{device_id.hex[:6].upper()}-"


def is_temporary(code: str | None, device_id: uuid.UUID) -> bool:
    """A code this device generated offline (and the central database must replace)."""
    return bool(code) and code.startswith(device_prefix(device_id))


def offline_prefix(s: Session, central_prefix: str) -> str:
    """The prefix codes are numbered under in this session: the device's own on a laptop."""
    if not s.info.get("kedesk_offline"):
        return central_prefix
    from app.services.offline import journal

    device = journal.get_state(s, "device_id")
    return device_prefix(uuid.UUID(device)) if device else central_prefix


class CentralCodes:
    """Within one push transaction: the next real codes, taken under the desks' code lock (the first
    one is read from the database; the ones after it count on, since the batch's inserts may be unsent)."""

    def __init__(self, s: Session):
        self.s, self.prefix, self.number = s, "", None

    def take(self) -> str:
        from app import settings
        from app.services.customers import _next_code

        if self.number is None:
            self.prefix = settings.get_all(None, session=self.s)["customer.code_prefix"]
            first = _next_code(self.s, self.prefix)
            self.number = int(first[len(self.prefix):])
        code = f"{self.prefix}{self.number:06d}"
        self.number += 1
        return code

    def give_back(self) -> None:
        """The card just numbered could not be inserted (an insert conflict): its number is free again."""
        if self.number is not None:
            self.number -= 1
