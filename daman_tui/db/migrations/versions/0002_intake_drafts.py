"""intake drafts: the wizard's working copy of each draft, local to its terminal, and
whom a document is about by ID number

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(
            sa.Column(
                "subject_national_id", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True
            )
        )
    op.create_table(
        "intake_draft",
        sa.Column("application_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("focus", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("saved_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
        ),
        sa.ForeignKeyConstraint(
            ["saved_by"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("application_id"),
    )


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("subject_national_id")
    op.drop_table("intake_draft")
