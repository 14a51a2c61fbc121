"""A read given up by its caller stops inside SQLite, and the connection stays usable."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from daman_tui.db.cancel import Cancelled, cancellable
from daman_tui.db.engine import make_engine

# A query that runs for minutes unless stopped: a recursive count to a billion.
_ENDLESS = sa.text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000)"
    " SELECT count(*) FROM n"
)


def test_a_cancelled_read_stops_and_the_connection_reads_again(tmp_path) -> None:
    engine = make_engine(tmp_path / "store.db")
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.perf_counter()
    with engine.connect() as conn:
        with pytest.raises(Cancelled), cancellable(conn, stop.is_set):
            conn.execute(_ENDLESS).scalar_one()
        assert time.perf_counter() - started < 10
        # The handler is gone: the next read on the same connection runs to its end.
        assert conn.execute(sa.text("SELECT 41 + 1")).scalar_one() == 42
    engine.dispose()


def test_a_read_not_cancelled_gives_its_answer(tmp_path) -> None:
    engine = make_engine(tmp_path / "store.db")
    small = sa.text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
        " SELECT count(*) FROM n"
    )
    with engine.connect() as conn, cancellable(conn, lambda: False):
        assert conn.execute(small).scalar_one() == 100000
    with engine.connect() as conn, cancellable(conn, None):
        assert conn.execute(small).scalar_one() == 100000
    engine.dispose()


def test_an_error_that_is_not_a_cancel_passes_through(tmp_path) -> None:
    engine = make_engine(tmp_path / "store.db")
    with (
        engine.connect() as conn,
        pytest.raises(sa.exc.OperationalError),
        cancellable(conn, lambda: False),
    ):
        conn.execute(sa.text("SELECT * FROM no_such_table"))
    engine.dispose()
