"""The engine factory for the local SQLite store. Never built at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry

__all__ = ["make_engine"]

BUSY_TIMEOUT_MS = 5000

MMAP_BYTES = 1 << 30
"""How much of the store SQLite may map into memory (read through the OS page cache)."""

CACHE_KIB = 64 * 1024
"""SQLite's page cache per connection, in KiB."""


def _on_connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets the UI read while a worker writes; foreign keys are off by default in
    # SQLite; NORMAL sync is durable in WAL mode except on power loss mid-checkpoint.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Reads by row id (a search's matches, a case's rows) land anywhere in a store of
    # many gigabytes: mapped pages cost no system call each, and a larger page cache
    # keeps the queue's indexes in the process. Both are limits, not allocations.
    cur.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cur.close()


def make_engine(path: Path | str, *, echo: bool = False) -> Engine:
    """An engine on the SQLite file at ``path`` (created with its folder if missing).

    ``":memory:"`` gives a private in-memory store (tests), shared by every session of
    the engine through a single connection.
    """
    if str(path) == ":memory:":
        engine = sa.create_engine(
            "sqlite://",
            echo=echo,
            connect_args={"check_same_thread": False},
            poolclass=sa.pool.StaticPool,
        )
    else:
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            f"sqlite:///{file}",
            echo=echo,
            connect_args={"check_same_thread": False},
        )
    sa.event.listen(engine, "connect", _on_connect)
    return engine
