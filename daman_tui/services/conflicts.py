"""Sync conflicts for a supervisor: the list, and a resolution that syncs like any change.

The central store kept its own value when it recorded a conflict; choosing *theirs*
only closes the record. Choosing *mine* writes the node's value now, through the unit of
work (audited, pushed, and judged by the service against the value it holds, which is
the *theirs* shown); a status chosen this way must still be a legal move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import col, select

from daman_tui.central.tables import model_for
from daman_tui.db.models import Application, AppUser, StatusChange, SyncConflict
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.errors import DomainError, ValidationError
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.domain.status import is_legal
from daman_tui.services.store import Store

__all__ = ["CHOICES", "ConflictView", "list_conflicts", "resolve_conflict"]

CHOICES = ("mine", "theirs")

CONFLICT_REASON = "sync_conflict"
"""The reason a status move made by resolving a conflict records (the timeline shows it)."""


@dataclass(frozen=True)
class ConflictView:
    id: str
    kind: str
    entity: str
    entity_id: str
    field: str | None
    base: Any
    mine: Any
    theirs: Any
    author: str
    """Who made the node's change (their full name), or "" for the node itself."""
    node_id: str
    detected_at: datetime
    resolution: str | None
    resolved_by: str | None
    request_number: str | None
    """The case this is about, when the row is a case's own."""

    @property
    def open(self) -> bool:
        return self.resolution is None

    @property
    def can_take_mine(self) -> bool:
        """A duplicate cannot be taken as well: the natural key is someone else's."""
        return self.kind != "duplicate"


def _names(session: Any, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.exec(select(AppUser.id, AppUser.full_name).where(col(AppUser.id).in_(ids)))
    return dict(rows.all())


def _request_number(session: Any, c: SyncConflict) -> str | None:
    app_id = c.entity_id if c.entity == Application.__tablename__ else None
    if app_id is None:
        model = model_for(c.entity)
        row = session.get(model, c.entity_id) if model is not None else None
        app_id = getattr(row, "application_id", None)
    if app_id is None:
        return None
    app = session.get(Application, app_id)
    return app.request_number if app is not None else None


def list_conflicts(
    store: Store, actor: Actor, *, include_resolved: bool = False
) -> list[ConflictView]:
    """The conflicts of the actor's branch, oldest first (open ones only, unless asked)."""
    require(actor, Permission.RESOLVE_CONFLICTS)
    with store.read() as session:
        query = select(SyncConflict).where(
            SyncConflict.branch_id == actor.branch_id, col(SyncConflict.deleted_at).is_(None)
        )
        if not include_resolved:
            query = query.where(col(SyncConflict.resolution).is_(None))
        rows = session.exec(query.order_by(col(SyncConflict.detected_at))).all()
        names = _names(
            session,
            {r.actor_id for r in rows if r.actor_id}
            | {r.resolved_by for r in rows if r.resolved_by},
        )
        return [
            ConflictView(
                id=r.id,
                kind=r.kind,
                entity=r.entity,
                entity_id=r.entity_id,
                field=r.field,
                base=r.base,
                mine=r.mine,
                theirs=r.theirs,
                author=names.get(r.actor_id or "", ""),
                node_id=r.node_id,
                detected_at=r.detected_at,
                resolution=r.resolution,
                resolved_by=names.get(r.resolved_by or "", r.resolved_by),
                request_number=_request_number(session, r),
            )
            for r in rows
        ]


def _refuse(code: str, ar: str, en: str) -> DomainError:
    return ValidationError(code, ar, en)


def resolve_conflict(store: Store, actor: Actor, conflict_id: str, choice: str) -> None:
    """Close the conflict with ``choice`` ("mine" writes the node's value now)."""
    require(actor, Permission.RESOLVE_CONFLICTS)
    if choice not in CHOICES:
        raise _refuse(
            "conflict.choice", "اختر إحدى القيمتين.", "Choose one of the two values (mine/theirs)."
        )
    with store.write(actor) as uow:
        conflict = uow.session.get(SyncConflict, conflict_id)
        if conflict is None or conflict.branch_id != actor.branch_id:
            raise _refuse("conflict.unknown", "لا يوجد هذا التعارض.", "No such conflict.")
        if conflict.resolution is not None:
            raise _refuse(
                "conflict.resolved",
                "حُسم هذا التعارض من قبل.",
                "This conflict was already resolved.",
            )
        if choice == "mine":
            _take_mine(uow, conflict)
        uow.update(
            conflict,
            {"resolution": choice, "resolved_by": actor.id, "resolved_at": utcnow()},
            action="sync_conflict.resolve",
        )


def _take_mine(uow: Any, conflict: SyncConflict) -> None:
    if conflict.kind == "duplicate":
        raise _refuse(
            "conflict.duplicate",
            "لا يمكن اعتماد سجل مكرر؛ السجل الموجود هو المعتمد.",
            "A duplicate cannot be taken; the existing record stands.",
        )
    model = model_for(conflict.entity)
    row = uow.session.get(model, conflict.entity_id) if model is not None else None
    if row is None:
        raise _refuse("conflict.row", "السجل غير موجود.", "The record is not in this store.")
    if conflict.kind == "delete":
        uow.tombstone(row)
        return
    mine = dict(conflict.mine or {})
    changes: dict[str, Any] = {}
    for key, raw in mine.items():
        annotation = type(row).model_fields[key].annotation
        changes[key] = raw if annotation is None else TypeAdapter(annotation).validate_python(raw)
    if conflict.kind == "edit_deleted":
        changes["deleted_at"] = None
    if "status" in changes and isinstance(row, Application):
        target = ApplicationStatus(changes["status"])
        if not is_legal(row.status, target, uow.actor.role):
            raise _refuse(
                "conflict.status",
                "لا يسمح بنقل الطلب إلى هذه الحالة من حالته الحالية.",
                f"The case cannot move from '{row.status.value}' to '{target.value}'.",
            )
    if "status" in changes and isinstance(row, Application):
        uow.add(
            StatusChange(
                branch_id=row.branch_id,
                application_id=row.id,
                from_status=row.status,
                to_status=changes["status"],
                actor_id=uow.actor.id,
                reason=CONFLICT_REASON,
            )
        )
        changes["last_change_at"] = utcnow()
    uow.update(row, changes)
