"""The timer: due when signed in, backoff after failures, the state the header shows."""

from __future__ import annotations

import pytest

from daman_tui.db.models import Contact
from daman_tui.sync.client import SyncError
from daman_tui.sync.loop import INTERVAL, MAX_BACKOFF, SyncLoop
from tests.conftest import PASSWORD
from tests.sync.helpers import edit, first_id


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_without_a_server_the_loop_says_so(store, staff):
    loop = SyncLoop(store, None, staff.clerk.id)
    state = loop.state()
    assert not state.configured and not state.signed_in and state.online is None
    assert not loop.due()
    with pytest.raises(SyncError) as refused:
        loop.run_once()
    assert refused.value.code == "sync.not_configured"
    with pytest.raises(SyncError):
        loop.sign_in("clerk", PASSWORD)


def test_the_loop_syncs_when_due_and_backs_off_after_failures(node_factory, server):
    node, client = node_factory("clerk")
    client.sync()
    clock = Clock()
    user_id = client.sign_in("clerk", PASSWORD)
    loop = SyncLoop(node, server.url, user_id, clock=clock)
    assert loop.state().signed_in
    assert loop.due()
    edit(node, "clerk", Contact, first_id(node, Contact), email="loop@x.sa")
    assert loop.state().pending == 2
    report = loop.run_once()
    state = loop.state()
    assert sum(report.pushed.values()) == 2
    assert state.online is True and state.pending == 0 and state.last_sync is not None
    assert state.last_error is None
    assert not loop.due()
    clock.now += INTERVAL
    assert loop.due()
    # A change made now waits for the timer, not for another change.
    server.stop()
    waits = []
    for _ in range(6):
        clock.now += 10_000
        with pytest.raises(SyncError):
            loop.run_once()
        state = loop.state()
        assert state.online is False and state.last_error == "sync.offline"
        waits.append(state.next_attempt_in)
    assert waits[:3] == [INTERVAL * 2, INTERVAL * 4, INTERVAL * 8]
    assert max(waits) == MAX_BACKOFF
    loop.close()


def test_a_saved_sign_in_is_resumed_by_a_new_loop(node_factory, server):
    node, client = node_factory("supervisor")
    user_id = client.sign_in("supervisor", PASSWORD)
    loop = SyncLoop(node, server.url, user_id)
    report = loop.run_once()  # asks the service for its streams with the saved token
    assert report.pulled > 0
    other = SyncLoop(node, "http://elsewhere:1", user_id)
    assert not other.state().signed_in  # a token is for the server that issued it
