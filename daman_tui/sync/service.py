"""The sync service's work against PostgreSQL, without HTTP: sign-in, push and pull.

Every request is one transaction on a connection of the service role (which owns
nothing and obeys row-level security), with the caller's branch set for that
transaction only (``set_config(..., true)``): nothing about a request outlives it, so
any number of service instances can share the load.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from daman_tui.central.tables import GLOBAL_STREAM
from daman_tui.db.types import utcnow
from daman_tui.services.auth import verify_password
from daman_tui.sync.apply import PushContext, apply_mutation
from daman_tui.sync.protocol import Mutation, Outcome, PullPage

__all__ = ["Denied", "Session", "SyncService"]

TOKEN_LIFETIME = timedelta(days=7)
"""A field laptop can be away for days; a token is revoked centrally when it must end."""

MAX_PAGE = 5000
MAX_BATCH = 1000


class Denied(Exception):
    """The request may not be served (bad credentials, token, branch): ``code`` says why."""

    def __init__(self, code: str, status: int = 403) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Session:
    user_id: str
    branch_id: str
    role: str
    node_id: str

    @property
    def streams(self) -> tuple[str, str]:
        """Reference rows first: a branch's rows refer to them."""
        return (GLOBAL_STREAM, self.branch_id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _bind_node(conn: Connection, node_id: str, branch_id: str, user_id: str) -> None:
    """Record the node (or see it again); a node is bound to one branch for good."""
    bound = conn.execute(
        sa.text(
            "INSERT INTO sync_node (node_id, branch_id, user_id) VALUES (:n, :b, :u) "
            "ON CONFLICT (node_id) DO UPDATE SET last_seen = now(), user_id = :u "
            "RETURNING branch_id"
        ),
        {"n": node_id, "b": branch_id, "u": user_id},
    ).scalar()
    if bound != branch_id:
        raise Denied("node.branch")


class SyncService:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _tx(self, branch_id: str | None) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")
            if branch_id is not None:
                conn.execute(sa.text("SELECT set_config('app.branch', :b, true)"), {"b": branch_id})
            yield conn

    def sign_in(self, username: str, password: str, node_id: str) -> tuple[str, Session]:
        """A new token for ``username`` on ``node_id``; the node is bound to the user's
        branch for good (a node never changes branch)."""
        with self._tx(None) as conn:
            user = conn.execute(
                sa.text("SELECT * FROM daman_login_lookup(:u)"), {"u": username}
            ).one_or_none()
            if user is None or user.disabled or not verify_password(user.password_hash, password):
                raise Denied("auth.failed", 401)
            _bind_node(conn, node_id, user.branch_id, user.id)
            token = secrets.token_urlsafe(32)
            conn.execute(
                sa.text(
                    "INSERT INTO api_token (token_hash, user_id, branch_id, role, node_id, "
                    "expires_at) VALUES (:h, :u, :b, :r, :n, :e)"
                ),
                {
                    "h": _digest(token),
                    "u": user.id,
                    "b": user.branch_id,
                    "r": user.role,
                    "n": node_id,
                    "e": utcnow() + TOKEN_LIFETIME,
                },
            )
        return token, Session(user.id, user.branch_id, user.role, node_id)

    def session(self, token: str) -> Session:
        with self._tx(None) as conn:
            row = conn.execute(
                sa.text(
                    "SELECT user_id, branch_id, role, node_id FROM api_token "
                    "WHERE token_hash = :h AND revoked_at IS NULL AND expires_at > now()"
                ),
                {"h": _digest(token)},
            ).one_or_none()
        if row is None:
            raise Denied("auth.token", 401)
        return Session(row.user_id, row.branch_id, row.role, row.node_id)

    def rebind(self, token: str, node_id: str) -> Session:
        """Move the token to a new node id of the same store (restored or copied): the new
        id is bound to the user's branch like any node."""
        session = self.session(token)
        with self._tx(None) as conn:
            _bind_node(conn, node_id, session.branch_id, session.user_id)
            conn.execute(
                sa.text("UPDATE api_token SET node_id = :n WHERE token_hash = :h"),
                {"n": node_id, "h": _digest(token)},
            )
        return Session(session.user_id, session.branch_id, session.role, node_id)

    def push(
        self, session: Session, node_id: str, entries: Sequence[tuple[Mutation, str | None]]
    ) -> list[Outcome]:
        """Apply a batch of one node's mutations (with their authors), in order, in one
        transaction: all outcomes are stored, or (a failure) none."""
        if node_id != session.node_id:
            raise Denied("node.token")
        if len(entries) > MAX_BATCH:
            raise Denied("push.too_large", 413)
        ctx = PushContext(node_id=node_id, branch_id=session.branch_id, user_id=session.user_id)
        with self._tx(session.branch_id) as conn:
            return [apply_mutation(conn, ctx, m, actor) for m, actor in entries]

    def pull(self, session: Session, stream: str, after: int, limit: int) -> PullPage:
        """The changes of ``stream`` after position ``after`` (see :meth:`pull_json`)."""
        return PullPage.from_json(json.loads(self.pull_json(session, stream, after, limit)))

    def pull_json(self, session: Session, stream: str, after: int, limit: int) -> bytes:
        """The changes of ``stream`` after position ``after`` as the page's JSON: about
        ``limit`` of them, never part of a transaction (a page ends where a transaction
        ends).

        The rows leave PostgreSQL as JSON text and are spliced into the page as they are:
        decoding and encoding them again cost three times the query.
        """
        if stream not in session.streams:
            raise Denied("stream.branch")
        limit = max(1, min(limit, MAX_PAGE))
        columns = "pos, txid, entity, entity_id, row_version, row::text AS row"
        with self._tx(session.branch_id) as conn:
            # Positions are only ever added in commit order, so what this statement sees
            # after ``after`` is a prefix of the stream: no snapshot isolation needed.
            head = conn.execute(
                sa.text("SELECT counter FROM branch_clock WHERE stream = :s"), {"s": stream}
            ).scalar()
            rows = list(
                conn.execute(
                    sa.text(
                        f"SELECT {columns} FROM change_log "
                        "WHERE stream = :s AND pos > :a ORDER BY pos LIMIT :l"
                    ),
                    {"s": stream, "a": after, "l": limit},
                ).all()
            )
            if rows:
                rows.extend(
                    conn.execute(
                        sa.text(
                            f"SELECT {columns} FROM change_log "
                            "WHERE stream = :s AND pos > :a AND txid = :t ORDER BY pos"
                        ),
                        {"s": stream, "a": rows[-1].pos, "t": rows[-1].txid},
                    ).all()
                )
        last = rows[-1].pos if rows else after
        changes = ",".join(
            f'{{"pos":{r.pos},"txid":{r.txid},"entity":{json.dumps(r.entity)},'
            f'"entity_id":{json.dumps(r.entity_id)},"row_version":{r.row_version},"row":{r.row}}}'
            for r in rows
        )
        head_value = max(int(head or 0), last)
        return (
            f'{{"stream":{json.dumps(stream)},"changes":[{changes}],'
            f'"next":{last},"head":{head_value}}}'
        ).encode()
