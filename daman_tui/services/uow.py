"""The unit of work: how every service writes.

A change to a synced row is never just the row: the same transaction appends the audit
entry (hash-chained) and the outbox entry (numbered gap-free for this node). Services
write only through :class:`UnitOfWork`, so neither can be forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from daman_tui.db.models import AuditEntry, NodeState, OutboxEntry, Synced
from daman_tui.db.types import utcnow
from daman_tui.domain.audit import GENESIS, entry_hash
from daman_tui.domain.ids import new_id
from daman_tui.domain.permissions import Actor

__all__ = ["UnitOfWork", "audit_content", "snapshot"]

T = TypeVar("T", bound=Synced)


def snapshot(row: Synced) -> dict[str, Any]:
    """The row as JSON-ready values: what the audit and the outbox record."""
    return row.model_dump(mode="json")


def audit_content(entry: AuditEntry) -> dict[str, Any]:
    """The part of an audit entry its hash covers (everything but the chain fields)."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "node_id": entry.node_id,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
    }


@dataclass
class UnitOfWork:
    """Writes inside one open transaction, acting for ``actor`` (None: the system itself)."""

    session: Session
    actor: Actor | None
    node: NodeState
    touched: set[tuple[str, str]] = field(default_factory=set)
    """Every ``(entity, id)`` written: what derived tables (the queue) must follow."""

    def add(self, row: T, *, action: str | None = None) -> T:
        """Insert a new synced row, with its audit and outbox entries."""
        row.origin_node = self.node.node_id
        self.session.add(row)
        self.session.flush()
        after = snapshot(row)
        entity = _entity(row)
        self.touched.add((entity, row.id))
        self.audit(action or f"{entity}.create", entity, row.id, None, after)
        self._outbox(entity, row.id, "insert", 0, after)
        return row

    def update(self, row: T, changes: dict[str, Any], *, action: str | None = None) -> T:
        """Change fields of a synced row; a no-op when nothing actually changes."""
        before = snapshot(row)
        real = {k: v for k, v in changes.items() if getattr(row, k) != v}
        if not real:
            return row
        base_version = row.row_version
        for key, value in real.items():
            setattr(row, key, value)
        row.row_version = base_version + 1
        row.updated_at = utcnow()
        self.session.add(row)
        self.session.flush()
        after = snapshot(row)
        entity = _entity(row)
        self.touched.add((entity, row.id))
        self.audit(action or f"{entity}.update", entity, row.id, before, after)
        # Old values beside the new: the central store decides conflicts by comparing
        # them with what it holds, never by clocks or versions alone.
        payload = {"set": {k: after[k] for k in real}, "was": {k: before[k] for k in real}}
        self._outbox(entity, row.id, "update", base_version, payload)
        return row

    def tombstone(self, row: T, *, action: str | None = None) -> T:
        """Delete a synced row the only way we do: mark it, keep it forever."""
        if row.deleted_at is not None:
            return row
        before = snapshot(row)
        base_version = row.row_version
        row.deleted_at = utcnow()
        row.row_version = base_version + 1
        row.updated_at = row.deleted_at
        self.session.add(row)
        self.session.flush()
        entity = _entity(row)
        self.touched.add((entity, row.id))
        self.audit(action or f"{entity}.delete", entity, row.id, before, snapshot(row))
        self._outbox(entity, row.id, "delete", base_version, {})
        return row

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> AuditEntry:
        """Append one audit entry to the chain (also for events that change no row: logins)."""
        last = self.session.exec(
            select(AuditEntry.hash).order_by(col(AuditEntry.seq).desc()).limit(1)
        ).first()
        entry = AuditEntry(
            id=new_id(),
            at=utcnow(),
            node_id=self.node.node_id,
            actor_id=self.actor.id if self.actor else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
            prev_hash=last or GENESIS,
            hash="",
        )
        entry.hash = entry_hash(entry.prev_hash, audit_content(entry))
        self.session.add(entry)
        self.session.flush()
        return entry

    def next_request_seq(self) -> int:
        """Take this node's next request-number counter value."""
        seq = self.node.next_request_seq
        self.node.next_request_seq = seq + 1
        self.session.add(self.node)
        return seq

    def _outbox(
        self, entity: str, entity_id: str, op: str, base_version: int, payload: dict[str, Any]
    ) -> None:
        seq = self.node.next_outbox_seq
        self.node.next_outbox_seq = seq + 1
        self.session.add(self.node)
        self.session.add(
            OutboxEntry(
                node_id=self.node.node_id,
                seq=seq,
                entity=entity,
                entity_id=entity_id,
                op=op,
                base_version=base_version,
                payload=payload,
                actor_id=self.actor.id if self.actor else None,
            )
        )


def _entity(row: Synced) -> str:
    return str(row.__tablename__)
