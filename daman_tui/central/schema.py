"""Creating the central store: tables, the change log, row-level security and roles.

What SYNC.md measured, built in:

- The pull cursor is a **per-stream counter bumped at commit**: a ``DEFERRABLE INITIALLY
  DEFERRED`` constraint trigger on every synced table takes the stream's ``branch_clock``
  row (locked until commit) and writes a change-log row at the next position. Positions are
  gap-free and in commit order per stream, and one transaction's positions are
  contiguous, so a page can end on a transaction's edge. A sequence id as cursor loses
  rows committed out of order; an immediate trigger deadlocks.
- **Row-level security** on every branch table and on the change log, ``FORCE``d (the
  owner obeys it too), keyed on ``nullif(current_setting('app.branch', true), '')``: once
  a ``SET LOCAL`` ends the setting reads ``''``, which must match nothing.
- Three roles: the **admin** role owns every object and runs migrations (``BYPASSRLS``:
  it is also how the branch-blind pieces — the login lookup, the change-log writer — see
  across branches, through ``SECURITY DEFINER`` functions); the **service** role the sync
  service connects as owns nothing, has ``NOBYPASSRLS`` and may not delete.

The schema is versioned in ``central_meta``; :data:`STEPS` are applied in order, each once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from daman_tui.central.tables import GLOBAL_STREAM, branch_tables, global_tables, synced_tables

__all__ = ["SCHEMA_VERSION", "CentralRoles", "init_central", "schema_version"]


@dataclass(frozen=True)
class CentralRoles:
    admin: str = "daman_admin"
    service: str = "daman_sync"
    service_password: str | None = None


BRANCH_SETTING = "nullif(current_setting('app.branch', true), '')"


def _ident(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _roles(conn: Connection, roles: CentralRoles) -> None:
    admin, service = _ident(conn, roles.admin), _ident(conn, roles.service)
    conn.exec_driver_sql(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{roles.admin}') THEN
            CREATE ROLE {admin} LOGIN BYPASSRLS;
          END IF;
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{roles.service}') THEN
            CREATE ROLE {service} LOGIN NOBYPASSRLS;
          END IF;
        END $$;
        """
    )
    # Re-asserted on every init: a role someone widened by hand is narrowed again.
    conn.exec_driver_sql(f"ALTER ROLE {service} NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB")
    if roles.service_password:
        conn.execute(
            sa.text(f"ALTER ROLE {service} PASSWORD :pw"),
            {"pw": roles.service_password},
        )
    conn.exec_driver_sql(f"GRANT CREATE, USAGE ON SCHEMA public TO {admin}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {service}")


def _step_tables(conn: Connection, roles: CentralRoles) -> None:
    SQLModel.metadata.create_all(conn, tables=synced_tables())
    conn.exec_driver_sql(
        """
        CREATE TABLE central_meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE branch_clock (stream text PRIMARY KEY, counter bigint NOT NULL);
        CREATE TABLE change_log (
            stream text NOT NULL,
            pos bigint NOT NULL,
            txid bigint NOT NULL,
            entity text NOT NULL,
            entity_id text NOT NULL,
            row_version integer NOT NULL,
            row jsonb NOT NULL,
            committed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (stream, pos)
        );
        CREATE INDEX ix_change_log_row ON change_log (entity, entity_id, row_version);
        -- The node's idempotency record: stored with the mutation's effect, in its
        -- transaction, so a retried or duplicated push gets the stored outcome.
        CREATE TABLE applied_mutation (
            node_id text NOT NULL,
            seq bigint NOT NULL,
            branch_id text NOT NULL,
            hash text NOT NULL,
            outcome text NOT NULL,
            result jsonb NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (node_id, seq)
        );
        CREATE TABLE sync_node (
            node_id text PRIMARY KEY,
            branch_id text NOT NULL,
            user_id text NOT NULL,
            first_seen timestamptz NOT NULL DEFAULT now(),
            last_seen timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE api_token (
            token_hash text PRIMARY KEY,
            user_id text NOT NULL,
            branch_id text NOT NULL,
            role text NOT NULL,
            node_id text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            revoked_at timestamptz
        );
        CREATE INDEX ix_api_token_user ON api_token (user_id);
        """
    )
    _change_log_trigger(conn)
    _security(conn, roles)


def _change_log_trigger(conn: Connection) -> None:
    conn.exec_driver_sql(
        f"""
        CREATE FUNCTION daman_log_change() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE
          s text := coalesce(to_jsonb(NEW) ->> 'branch_id', '{GLOBAL_STREAM}');
          p bigint;
        BEGIN
          INSERT INTO branch_clock AS c (stream, counter) VALUES (s, 1)
            ON CONFLICT (stream) DO UPDATE SET counter = c.counter + 1
            RETURNING counter INTO p;
          INSERT INTO change_log (stream, pos, txid, entity, entity_id, row_version, row)
            VALUES (s, p, pg_current_xact_id()::text::bigint, TG_TABLE_NAME, NEW.id,
                    NEW.row_version, to_jsonb(NEW));
          RETURN NULL;
        END $$;
        """
    )
    for table in synced_tables():
        conn.exec_driver_sql(
            f"CREATE CONSTRAINT TRIGGER log_change AFTER INSERT OR UPDATE ON {table.name} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION daman_log_change()"
        )


def _security(conn: Connection, roles: CentralRoles) -> None:
    service = _ident(conn, roles.service)
    for table in branch_tables():
        name = table.name
        conn.exec_driver_sql(
            f"""
            ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;
            ALTER TABLE {name} FORCE ROW LEVEL SECURITY;
            CREATE POLICY branch_only ON {name}
              USING (branch_id = {BRANCH_SETTING}) WITH CHECK (branch_id = {BRANCH_SETTING});
            GRANT SELECT, INSERT, UPDATE ON {name} TO {service};
            """
        )
    for table in global_tables():
        conn.exec_driver_sql(f"GRANT SELECT ON {table.name} TO {service}")
    conn.exec_driver_sql(
        f"""
        ALTER TABLE change_log ENABLE ROW LEVEL SECURITY;
        ALTER TABLE change_log FORCE ROW LEVEL SECURITY;
        CREATE POLICY branch_or_global ON change_log
          USING (stream = {BRANCH_SETTING} OR stream = '{GLOBAL_STREAM}');
        GRANT SELECT ON change_log TO {service};

        ALTER TABLE applied_mutation ENABLE ROW LEVEL SECURITY;
        ALTER TABLE applied_mutation FORCE ROW LEVEL SECURITY;
        CREATE POLICY branch_only ON applied_mutation
          USING (branch_id = {BRANCH_SETTING}) WITH CHECK (branch_id = {BRANCH_SETTING});
        GRANT SELECT, INSERT, UPDATE ON applied_mutation TO {service};

        GRANT SELECT, INSERT, UPDATE ON sync_node, api_token TO {service};
        GRANT SELECT ON central_meta, branch_clock TO {service};

        -- Signing in happens before a branch is known: this returns one user's
        -- credentials by name and nothing else of any branch.
        CREATE FUNCTION daman_login_lookup(p_username text)
        RETURNS TABLE (id text, branch_id text, role text, password_hash text,
                       disabled boolean, full_name text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT u.id, u.branch_id, u.role, u.password_hash,
                 (u.disabled_at IS NOT NULL OR u.deleted_at IS NOT NULL), u.full_name
          FROM app_user u WHERE u.username = p_username
        $$;
        REVOKE ALL ON FUNCTION daman_login_lookup(text) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION daman_login_lookup(text) TO {service};
        REVOKE ALL ON FUNCTION daman_log_change() FROM PUBLIC;
        """
    )


Step = Callable[[Connection, CentralRoles], None]
STEPS: tuple[Step, ...] = (_step_tables,)
SCHEMA_VERSION = len(STEPS)


def schema_version(conn: Connection) -> int:
    exists = conn.exec_driver_sql("SELECT to_regclass('public.central_meta') IS NOT NULL").scalar()
    if not exists:
        return 0
    value = conn.exec_driver_sql(
        "SELECT value FROM central_meta WHERE key = 'schema_version'"
    ).scalar()
    return int(value or 0)


def init_central(engine: Engine, roles: CentralRoles = CentralRoles()) -> tuple[int, int]:
    """Create or upgrade the central schema at ``engine`` (a superuser connection: roles are
    made here). Returns the versions before and after; running it again changes nothing."""
    with engine.begin() as conn:
        conn.exec_driver_sql("SET TIME ZONE 'UTC'")
        _roles(conn, roles)
        before = schema_version(conn)
        conn.exec_driver_sql(f"SET ROLE {_ident(conn, roles.admin)}")
        for number, step in enumerate(STEPS, start=1):
            if number > before:
                step(conn, roles)
        conn.exec_driver_sql(
            "INSERT INTO central_meta (key, value) VALUES ('schema_version', %(v)s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {"v": str(SCHEMA_VERSION)},
        )
        conn.exec_driver_sql("RESET ROLE")
    return before, SCHEMA_VERSION
