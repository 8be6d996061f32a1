"""Tables for analyst labels and narratives (clusters of related posts with stable ids)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)

from monitio.store.schema import Id, UtcDateTime, metadata

labels = Table(
    "labels",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("post_id", Id, nullable=False),
    Column("category", String(80), nullable=False),
    Column("value", Boolean, nullable=False),
    Column("user_id", Id, ForeignKey("users.id")),
    Column("actor", String(320), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("post_id", "category", "actor", name="uq_labels_post_category_actor"),
    Index("ix_labels_category", "category"),
)

narratives = Table(
    "narratives",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("centroid", JSON, nullable=False),
    Column("size", Integer, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("markets", JSON, nullable=False),
    Column("langs", JSON, nullable=False),
    Column("first_seen", UtcDateTime(), nullable=False),
    Column("last_seen", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("merged_into", Id),
    Index("ix_narratives_merged_into", "merged_into"),
)

narrative_merges = Table(
    "narrative_merges",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("into_id", Id, nullable=False),
    Column("from_ids", JSON, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("actor", String(320), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_narrative_merges_into", "into_id"),
)

embeddings = Table(
    "embeddings",
    metadata,
    Column("model", String(40), primary_key=True),
    Column("text_hash", String(32), primary_key=True),
    Column("vector", LargeBinary, nullable=False),
)

post_narratives = Table(
    "post_narratives",
    metadata,
    Column("post_id", Id, primary_key=True),
    Column("narrative_id", Id, ForeignKey("narratives.id", ondelete="CASCADE"), nullable=False),
    Column("similarity", Integer, nullable=False),
    Column("published_at", UtcDateTime(), nullable=False),
    Index("ix_post_narratives_narrative", "narrative_id", "published_at"),
)

source_health = Table(
    "source_health",
    metadata,
    Column("source", String(200), primary_key=True),
    Column("last_run_at", UtcDateTime()),
    Column("last_success_at", UtcDateTime()),
    Column("last_error_at", UtcDateTime()),
    Column("last_error", String(1000)),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("items_last_run", Integer, nullable=False, default=0),
    Column("newest_item_at", UtcDateTime()),
)
