"""queue: the default order's index covers the columns most filters check

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain index statements, no batch: a batch could copy the table and lose the
    # triggers that keep its trigram index in step.
    op.drop_index("ix_queue_row_last_change_at_seq", table_name="queue_row")
    op.create_index(
        "ix_queue_row_last_change_walk",
        "queue_row",
        ["last_change_at", "seq", "status", "national_id", "branch_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_queue_row_last_change_walk", table_name="queue_row")
    op.create_index(
        "ix_queue_row_last_change_at_seq", "queue_row", ["last_change_at", "seq"], unique=False
    )
