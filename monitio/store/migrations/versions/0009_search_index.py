"""search index: post_search (normalised text per post) + FTS5 trigram (SQLite) / pg_trgm GIN (PostgreSQL)

Existing posts are indexed here, with progress on standard error.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    from monitio.store.fts import backfill, create_text_index

    op.create_table(
        "post_search",
        sa.Column("post_id", Id, autoincrement=False, nullable=False),
        sa.Column("vi", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_vi", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("post_id"),
    )
    op.create_index("ix_posts_author_published", "posts", ["author", "published_at"])  # the author view
    conn = op.get_bind()
    create_text_index(conn)
    backfill(conn)


def downgrade() -> None:
    from monitio.store.fts import drop_text_index

    drop_text_index(op.get_bind())
    op.drop_index("ix_posts_author_published", table_name="posts")
    op.drop_table("post_search")
