"""Tables for people and collaboration: users, sessions, API tokens, the audit log, cases.

They live on the same `metadata` as the core tables (imported at the end of `schema.py`).
"""

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

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200)),
    Column("role", String(20), nullable=False),
    Column("team", String(80)),
    Column("password_hash", String(200)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("last_login_at", UtcDateTime()),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime()),
    Column("revoked_at", UtcDateTime()),
    Column("last_used_at", UtcDateTime()),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("action", String(80), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(80), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_entity", "entity", "entity_id"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("title", String(300), nullable=False),
    Column("status", String(20), nullable=False),
    Column("severity", Integer, nullable=False),
    Column("owner_team", String(80), nullable=False),
    Column("assignee_id", Id, ForeignKey("users.id")),
    Column("categories", JSON, nullable=False),
    Column("markets", JSON, nullable=False),
    Column("origin", String(20), nullable=False),
    Column("query", Text),
    Column("description", Text),
    Column("sla_due_at", UtcDateTime(), nullable=False),
    Column("detected_at", UtcDateTime()),
    Column("created_by", Id, ForeignKey("users.id")),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("triaged_at", UtcDateTime()),
    Column("resolved_at", UtcDateTime()),
    Column("closed_at", UtcDateTime()),
    Column("merged_into", Id, ForeignKey("cases.id")),
    Column("decision", JSON),
    Index("ix_cases_status", "status"),
    Index("ix_cases_team", "owner_team"),
)

case_links = Table(
    "case_links",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("ref_id", String(80), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", Id, ForeignKey("users.id")),
    UniqueConstraint("case_id", "kind", "ref_id", name="uq_case_links"),
    Index("ix_case_links_ref", "kind", "ref_id"),
)

case_comments = Table(
    "case_comments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Id, ForeignKey("users.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)
