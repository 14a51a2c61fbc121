"""Keeping ``queue_row`` in step with the file's rows.

The queue reads one narrow table (db/models/queue.py) so that every filter, sort and
search is one indexed query. Its rows are derived: written here in the same transaction
as the change that affects them (``refresh``, called by ``Store.write``), and rebuilt
whole when the store's copy is older than ``QUEUE_VERSION`` (``ensure_built``) or after
a bulk load (``rebuild``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import date
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from daman_tui.db.models import (
    Application,
    AppUser,
    Branch,
    DerivedState,
    Household,
    Person,
    QueueRow,
)
from daman_tui.db.types import utcnow
from daman_tui.domain.arabic import normalize_for_search
from daman_tui.domain.case_clock import application_clock

__all__ = [
    "QUEUE_VERSION",
    "affected_applications",
    "ensure_built",
    "has_applications",
    "invalidate",
    "needs_rebuild",
    "rebuild",
    "refresh",
]

QUEUE_VERSION = 1
"""Bump when what a queue row holds changes: stores rebuild the table on next open."""

_CHUNK = 5_000

_a = Application.__table__  # type: ignore[attr-defined]
_h = Household.__table__  # type: ignore[attr-defined]
_p = Person.__table__  # type: ignore[attr-defined]
_b = Branch.__table__  # type: ignore[attr-defined]
_u = AppUser.__table__  # type: ignore[attr-defined]
_q = QueueRow.__table__  # type: ignore[attr-defined]

_SOURCE = sa.select(
    _a.c.id,
    _a.c.branch_id,
    _b.c.code,
    _a.c.request_number,
    _a.c.kind,
    _a.c.status,
    _p.c.national_id,
    _p.c.first_name,
    _p.c.father_name,
    _p.c.grandfather_name,
    _p.c.family_name,
    _a.c.assigned_to,
    _u.c.full_name,
    _a.c.submitted_at,
    _a.c.decided_at,
    _a.c.clock_paused_days,
    _a.c.clock_paused_since,
    _a.c.last_change_at,
).select_from(
    _a.join(_h, _h.c.id == _a.c.household_id)
    .join(_p, _p.c.id == _h.c.head_person_id)
    .join(_b, _b.c.id == _a.c.branch_id)
    .outerjoin(_u, _u.c.id == _a.c.assigned_to)
)


def _queue_row(r: Any, today: date) -> dict[str, Any]:
    """The queue's row for one application (a row of ``_SOURCE``)."""
    name = " ".join(
        x for x in (r.first_name, r.father_name, r.grandfather_name, r.family_name) if x
    )
    state = application_clock(
        r.submitted_at, r.decided_at, r.clock_paused_days, r.clock_paused_since, today
    )
    clock = state.state if state is not None else "none"
    # A running clock has a fixed due day; a paused one moves every day, a stopped one is
    # over: neither is "due" in the queue's filters.
    due_on = state.due if state is not None and clock in ("ok", "due_soon", "overdue") else None
    return {
        "application_id": r.id,
        "branch_id": r.branch_id,
        "branch_code": r.code,
        "request_number": r.request_number,
        "kind": r.kind,
        "status": r.status,
        "national_id": r.national_id,
        "name": name,
        "name_key": normalize_for_search(name),
        "assigned_to": r.assigned_to,
        "assignee_name": r.full_name or "",
        "submitted_at": r.submitted_at,
        "due_on": due_on,
        "clock": clock,
        "last_change_at": r.last_change_at,
    }


def affected_applications(session: Session, touched: Iterable[tuple[str, str]]) -> set[str]:
    """The applications whose queue rows a change of these ``(entity, id)`` rows affects."""
    apps: set[str] = set()
    people: set[str] = set()
    households: set[str] = set()
    users: set[str] = set()
    for entity, row_id in touched:
        if entity == "application":
            apps.add(row_id)
        elif entity == "person":
            people.add(row_id)
        elif entity == "household":
            households.add(row_id)
        elif entity == "app_user":
            users.add(row_id)
    conn = session.connection()
    if people:
        households |= set(
            conn.execute(sa.select(_h.c.id).where(_h.c.head_person_id.in_(people))).scalars()
        )
    if households:
        apps |= set(
            conn.execute(sa.select(_a.c.id).where(_a.c.household_id.in_(households))).scalars()
        )
    if users:
        # Only rows whose assignee name is out of date: a sign-in touches the user's row
        # too, and must not rewrite the thousands of queue rows assigned to them.
        current = sa.select(_u.c.full_name).where(_u.c.id == _q.c.assigned_to).scalar_subquery()
        apps |= set(
            conn.execute(
                sa.select(_q.c.application_id).where(
                    _q.c.assigned_to.in_(users), _q.c.assignee_name != current
                )
            ).scalars()
        )
    return apps


def refresh(session: Session, application_ids: Collection[str], today: date | None = None) -> None:
    """Rewrite the queue rows of ``application_ids`` (deleted applications leave it)."""
    if not application_ids:
        return
    today = today or date.today()
    conn = session.connection()
    ids = list(application_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found = conn.execute(_SOURCE.where(_a.c.id.in_(chunk), _a.c.deleted_at.is_(None))).all()
        rows = [_queue_row(r, today) for r in found]
        live = {row["application_id"] for row in rows}
        gone = [i for i in chunk if i not in live]
        if gone:
            conn.execute(_q.delete().where(_q.c.application_id.in_(gone)))
        if rows:
            conn.execute(_upsert(tuple(rows[0])), rows)


@cache
def _upsert(keys: tuple[str, ...]) -> Any:
    """One prepared upsert of queue rows with these ``keys``, run over many rows (a
    statement built per row cost more than the write)."""
    from sqlalchemy.dialects.sqlite import insert

    statement = insert(_q)
    changes = {k: statement.excluded[k] for k in keys if k != "application_id"}
    return statement.on_conflict_do_update(index_elements=["application_id"], set_=changes)


def _all_rows(conn: Connection, today: date) -> Iterator[list[dict[str, Any]]]:
    """Every live application's queue row, a chunk at a time (keyset on the id: a million
    rows never sit in memory at once, and no cursor stays open while the chunk is
    written)."""
    after = ""
    while True:
        part = conn.execute(
            _SOURCE.where(_a.c.deleted_at.is_(None), _a.c.id > after)
            .order_by(_a.c.id)
            .limit(_CHUNK)
        ).all()
        if not part:
            return
        after = part[-1].id
        yield [_queue_row(r, today) for r in part]


def rebuild(conn: Connection, today: date | None = None) -> int:
    """Build the whole table anew (the triggers keep the name index in step); returns
    the rows written."""
    today = today or date.today()
    conn.execute(_q.delete())
    written = 0
    for batch in _all_rows(conn, today):
        conn.execute(_q.insert(), batch)
        written += len(batch)
    state = {"name": "queue", "version": QUEUE_VERSION, "built_at": utcnow()}
    table = DerivedState.__table__  # type: ignore[attr-defined]
    conn.execute(table.delete().where(table.c.name == "queue"))
    conn.execute(table.insert(), [state])
    return written


def invalidate(conn: Connection) -> None:
    """Mark the table out of date: kept no longer row by row, it is rebuilt at the end of
    the bulk work that called this (or when the store next opens, if that work stopped)."""
    table = DerivedState.__table__  # type: ignore[attr-defined]
    conn.execute(table.delete().where(table.c.name == "queue"))


def needs_rebuild(conn: Connection) -> bool:
    """Whether the store's copy of the table is missing or older than the code."""
    table = DerivedState.__table__  # type: ignore[attr-defined]
    version = conn.execute(sa.select(table.c.version).where(table.c.name == "queue")).scalar()
    return bool(version != QUEUE_VERSION)


def has_applications(conn: Connection) -> bool:
    """Whether a rebuild has anything to read (a new store has not)."""
    return conn.execute(sa.select(_a.c.id).limit(1)).first() is not None


def ensure_built(conn: Connection) -> bool:
    """Rebuild the table if :func:`needs_rebuild`; True when it did."""
    if not needs_rebuild(conn):
        return False
    rebuild(conn)
    return True
