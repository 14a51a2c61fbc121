"""The app's side of sync: the signed-in user's loop, its timer, its rounds in thread workers,
and what it publishes for the header's indicator and the sync screen.

Nothing here blocks the UI thread. Every call on the loop (whether a round is due reads the
saved sign-in; its state counts the outbox; a round talks to the service) runs in a thread
worker, and what it found comes back as a :class:`SyncLooked` message to the app, which
publishes it as ``DamanApp.sync_status``; a round's progress comes back as
:class:`SyncProgressed` (``DamanApp.sync_progress``). Rounds never overlap: a "sync now"
asked during a round runs right after it. The loop itself (daman_tui/sync/loop.py) decides
when a round is due, with its backoff; the timer here only asks it every second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker

from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.services.store import Store, StoreWatch

if TYPE_CHECKING:
    from textual.app import App

    from daman_tui.sync.loop import SyncLoop, SyncState

__all__ = [
    "SYNC_EVERY",
    "SyncLooked",
    "SyncProgress",
    "SyncProgressed",
    "SyncRunner",
    "SyncStatus",
]

SYNC_EVERY = 1.0
"""Seconds between the timer's looks: is a round due, did the store change."""

SIGN_IN_WAIT = 60.0
"""Most seconds a sign-in waits for a round under way to end (it replaces the round's client)."""


@dataclass(frozen=True)
class SyncStatus:
    """What the app publishes after each look at the loop."""

    state: SyncState
    server: str | None
    """The sync service's address (None: not configured)."""
    resolves_conflicts: bool
    """Whether the signed-in user resolves conflicts (the indicator counts them for them)."""
    failure: BaseException | None = None
    """Why the last round failed (a ``DomainError`` has its own words); None after a success."""


@dataclass(frozen=True)
class SyncProgress:
    """How far a round has gone: ``stage`` is "start", "push" or the stream being pulled."""

    stage: str
    done: int
    total: int


class SyncLooked(Message):
    """A worker looked at the loop: ``state`` as it now is (None if nothing was read),
    whether a round ``ran``, and its ``failure``."""

    def __init__(
        self,
        runner: SyncRunner,
        state: SyncState | None,
        ran: bool,
        failure: BaseException | None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.state = state
        self.ran = ran
        self.failure = failure


class SyncProgressed(Message):
    """A round under way reached ``progress``."""

    def __init__(self, runner: SyncRunner, progress: SyncProgress) -> None:
        super().__init__()
        self.runner = runner
        self.progress = progress


class SyncRunner:
    """Drives the :class:`~daman_tui.sync.loop.SyncLoop` of ``actor`` for ``app``.

    Args:
        app: the app whose workers run the loop and which hears the messages.
        store: the local store.
        actor: the signed-in user (the loop syncs as them).
        server: the sync service's address, or None when none is configured.
        every: seconds between the timer's looks; None for no timer (rounds only on
            demand: tests and snapshots).
    """

    def __init__(
        self,
        app: App[Any],
        store: Store,
        actor: Actor,
        server: str | None,
        *,
        every: float | None = SYNC_EVERY,
    ) -> None:
        self._app = app
        self._store = store
        self.actor = actor
        self.server = server
        self._every = every
        self._loop: SyncLoop | None = None
        """Made by the first worker: the loop's module brings the HTTP client with it."""
        self._watch: StoreWatch | None = None
        self._timer: Timer | None = None
        self._busy = False
        """A worker is looking at the loop (set and cleared on the UI thread)."""
        self._asked = False
        """A "sync now" came during a round: it runs when the round ends."""
        self._reread = False
        """A refresh came during a look: the state is read again when it ends."""
        self._paused = False
        self._stopped = False
        self._state: SyncState | None = None
        self._failure: BaseException | None = None
        self._worker: Worker[None] | None = None

    @property
    def resolves_conflicts(self) -> bool:
        return can(self.actor, Permission.RESOLVE_CONFLICTS, self.actor.branch_id)

    # ---- the UI thread ---------------------------------------------------------------
    def start(self) -> None:
        """Read the state once now, then look every ``every`` seconds."""
        self._watch = self._store.watch()
        if self._every is not None:
            self._timer = self._app.set_interval(self._every, self.tick, name="sync")
        self._look(read=True)

    def stop(self) -> None:
        """Stop looking (sign-out); a round under way ends on its own."""
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        if not self._busy and self._loop is not None:
            self._loop.close()

    def tick(self) -> None:
        """The timer: a round if the loop says one is due; the state again if the store
        changed (a write here, another terminal)."""
        if self._busy or self._paused or self._stopped:
            return
        changed = self._watch is not None and self._watch.changed()
        if self.server is None and not changed:
            return  # no round can be due, and nothing to count again
        self._look(due=True, read=changed)

    def sync_now(self) -> None:
        """A round now, or right after the one under way."""
        if self._stopped:
            return
        if self._busy:
            self._asked = True
            return
        self._look(force=True)

    def refresh(self) -> None:
        """Read the state again (after a sign-in, a resolved conflict), now or once the
        look under way ends."""
        if self._busy:
            self._reread = True
        elif not self._stopped:
            self._look(read=True)

    def pause(self) -> None:
        """No timer rounds (while the sign-in dialog is open)."""
        self._paused = True

    def resume(self) -> None:
        self._paused = False

    def looked(self, message: SyncLooked) -> SyncStatus | None:
        """What a worker found, as the status to publish (None: nothing to publish)."""
        self._busy = False
        if self._stopped:
            if self._loop is not None:
                self._loop.close()
            return None
        if message.ran:
            self._failure = message.failure
        if message.state is not None:
            self._state = message.state
        if self._asked:
            self._asked = self._reread = False
            self._look(force=True)
        elif self._reread:
            self._reread = False
            self._look(read=True)
        return self.status()

    def failed(self, worker: Worker[Any]) -> SyncStatus | None:
        """A worker raised what a round never should (not a ``SyncError``): say it."""
        self._busy = False
        self._failure = worker.error
        return None if self._stopped else self.status()

    def status(self) -> SyncStatus | None:
        if self._state is None:
            return None
        return SyncStatus(self._state, self.server, self.resolves_conflicts, self._failure)

    def owns(self, worker: Worker[Any]) -> bool:
        """Whether ``worker`` is this runner's latest."""
        return worker is self._worker

    def _look(self, *, force: bool = False, due: bool = False, read: bool = False) -> None:
        self._busy = True
        self._worker = self._app.run_worker(
            lambda: self._work(force=force, due=due, read=read),
            name="sync-look",
            group="sync",
            thread=True,
            exit_on_error=False,
        )

    # ---- worker threads ------------------------------------------------------------
    def _the_loop(self) -> SyncLoop:
        if self._loop is None:
            from daman_tui.sync.loop import SyncLoop

            self._loop = SyncLoop(self._store, self.server, self.actor.id)
        return self._loop

    def _work(self, *, force: bool, due: bool, read: bool) -> None:
        from daman_tui.sync.client import SyncError

        loop = self._the_loop()
        ran = False
        failure: SyncError | None = None
        if force or (due and loop.due()):
            ran = True
            self._progress("start", 0, 0)
            try:
                loop.run_once(self._progress)
            except SyncError as error:
                failure = error
        state = loop.state() if ran or read else None
        self._app.post_message(SyncLooked(self, state, ran, failure))

    def _progress(self, stage: str, done: int, total: int) -> None:
        self._app.post_message(SyncProgressed(self, SyncProgress(stage, done, total)))

    def sign_in(self, password: str) -> None:
        """Sign in to the sync service as the signed-in user (blocking: call it in a
        worker, with the runner paused). Raises the service's refusal."""
        deadline = time.monotonic() + SIGN_IN_WAIT
        while self._busy and time.monotonic() < deadline:
            time.sleep(0.05)
        self._the_loop().sign_in(self.actor.username, password)
