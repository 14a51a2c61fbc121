"""The intake wizard's working copy of a draft: local to the terminal it is typed on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from daman_tui.db.types import utcnow

__all__ = ["IntakeDraft"]


class IntakeDraft(SQLModel, table=True):
    """Every value of a draft application exactly as typed, errors included.

    Saved on every change, so it is not a synced row: it writes no audit or outbox
    entry per keystroke. What it holds becomes the file's rows, audited and synced, when
    the application is submitted; until then the application row (status draft) is what
    other terminals see.
    """

    __tablename__ = "intake_draft"

    application_id: str = Field(foreign_key="application.id", primary_key=True, max_length=36)
    form: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    step: int = Field(default=1, ge=1)
    focus: str = Field(default="", max_length=120)  # the field the clerk was in
    saved_by: str = Field(foreign_key="app_user.id", max_length=36)
    saved_at: datetime = Field(default_factory=utcnow)
