"""Garbage collection that waits for the user to pause.

CPython's cyclic collector runs a full collection whenever enough objects have survived;
with the wizard's pages built that walks some 300,000 objects and stalls the screen for
100–225 ms (measured in a real terminal): a step that opens late, a keystroke that
echoes late. Here the objects start-up built (modules, catalogs, shaping tables, the
first screen: they live as long as the app) are frozen out of the collector's sight,
automatic full collections are deferred, and a full collection runs instead when there
has been no key or click for a moment.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

__all__ = ["QuietCollector"]

DEFERRED_FULL = 1_000
"""Gen-1 collections before CPython runs a full one by itself (its default: 10). Input
without a pause for that long (some seven million allocations) still gets one."""


class QuietCollector:
    """Full collections in the pauses between keys.

    ``start`` when the app is up, ``touched`` on every input event, ``tick`` from a
    timer, ``stop`` when the app ends (the process's collector as it was before).
    """

    def __init__(self, idle: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle = idle
        self._clock = clock
        self._last_input = clock()
        self._saved: tuple[int, int, int] | None = None
        self.collections = 0

    @property
    def running(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        if self._saved is not None:
            return
        self._saved = gc.get_threshold()
        gc.collect()
        gc.freeze()
        first, second, _ = self._saved
        gc.set_threshold(first, second, DEFERRED_FULL)

    def stop(self) -> None:
        if self._saved is None:
            return
        gc.set_threshold(*self._saved)
        self._saved = None
        # Back in the collector's sight: an app closed in a long-lived process (the tests)
        # leaves nothing that can no longer be collected.
        gc.unfreeze()

    def touched(self) -> None:
        """A key was pressed or the mouse used."""
        self._last_input = self._clock()

    def tick(self) -> bool:
        """Collect if the user has paused and objects have survived since the last full
        collection; True when it collected."""
        if self._saved is None or self._clock() - self._last_input < self.idle:
            return False
        if gc.get_count()[2] == 0:
            return False  # nothing reached the oldest generation since the last one
        gc.collect()
        self.collections += 1
        return True
