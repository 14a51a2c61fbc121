"""Syncing on a timer, with backoff, and on demand: what the TUI runs in a worker.

Retries are driven by the timer, never by the next local write (a change made offline
must not wait for another change to be pushed). After a failure the wait doubles up to
:data:`MAX_BACKOFF`; a success returns to the normal interval. The loop holds no secret
but the user's saved token; without one it reports that a sign-in to sync is needed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from daman_tui.services.store import Store
from daman_tui.sync import local
from daman_tui.sync.client import Progress, SyncClient, SyncError, SyncReport

__all__ = ["INTERVAL", "MAX_BACKOFF", "SyncLoop", "SyncState"]

INTERVAL = 30.0
MAX_BACKOFF = 300.0


@dataclass(frozen=True)
class SyncState:
    """What the header's indicator and the sync screen show."""

    configured: bool
    """A sync server is set for this store."""
    signed_in: bool
    online: bool | None
    """None until the first attempt."""
    running: bool
    pending: int
    conflicts: int
    last_sync: datetime | None
    last_error: str | None
    """The code of the last failure (``sync.offline`` …), cleared by a success."""
    last_report: SyncReport | None
    next_attempt_in: float | None


def _not_configured() -> SyncError:
    return SyncError(
        "sync.not_configured",
        "لم يُحدَّد خادم المزامنة لهذا الجهاز.",
        "No sync server is set for this device.",
    )


class SyncLoop:
    def __init__(
        self,
        store: Store,
        server: str | None,
        user_id: str,
        *,
        interval: float = INTERVAL,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.server = server
        self.user_id = user_id
        self.interval = interval
        self.transport = transport
        self.clock = clock
        self._lock = threading.Lock()
        self._client: SyncClient | None = None
        self._online: bool | None = None
        self._running = False
        self._last_sync: datetime | None = None
        self._last_error: str | None = None
        self._last_report: SyncReport | None = None
        self._failures = 0
        self._next = clock()

    def _make_client(self) -> SyncClient | None:
        if self._client is not None:
            return self._client
        if not self.server:
            return None
        saved = local.saved_session(self.store, self.user_id)
        if saved is None or saved.server != self.server:
            return None
        http = httpx.Client(base_url=self.server, timeout=30.0, transport=self.transport)
        client = SyncClient(self.store, self.server, token=saved.token, http=http)
        self._client = client
        return client

    def sign_in(self, username: str, password: str) -> None:
        """Sign in to the sync service as the current user (raises :class:`SyncError`)."""
        if not self.server:
            raise _not_configured()
        http = httpx.Client(base_url=self.server, timeout=30.0, transport=self.transport)
        client = SyncClient(self.store, self.server, http=http)
        client.sign_in(username, password)
        if self._client is not None:
            self._client.close()
        self._client = client
        self._next = self.clock()

    def due(self) -> bool:
        return not self._running and self._make_client() is not None and self.clock() >= self._next

    def run_once(self, progress: Progress | None = None) -> SyncReport:
        """One round now (the timer's, or on demand). Failures are recorded and re-raised."""
        client = self._make_client()
        if not self.server:
            raise _not_configured()
        if client is None:
            raise SyncError(
                "sync.signed_out",
                "سجّل الدخول إلى المزامنة أولًا.",
                "Sign in to sync first.",
            )
        with self._lock:
            self._running = True
            try:
                if not client.streams:
                    client.resume()
                report = client.sync(progress)
            except SyncError as error:
                self._online = error.code != "sync.offline"
                self._last_error = error.code
                self._failures += 1
                self._next = self.clock() + min(self.interval * 2**self._failures, MAX_BACKOFF)
                if error.code == "sync.auth.token":
                    self._client = None
                raise
            finally:
                self._running = False
            self._online = True
            self._last_error = None
            self._failures = 0
            self._last_sync = datetime.now(UTC)
            self._last_report = report
            self._next = self.clock() + self.interval
            return report

    def state(self) -> SyncState:
        counts: dict[str, Any] = local.status(self.store)
        signed_in = self._make_client() is not None
        wait = max(0.0, self._next - self.clock()) if signed_in else None
        return SyncState(
            configured=bool(self.server),
            signed_in=signed_in,
            online=self._online,
            running=self._running,
            pending=int(counts["pending"]),
            conflicts=int(counts["conflicts"]),
            last_sync=self._last_sync or counts["last_pull"],
            last_error=self._last_error,
            last_report=self._last_report,
            next_attempt_in=wait,
        )

    def with_server(self, server: str | None) -> SyncLoop:
        """The same loop pointed at another server (the sync screen's setting)."""
        fresh = SyncLoop(
            self.store,
            server,
            self.user_id,
            interval=self.interval,
            transport=self.transport,
            clock=self.clock,
        )
        return fresh

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
