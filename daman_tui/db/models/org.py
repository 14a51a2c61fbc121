"""Branches, staff accounts and this node's identity."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from daman_tui.db.models.base import Synced, enum_field, fk
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import Role

__all__ = ["AppUser", "Branch", "NodeState"]


class Branch(Synced, table=True):
    """A branch office (فرع). Every user and every household belongs to one."""

    __tablename__ = "branch"

    code: str = Field(unique=True, max_length=16)
    name_ar: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    region_code: str = Field(max_length=8)
    city_ar: str = Field(max_length=80)


class AppUser(Synced, table=True):
    """A member of staff who signs in: clerk, supervisor, field officer or administrator."""

    __tablename__ = "app_user"

    username: str = Field(unique=True, max_length=64)
    full_name: str = Field(max_length=160)
    role: Role = enum_field(Role)
    branch_id: str = fk("branch.id")
    password_hash: str = Field(max_length=255)
    must_change_password: bool = Field(default=True)
    failed_attempts: int = Field(default=0, ge=0)
    locked_until: datetime | None = None
    disabled_at: datetime | None = None
    last_login_at: datetime | None = None


class NodeState(SQLModel, table=True):
    """This store's identity as a sync node: one row.

    ``node_id`` is replaced when a store is found restored or copied, so that its reused
    outbox sequence numbers cannot pass for retries of another node's changes.
    """

    __tablename__ = "node_state"

    key: str = Field(default="local", primary_key=True, max_length=16)
    node_id: str = Field(max_length=36)
    node_tag: str = Field(max_length=8)
    next_outbox_seq: int = Field(default=1, ge=1)
    # Request numbers are made offline too: branch, day, this node's tag and this counter.
    next_request_seq: int = Field(default=1, ge=1)
    created_at: datetime = Field(default_factory=utcnow)
