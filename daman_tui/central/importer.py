"""Bringing a local store's rows into the central store (``daman central import``).

For a branch that worked on its own before the central store existed, and for seeding a
central store with demo data. Runs as the admin role (it writes every branch and the
reference tables); the change log records every row, so nodes pull them like any change.
A row already present centrally is left as it is: importing twice changes nothing, and
an import cut short is finished by running it again. Each chunk is its own transaction:
a pull page never splits a transaction, so one transaction of a whole branch would be
one page of millions of rows.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Engine

from daman_tui.central.tables import synced_tables

__all__ = ["import_store"]

CHUNK = 2000


def import_store(
    local: Engine, central: Engine, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every synced row of ``local`` that ``central`` lacks; counts by table."""
    counts: dict[str, int] = {}
    with local.connect() as src, central.connect() as dst:
        for table in synced_tables():
            added = 0
            stmt = (
                pg_insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
            )
            result = src.execution_options(stream_results=True).execute(sa.select(table))
            while chunk := result.fetchmany(CHUNK):
                rows = [dict(r._mapping) for r in chunk]
                with dst.begin():
                    added += len(dst.execute(stmt, rows).all())
                if progress:
                    progress(table.name, added)
            counts[table.name] = added
    return counts
