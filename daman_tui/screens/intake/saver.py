"""Saving a draft as it is typed, off the UI thread, latest state last.

Every change asks for a save. Saves run one at a time in a worker thread; a request made
while one runs replaces any request still waiting, so a burst of keystrokes costs a few
writes, the last of them always the newest state, and no older snapshot can land after a
newer one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.dom import DOMNode

from daman_tui.domain.errors import DomainError
from daman_tui.domain.intake.form import DraftForm

__all__ = ["DraftSaver"]

SaveJob = tuple[DraftForm, int, str]
"""A snapshot of the draft, its step and the field with the caret."""


class DraftSaver:
    """Runs ``save`` for the newest snapshot; reports failures to ``failed``."""

    def __init__(
        self,
        node: DOMNode,
        save: Callable[[DraftForm, int, str], None],
        failed: Callable[[Exception], None],
    ) -> None:
        self._node = node
        self._save = save
        self._failed = failed
        self._lock = threading.Lock()
        self._pending: SaveJob | None = None
        self._running = False
        self.saves = 0
        """Writes made so far (tests and the benchmark read it)."""

    @property
    def idle(self) -> bool:
        """Nothing waiting and nothing being written."""
        with self._lock:
            return not self._running and self._pending is None

    def request(self, form: DraftForm, step: int, focus: str) -> None:
        """Save this state of the draft soon (the copy is taken now, on the UI thread)."""
        job = (form.copy(), step, focus)
        with self._lock:
            self._pending = job
            if self._running:
                return
            self._running = True
        self._node.run_worker(self._drain, thread=True, group="draft-save", exit_on_error=False)

    def _drain(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._running = False
                    return
            try:
                self._save(*job)
                self.saves += 1
            except (DomainError, OSError, RuntimeError) as err:
                self._node.app.call_from_thread(self._failed, err)
            except Exception as err:
                self._node.app.call_from_thread(self._failed, err)
