"""UUIDv7 row ids (RFC 9562), generated where the row is born.

Offline nodes must never collide, and time-ordered ids keep B-tree inserts at the end of
the index. Python 3.11 has no uuid7, and the algorithm is a few lines, so it lives here.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["new_id", "uuid7_from"]


def uuid7_from(unix_ms: int, rand_a: int, rand_b: int) -> str:
    """The UUIDv7 with these fields: 48-bit time, 12-bit ``rand_a``, 62-bit ``rand_b``."""
    value = (unix_ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= (rand_a & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand_b & 0x3FFF_FFFF_FFFF_FFFF
    h = f"{value:032x}"
    # Same text as str(uuid.UUID(int=value)), without building the object (bulk seeding).
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class _Generator:
    """Monotonic UUIDv7s: within one millisecond ``rand_a`` counts up (RFC 9562 method 1),
    so ids born in a burst still sort in birth order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._counter = 0

    def __call__(self) -> str:
        with self._lock:
            now = time.time_ns() // 1_000_000
            if now > self._last_ms:
                self._last_ms = now
                # Start low in the 12-bit space to leave room to count up.
                self._counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
            else:
                self._counter += 1
                if self._counter > 0xFFF:  # exhausted: borrow the next millisecond
                    self._last_ms += 1
                    self._counter = 0
            ms, counter = self._last_ms, self._counter
        return uuid7_from(ms, counter, int.from_bytes(os.urandom(8), "big"))


new_id = _Generator()
"""A fresh UUIDv7 string, strictly increasing within this process."""
