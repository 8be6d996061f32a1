"""Signals: list, read, change status."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query

from monitio.api.jsonbody import json_body
from monitio.api.schemas import MAX_ID, IdPath, Page, SignalAction, SignalPatch
from monitio.api.security import Caller, require, workspace
from monitio.services import signals as svc
from monitio.workspace import Workspace

router = APIRouter()


@router.get("/signals", response_model=Page, tags=["signals"])
def get_signals(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("signals:read")),
    status: str = Query("open", pattern="^(open|closed|dismissed|all)$"),
    kind: str | None = Query(None, max_length=40),
    category: str | None = Query(None, max_length=80),
    market: str | None = Query(None, max_length=20),
    min_severity: int = Query(1, ge=1, le=10),
    since: datetime | None = Query(None, description="Only signals seen since then (ISO 8601)."),
    sort: str = Query("severity", pattern="^(severity|score|first_seen|last_seen|size)$"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Signals, most severe first, each with its why and evidence posts (filtered and paged in SQL)."""
    query = svc.SignalQuery(
        status=None if status == "all" else status,
        kind=kind,
        category=category,
        market=market,
        min_severity=min_severity,
        since=since,
        sort=sort,
    )
    page = svc.list_signals(ws, query, limit=limit, offset=offset)
    return Page(items=page.items, total=page.total, limit=limit, offset=offset)


@router.get("/signals/{signal_id}", tags=["signals"])
def get_signal(signal_id: IdPath, ws: Workspace = Depends(workspace), c: Caller = Depends(require("signals:read"))):
    """One signal with its evidence, the indicators found in it (by kind) and the cases it is in."""
    found = svc.get_signal(ws, signal_id)
    return json_body({**found.signal, "indicators": found.indicators, "cases": found.cases})


@router.patch("/signals/{signal_id}", tags=["signals"])
def change_signal(
    signal_id: IdPath,
    body: SignalPatch,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("signals:write")),
):
    """Close or dismiss a signal (or reopen it)."""
    done = svc.set_status(ws, signal_id, body.status, actor=c.user, reason=body.reason)
    return {"id": done.id, "status": done.status}


@router.post("/signals/{signal_id}/actions", tags=["signals"])
def act_on_signal(
    signal_id: IdPath,
    body: SignalAction,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("signals:write")),
):
    """Acknowledge, dismiss (with a reason), close, reopen, or escalate (opens a case) a signal."""
    done = svc.act(ws, signal_id, body.action, actor=c.user, reason=body.reason)
    return {"id": done.id, "action": done.action, "status": done.status, "case_id": done.case_id}
