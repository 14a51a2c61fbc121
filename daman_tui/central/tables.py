"""Which tables travel between the stores, and how each is scoped.

The synced tables are the local models that carry the sync bookkeeping (``Synced``).
A table with a ``branch_id`` belongs to that branch's stream; the others (branches,
rule sets, payment cycles) are reference data every node reads from the global stream.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlmodel import SQLModel

from daman_tui.db import models
from daman_tui.db.models import Synced

__all__ = [
    "GLOBAL_STREAM",
    "branch_tables",
    "global_tables",
    "model_for",
    "synced_models",
    "synced_tables",
]

GLOBAL_STREAM = "*"
"""The stream of reference rows with no branch; a branch id is never ``*``."""


@cache
def synced_models() -> dict[str, type[Synced]]:
    """Every synced table's model by table name, parents before children (for inserts)."""
    by_table: dict[str, type[Synced]] = {}
    for name in models.__all__:
        cls = getattr(models, name)
        if isinstance(cls, type) and issubclass(cls, Synced) and hasattr(cls, "__table__"):
            by_table[str(cls.__tablename__)] = cls
    ordered = [t.name for t in SQLModel.metadata.sorted_tables if t.name in by_table]
    return {name: by_table[name] for name in ordered}


def model_for(entity: str) -> type[Synced] | None:
    return synced_models().get(entity)


def synced_tables() -> list[sa.Table]:
    return [m.__table__ for m in synced_models().values()]  # type: ignore[attr-defined]


def branch_tables() -> list[sa.Table]:
    return [t for t in synced_tables() if "branch_id" in t.c]


def global_tables() -> list[sa.Table]:
    return [t for t in synced_tables() if "branch_id" not in t.c]
