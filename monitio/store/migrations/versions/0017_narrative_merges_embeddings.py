"""narratives: merge records (merged_into + narrative_merges), embedding vector cache

Revision ID: 0017
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0021"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("narratives") as batch:
        batch.add_column(sa.Column("merged_into", Id, nullable=True))
    op.create_index("ix_narratives_merged_into", "narratives", ["merged_into"])
    op.create_table(
        "narrative_merges",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("into_id", Id, nullable=False),
        sa.Column("from_ids", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_narrative_merges_into", "narrative_merges", ["into_id"])
    op.create_table(
        "embeddings",
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("model", "text_hash"),
    )


def downgrade() -> None:
    op.drop_table("embeddings")
    op.drop_index("ix_narrative_merges_into", table_name="narrative_merges")
    op.drop_table("narrative_merges")
    op.drop_index("ix_narratives_merged_into", table_name="narratives")
    with op.batch_alter_table("narratives") as batch:
        batch.drop_column("merged_into")
