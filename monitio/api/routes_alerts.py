"""Alert channels, rules, the outbox and the delivery log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from monitio.alerts import config as cfg
from monitio.api.errors import ApiError
from monitio.api.schemas import MAX_ID, Id, IdQuery
from monitio.api.security import Caller, require
from monitio.store.schema_alerts import deliveries, outbox

router = APIRouter(prefix="/alerts", tags=["alerts"])


class ChannelIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    kind: str = Field(pattern="^(slack|lark|teams|webhook|email)$")
    config: dict


class RuleIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    channel_ids: list[Id] = Field(min_length=1, max_length=20)
    kinds: list[str] = Field(default_factory=list, max_length=10)
    categories: list[str] = Field(default_factory=list, max_length=50)
    markets: list[str] = Field(default_factory=list, max_length=50)
    min_severity: int = Field(default=6, ge=1, le=10)
    query: str | None = Field(default=None, max_length=2000)
    cooldown_minutes: int = Field(default=360, ge=0, le=100_000)


def _engine(request: Request):
    return request.app.state.ws.engine


@router.get("/channels")
def list_channels(request: Request, c: Caller = Depends(require("alerts:read"))):
    """Channels (secrets and passwords are never shown)."""
    with _engine(request).connect() as conn:
        return {"items": cfg.list_channels(conn)}


@router.post("/channels", status_code=201)
def add_channel(body: ChannelIn, request: Request, c: Caller = Depends(require("channels:admin"))):
    try:
        with _engine(request).begin() as conn:
            return {"id": cfg.add_channel(conn, body.name, body.kind, body.config, actor=c.user.email)}
    except cfg.AlertConfigError as exc:
        raise ApiError(422, str(exc)) from None


@router.get("/rules")
def list_rules(request: Request, c: Caller = Depends(require("alerts:read"))):
    with _engine(request).connect() as conn:
        return {"items": [{k: v for k, v in r.__dict__.items() if not k.startswith("_")} for r in cfg.load_rules(conn)]}


@router.post("/rules", status_code=201)
def add_rule(body: RuleIn, request: Request, c: Caller = Depends(require("rules:write"))):
    try:
        with _engine(request).begin() as conn:
            return {
                "id": cfg.add_rule(
                    conn,
                    body.name,
                    channel_ids=body.channel_ids,
                    kinds=body.kinds,
                    categories=body.categories,
                    markets=[m.upper() for m in body.markets],
                    min_severity=body.min_severity,
                    query=body.query,
                    cooldown_minutes=body.cooldown_minutes,
                    actor=c.user.email,
                )
            }
    except cfg.AlertConfigError as exc:
        raise ApiError(422, str(exc)) from None


@router.get("/outbox")
def list_outbox(
    request: Request,
    c: Caller = Depends(require("alerts:read")),
    status: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Queued and sent alerts with their status, attempts and last error."""
    stmt = select(outbox).order_by(outbox.c.id.desc()).limit(limit).offset(offset)
    if status:
        stmt = stmt.where(outbox.c.status == status)
    with _engine(request).connect() as conn:
        rows = conn.execute(stmt).all()
    return {
        "items": [
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
    }


@router.get("/deliveries")
def list_deliveries(
    request: Request,
    c: Caller = Depends(require("alerts:read")),
    outbox_id: IdQuery = None,
    limit: int = Query(100, ge=1, le=1000),
):
    """The delivery log: every attempt with its outcome."""
    stmt = select(deliveries).order_by(deliveries.c.id.desc()).limit(limit)
    if outbox_id is not None:
        stmt = stmt.where(deliveries.c.outbox_id == outbox_id)
    with _engine(request).connect() as conn:
        rows = conn.execute(stmt).all()
    return {
        "items": [
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
    }
