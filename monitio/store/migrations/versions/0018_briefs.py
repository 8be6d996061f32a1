"""kept briefs: one row per brief file set, with its period and scope

Revision ID: 0018
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "briefs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("stem", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stem", name="uq_briefs_stem"),
    )
    op.create_index("ix_briefs_created", "briefs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_briefs_created", table_name="briefs")
    op.drop_table("briefs")
