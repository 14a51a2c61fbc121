"""sync: conflicts become synced rows of their branch; an outbox entry names its author;
a sign-in to the sync service is kept per user

Nothing wrote the old table (no sync existed before this revision), so it is replaced.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.drop_table("sync_conflict")
    op.create_table(
        "sync_conflict",
        sa.Column("id", _text(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.Column("origin_node", _text(length=36), nullable=False),
        sa.Column("deleted_at", _time(), nullable=True),
        sa.Column("branch_id", _text(length=36), nullable=False),
        sa.Column("kind", _text(length=16), nullable=False),
        sa.Column("entity", _text(length=48), nullable=False),
        sa.Column("entity_id", _text(length=36), nullable=False),
        sa.Column("field", _text(length=64), nullable=True),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.Column("mine", sa.JSON(), nullable=True),
        sa.Column("theirs", sa.JSON(), nullable=True),
        sa.Column("node_id", _text(length=36), nullable=False),
        sa.Column("outbox_seq", sa.Integer(), nullable=False),
        sa.Column("actor_id", _text(length=36), nullable=True),
        sa.Column("detected_at", _time(), nullable=False),
        sa.Column("resolved_by", _text(length=36), nullable=True),
        sa.Column("resolved_at", _time(), nullable=True),
        sa.Column("resolution", _text(length=16), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_conflict_branch_id", "sync_conflict", ["branch_id"])
    op.create_index("ix_sync_conflict_entity_id", "sync_conflict", ["entity_id"])
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("actor_id", _text(length=36), nullable=True))
    op.create_table(
        "sync_session",
        sa.Column("user_id", _text(length=36), nullable=False),
        sa.Column("server", _text(length=255), nullable=False),
        sa.Column("token", _text(length=128), nullable=False),
        sa.Column("expires_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("sync_session")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("actor_id")
    op.drop_table("sync_conflict")
    op.create_table(
        "sync_conflict",
        sa.Column("id", _text(length=36), nullable=False),
        sa.Column("entity", _text(length=48), nullable=False),
        sa.Column("entity_id", _text(length=36), nullable=False),
        sa.Column("field", _text(length=64), nullable=True),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("mine", sa.JSON(), nullable=False),
        sa.Column("theirs", sa.JSON(), nullable=False),
        sa.Column("outbox_seq", sa.Integer(), nullable=True),
        sa.Column("detected_at", _time(), nullable=False),
        sa.Column("resolved_by", _text(length=36), nullable=True),
        sa.Column("resolved_at", _time(), nullable=True),
        sa.Column("resolution", _text(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_conflict_entity_id", "sync_conflict", ["entity_id"])
