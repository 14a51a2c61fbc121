"""case queue: one row per application for the queue, its trigram name index, derived-table versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

The rows are filled by the services (daman_tui/services/queue_index.py), which rebuild the
table whenever ``derived_state`` says it is older than the code: nothing to copy here.
The FTS5 index is external-content over ``queue_row.name_key``, kept in step by triggers
(the pattern of the SQLite FTS5 documentation, section 4.4.3).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "derived_state",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("built_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "queue_row",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("application_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("branch_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("branch_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("request_number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("national_id", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
        sa.Column("assigned_to", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("assignee_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("clock", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("last_change_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("application_id"),
    )
    with op.batch_alter_table("queue_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_queue_row_assigned_to"), ["assigned_to"], unique=False)
        batch_op.create_index(
            "ix_queue_row_assignee_name_seq", ["assignee_name", "seq"], unique=False
        )
        batch_op.create_index("ix_queue_row_branch_code_seq", ["branch_code", "seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_queue_row_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index("ix_queue_row_due_on_seq", ["due_on", "seq"], unique=False)
        batch_op.create_index(
            "ix_queue_row_last_change_at_seq", ["last_change_at", "seq"], unique=False
        )
        batch_op.create_index("ix_queue_row_name_key_seq", ["name_key", "seq"], unique=False)
        batch_op.create_index("ix_queue_row_national_id_seq", ["national_id", "seq"], unique=False)
        batch_op.create_index(
            "ix_queue_row_request_number_seq", ["request_number", "seq"], unique=False
        )
        batch_op.create_index(
            "ix_queue_row_status_changed", ["status", "last_change_at", "seq"], unique=False
        )
        batch_op.create_index("ix_queue_row_status_seq", ["status", "seq"], unique=False)

    for statement in FTS_UP:
        op.execute(statement)


FTS_UP = (
    "CREATE VIRTUAL TABLE queue_fts USING fts5("
    "name_key, content='queue_row', content_rowid='seq', tokenize='trigram')",
    "CREATE TRIGGER queue_row_ai AFTER INSERT ON queue_row BEGIN "
    "INSERT INTO queue_fts(rowid, name_key) VALUES (new.seq, new.name_key); END",
    "CREATE TRIGGER queue_row_ad AFTER DELETE ON queue_row BEGIN "
    "INSERT INTO queue_fts(queue_fts, rowid, name_key) VALUES ('delete', old.seq, old.name_key);"
    " END",
    "CREATE TRIGGER queue_row_au AFTER UPDATE OF name_key ON queue_row BEGIN "
    "INSERT INTO queue_fts(queue_fts, rowid, name_key) VALUES ('delete', old.seq, old.name_key);"
    " INSERT INTO queue_fts(rowid, name_key) VALUES (new.seq, new.name_key); END",
)


def downgrade() -> None:
    for trigger in ("queue_row_ai", "queue_row_ad", "queue_row_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS queue_fts")
    with op.batch_alter_table("queue_row", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_row_status_seq")
        batch_op.drop_index("ix_queue_row_status_changed")
        batch_op.drop_index("ix_queue_row_request_number_seq")
        batch_op.drop_index("ix_queue_row_national_id_seq")
        batch_op.drop_index("ix_queue_row_name_key_seq")
        batch_op.drop_index("ix_queue_row_last_change_at_seq")
        batch_op.drop_index("ix_queue_row_due_on_seq")
        batch_op.drop_index(batch_op.f("ix_queue_row_branch_id"))
        batch_op.drop_index("ix_queue_row_branch_code_seq")
        batch_op.drop_index("ix_queue_row_assignee_name_seq")
        batch_op.drop_index(batch_op.f("ix_queue_row_assigned_to"))

    op.drop_table("queue_row")
    op.drop_table("derived_state")
