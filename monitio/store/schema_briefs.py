"""Tables for kept briefs (and, later, their schedules and deliveries)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, String, Table, UniqueConstraint

from monitio.store.schema import Id, UtcDateTime, metadata

briefs = Table(
    "briefs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("stem", String(200), nullable=False),
    Column("period", String(20), nullable=False),
    Column("since", UtcDateTime(), nullable=False),
    Column("until", UtcDateTime(), nullable=False),
    Column("scope", JSON, nullable=False),
    Column("files", JSON, nullable=False),
    Column("created_by", String(320), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("stem", name="uq_briefs_stem"),
    Index("ix_briefs_created", "created_at"),
)
