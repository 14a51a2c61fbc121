"""The audit chain and the sync bookkeeping: outbox, cursors and conflicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from daman_tui.db.models.base import BranchScoped, enum_field
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import OutboxState

__all__ = ["AuditEntry", "OutboxEntry", "SyncConflict", "SyncCursor", "SyncSession"]


class AuditEntry(SQLModel, table=True):
    """One append-only audit entry, chained to the one before by its hash.

    ``seq`` is the local order the chain is verified in; editing, deleting or reordering
    an entry breaks every hash after it.
    """

    __tablename__ = "audit_entry"

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(unique=True, max_length=36)
    at: datetime = Field(default_factory=utcnow)
    node_id: str = Field(max_length=36)
    actor_id: str | None = Field(default=None, max_length=36, index=True)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=48)
    entity_id: str = Field(max_length=36, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class OutboxEntry(SQLModel, table=True):
    """A local change waiting to be pushed, written in the same transaction as the change.

    ``seq`` is gap-free per node and, with ``node_id``, the idempotency key the server
    stores: a retried push of the same entry is recognised, never applied twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (sa.UniqueConstraint("node_id", "seq"),)

    pk: int | None = Field(default=None, primary_key=True)
    node_id: str = Field(max_length=36)
    seq: int = Field(ge=1)
    entity: str = Field(max_length=48)
    entity_id: str = Field(max_length=36)
    op: str = Field(max_length=16)  # insert | update | delete | transition
    base_version: int = Field(default=0, ge=0)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # Who made the change: the service judges it by that person's role, not by the role
    # of whoever happens to push (a counter terminal is shared).
    actor_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(default_factory=utcnow)
    state: OutboxState = enum_field(OutboxState, OutboxState.PENDING, index=True)
    attempts: int = Field(default=0, ge=0)
    result: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)


class SyncCursor(SQLModel, table=True):
    """How far this node has pulled, per stream; a cursor only ever moves forward."""

    __tablename__ = "sync_cursor"

    stream: str = Field(primary_key=True, max_length=64)
    position: str = Field(max_length=64)
    updated_at: datetime = Field(default_factory=utcnow)


class SyncConflict(BranchScoped, table=True):
    """A change a node pushed that the central store could not take as it stood.

    Recorded by the sync service (never by a device clock) with the three values a
    supervisor needs: ``base`` (what the node's change started from), ``mine`` (what the
    node wanted) and ``theirs`` (what the central store held). It is a synced row of its
    branch, so every supervisor of the branch sees it, and its resolution travels back like
    any other change.
    """

    __tablename__ = "sync_conflict"

    kind: str = Field(max_length=16)  # field | transition | delete | edit_deleted | duplicate
    entity: str = Field(max_length=48)
    entity_id: str = Field(max_length=36, index=True)
    field: str | None = Field(default=None, max_length=64)
    base: Any = Field(default=None, sa_type=sa.JSON, nullable=True)
    mine: Any = Field(default=None, sa_type=sa.JSON, nullable=True)
    theirs: Any = Field(default=None, sa_type=sa.JSON, nullable=True)
    node_id: str = Field(max_length=36)
    outbox_seq: int = Field(ge=1)
    actor_id: str | None = Field(default=None, max_length=36)
    detected_at: datetime = Field(default_factory=utcnow)
    resolved_by: str | None = Field(default=None, max_length=36)
    resolved_at: datetime | None = None
    resolution: str | None = Field(default=None, max_length=16)  # mine | theirs


class SyncSession(SQLModel, table=True):
    """A user's sign-in to the sync service, so a timer can sync without asking again.

    Kept per user: a counter terminal is shared, and each person syncs as themselves.
    """

    __tablename__ = "sync_session"

    user_id: str = Field(primary_key=True, max_length=36)
    server: str = Field(max_length=255)
    token: str = Field(max_length=128)
    expires_at: datetime
