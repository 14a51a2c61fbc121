"""The local store as services see it: the engine, the settings and this node's identity.

One :class:`Store` per application, built by :meth:`Store.open` (never at import time).
Reads take a :meth:`Store.read` session; every change goes through :meth:`Store.write`,
which hands out a :class:`~daman_tui.services.uow.UnitOfWork` bound to one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from daman_tui.db.engine import make_engine
from daman_tui.db.migrate import upgrade
from daman_tui.db.models import NodeState
from daman_tui.domain.ids import new_id
from daman_tui.domain.permissions import Actor
from daman_tui.domain.request_numbers import node_tag_for
from daman_tui.services import queue_index
from daman_tui.services.uow import UnitOfWork
from daman_tui.settings import Settings

__all__ = ["Store", "StoreWatch"]


@dataclass
class Store:
    """An open local store."""

    engine: Engine
    settings: Settings

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        migrate: bool = True,
        on_rebuild: Callable[[], None] | None = None,
    ) -> Store:
        """Open (and create, and migrate to the newest schema) the store of ``settings``.

        ``on_rebuild`` is called before the queue's table is rebuilt (a new version of
        it: minutes at a million cases), so a command can say why it waits.
        """
        engine = make_engine(settings.db)
        if migrate:
            upgrade(engine)
        store = cls(engine=engine, settings=settings)
        store._ensure_node()
        if migrate:
            with engine.begin() as conn:
                if (
                    on_rebuild is not None
                    and queue_index.needs_rebuild(conn)
                    and queue_index.has_applications(conn)
                ):
                    on_rebuild()
                queue_index.ensure_built(conn)
        return store

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, actor: Actor | None) -> Iterator[UnitOfWork]:
        """One transaction: rows, audit entries and outbox entries commit together or not at all."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            node = session.get(NodeState, "local")
            if node is None:
                raise RuntimeError("the store has no node identity; open it with Store.open")
            uow = UnitOfWork(session=session, actor=actor, node=node)
            yield uow
            # The queue's rows follow in the same transaction: never a queue that shows
            # what the file no longer says.
            queue_index.refresh(session, queue_index.affected_applications(session, uow.touched))

    def watch(self) -> StoreWatch:
        """A watch that tells when anyone (this process, a sync, another program) has
        committed a change since it was last asked."""
        return StoreWatch(self.engine.raw_connection())

    def node(self) -> NodeState:
        """This store's node identity."""
        with self.read() as session:
            node = session.get(NodeState, "local")
            if node is None:
                raise RuntimeError("the store has no node identity")
            return node

    def _ensure_node(self) -> None:
        with Session(self.engine) as session, session.begin():
            if session.get(NodeState, "local") is None:
                node_id = new_id()
                session.add(NodeState(node_id=node_id, node_tag=node_tag_for(node_id)))


class StoreWatch:
    """Polls SQLite's ``data_version``: it moves when a commit was made on any other
    connection to the file — every write of this process (they use pooled
    connections, never this one), a sync, a second terminal on the same store.
    Costs a few microseconds a call, so a screen can ask every second."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection
        self._last = self._version()

    def _version(self) -> int:
        cursor = self._connection.cursor()
        try:
            return int(cursor.execute("PRAGMA data_version").fetchone()[0])
        finally:
            cursor.close()

    def changed(self) -> bool:
        """True once after each change."""
        version = self._version()
        if version == self._last:
            return False
        self._last = version
        return True

    def close(self) -> None:
        self._connection.close()
