"""Alert channels, rules, the outbox and the delivery log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from monitio.api.schemas import MAX_ID, Id, IdQuery
from monitio.api.security import Caller, require, workspace
from monitio.services import alerts as svc
from monitio.workspace import Workspace

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


@router.get("/channels")
def list_channels(ws: Workspace = Depends(workspace), c: Caller = Depends(require("alerts:read"))):
    """Channels (secrets and passwords are never shown)."""
    return {"items": svc.list_channels(ws, c.user)}


@router.post("/channels", status_code=201)
def add_channel(body: ChannelIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("channels:admin"))):
    """Add a channel (Slack, Lark, Teams, signed webhook or e-mail)."""
    return {"id": svc.add_channel(ws, c.user, body.name, body.kind, body.config)}


@router.get("/rules")
def list_rules(ws: Workspace = Depends(workspace), c: Caller = Depends(require("alerts:read"))):
    """Alert rules: what they match and where they send."""
    return {"items": svc.list_rules(ws, c.user)}


@router.post("/rules", status_code=201)
def add_rule(body: RuleIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("rules:write"))):
    """Add a rule: which signals (kinds, categories, markets, severity, query) go to which channels."""
    spec = svc.RuleSpec(
        body.name,
        channel_ids=list(body.channel_ids),
        kinds=body.kinds,
        categories=body.categories,
        markets=body.markets,
        min_severity=body.min_severity,
        query=body.query,
        cooldown_minutes=body.cooldown_minutes,
    )
    return {"id": svc.add_rule(ws, c.user, spec)}


@router.get("/outbox")
def list_outbox(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("alerts:read")),
    status: str | None = Query(None, max_length=20),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Queued and sent alerts with their status, attempts and last error."""
    return {"items": svc.list_outbox(ws, c.user, status=status, limit=limit, offset=offset)}


@router.get("/deliveries")
def list_deliveries(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("alerts:read")),
    outbox_id: IdQuery = None,
    limit: int = Query(100, ge=1, le=1000),
):
    """The delivery log: every attempt with its outcome."""
    return {"items": svc.list_deliveries(ws, c.user, outbox_id=outbox_id, limit=limit)}
