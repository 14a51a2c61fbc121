"""A user's saved queue views: named filters, search and sort, kept per user."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from daman_tui.db.models import SavedFilter
from daman_tui.domain.arabic import validate_free_text
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.services.queue import QueueQuery
from daman_tui.services.store import Store

__all__ = ["MAX_SAVED", "SavedView", "delete_saved", "list_saved", "save_query"]

MAX_SAVED = 30
"""Saved views per user: a menu longer than this is no longer a shortcut."""


@dataclass(frozen=True)
class SavedView:
    id: str
    name: str
    query: QueueQuery


def list_saved(store: Store, actor: Actor) -> list[SavedView]:
    """The actor's saved views, by name."""
    require(actor, Permission.VIEW_CASES)
    with store.read() as session:
        rows = session.exec(
            select(SavedFilter)
            .where(SavedFilter.user_id == actor.id, col(SavedFilter.deleted_at).is_(None))
            .order_by(col(SavedFilter.name))
        ).all()
    return [SavedView(r.id, r.name, QueueQuery.from_json(r.query)) for r in rows]


def save_query(store: Store, actor: Actor, name: str, query: QueueQuery) -> SavedView:
    """Save ``query`` as ``name``; a view of the same name is replaced."""
    require(actor, Permission.VIEW_CASES)
    name = validate_free_text(name, max_len=60, required=True)
    with store.write(actor) as uow:
        live = uow.session.exec(
            select(SavedFilter).where(
                SavedFilter.user_id == actor.id, col(SavedFilter.deleted_at).is_(None)
            )
        ).all()
        same = next((r for r in live if r.name == name), None)
        if same is not None:
            uow.update(same, {"query": query.to_json()})
            return SavedView(same.id, name, query)
        if len(live) >= MAX_SAVED:
            raise ValidationError(
                "saved_filter.too_many",
                f"لديك {MAX_SAVED} عرضًا محفوظًا؛ احذف أحدها أولًا.",
                f"You have {MAX_SAVED} saved views; delete one first.",
                limit=MAX_SAVED,
            )
        row = uow.add(
            SavedFilter(
                branch_id=actor.branch_id, user_id=actor.id, name=name, query=query.to_json()
            )
        )
        return SavedView(row.id, name, query)


def delete_saved(store: Store, actor: Actor, saved_id: str) -> None:
    """Delete one of the actor's own saved views."""
    require(actor, Permission.VIEW_CASES)
    with store.write(actor) as uow:
        row = uow.session.get(SavedFilter, saved_id)
        if row is None or row.deleted_at is not None or row.user_id != actor.id:
            raise ValidationError(
                "saved_filter.unknown", "العرض المحفوظ غير موجود.", "No such saved view."
            )
        uow.tombstone(row)
