"""response packs for signals, versioned, attached to the signal's case

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "responses",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("signal_id", Id, nullable=False),
        sa.Column("case_id", Id, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=20), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("internal_note", sa.Text(), nullable=False),
        sa.Column("enforcement", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("signal_id", "version", name="uq_responses_signal_version"),
    )
    op.create_index("ix_responses_case", "responses", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_responses_case", table_name="responses")
    op.drop_table("responses")
