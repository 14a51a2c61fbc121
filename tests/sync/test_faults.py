"""Randomised fault injection: several nodes and central writers, requests and replies cut.

Each seed plays a few dozen steps — nodes editing, deleting and adding rows, central
writers editing, nodes syncing through a transport that drops a request before it
reaches the service or loses the reply after the service acted — then lets every node
sync with the network whole and checks, at quiescence:

- every local change has exactly one recorded outcome, the same here and centrally;
- no effect appears twice (one idempotency record and at most one conflict per change,
  each row version logged once);
- every node equals the central store for its branch;
- no node holds a row of another branch.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from daman_tui.central.tables import branch_tables
from daman_tui.db.models import AppUser, Contact, Person
from daman_tui.domain.enums import OutboxState
from daman_tui.domain.ids import new_id
from daman_tui.services.auth import authenticate
from daman_tui.services.store import Store
from daman_tui.sync.client import SyncClient, SyncError
from tests.conftest import PASSWORD
from tests.sync.helpers import delete, edit, outbox

FIELDS = ("email", "mobile", "home_phone")


class Faulty(httpx.BaseTransport):
    """Cuts a request before the service sees it, or its reply after the service acted."""

    def __init__(self, rng: random.Random, rate: float) -> None:
        self.inner = httpx.HTTPTransport()
        self.rng = rng
        self.rate = rate
        self.cut = Counter[str]()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        roll = self.rng.random()
        if roll < self.rate / 2:
            self.cut["request"] += 1
            raise httpx.ConnectError("cut before sending", request=request)
        response = self.inner.handle_request(request)
        if roll < self.rate:
            response.read()
            self.cut["reply"] += 1
            raise httpx.ReadError("reply lost", request=request)
        return response


def _value(rng: random.Random, field: str) -> str:
    if field == "email":
        return f"u{rng.randrange(10**6)}@x.sa"
    if field == "mobile":
        return f"05{rng.randrange(10**8):08d}"
    return f"011{rng.randrange(10**7):07d}"


def _live_contacts(store: Store) -> list[Contact]:
    with store.read() as s:
        return list(s.exec(select(Contact).where(Contact.deleted_at.is_(None))).all())  # type: ignore[union-attr]


def _add_contact(store: Store, username: str, rng: random.Random) -> None:
    actor = authenticate(store, username, PASSWORD)
    with store.read() as s:
        people = s.exec(select(Person).where(Person.branch_id == actor.branch_id)).all()
    person = rng.choice(list(people))
    with store.write(actor) as uow:
        uow.add(Contact(branch_id=actor.branch_id, person_id=person.id, email=_value(rng, "email")))


def _central_edit(central: Any, rng: random.Random) -> None:
    with central.admin.begin() as conn:
        row = conn.execute(
            sa.text(
                "SELECT id FROM contact WHERE deleted_at IS NULL ORDER BY md5(id || :salt) LIMIT 1"
            ),
            {"salt": str(rng.random())},
        ).scalar()
        field = rng.choice(FIELDS)
        conn.execute(
            sa.text(
                f"UPDATE contact SET {field} = :v, row_version = row_version + 1, "
                "updated_at = now() WHERE id = :i"
            ),
            {"v": _value(rng, field), "i": row},
        )


def _play(seed: int, nodes: list[tuple[Store, SyncClient, str]], central: Any) -> Counter[str]:
    rng = random.Random(seed)
    done = Counter[str]()
    for _ in range(40):
        roll = rng.random()
        store, client, username = rng.choice(nodes)
        if roll < 0.35:
            contacts = _live_contacts(store)
            if contacts:
                field = rng.choice(FIELDS)
                edit(
                    store, username, Contact, rng.choice(contacts).id, **{field: _value(rng, field)}
                )
                done["edit"] += 1
        elif roll < 0.42:
            contacts = _live_contacts(store)
            if contacts:
                delete(store, username, Contact, rng.choice(contacts).id)
                done["delete"] += 1
        elif roll < 0.50:
            _add_contact(store, username, rng)
            done["add"] += 1
        elif roll < 0.62:
            _central_edit(central, rng)
            done["central"] += 1
        else:
            try:
                client.sync()
                done["sync"] += 1
            except SyncError:
                done["sync_failed"] += 1
    return done


def _quiesce(nodes: list[tuple[Store, SyncClient, str]]) -> None:
    for _ in range(2):  # a second round pulls what the others pushed in the first
        for _store, client, _username in nodes:
            client.sync()


def _node_rows(store: Store, table: sa.Table) -> dict[str, tuple[Any, ...]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(table)).mappings().all()
    return {r["id"]: r for r in rows}  # type: ignore[misc]


def _compare(store: Store, central: Any, branch_id: str) -> None:
    withdrawn = {
        e.entity_id
        for e in outbox(store)
        if e.op == "insert" and e.state in (OutboxState.REJECTED, OutboxState.CONFLICT)
    }
    for table in branch_tables():
        with central.admin.connect() as conn:
            central_rows = {
                r["id"]: r
                for r in conn.execute(
                    sa.select(table).where(table.c.branch_id == branch_id)
                ).mappings()
            }
        local_rows = _node_rows(store, table)
        foreign = [r for r in local_rows.values() if r["branch_id"] != branch_id]  # type: ignore[index]
        assert not foreign, f"{table.name}: rows of another branch on a node"
        local_ids = set(local_rows) - withdrawn
        assert local_ids == set(central_rows), table.name
        for row_id in local_ids:
            mine, theirs = local_rows[row_id], central_rows[row_id]
            skip = {"updated_at", "created_at", "last_login_at", "failed_attempts", "locked_until"}
            for column in table.c:
                if column.name in skip:
                    continue
                assert mine[column.name] == theirs[column.name], (  # type: ignore[index]
                    f"{table.name}.{column.name} of {row_id}"
                )


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_faults_at_every_step_lose_nothing_and_duplicate_nothing(
    seed, node_factory, central, server
):
    rng = random.Random(seed * 7919)
    names = ["clerk", "supervisor", "field_officer", "other_clerk"]
    nodes: list[tuple[Store, SyncClient, str]] = []
    transports: list[Faulty] = []
    for username in names:
        store, client = node_factory(username)
        client.sync()
        faulty = Faulty(rng, rate=0.3)
        transports.append(faulty)
        client.http = httpx.Client(base_url=server.url, transport=faulty)
        nodes.append((store, client, username))
    done = _play(seed, nodes, central)
    assert done["sync"] + done["sync_failed"] > 5
    assert sum(t.cut["reply"] for t in transports) > 0
    for faulty in transports:
        faulty.rate = 0.0
    _quiesce(nodes)

    with central.admin.connect() as conn:
        recorded = {
            (r.node_id, r.seq): r.outcome
            for r in conn.execute(sa.text("SELECT node_id, seq, outcome FROM applied_mutation"))
        }
        doubled = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT node_id, outbox_seq FROM sync_conflict "
                "GROUP BY 1, 2 HAVING count(*) > 1) d"
            )
        ).scalar()
        relogged = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT entity, entity_id, row_version FROM change_log "
                "GROUP BY 1, 2, 3 HAVING count(*) > 1) d"
            )
        ).scalar()
    assert set(Counter(recorded.values())) <= {"applied", "merged", "conflict", "rejected"}
    assert doubled == 0
    assert relogged == 0
    for store, _client, username in nodes:
        entries = outbox(store)
        assert entries and all(e.state != OutboxState.PENDING for e in entries)
        for e in entries:
            assert recorded[(e.node_id, e.seq)] == e.state.value, (username, e.seq)
        with store.read() as s:
            branch_id = s.exec(select(AppUser.branch_id).where(AppUser.username == username)).one()
        _compare(store, central, branch_id)


def test_ids_of_new_rows_never_collide_across_nodes():
    # Rows are born offline on many nodes: UUIDv7 with random bits, never a counter.
    assert len({new_id() for _ in range(20000)}) == 20000
