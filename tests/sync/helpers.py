"""Small moves the sync tests make: edit a row as a user, read the central row."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import select

from daman_tui.db.models import OutboxEntry, Synced
from daman_tui.domain.enums import OutboxState
from daman_tui.services.auth import authenticate
from daman_tui.services.store import Store
from tests.conftest import PASSWORD


def edit(store: Store, username: str, model: type[Synced], row_id: str, **changes: Any) -> None:
    actor = authenticate(store, username, PASSWORD)
    with store.write(actor) as uow:
        row = uow.session.get(model, row_id)
        assert row is not None
        uow.update(row, changes)


def delete(store: Store, username: str, model: type[Synced], row_id: str) -> None:
    actor = authenticate(store, username, PASSWORD)
    with store.write(actor) as uow:
        row = uow.session.get(model, row_id)
        assert row is not None
        uow.tombstone(row)


def local_row(store: Store, model: type[Synced], row_id: str) -> Synced:
    with store.read() as session:
        row = session.get(model, row_id)
        assert row is not None
        return row


def central_row(engine: Engine, table: str, row_id: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(f"SELECT to_jsonb(t) FROM {table} t WHERE id = :i"), {"i": row_id}
        ).scalar()
    assert row is not None
    return dict(row)


def outbox(store: Store, entity: str | None = None) -> list[OutboxEntry]:
    with store.read() as session:
        query = select(OutboxEntry)
        if entity:
            query = query.where(OutboxEntry.entity == entity)
        return list(session.exec(query.order_by(OutboxEntry.pk)).all())


def pending(store: Store) -> int:
    return sum(1 for e in outbox(store) if e.state == OutboxState.PENDING)


def first_id(store: Store, model: type[Synced]) -> str:
    with store.read() as session:
        row = session.exec(select(model).order_by(model.id)).first()  # type: ignore[arg-type]
        assert row is not None
        return row.id
