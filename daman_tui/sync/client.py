"""A node's sync with the service: push the outbox, then pull each stream.

Every local change ends in one recorded outcome; a request that fails leaves the entries
pending for the next attempt (a lost reply is a retry the service recognises). The
timer and backoff live in :class:`~daman_tui.sync.loop.SyncLoop`; this is one round.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from daman_tui.domain.errors import DomainError
from daman_tui.services.store import Store
from daman_tui.sync import local
from daman_tui.sync.protocol import PROTOCOL, Outcome, OutcomeKind, PullPage
from daman_tui.sync.service import TOKEN_LIFETIME

__all__ = ["Progress", "SyncClient", "SyncError", "SyncReport"]

PUSH_BATCH = 500
PULL_PAGE = 2000
BULK_PULL = 20_000
"""A pull behind by more rows than this (a first sync) rebuilds the queue's table once at
the end instead of keeping it row by row."""


class SyncError(DomainError):
    """A sync that could not finish; what was done before it stays done."""


def _offline(detail: str) -> SyncError:
    return SyncError(
        "sync.offline",
        "تعذر الوصول إلى خادم المزامنة. ستبقى التغييرات محفوظة هنا حتى تنجح المزامنة.",
        f"The sync server cannot be reached ({detail}). Changes stay here until a sync succeeds.",
    )


def _refused(code: str) -> SyncError:
    messages = {
        "auth.failed": ("اسم المستخدم أو كلمة المرور غير صحيحة.", "Wrong username or password."),
        "auth.token": (
            "انتهت جلسة المزامنة. سجّل الدخول إلى المزامنة من جديد.",
            "The sync sign-in has expired. Sign in to sync again.",
        ),
        "node.branch": (
            "هذا الجهاز مسجّل لفرع آخر.",
            "This device is registered to another branch.",
        ),
        "protocol.version": (
            "يلزم تحديث البرنامج قبل المزامنة. التغييرات محفوظة هنا.",
            "This version must be updated before it can sync. Changes are kept here.",
        ),
    }
    ar, en = messages.get(code, ("رفض الخادم الطلب.", "The server refused the request."))
    return SyncError(f"sync.{code}", ar, f"{en} ({code})")


Progress = Callable[[str, int, int], None]
"""Called as ``(stage, done, total)``: stage "push" or a stream being pulled."""


@dataclass
class SyncReport:
    pushed: dict[str, int] = field(default_factory=dict)
    """Outcomes of the pushed entries, by kind."""
    pulled: int = 0
    renewed_node: bool = False
    seconds: float = 0.0

    def count(self, kind: OutcomeKind) -> int:
        return self.pushed.get(kind.value, 0)


@dataclass
class SyncClient:
    store: Store
    server: str
    token: str | None = None
    streams: tuple[str, ...] = ()
    http: httpx.Client | None = None
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.http is None:
            self.http = httpx.Client(base_url=self.server, timeout=self.timeout)

    def close(self) -> None:
        if self.http is not None:
            self.http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        assert self.http is not None
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self.http.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise _offline(type(exc).__name__) from exc
        if response.status_code >= 500:
            raise _offline(f"HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise _offline("bad reply") from exc
        if response.status_code >= 400:
            raise _refused(str(data.get("error", response.status_code)))
        return dict(data)

    def sign_in(self, username: str, password: str) -> str:
        """Sign in as ``username``; the token is kept for this user on this store."""
        node = self.store.node()
        data = self._call(
            "POST",
            "/v1/session",
            json={
                "protocol": PROTOCOL,
                "username": username,
                "password": password,
                "node_id": node.node_id,
            },
        )
        self.token = str(data["token"])
        self.streams = tuple(data["streams"])
        local.save_session(
            self.store,
            str(data["user_id"]),
            self.server,
            self.token,
            datetime.now(UTC) + TOKEN_LIFETIME,
        )
        return str(data["user_id"])

    def resume(self) -> None:
        """Continue with a saved token: ask the service which streams it opens."""
        data = self._call("GET", "/v1/session")
        self.streams = tuple(data["streams"])

    def push(self, report: SyncReport, progress: Progress | None = None) -> None:
        done = 0
        total = local.status(self.store)["pending"]
        while True:
            node_id, batch = local.pending_batch(self.store, PUSH_BATCH)
            if not batch:
                return
            body = {
                "protocol": PROTOCOL,
                "node_id": node_id,
                "mutations": [{**m.to_json(), "actor_id": actor} for m, actor in batch],
            }
            try:
                data = self._call("POST", "/v1/push", json=body)
            except SyncError as error:
                if error.code == "sync.node.reused" and not report.renewed_node:
                    # A restored or copied store: its numbers belong to another history.
                    fresh = local.renew_node(self.store)
                    self._call("POST", "/v1/node", json={"protocol": PROTOCOL, "node_id": fresh})
                    report.renewed_node = True
                    continue
                local.note_attempt(self.store, node_id, [m.seq for m, _ in batch])
                raise
            outcomes = [Outcome.from_json(o) for o in data["outcomes"]]
            local.record_outcomes(self.store, node_id, outcomes)
            for outcome in outcomes:
                key = outcome.outcome.value
                report.pushed[key] = report.pushed.get(key, 0) + 1
            done += len(batch)
            if progress:
                progress("push", done, max(total, done))

    def pull(self, report: SyncReport, progress: Progress | None = None) -> None:
        bulk = False
        for stream in self.streams:
            after = local.cursor(self.store, stream)
            start = after
            while True:
                data = self._call(
                    "GET", "/v1/pull", params={"stream": stream, "after": after, "limit": PULL_PAGE}
                )
                page = PullPage.from_json(data)
                bulk = bulk or page.head - after > BULK_PULL
                if page.changes:
                    report.pulled += local.apply_changes(
                        self.store, stream, page.changes, page.next, bulk=bulk
                    )
                if progress:
                    progress(stream, page.next - start, max(page.head - start, 1))
                if not page.more or page.next <= after:
                    break
                after = page.next
        if bulk:
            if progress:
                progress("queue", 0, 1)
            local.rebuild_queue(self.store)

    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Push, then pull: one round. Raises :class:`SyncError` if it cannot finish."""
        report = SyncReport()
        started = time.perf_counter()
        if not self.streams:
            raise _refused("auth.token")
        self.push(report, progress)
        self.pull(report, progress)
        report.seconds = time.perf_counter() - started
        return report
