"""Columns every synced table carries, and small helpers for declaring fields."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from daman_tui.db.types import StrEnumType, utcnow
from daman_tui.domain.ids import new_id

__all__ = ["BranchScoped", "Synced", "enum_field", "fk", "money_field", "optional_enum_field"]


def enum_field(enum_cls: type[StrEnum], default: Any = ..., *, index: bool = False) -> Any:
    """A required column holding a StrEnum by value."""
    return Field(default=default, sa_type=StrEnumType(enum_cls), index=index, nullable=False)


def optional_enum_field(enum_cls: type[StrEnum]) -> Any:
    """A nullable StrEnum column (a question not answered yet)."""
    return Field(default=None, sa_type=StrEnumType(enum_cls), nullable=True)


def money_field(default: int = 0) -> Any:
    """An amount in halalas (1 SAR = 100): integers, never floats, wide enough for assets."""
    return Field(default=default, sa_type=sa.BigInteger, ge=0)


def fk(target: str, *, nullable: bool = False, index: bool = True) -> Any:
    """A foreign key to ``target`` ("table.column"), indexed: every one is a join path."""
    return Field(
        default=None if nullable else ...,
        foreign_key=target,
        index=index,
        nullable=nullable,
        max_length=36,
    )


class Synced(SQLModel):
    """The sync bookkeeping of DESIGN.md, on every row that travels between stores.

    ``id`` is a UUIDv7 born on the node that made the row, so offline nodes never collide.
    ``row_version`` counts the row's committed changes and is what conflicts are decided
    by; ``updated_at`` is for people to read, never to decide (device clocks drift).
    Rows are never hard-deleted: ``deleted_at`` is the tombstone, kept forever so an
    offline node cannot bring a deleted row back.
    """

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    row_version: int = Field(default=1, ge=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    origin_node: str = Field(default="", max_length=36)
    deleted_at: datetime | None = Field(default=None)


class BranchScoped(Synced):
    """A synced row that belongs to one branch.

    The branch is repeated on child rows so that the central store's row-level security
    and a branch's pull can filter every table by one indexed column, without joins.
    """

    branch_id: str = fk("branch.id")
