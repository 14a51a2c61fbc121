"""The sync service's rules: how one pushed mutation lands in the central store.

Runs inside the push's transaction, with the branch set for row-level security. Each
mutation is claimed in ``applied_mutation`` first (a concurrent duplicate waits on that
row, then reads the stored outcome), applied inside a savepoint, and its outcome stored
beside its effect. The rules (SYNC.md):

- **Fields**: a field the node changed from ``was`` to ``set`` is taken if the central
  value is still ``was`` (or already ``set``); otherwise it is a conflict for a person.
  Other fields of the same mutation are taken all the same (merged).
- **Status**: a move ``from → to`` is taken if the case is still at ``from`` and the move is
  legal for the author's role; already at ``to`` is a no-op; else a conflict.
- **Deletes** are tombstones; a delete of a row changed elsewhere since the node's base
  version, or an edit of a row deleted elsewhere, is a conflict, never a silent loss.
- **Inserts**: each child is its own row, so concurrent adds both survive; the same
  natural key twice (a unique index) is a ``duplicate`` conflict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from daman_tui.central.tables import model_for
from daman_tui.db.models import Application, AppUser, StatusChange, SyncConflict
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import ApplicationStatus, Role
from daman_tui.domain.ids import new_id
from daman_tui.domain.permissions import may_write
from daman_tui.domain.status import is_legal
from daman_tui.sync.protocol import Mutation, Outcome, OutcomeKind, update_fields

__all__ = ["Busy", "NodeReused", "PushContext", "apply_mutation"]

BOOKKEEPING = frozenset({"id", "row_version", "created_at", "updated_at", "origin_node"})
"""Fields a node never sets on an existing row: the central store keeps them."""

LOGIN_FIELDS = frozenset({"failed_attempts", "locked_until", "last_login_at"})
OWN_PASSWORD_FIELDS = frozenset({"password_hash", "must_change_password"})
RESOLUTION_FIELDS = frozenset({"resolution", "resolved_by", "resolved_at"})
LATEST_WINS = frozenset({("application", "last_change_at")})
"""Fields that only say when something last happened: the later value stands, never a
conflict (two moves of one case both set it; the move itself is what is judged)."""
DESK = frozenset({Role.CLERK, Role.SUPERVISOR, Role.FIELD_OFFICER})


class Busy(Exception):
    """A transient refusal of the database (a deadlock, a serialisation failure, a lock
    timeout): not an outcome of the mutation. The whole push is rolled back and the node
    retries it on its timer."""


TRANSIENT = ("40", "55P03", "57014")
"""SQLSTATE classes and codes that say "try again", never "no"."""


class NodeReused(Exception):
    """``(node, seq)`` was already used for a different mutation: a restored or copied
    store. The node must take a new id; nothing of this push is kept."""


@dataclass(frozen=True)
class PushContext:
    node_id: str
    branch_id: str
    user_id: str
    """The signed-in user pushing (who vouches for the node)."""
    roles: dict[str, Role] = field(default_factory=dict)
    """Authors' roles read during this push (a batch is mostly one author's)."""


@dataclass(frozen=True)
class _Refused(Exception):
    code: str


@cache
def _adapter(entity: str, field: str) -> TypeAdapter[Any] | None:
    model = model_for(entity)
    if model is None or field not in model.model_fields:
        return None
    annotation = model.model_fields[field].annotation
    return None if annotation is None else TypeAdapter(annotation)


def _value(entity: str, field: str, raw: Any) -> Any:
    """A JSON value as the column's Python value (ISO text as datetime, text as enum)."""
    adapter = _adapter(entity, field)
    if adapter is None:
        raise _Refused("field.unknown")
    try:
        return adapter.validate_python(raw)
    except ValueError as exc:
        raise _Refused("field.invalid") from exc


def _same(entity: str, field: str, a: Any, b: Any) -> bool:
    return bool(_value(entity, field, a) == _value(entity, field, b))


def _table(entity: str) -> sa.Table:
    model = model_for(entity)
    if model is None:
        raise _Refused("entity.unknown")
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def _current(conn: Connection, table: sa.Table, row_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        sa.text(f"SELECT to_jsonb(t) FROM {table.name} t WHERE id = :id FOR UPDATE"),
        {"id": row_id},
    ).scalar()
    return dict(row) if row is not None else None


def _actor_role(conn: Connection, actor_id: str | None, branch_id: str) -> Role | None:
    """The author's role, read centrally: a node cannot promote its own users. None: the
    node itself (sign-in bookkeeping, which is all it may write on its own)."""
    if actor_id is None:
        return None
    role = conn.execute(
        sa.select(AppUser.__table__.c.role).where(  # type: ignore[attr-defined]
            AppUser.__table__.c.id == actor_id,  # type: ignore[attr-defined]
            AppUser.__table__.c.branch_id == branch_id,  # type: ignore[attr-defined]
        )
    ).scalar()
    if role is None:
        raise _Refused("actor.unknown")
    return Role(role)


def apply_mutation(
    conn: Connection, ctx: PushContext, m: Mutation, actor_id: str | None
) -> Outcome:
    """Apply ``m`` once, or return the outcome stored when it was first applied."""
    claimed = conn.execute(
        sa.text(
            "INSERT INTO applied_mutation (node_id, seq, branch_id, hash, outcome, result) "
            "VALUES (:node, :seq, :branch, :hash, 'pending', '{}') "
            "ON CONFLICT (node_id, seq) DO NOTHING RETURNING 1"
        ),
        {"node": ctx.node_id, "seq": m.seq, "branch": ctx.branch_id, "hash": m.hash},
    ).scalar()
    if not claimed:
        stored = conn.execute(
            sa.text("SELECT hash, result FROM applied_mutation WHERE node_id = :n AND seq = :s"),
            {"n": ctx.node_id, "s": m.seq},
        ).one_or_none()
        if stored is None or stored.hash != m.hash:
            raise NodeReused(ctx.node_id)
        return Outcome.from_json({**stored.result, "repeated": True})
    savepoint = conn.begin_nested()
    try:
        if not m.intact():
            raise _Refused("mutation.damaged")
        outcome = _effect(conn, ctx, m, actor_id)
        savepoint.commit()
    except _Refused as refused:
        savepoint.rollback()
        outcome = Outcome(m.seq, OutcomeKind.REJECTED, refused.code)
    except IntegrityError as exc:
        savepoint.rollback()
        if _unique_violation(exc) and m.op == "insert":
            outcome = _record_conflict(conn, ctx, m, actor_id, "duplicate", None, m.payload, None)
        else:
            outcome = Outcome(m.seq, OutcomeKind.REJECTED, "row.integrity")
    except DBAPIError as exc:
        if str(getattr(exc.orig, "sqlstate", "") or "").startswith(TRANSIENT):
            raise Busy(str(exc.orig)) from exc
        # Another branch's row (row-level security), a value too long: refused, and the
        # rest of the push goes on.
        savepoint.rollback()
        outcome = Outcome(m.seq, OutcomeKind.REJECTED, "row.refused")
    conn.execute(
        sa.text(
            "UPDATE applied_mutation SET outcome = :o, result = CAST(:r AS jsonb) "
            "WHERE node_id = :n AND seq = :s"
        ),
        {
            "o": outcome.outcome.value,
            "r": json.dumps(outcome.stored()),
            "n": ctx.node_id,
            "s": m.seq,
        },
    )
    if outcome.outcome in (OutcomeKind.CONFLICT, OutcomeKind.REJECTED):
        model = model_for(m.entity)
        if model is not None and "branch_id" in model.__table__.c:  # type: ignore[attr-defined]
            row = conn.execute(
                sa.text(f"SELECT to_jsonb(t) FROM {m.entity} t WHERE id = :id"),
                {"id": m.entity_id},
            ).scalar()
            outcome = replace(outcome, central=row, withdrawn=row is None)
    return outcome


def _unique_violation(exc: IntegrityError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == "23505"


def _effect(conn: Connection, ctx: PushContext, m: Mutation, actor_id: str | None) -> Outcome:
    table = _table(m.entity)
    if "branch_id" not in table.c:
        raise _Refused("entity.read_only")
    if actor_id is not None and actor_id not in ctx.roles:
        role = _actor_role(conn, actor_id, ctx.branch_id)
        assert role is not None
        ctx.roles[actor_id] = role
    role = ctx.roles.get(actor_id) if actor_id is not None else None
    if role is not None and m.entity != AppUser.__tablename__ and not may_write(role, m.entity):
        raise _Refused("permission.denied")
    if m.op == "insert":
        return _insert(conn, ctx, m, table, role)
    current = _current(conn, table, m.entity_id)
    if current is None:
        raise _Refused("row.unknown")
    if m.op == "update":
        return _update(conn, ctx, m, table, current, role, actor_id)
    if m.op == "delete":
        return _delete(conn, ctx, m, table, current, actor_id)
    raise _Refused("op.unknown")


def _insert(
    conn: Connection, ctx: PushContext, m: Mutation, table: sa.Table, role: Role | None
) -> Outcome:
    if role is None:
        raise _Refused("actor.missing")
    if m.entity == SyncConflict.__tablename__:
        raise _Refused("entity.read_only")  # conflicts are recorded here, not by nodes
    if m.entity == AppUser.__tablename__ and role != Role.ADMIN:
        raise _Refused("permission.denied")
    if m.payload.get("id") != m.entity_id or m.payload.get("branch_id") != ctx.branch_id:
        raise _Refused("row.branch")
    if m.entity == StatusChange.__tablename__:
        _check_move_taken(conn, m)
    values = {k: _value(m.entity, k, v) for k, v in m.payload.items() if k in table.c}
    values["row_version"] = 1
    existing = _current(conn, table, m.entity_id)
    if existing is not None:
        same = all(
            _same(m.entity, k, existing.get(k), v)
            for k, v in m.payload.items()
            if k in table.c and k not in BOOKKEEPING
        )
        if same:
            return Outcome(m.seq, OutcomeKind.APPLIED, row_version=int(existing["row_version"]))
        raise _Refused("row.exists")
    conn.execute(table.insert().values(**values))
    return Outcome(m.seq, OutcomeKind.APPLIED, row_version=1)


def _check_move_taken(conn: Connection, m: Mutation) -> None:
    """A status-change row records a move: it is taken only if the case is where the move
    took it (a move that became a conflict leaves no row in the timeline)."""
    status = conn.execute(
        sa.text("SELECT status FROM application WHERE id = :i"),
        {"i": m.payload.get("application_id")},
    ).scalar()
    if status != m.payload.get("to_status"):
        raise _Refused("status.not_taken")


def _allowed_fields(m: Mutation, role: Role | None, actor_id: str | None, fields: set[str]) -> None:
    if role is None:
        if m.entity != AppUser.__tablename__ or not fields <= LOGIN_FIELDS:
            raise _Refused("actor.missing")
        return
    if m.entity == AppUser.__tablename__ and role != Role.ADMIN:
        own = OWN_PASSWORD_FIELDS if m.entity_id == actor_id else frozenset()
        if not fields <= LOGIN_FIELDS | own:
            raise _Refused("permission.denied")
    if m.entity == SyncConflict.__tablename__ and (
        role != Role.SUPERVISOR or not fields <= RESOLUTION_FIELDS
    ):
        raise _Refused("permission.denied")
    if fields & {"branch_id", "id"}:
        raise _Refused("row.branch")


def _update(
    conn: Connection,
    ctx: PushContext,
    m: Mutation,
    table: sa.Table,
    current: dict[str, Any],
    role: Role | None,
    actor_id: str | None,
) -> Outcome:
    new, was = update_fields(m.payload)
    fields = {k for k in new if k not in BOOKKEEPING}
    _allowed_fields(m, role, actor_id, fields)
    if current.get("deleted_at") is not None and new.get("deleted_at") is None:
        return _record_conflict(
            conn, ctx, m, actor_id, "edit_deleted", was, new, {"deleted_at": current["deleted_at"]}
        )
    version = int(current["row_version"])
    take: dict[str, Any] = {}
    clash_base: dict[str, Any] = {}
    clash_mine: dict[str, Any] = {}
    clash_theirs: dict[str, Any] = {}
    kind = "field"
    for key in sorted(fields):
        if key not in table.c:
            raise _Refused("field.unknown")
        mine, theirs = new[key], current.get(key)
        if _same(m.entity, key, theirs, mine):
            continue  # already so: a retry, or the same change made twice
        if m.entity == Application.__tablename__ and key == "status":
            kind = "transition"
        if (m.entity, key) in LATEST_WINS:
            if theirs is None or _value(m.entity, key, mine) > _value(m.entity, key, theirs):
                take[key] = _value(m.entity, key, mine)
            continue
        if _unchanged_there(m, key, theirs, was, version, role):
            take[key] = _value(m.entity, key, mine)
        else:
            clash_base[key] = was.get(key) if was is not None else None
            clash_mine[key] = mine
            clash_theirs[key] = theirs
    if take:
        version += 1
        conn.execute(
            table.update()
            .where(table.c.id == m.entity_id)
            .values(**take, row_version=version, updated_at=utcnow())
        )
    if clash_mine:
        return _record_conflict(
            conn, ctx, m, actor_id, kind, clash_base, clash_mine, clash_theirs, version
        )
    kind_out = (
        OutcomeKind.APPLIED if m.base_version == int(current["row_version"]) else OutcomeKind.MERGED
    )
    return Outcome(m.seq, kind_out, row_version=version)


def _unchanged_there(
    m: Mutation, key: str, theirs: Any, was: dict[str, Any] | None, version: int, role: Role | None
) -> bool:
    """Whether the central value of ``key`` is still what the node changed it from (so the
    node's value is taken); a status move must also be legal for the author's role."""
    if m.entity == AppUser.__tablename__ and key in LOGIN_FIELDS:
        return True  # each node counts its own sign-ins: nothing for a person to decide
    if was is not None:
        unchanged = _same(m.entity, key, theirs, was.get(key))
    else:  # an entry from before old values were sent: judged by version
        unchanged = version == m.base_version
    if unchanged and m.entity == Application.__tablename__ and key == "status":
        mine = update_fields(m.payload)[0][key]
        if role is None or not is_legal(
            ApplicationStatus(str(theirs)), ApplicationStatus(mine), role
        ):
            raise _Refused("status.illegal")
    return unchanged


def _delete(
    conn: Connection,
    ctx: PushContext,
    m: Mutation,
    table: sa.Table,
    current: dict[str, Any],
    actor_id: str | None,
) -> Outcome:
    version = int(current["row_version"])
    if current.get("deleted_at") is not None:
        return Outcome(m.seq, OutcomeKind.APPLIED, row_version=version)
    if version != m.base_version:
        changed = _changed_since(conn, m, current)
        if changed is None or changed:
            return _record_conflict(
                conn, ctx, m, actor_id, "delete", None, {"deleted": True}, changed or {}
            )
    now = utcnow()
    conn.execute(
        table.update()
        .where(table.c.id == m.entity_id)
        .values(deleted_at=now, updated_at=now, row_version=version + 1)
    )
    return Outcome(m.seq, OutcomeKind.APPLIED, row_version=version + 1)


def _changed_since(conn: Connection, m: Mutation, current: dict[str, Any]) -> dict[str, Any] | None:
    """The fields changed centrally since the node's base version (None: base unknown)."""
    base = conn.execute(
        sa.text(
            "SELECT row FROM change_log WHERE entity = :e AND entity_id = :i "
            "AND row_version = :v ORDER BY pos DESC LIMIT 1"
        ),
        {"e": m.entity, "i": m.entity_id, "v": m.base_version},
    ).scalar()
    if base is None:
        return None
    return {
        k: v
        for k, v in current.items()
        if k not in BOOKKEEPING and k in base and not _same(m.entity, k, base[k], v)
    }


def _record_conflict(
    conn: Connection,
    ctx: PushContext,
    m: Mutation,
    actor_id: str | None,
    kind: str,
    base: Any,
    mine: Any,
    theirs: Any,
    version: int | None = None,
) -> Outcome:
    table: sa.Table = SyncConflict.__table__  # type: ignore[attr-defined]
    conflict_id = new_id()
    fields = sorted(mine) if isinstance(mine, dict) else []
    now = utcnow()
    conn.execute(
        table.insert().values(
            id=conflict_id,
            row_version=1,
            created_at=now,
            updated_at=now,
            origin_node="central",
            branch_id=ctx.branch_id,
            kind=kind,
            entity=m.entity,
            entity_id=m.entity_id,
            field=fields[0] if len(fields) == 1 else None,
            base=base,
            mine=mine,
            theirs=theirs,
            node_id=ctx.node_id,
            outbox_seq=m.seq,
            actor_id=actor_id,
            detected_at=now,
        )
    )
    return Outcome(
        m.seq,
        OutcomeKind.CONFLICT,
        f"conflict.{kind}",
        row_version=version,
        conflict_id=conflict_id,
    )
