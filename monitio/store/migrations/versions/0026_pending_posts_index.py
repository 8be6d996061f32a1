"""posts pending enrichment in id order: index (enriched_at, id) instead of (enriched_at)

`iter_pending` asks for `enriched_at IS NULL AND id > :last ORDER BY id LIMIT :n`. PostgreSQL read
every pending entry of the one-column index and sorted them for each batch (EXPLAIN: Index Scan on
ix_posts_enriched_at, Filter id > ..., Sort), so a backlog of N posts cost N per batch; with the id in
the index the batch is one ordered range. SQLite's index already ended in the rowid: same plan there.

Revision ID: 0026
Revises: 0025
"""

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:  # plain index operations: no table copy (posts has triggers)
    op.create_index("ix_posts_enriched_at_id", "posts", ["enriched_at", "id"], unique=False)
    op.drop_index("ix_posts_enriched_at", table_name="posts")


def downgrade() -> None:
    op.create_index("ix_posts_enriched_at", "posts", ["enriched_at"], unique=False)
    op.drop_index("ix_posts_enriched_at_id", table_name="posts")
