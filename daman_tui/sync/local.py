"""The node's side of sync inside its SQLite store: the outbox to push, the outcomes to
record, the pulled rows to apply, the cursors, and a new identity when the service finds
this store's numbers already used (a restored or copied file)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Session, SQLModel, col, func, select

from daman_tui.central.tables import model_for
from daman_tui.db.models import (
    AppUser,
    NodeState,
    OutboxEntry,
    SyncConflict,
    SyncCursor,
    SyncSession,
)
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import OutboxState
from daman_tui.domain.ids import new_id
from daman_tui.domain.request_numbers import node_tag_for
from daman_tui.services import queue_index
from daman_tui.services.store import Store
from daman_tui.sync.protocol import Change, Mutation, Outcome, update_fields

__all__ = [
    "apply_changes",
    "cursor",
    "pending_batch",
    "rebuild_queue",
    "record_outcomes",
    "renew_node",
    "status",
    "user_id_for",
]


def pending_batch(store: Store, limit: int) -> tuple[str, list[tuple[Mutation, str | None]]]:
    """This node's id and its oldest pending mutations (with their authors), in order."""
    with store.read() as session:
        node = session.get(NodeState, "local")
        assert node is not None
        entries = session.exec(
            select(OutboxEntry)
            .where(OutboxEntry.state == OutboxState.PENDING, OutboxEntry.node_id == node.node_id)
            .order_by(col(OutboxEntry.seq))
            .limit(limit)
        ).all()
        batch = [
            (
                Mutation.make(e.seq, e.entity, e.entity_id, e.op, e.base_version, e.payload),
                e.actor_id,
            )
            for e in entries
        ]
        return node.node_id, batch


_STATE = {
    "applied": OutboxState.APPLIED,
    "merged": OutboxState.MERGED,
    "conflict": OutboxState.CONFLICT,
    "rejected": OutboxState.REJECTED,
}


def record_outcomes(store: Store, node_id: str, outcomes: Iterable[Outcome]) -> None:
    """Each pushed entry's one outcome; an entry already decided keeps its first one.

    Where the service kept its own row (a conflict, a refusal), that row replaces the
    local one at once; a row the central store refused to create is withdrawn here (a
    tombstone of this store only: the conflict record keeps what was entered).
    """
    with Session(store.engine) as session, session.begin():
        central: list[tuple[str, str, dict[str, Any]]] = []
        withdrawn: list[tuple[str, str]] = []
        outcomes = list(outcomes)
        entries = {
            e.seq: e
            for e in session.exec(
                select(OutboxEntry).where(
                    OutboxEntry.node_id == node_id,
                    col(OutboxEntry.seq).in_([o.seq for o in outcomes]),
                )
            ).all()
        }
        for outcome in outcomes:
            entry = entries[outcome.seq]
            if entry.state != OutboxState.PENDING:
                continue
            entry.state = _STATE[outcome.outcome.value]
            entry.attempts += 1
            entry.result = {
                k: v for k, v in outcome.to_json().items() if k not in ("central", "withdrawn")
            }
            session.add(entry)
            if outcome.central is not None:
                central.append((entry.entity, entry.entity_id, outcome.central))
            elif outcome.withdrawn:
                withdrawn.append((entry.entity, entry.entity_id))
        session.flush()
        touched = _withdraw(session, withdrawn)
        touched |= _write_rows(session, central)
        queue_index.refresh(session, queue_index.affected_applications(session, touched))


def _referrers() -> dict[str, list[tuple[sa.Table, sa.Column[Any]]]]:
    """For each table, the columns of other tables that refer to its rows."""
    found: dict[str, list[tuple[sa.Table, sa.Column[Any]]]] = defaultdict(list)
    for table in SQLModel.metadata.sorted_tables:
        for key in table.foreign_keys:
            found[key.column.table.name].append((table, key.parent))
    return found


def _withdraw(session: Session, rows: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Remove rows the central store refused to create, with every local row that hangs
    off them (a refused person's household, its application, their drafts).

    They exist nowhere else, and a local row holding a natural key (a national ID) would
    stop the central row with that key from being shown here. What was entered is kept
    in the conflict record and the outbox; an entry of a removed row not pushed yet is
    recorded as refused, since its parent cannot exist centrally.
    """
    if not rows:
        return set()
    conn = session.connection()
    # Checked at commit, when parents and children are all gone.
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    referrers = _referrers()
    doomed: dict[str, set[str]] = defaultdict(set)
    todo = list(rows)
    while todo:
        entity, row_id = todo.pop()
        if row_id in doomed[entity]:
            continue
        doomed[entity].add(row_id)
        for table, column in referrers.get(entity, []):
            if "id" not in table.c:
                continue
            for child in conn.execute(sa.select(table.c.id).where(column == row_id)).scalars():
                todo.append((table.name, str(child)))
    touched: set[tuple[str, str]] = set()
    for entity, ids in doomed.items():
        table = SQLModel.metadata.tables[entity]
        conn.execute(sa.delete(table).where(table.c.id.in_(ids)))
        touched |= {(entity, i) for i in ids}
        session.execute(
            sa.update(OutboxEntry)
            .where(
                col(OutboxEntry.entity) == entity,
                col(OutboxEntry.entity_id).in_(ids),
                col(OutboxEntry.state) == OutboxState.PENDING,
            )
            .values(
                state=OutboxState.REJECTED,
                result={"outcome": "rejected", "code": "parent.withdrawn"},
            )
        )
    return touched


def note_attempt(store: Store, node_id: str, seqs: Sequence[int]) -> None:
    """A push that got no answer: the entries stay pending, one attempt more."""
    with Session(store.engine) as session, session.begin():
        session.execute(
            sa.update(OutboxEntry)
            .where(col(OutboxEntry.node_id) == node_id, col(OutboxEntry.seq).in_(seqs))
            .values(attempts=OutboxEntry.attempts + 1)
        )


def renew_node(store: Store) -> str:
    """Take a new node id, moving the pending entries to it (numbered from 1 again).

    Entries already decided keep the old id: their outcomes belong to it.
    """
    with Session(store.engine) as session, session.begin():
        node = session.get(NodeState, "local")
        assert node is not None
        old = node.node_id
        fresh = new_id()
        pending = session.exec(
            select(OutboxEntry)
            .where(OutboxEntry.node_id == old, OutboxEntry.state == OutboxState.PENDING)
            .order_by(col(OutboxEntry.seq))
        ).all()
        for number, entry in enumerate(pending, start=1):
            entry.node_id = fresh
            entry.seq = number
            session.add(entry)
        node.node_id = fresh
        node.node_tag = node_tag_for(fresh)
        node.next_outbox_seq = len(pending) + 1
        session.add(node)
        return fresh


def cursor(store: Store, stream: str) -> int:
    with store.read() as session:
        row = session.get(SyncCursor, stream)
        return int(row.position) if row else 0


def _pending_fields(
    session: Session, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], set[str]]:
    """For rows with local changes not yet pushed, the fields those changes set."""
    if not keys:
        return {}
    ids = {row_id for _, row_id in keys}
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    entries = session.exec(
        select(OutboxEntry).where(
            OutboxEntry.state == OutboxState.PENDING, col(OutboxEntry.entity_id).in_(ids)
        )
    ).all()
    for e in entries:
        key = (e.entity, e.entity_id)
        if key not in keys:
            continue
        if e.op == "update":
            found[key] |= set(update_fields(e.payload)[0])
        elif e.op == "delete":
            found[key] |= {"deleted_at", "row_version"}
        else:
            found[key] |= {"*"}
    return found


def apply_changes(
    store: Store, stream: str, changes: Sequence[Change], position: int, *, bulk: bool = False
) -> int:
    """Apply one pulled page and move the stream's cursor to ``position``, together.

    The cursor never moves back. Returns how many rows were written. ``bulk``: one page
    of many (a first sync): the queue's table is not kept row by row — a case's rows
    arrive over several pages and its queue row would be rewritten each time — but marked
    for :func:`rebuild_queue` at the end (or when the store next opens).
    """
    with Session(store.engine) as session, session.begin():
        touched = _write_rows(session, [(c.entity, c.entity_id, c.row) for c in changes])
        if bulk:
            queue_index.invalidate(session.connection())
        else:
            queue_index.refresh(session, queue_index.affected_applications(session, touched))
        row = session.get(SyncCursor, stream)
        if row is None:
            row = SyncCursor(stream=stream, position=str(position))
        elif position > int(row.position):
            row.position = str(position)
        row.updated_at = utcnow()
        session.add(row)
    return sum(1 for c in changes if model_for(c.entity) is not None)


def rebuild_queue(store: Store) -> None:
    """Rebuild the queue's table after a bulk pull."""
    with Session(store.engine) as session, session.begin():
        queue_index.rebuild(session.connection())


def _write_rows(
    session: Session, rows: Sequence[tuple[str, str, dict[str, Any]]]
) -> set[tuple[str, str]]:
    """Write central rows over the local ones, in order.

    A row this node has changed and not yet pushed keeps its local values of those fields
    (the push that follows decides them): local work stays on screen while a pull
    applies. Runs of one table (parents stay before their children) are written by one
    statement over many rows.
    """
    pending = _pending_fields(session, {(entity, row_id) for entity, row_id, _ in rows})
    conn = session.connection()
    touched: set[tuple[str, str]] = set()
    run_entity = ""
    run: list[tuple[Any, ...]] = []
    for entity, row_id, row in rows:
        if model_for(entity) is None:
            continue  # a table this version does not know yet: a newer service
        _, columns = _upsert_plan(entity, conn.dialect)
        values = [
            row.get(name) if convert is None else convert(row.get(name))
            for name, convert in columns
        ]
        keep = pending.get((entity, row_id))
        if keep:
            if "*" in keep:
                continue
            local = conn.exec_driver_sql(f"SELECT * FROM {entity} WHERE id = ?", (row_id,)).first()
            if local is not None:
                for index, (name, _) in enumerate(columns):
                    if name in keep:
                        values[index] = local._mapping[name]
        if entity != run_entity and run:
            conn.exec_driver_sql(_upsert_plan(run_entity, conn.dialect)[0], run)
            run = []
        run_entity = entity
        run.append(tuple(values))
        touched.add((entity, row_id))
    if run:
        conn.exec_driver_sql(_upsert_plan(run_entity, conn.dialect)[0], run)
    return touched


Converter = Callable[[Any], Any]


@cache
def _upsert_plan(
    entity: str, dialect: Dialect
) -> tuple[str, tuple[tuple[str, Converter | None], ...]]:
    """The statement that inserts a row or overwrites every column of the row with its
    id, and per column how a pulled JSON value becomes what the driver stores: ISO text
    parsed, then the column type's own bind processor. Rows go to the driver as tuples:
    validating each row (pydantic) or SQLAlchemy's per-row parameter handling cost more
    than SQLite's write."""
    model = model_for(entity)
    assert model is not None
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    names = [c.name for c in table.c]
    quote = dialect.identifier_preparer.quote
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names if n != "id")
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)}) ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    return sql, tuple((c.name, _converter(c, dialect)) for c in table.c)


_FROM_TEXT: dict[type, Callable[[str], Any]] = {
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    time: time.fromisoformat,
}


def _python_type(column: sa.Column[Any]) -> type | None:
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:  # JSON and other types with no single Python type
        return None


def _converter(column: sa.Column[Any], dialect: Dialect) -> Converter | None:
    parse = _FROM_TEXT.get(_python_type(column) or object)
    bind = column.type._cached_bind_processor(dialect)
    if parse is None:
        return bind
    if bind is None:
        return lambda value: parse(value) if isinstance(value, str) else value
    return lambda value: bind(parse(value) if isinstance(value, str) else value)


def save_session(store: Store, user_id: str, server: str, token: str, expires: datetime) -> None:
    with Session(store.engine) as session, session.begin():
        row = session.get(SyncSession, user_id) or SyncSession(
            user_id=user_id, server=server, token=token, expires_at=expires
        )
        row.server, row.token, row.expires_at = server, token, expires
        session.add(row)


def saved_session(store: Store, user_id: str) -> SyncSession | None:
    with store.read() as session:
        return session.get(SyncSession, user_id)


def user_id_for(store: Store, username: str) -> str | None:
    """The local id of ``username``, once a sync has brought the branch's staff here."""
    with store.read() as session:
        return session.exec(select(AppUser.id).where(AppUser.username == username)).first()


def status(store: Store) -> dict[str, Any]:
    """What the sync indicator shows: pending entries, open conflicts, the last pull."""
    with store.read() as session:
        pending = session.exec(
            select(func.count()).where(OutboxEntry.state == OutboxState.PENDING)
        ).one()
        conflicts = session.exec(
            select(func.count()).where(
                col(SyncConflict.resolution).is_(None), col(SyncConflict.deleted_at).is_(None)
            )
        ).one()
        last = session.exec(select(func.max(SyncCursor.updated_at))).one()
    return {"pending": int(pending), "conflicts": int(conflicts), "last_pull": last}
