"""The case queue's own table: one row per application, everything the queue shows,
filters, sorts and searches by, in one place. Derived and local: rebuilt from the
file's rows whenever its version changes, never synced.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from daman_tui.db.models.base import BranchScoped, fk

__all__ = [
    "QUEUE_FTS",
    "QUEUE_SORTS",
    "DerivedState",
    "QueueRow",
    "SavedFilter",
    "outside_models",
]

QUEUE_SORTS = (
    "request_number",
    "name_key",
    "national_id",
    "status",
    "branch_code",
    "assignee_name",
    "due_on",
    "last_change_at",
)
"""The columns the queue sorts by; each has an index ending in ``seq`` for keyset pages."""

QUEUE_FTS = "queue_fts"
"""The FTS5 trigram index over ``queue_row.name_key`` (created by migration 0003)."""


def outside_models(name: str | None, type_: str, _parent: object = None) -> bool:
    """Alembic's ``include_name``: False for the FTS index and its shadow tables, which
    the migration creates by hand (no model describes a virtual table)."""
    return not (type_ == "table" and name is not None and name.startswith(QUEUE_FTS))


class QueueRow(SQLModel, table=True):
    """One application as the queue sees it.

    ``seq`` is an integer key of this table's own: the FTS index refers to rows by it
    (a VACUUM may renumber an implicit rowid, never an INTEGER PRIMARY KEY) and it breaks
    ties in every keyset order.
    """

    __tablename__ = "queue_row"
    __table_args__ = (
        *(
            sa.Index(f"ix_queue_row_{column}_seq", column, "seq")
            for column in QUEUE_SORTS
            if column != "last_change_at"
        ),
        # The default order carries what most filters check (status, an ID prefix, the
        # branch): a window walking it reads the index alone, never the table (17 → 1.4
        # ms for a prefix 1% of a million cases match).
        sa.Index(
            "ix_queue_row_last_change_walk",
            "last_change_at",
            "seq",
            "status",
            "national_id",
            "branch_id",
        ),
        sa.Index("ix_queue_row_status_changed", "status", "last_change_at", "seq"),
    )

    seq: int | None = Field(default=None, primary_key=True)
    application_id: str = Field(unique=True, max_length=36)
    branch_id: str = Field(max_length=36, index=True)
    branch_code: str = Field(max_length=16)
    request_number: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    status: str = Field(max_length=32)
    national_id: str = Field(max_length=10)
    name: str = Field(max_length=250)  # the head's four-part name, as stored
    name_key: str = Field(max_length=250)  # the same, normalised for search and sorting
    assigned_to: str | None = Field(default=None, max_length=36, index=True)
    assignee_name: str = Field(default="", max_length=200)
    submitted_at: datetime | None = None
    due_on: date | None = None  # the decision's due day while the clock runs
    clock: str = Field(max_length=16)  # the clock's state when the row was written
    last_change_at: datetime


class DerivedState(SQLModel, table=True):
    """Which version of a derived table the store holds (rebuilt when it is older)."""

    __tablename__ = "derived_state"

    name: str = Field(primary_key=True, max_length=32)
    version: int
    built_at: datetime


class SavedFilter(BranchScoped, table=True):
    """A user's named queue view: filters, search and sort as JSON
    (``services/queue.QueueQuery``). Synced, so it follows its owner to another
    terminal of the branch."""

    __tablename__ = "saved_filter"

    user_id: str = fk("app_user.id")
    name: str = Field(max_length=60)
    query: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
