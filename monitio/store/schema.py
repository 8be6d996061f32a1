"""Storage tables (SQLAlchemy Core). Migrations in `store/migrations` must match these exactly.

Category value `_all` in rollups counts every post once, whatever its categories, so totals never
double-count posts that fall in two categories.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python, on SQLite and PostgreSQL alike.

    SQLite keeps no zone, so values are stored as naive UTC there and given back as aware UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


ALL = "_all"
"""The rollup category that counts each post once."""
UNKNOWN = "_unknown"
"""Market or language when it could not be told."""

metadata = MetaData()

Id = BigInteger().with_variant(Integer, "sqlite")

posts = Table(
    "posts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("source", String(200), nullable=False),
    Column("source_id", String(500), nullable=False),
    Column("url", Text),
    Column("author", String(500)),
    Column("text", Text, nullable=False),
    Column("published_at", UtcDateTime(), nullable=False),
    Column("ingested_at", UtcDateTime(), nullable=False),
    Column("likes", BigInteger, nullable=False, default=0),
    Column("shares", BigInteger, nullable=False, default=0),
    Column("comments", BigInteger, nullable=False, default=0),
    Column("views", BigInteger, nullable=False, default=0),
    Column("lang_hint", String(20)),
    Column("market_hint", String(20)),
    Column("raw", JSON),
    # enrichment
    Column("enriched_at", UtcDateTime()),
    Column("lang", String(20)),
    Column("script", String(20)),
    Column("lang_confidence", Float),
    Column("mixed_langs", String(100)),
    Column("market", String(20)),
    Column("sentiment", Float),
    Column("sentiment_label", String(20)),
    Column("complaint", Boolean),
    Column("categories", String(500)),
    Column("evidence", JSON),
    Column("risk_score", Float),
    Column("dup_key", String(40)),
    Column("indicators", JSON),
    Column("dup_group", Id),
    # retention (`monitio/store/retention.py`): when the text and raw payload were dropped
    Column("text_dropped_at", UtcDateTime()),
    Index("ix_posts_enriched_at_id", "enriched_at", "id"),  # pending posts in id order (migration 0026)
    Index("ix_posts_published_at", "published_at"),
    Index("ix_posts_market_published", "market", "published_at"),
    Index("ix_posts_dup_key", "dup_key"),
    Index("ix_posts_dup_group", "dup_group", "published_at"),
    Index("ix_posts_author_published", "author", "published_at"),
    Index(
        "ix_posts_retention_due",
        "published_at",
        sqlite_where=text("text_dropped_at IS NULL"),
        postgresql_where=text("text_dropped_at IS NULL"),
    ),
    # the detection pass reads the last days of risk posts (term bursts): migration 0025
    Index(
        "ix_posts_risk_published",
        "published_at",
        sqlite_where=text("categories IS NOT NULL"),
        postgresql_where=text("categories IS NOT NULL"),
    ),
)

post_categories = Table(
    "post_categories",
    metadata,
    Column("post_id", Id, nullable=False),
    Column("category", String(80), nullable=False),
    Column("market", String(20), nullable=False),
    Column("published_at", UtcDateTime(), nullable=False),
    Column("rule", String(200)),
    UniqueConstraint("post_id", "category", name="uq_post_categories"),
    Index("ix_post_categories_cat_time", "category", "published_at"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(200), nullable=False),
    Column("locator", String(500), nullable=False),
    Column("row_key", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", Text),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("source", "row_key", name="uq_quarantine_row"),
)

rollups = Table(
    "rollups",
    metadata,
    Column("bucket", UtcDateTime(), nullable=False),
    Column("market", String(20), nullable=False),
    Column("lang", String(20), nullable=False),
    Column("category", String(80), nullable=False),
    Column("source", String(200), nullable=False),
    Column("count", BigInteger, nullable=False, default=0),
    Column("negative", BigInteger, nullable=False, default=0),
    Column("positive", BigInteger, nullable=False, default=0),
    Column("engagement", BigInteger, nullable=False, default=0),
    Column("authors", BigInteger, nullable=False, default=0),
    Column("complaints", BigInteger, nullable=False, default=0, server_default="0"),
    UniqueConstraint("bucket", "market", "lang", "category", "source", name="uq_rollups_key"),
    Index("ix_rollups_category_bucket", "category", "bucket"),
    # covering index: a detection pass reads a time range of (bucket, market, category, count, negative)
    Index("ix_rollups_bucket_cover", "bucket", "market", "category", "count", "negative"),
)

rollup_authors = Table(
    "rollup_authors",
    metadata,
    Column("bucket", UtcDateTime(), nullable=False),
    Column("market", String(20), nullable=False),
    Column("lang", String(20), nullable=False),
    Column("category", String(80), nullable=False),
    Column("source", String(200), nullable=False),
    Column("author_key", String(16), nullable=False),
    UniqueConstraint("bucket", "market", "lang", "category", "source", "author_key", name="uq_rollup_authors"),
)

signals = Table(
    "signals",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False, default="open"),
    Column("severity", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("confidence", Float, nullable=False, default=0.0),
    Column("window_start", UtcDateTime(), nullable=False),
    Column("window_end", UtcDateTime(), nullable=False),
    Column("observed", Float, nullable=False),
    Column("expected", Float, nullable=False),
    Column("markets", JSON, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("langs", JSON, nullable=False),
    Column("why", Text, nullable=False),
    Column("details", JSON, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("first_seen", UtcDateTime(), nullable=False),
    Column("last_seen", UtcDateTime(), nullable=False),
    Column("persistence_hours", Integer, nullable=False, default=1),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_signals_key_status", "key", "status"),
    Index("ix_signals_status_severity", "status", "severity"),
)

source_cursors = Table(
    "source_cursors",
    metadata,
    Column("source", String(200), primary_key=True),
    Column("cursor", JSON, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("stats", JSON),
)


# Collaboration and alerting tables share this metadata (imported last: they use the names above).
from monitio.store import (  # noqa: E402, F401
    schema_alerts,
    schema_briefs,
    schema_collab,
    schema_dupes,
    schema_intel,
    schema_search,
    schema_taxonomy,
)
