"""initial schema

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "post_categories",
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("market", sa.String(length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=True),
        sa.UniqueConstraint("post_id", "category", name="uq_post_categories"),
    )
    with op.batch_alter_table("post_categories", schema=None) as batch_op:
        batch_op.create_index("ix_post_categories_cat_time", ["category", "published_at"], unique=False)

    op.create_table(
        "posts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=500), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=500), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("likes", sa.BigInteger(), nullable=False),
        sa.Column("shares", sa.BigInteger(), nullable=False),
        sa.Column("comments", sa.BigInteger(), nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=False),
        sa.Column("lang_hint", sa.String(length=20), nullable=True),
        sa.Column("market_hint", sa.String(length=20), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=True),
        sa.Column("enriched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lang", sa.String(length=20), nullable=True),
        sa.Column("script", sa.String(length=20), nullable=True),
        sa.Column("lang_confidence", sa.Float(), nullable=True),
        sa.Column("mixed_langs", sa.String(length=100), nullable=True),
        sa.Column("market", sa.String(length=20), nullable=True),
        sa.Column("sentiment", sa.Float(), nullable=True),
        sa.Column("sentiment_label", sa.String(length=20), nullable=True),
        sa.Column("categories", sa.String(length=500), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("risk_score", sa.Float(), nullable=True),
        sa.Column("dup_key", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index("ix_posts_dup_key", ["dup_key"], unique=False)
        batch_op.create_index("ix_posts_enriched_at", ["enriched_at"], unique=False)
        batch_op.create_index("ix_posts_market_published", ["market", "published_at"], unique=False)
        batch_op.create_index("ix_posts_published_at", ["published_at"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("locator", sa.String(length=500), nullable=False),
        sa.Column("row_key", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "row_key", name="uq_quarantine_row"),
    )
    op.create_table(
        "rollup_authors",
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("market", sa.String(length=20), nullable=False),
        sa.Column("lang", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("author_key", sa.String(length=16), nullable=False),
        sa.UniqueConstraint("bucket", "market", "lang", "category", "source", "author_key", name="uq_rollup_authors"),
    )
    op.create_table(
        "rollups",
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("market", sa.String(length=20), nullable=False),
        sa.Column("lang", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("negative", sa.BigInteger(), nullable=False),
        sa.Column("positive", sa.BigInteger(), nullable=False),
        sa.Column("engagement", sa.BigInteger(), nullable=False),
        sa.Column("authors", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("bucket", "market", "lang", "category", "source", name="uq_rollups_key"),
    )
    with op.batch_alter_table("rollups", schema=None) as batch_op:
        batch_op.create_index("ix_rollups_category_bucket", ["category", "bucket"], unique=False)

    op.create_table(
        "runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "signals",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("markets", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("langs", sa.JSON(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("persistence_hours", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.create_index("ix_signals_key_status", ["key", "status"], unique=False)
        batch_op.create_index("ix_signals_status_severity", ["status", "severity"], unique=False)

    op.create_table(
        "source_cursors",
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("cursor", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )


def downgrade() -> None:

    op.drop_table("source_cursors")
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index("ix_signals_status_severity")
        batch_op.drop_index("ix_signals_key_status")

    op.drop_table("signals")
    op.drop_table("runs")
    with op.batch_alter_table("rollups", schema=None) as batch_op:
        batch_op.drop_index("ix_rollups_category_bucket")

    op.drop_table("rollups")
    op.drop_table("rollup_authors")
    op.drop_table("quarantine")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_published_at")
        batch_op.drop_index("ix_posts_market_published")
        batch_op.drop_index("ix_posts_enriched_at")
        batch_op.drop_index("ix_posts_dup_key")

    op.drop_table("posts")
    with op.batch_alter_table("post_categories", schema=None) as batch_op:
        batch_op.drop_index("ix_post_categories_cat_time")

    op.drop_table("post_categories")
