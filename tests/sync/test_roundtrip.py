"""Two nodes of a branch and one of another, through the real service."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from daman_tui.db.models import Application, AppUser, Branch, Contact, OutboxEntry
from daman_tui.domain.enums import OutboxState
from daman_tui.services.auth import authenticate
from daman_tui.sync.client import SyncClient
from tests.conftest import PASSWORD
from tests.services.test_case_actions import _submitted
from tests.sync.helpers import edit, first_id, local_row


def test_a_case_made_on_one_node_reaches_the_other_and_not_the_other_branch(
    node_factory, central_staff
):
    a, client_a = node_factory("clerk")
    b, client_b = node_factory("supervisor")
    j, client_j = node_factory("other_clerk")
    for client in (client_a, client_b, client_j):
        client.sync()
    with a.read() as s:
        assert {u.username for u in s.exec(select(AppUser)).all()} >= {"clerk", "supervisor"}
        assert "other_clerk" not in {u.username for u in s.exec(select(AppUser)).all()}
        assert len(s.exec(select(Branch)).all()) == 2
    clerk = authenticate(a, "clerk", PASSWORD)
    app_id = _submitted(a, type(central_staff)(**{**central_staff.__dict__, "clerk": clerk}))
    report = client_a.sync()
    assert report.pushed.get("rejected", 0) == 0, _pending_states(a)
    with a.read() as s:
        states = {e.state for e in s.exec(select(OutboxEntry)).all()}
    assert states <= {OutboxState.APPLIED}
    client_b.sync()
    client_j.sync()
    with b.read() as s:
        assert s.get(Application, app_id) is not None
    with j.read() as s:
        assert s.get(Application, app_id) is None


def _pending_states(store):
    """The entries that did not apply, with why: what a failed assertion should show."""
    with store.read() as s:
        return [
            (e.seq, e.entity, e.op, e.state, e.result)
            for e in s.exec(select(OutboxEntry)).all()
            if e.state != OutboxState.APPLIED
        ]


def test_instances_of_the_service_share_nothing_but_the_database(node_factory, central, server):
    from tests.sync.fixtures import Served

    second = Served(central.service)
    try:
        a, client_a = node_factory("clerk")
        client_a.sync()
        contact_id = first_id(a, Contact)
        edit(a, "clerk", Contact, contact_id, email="two@x.sa")
        # The token from the first instance works on the second: sessions live in the
        # database, not in a process.
        moved = SyncClient(a, second.url, token=client_a.token)
        moved.resume()
        moved.sync()
        client_a.sync()
        assert local_row(a, Contact, contact_id).email == "two@x.sa"
        moved.close()
    finally:
        second.stop()


def test_a_first_sync_rebuilds_the_queue_once_and_lists_every_case(node_factory, monkeypatch):
    from daman_tui.services import queue_index
    from daman_tui.sync import client as client_module

    rewrites: list[int] = []
    real_refresh = queue_index.refresh
    monkeypatch.setattr(client_module, "BULK_PULL", 10)
    monkeypatch.setattr(
        queue_index,
        "refresh",
        lambda s, ids, *a, **k: rewrites.append(len(ids)) or real_refresh(s, ids, *a, **k),
    )
    node, client = node_factory("supervisor")
    client.sync()
    assert sum(rewrites) == 0  # not kept row by row while pages arrive
    with node.engine.connect() as conn:
        assert not queue_index.needs_rebuild(conn)
        queued = conn.execute(sa.text("SELECT count(*) FROM queue_row")).scalar()
        cases = conn.execute(sa.text("SELECT count(*) FROM application")).scalar()
    assert queued == cases == 6
