"""Reads their caller can give up: a superseded search stops inside SQLite.

A worker thread cannot be stopped from outside, and a read SQLite is running ignores
Python until it returns; a name typed letter by letter would leave one running query
per letter, each taking the processor from the one that matters. SQLite's progress
handler asks the caller every few thousand virtual-machine steps whether to go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

__all__ = ["PROGRESS_STEPS", "Cancelled", "cancellable"]

PROGRESS_STEPS = 20_000
"""SQLite steps between two looks at the caller (well under a millisecond)."""


class Cancelled(Exception):
    """The read was given up: its caller no longer wants the answer."""


@contextmanager
def cancellable(conn: Connection, cancelled: Callable[[], bool] | None) -> Iterator[None]:
    """Run the block's statements on ``conn`` so that ``cancelled()`` turning true stops
    them (:class:`Cancelled` is raised). ``None``: an ordinary read."""
    if cancelled is None:
        yield
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.set_progress_handler(lambda: 1 if cancelled() else 0, PROGRESS_STEPS)
    try:
        yield
    except sa.exc.OperationalError as exc:
        if cancelled() and "interrupted" in str(exc.orig):
            raise Cancelled from exc
        raise
    finally:
        raw.set_progress_handler(None, 0)
