"""Tables for alerting: channels, rules and the delivery outbox with its log."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from monitio.store.schema import Id, UtcDateTime, metadata

channels = Table(
    "alert_channels",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("config", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

rules = Table(
    "alert_rules",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("kinds", JSON, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("markets", JSON, nullable=False),
    Column("min_severity", Integer, nullable=False, default=1),
    Column("query", Text),
    Column("channel_ids", JSON, nullable=False),
    Column("cooldown_minutes", Integer, nullable=False, default=360),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

outbox = Table(
    "alert_outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("rule_id", Id, ForeignKey("alert_rules.id", ondelete="CASCADE")),
    Column("channel_id", Id, ForeignKey("alert_channels.id", ondelete="CASCADE"), nullable=False),
    Column("signal_id", Id),
    #: Scheduled briefs go through the same outbox: set instead of rule_id/signal_id.
    Column("schedule_id", Id),
    Column("series_key", String(300), nullable=False),
    Column("severity", Integer, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("last_error", Text),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("delivered_at", UtcDateTime()),
    Index("ix_outbox_due", "status", "next_attempt_at"),
    Index("ix_outbox_rule_series", "rule_id", "series_key", "created_at"),
)

deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("outbox_id", Id, ForeignKey("alert_outbox.id", ondelete="CASCADE"), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    UniqueConstraint("outbox_id", "attempt", name="uq_delivery_attempt"),
)
