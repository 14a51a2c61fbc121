"""Two nodes of a branch and one of another, through the real service."""

from __future__ import annotations

from sqlmodel import select

from daman_tui.db.models import Application, AppUser, Branch, OutboxEntry
from daman_tui.domain.enums import OutboxState
from daman_tui.services.auth import authenticate
from tests.conftest import PASSWORD
from tests.services.test_case_actions import _submitted


def test_a_case_made_on_one_node_reaches_the_other_and_not_the_other_branch(node_factory, staff):
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
    app_id = _submitted(a, type(staff)(**{**staff.__dict__, "clerk": clerk}))
    report = client_a.sync()
    assert report.pushed.get("rejected", 0) == 0, _debug(a)
    with a.read() as s:
        states = {e.state for e in s.exec(select(OutboxEntry)).all()}
    assert states <= {OutboxState.APPLIED}
    client_b.sync()
    client_j.sync()
    with b.read() as s:
        assert s.get(Application, app_id) is not None
    with j.read() as s:
        assert s.get(Application, app_id) is None


def _debug(store):
    with store.read() as s:
        return [
            (e.seq, e.entity, e.op, e.state, e.result, e.payload)
            for e in s.exec(select(OutboxEntry)).all()
            if e.state != OutboxState.APPLIED
        ]
