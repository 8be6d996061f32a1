"""Tables for kept briefs (and, later, their schedules and deliveries)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Index, Integer, String, Table, Text, UniqueConstraint

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

responses = Table(
    "responses",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("signal_id", Id, nullable=False),
    Column("case_id", Id),
    Column("version", Integer, nullable=False),
    Column("lang", String(20), nullable=False),
    Column("statement", Text, nullable=False),
    Column("internal_note", Text, nullable=False),
    Column("enforcement", JSON, nullable=False),
    Column("figures", JSON, nullable=False),
    Column("files", JSON, nullable=False),
    Column("created_by", String(320), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("signal_id", "version", name="uq_responses_signal_version"),
    Index("ix_responses_case", "case_id"),
)

translations = Table(
    "translations",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("source", String(20), nullable=False),
    Column("backend", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

schedules = Table(
    "brief_schedules",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("cron", String(120), nullable=False),
    Column("tz", String(60), nullable=False),
    Column("period", String(20), nullable=False),
    Column("scope", JSON, nullable=False),
    Column("formats", JSON, nullable=False),
    Column("emails", JSON, nullable=False),
    Column("channel_ids", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    #: Fire times before this instant are never sent (set when the schedule is made or changed).
    Column("starts_after", UtcDateTime(), nullable=False),
    Column("origin", String(20), nullable=False, default="cli"),
    Column("created_by", String(320), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)
