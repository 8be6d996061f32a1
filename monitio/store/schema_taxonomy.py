"""Edited taxonomy rules: one row per saved version (the taxonomy file stays the base, version 1)."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint

from monitio.store.schema import Id, UtcDateTime, metadata

taxonomy_versions = Table(
    "taxonomy_versions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("version", Integer, nullable=False),
    Column("category", String(80), nullable=False),
    Column("rules_before", Text, nullable=False),
    Column("rules_after", Text, nullable=False),
    Column("actor", String(320), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("version", name="uq_taxonomy_versions_version"),
    Index("ix_taxonomy_versions_category", "category", "version"),
)
