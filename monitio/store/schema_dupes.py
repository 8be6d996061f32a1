"""Tables of the persistent near-duplicate index (copy-paste groups with stable ids).

`dup_groups` holds one row per group: its representative post and text, first/last seen, size, exact
distinct-author count (from `dup_group_authors`) and post count per market. A group absorbed by an
older one keeps its row and id and points at it through `merged_into`. `dup_keys` maps each distinct
normalised text (the post's `dup_key`) to its group and MinHash signature; `dup_bands` holds the LSH
band buckets of those signatures (at most one key per bucket and group), pruned for stale groups.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, String, Table, Text, UniqueConstraint

from monitio.store.schema import Id, UtcDateTime, metadata

dup_groups = Table(
    "dup_groups",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("merged_into", Id),
    Column("rep_post_id", Id, nullable=False),
    Column("rep_text", Text, nullable=False),
    Column("first_seen", UtcDateTime(), nullable=False),
    Column("last_seen", UtcDateTime(), nullable=False),
    Column("size", BigInteger, nullable=False, default=0),
    Column("authors", BigInteger, nullable=False, default=0),
    Column("markets", JSON, nullable=False),
    Column("bands_pruned_at", UtcDateTime()),
    Index("ix_dup_groups_last_seen", "last_seen"),
    Index("ix_dup_groups_merged_into", "merged_into"),
    Index("ix_dup_groups_rep_post", "rep_post_id"),
)

dup_keys = Table(
    "dup_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dup_key", String(40), nullable=False, unique=True),
    Column("group_id", Id, nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Index("ix_dup_keys_group", "group_id"),
)

dup_bands = Table(
    "dup_bands",
    metadata,
    Column("bucket", BigInteger, nullable=False),
    Column("key_id", Id, nullable=False),
    Column("group_id", Id, nullable=False),
    UniqueConstraint("bucket", "key_id", name="uq_dup_bands"),
    Index("ix_dup_bands_group", "group_id"),
)

dup_group_authors = Table(
    "dup_group_authors",
    metadata,
    Column("group_id", Id, nullable=False),
    Column("author_key", String(16), nullable=False),
    UniqueConstraint("group_id", "author_key", name="uq_dup_group_authors"),
)
