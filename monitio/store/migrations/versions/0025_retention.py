"""retention and layout at volume: mark posts whose text was dropped; two partial indexes on posts

`posts.text_dropped_at` is set when `monitio retention apply` empties an old post's text and raw
payload (`monitio/store/retention.py`). The partial index `ix_posts_retention_due` holds only the
posts that still have their text, by publication time, so each retention batch finds the next old
posts without walking past the millions already dropped.

`ix_posts_risk_published` holds the publication time of the posts with a risk category only (about a
fifth): the detection pass reads the last days of those (term bursts); at 1M posts on PostgreSQL that
read went from a parallel sequential scan of the whole table (982 ms) to a bitmap scan of this 4 MB
index (189 ms). See docs/benchmarks.md, "PostgreSQL layout at 1M posts".

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

DUE = sa.text("text_dropped_at IS NULL")
RISK = sa.text("categories IS NOT NULL")


def upgrade() -> None:
    from monitio.store.schema import UtcDateTime

    op.add_column("posts", sa.Column("text_dropped_at", UtcDateTime(), nullable=True))
    op.create_index("ix_posts_retention_due", "posts", ["published_at"], sqlite_where=DUE, postgresql_where=DUE)
    op.create_index("ix_posts_risk_published", "posts", ["published_at"], sqlite_where=RISK, postgresql_where=RISK)


def downgrade() -> None:
    op.drop_index("ix_posts_risk_published", table_name="posts")
    op.drop_index("ix_posts_retention_due", table_name="posts")
    op.drop_column("posts", "text_dropped_at")
