"""taxonomy versions: rules edited in the dashboard, over the file taxonomy

Revision ID: 0022
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0016"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "taxonomy_versions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("rules_before", sa.Text(), nullable=False),
        sa.Column("rules_after", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version", name="uq_taxonomy_versions_version"),
    )
    op.create_index("ix_taxonomy_versions_category", "taxonomy_versions", ["category", "version"])


def downgrade() -> None:
    op.drop_index("ix_taxonomy_versions_category", table_name="taxonomy_versions")
    op.drop_table("taxonomy_versions")
