"""rollups: covering index for range reads by hour (detection pass)

The detectors read every rollup row of a time range (bucket, market, category, count, negative) and sum it
in numpy; with this index the read is an index-only range scan instead of a table lookup per row.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_rollups_bucket_cover", "rollups", ["bucket", "market", "category", "count", "negative"])


def downgrade() -> None:
    op.drop_index("ix_rollups_bucket_cover", table_name="rollups")
