"""retention: mark posts whose text was dropped, and index the posts still holding theirs

`posts.text_dropped_at` is set when `monitio retention apply` empties an old post's text and raw
payload (`monitio/store/retention.py`). The partial index `ix_posts_retention_due` holds only the
posts that still have their text, by publication time, so each retention batch finds the next old
posts without walking past the millions already dropped.

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


def upgrade() -> None:
    from monitio.store.schema import UtcDateTime

    op.add_column("posts", sa.Column("text_dropped_at", UtcDateTime(), nullable=True))
    op.create_index("ix_posts_retention_due", "posts", ["published_at"], sqlite_where=DUE, postgresql_where=DUE)


def downgrade() -> None:
    op.drop_index("ix_posts_retention_due", table_name="posts")
    op.drop_column("posts", "text_dropped_at")
