"""Column types shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = ["StrEnumType", "utcnow"]


def utcnow() -> datetime:
    """Now, as an aware UTC datetime: the one convention for every timestamp we store.

    SQLModel's datetime columns refuse naive values and load UTC back, on SQLite too;
    conversion to Riyadh time happens only on display.
    """
    return datetime.now(UTC)


class StrEnumType(sa.TypeDecorator[StrEnum]):
    """Stores a StrEnum by its value (plain, stable text) and loads it back as the member.

    SQLAlchemy's own Enum type stores member *names*; raw SQL, the sync payloads and the
    central store all speak in values, so we store those and validate on the way in.
    """

    impl = sa.String(32)
    cache_ok = True

    def __init__(self, enum_cls: type[StrEnum]) -> None:
        super().__init__()
        self.enum_cls = enum_cls

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum_cls(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        if value is None:
            return None
        return self.enum_cls(value)
