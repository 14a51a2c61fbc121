"""Reading and checking the audit chain of the local store."""

from __future__ import annotations

from sqlmodel import col, select

from daman_tui.db.models import AuditEntry
from daman_tui.domain.audit import ChainBreak, verify_chain
from daman_tui.services.store import Store
from daman_tui.services.uow import audit_content

__all__ = ["verify_store_chain"]


def verify_store_chain(store: Store, batch: int = 5000) -> tuple[int, list[ChainBreak]]:
    """(entries checked, breaks found), reading the chain in ``seq`` order in batches."""
    checked = 0
    entries = []
    with store.read() as session:
        last_seq = 0
        while True:
            rows = session.exec(
                select(AuditEntry)
                .where(col(AuditEntry.seq) > last_seq)
                .order_by(col(AuditEntry.seq))
                .limit(batch)
            ).all()
            if not rows:
                break
            for e in rows:
                assert e.seq is not None
                entries.append((e.seq, e.id, e.prev_hash, e.hash, audit_content(e)))
            last_seq = entries[-1][0]
            checked += len(rows)
    return checked, verify_chain(entries)
