"""The audit chain and the sync bookkeeping: outbox, cursors and conflicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from daman_tui.db.models.base import enum_field
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import OutboxState

__all__ = ["AuditEntry", "OutboxEntry", "SyncConflict", "SyncCursor"]


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


class SyncConflict(SQLModel, table=True):
    """A change both sides made to the same field: kept for a supervisor to decide."""

    __tablename__ = "sync_conflict"

    id: str = Field(primary_key=True, max_length=36)
    entity: str = Field(max_length=48)
    entity_id: str = Field(max_length=36, index=True)
    field: str | None = Field(default=None, max_length=64)
    base: Any = Field(default=None, sa_type=sa.JSON)
    mine: Any = Field(default=None, sa_type=sa.JSON)
    theirs: Any = Field(default=None, sa_type=sa.JSON)
    outbox_seq: int | None = None
    detected_at: datetime = Field(default_factory=utcnow)
    resolved_by: str | None = Field(default=None, max_length=36)
    resolved_at: datetime | None = None
    resolution: str | None = Field(default=None, max_length=16)  # mine | theirs | manual
