"""Alerting set-up and state: channels, rules, the outbox and the delivery log."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from monitio.alerts import config as cfg
from monitio.auth.users import User
from monitio.services.access import actor_name, require
from monitio.store.schema_alerts import channels, deliveries, outbox
from monitio.workspace import Workspace

AlertConfigError = cfg.AlertConfigError


@dataclass
class RuleSpec:
    """A new rule: channels by id (API) or by name (CLI), and what it matches."""

    name: str
    channel_ids: list[int] = field(default_factory=list)
    channel_names: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    min_severity: int = 6
    query: str | None = None
    cooldown_minutes: int = 360


def list_channels(ws: Workspace, actor: User | None) -> list[dict]:
    """Channels (secrets and passwords are never shown)."""
    require(actor, "alerts:read")
    with ws.engine.connect() as conn:
        return cfg.list_channels(conn)


def add_channel(ws: Workspace, actor: User | None, name: str, kind: str, config: dict) -> int:
    require(actor, "channels:admin")
    with ws.engine.begin() as conn:
        return cfg.add_channel(conn, name, kind, config, actor=actor_name(actor))


def list_rules(ws: Workspace, actor: User | None) -> list[dict]:
    require(actor, "alerts:read")
    with ws.engine.connect() as conn:
        return [{k: v for k, v in r.__dict__.items() if not k.startswith("_")} for r in cfg.load_rules(conn)]


def add_rule(ws: Workspace, actor: User | None, spec: RuleSpec) -> int:
    """Add a rule; channels named in `channel_names` must exist."""
    require(actor, "rules:write")
    with ws.engine.begin() as conn:
        ids = list(spec.channel_ids)
        if spec.channel_names:
            by_name = dict(conn.execute(select(channels.c.name, channels.c.id)).all())
            missing = [c for c in spec.channel_names if c not in by_name]
            if missing:
                raise cfg.UnknownAlertItem(
                    f"no channel named {', '.join(missing)}", hint="see them with: monitio alerts list"
                )
            ids += [by_name[c] for c in spec.channel_names]
        return cfg.add_rule(
            conn,
            spec.name,
            channel_ids=ids,
            kinds=spec.kinds,
            categories=spec.categories,
            markets=[m.upper() for m in spec.markets],
            min_severity=spec.min_severity,
            query=spec.query,
            cooldown_minutes=spec.cooldown_minutes,
            actor=actor_name(actor),
        )


def set_enabled(ws: Workspace, actor: User | None, table: str, item_id: int, enabled: bool) -> None:
    """Enable or disable a channel or a rule."""
    require(actor, "channels:admin" if table == "channel" else "rules:write")
    with ws.engine.begin() as conn:
        cfg.set_enabled(conn, table, item_id, enabled, actor=actor_name(actor))


def outbox_counts(ws: Workspace) -> dict[str, int]:
    """How many alerts are in the outbox by status."""
    with ws.engine.connect() as conn:
        return dict(conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status)).all())


def list_outbox(
    ws: Workspace, actor: User | None, *, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict]:
    """Queued and sent alerts with their status, attempts and last error, newest first."""
    require(actor, "alerts:read")
    stmt = select(outbox).order_by(outbox.c.id.desc()).limit(limit).offset(offset)
    if status:
        stmt = stmt.where(outbox.c.status == status)
    with ws.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        {
            "id": r.id,
            "rule_id": r.rule_id,
            "channel_id": r.channel_id,
            "signal_id": r.signal_id,
            "severity": r.severity,
            "status": r.status,
            "attempts": r.attempts,
            "idempotency_key": r.idempotency_key,
            "last_error": r.last_error,
            "created_at": r.created_at.isoformat(),
            "delivered_at": r.delivered_at.isoformat() if r.delivered_at else None,
        }
        for r in rows
    ]


def list_deliveries(ws: Workspace, actor: User | None, *, outbox_id: int | None = None, limit: int = 100) -> list[dict]:
    """The delivery log: every attempt with its outcome, newest first."""
    require(actor, "alerts:read")
    stmt = select(deliveries).order_by(deliveries.c.id.desc()).limit(limit)
    if outbox_id is not None:
        stmt = stmt.where(deliveries.c.outbox_id == outbox_id)
    with ws.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        {
            "outbox_id": r.outbox_id,
            "attempt": r.attempt,
            "at": r.at.isoformat(),
            "ok": r.ok,
            "status_code": r.status_code,
            "error": r.error,
            "duration_ms": r.duration_ms,
        }
        for r in rows
    ]


def failed_deliveries(ws: Workspace, limit: int = 50) -> list[dict]:
    """Each failed or dead delivery with its reason (the CLI's `alerts list`)."""
    from monitio.alerts.config import failed_deliveries as failed

    with ws.engine.connect() as conn:
        return failed(conn, limit=limit)


def channel_warning(ws: Workspace, kind: str, config: dict) -> str | None:
    """A warning when a channel's target is a private or loopback address that `outbound_allow` does not allow."""
    from monitio.alerts.config import target_warning

    return target_warning(kind, config, ws.settings.outbound_allow)
