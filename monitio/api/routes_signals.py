"""Signals: list, read, change status."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import update

from monitio.api.errors import ApiError
from monitio.api.schemas import MAX_ID, IdPath, Page, SignalPatch
from monitio.api.security import Caller, require
from monitio.detect.store import list_signals
from monitio.store.schema import signals

router = APIRouter()


def _ws(request: Request):
    return request.app.state.ws


@router.get("/signals", response_model=Page, tags=["signals"])
def get_signals(
    request: Request,
    c: Caller = Depends(require("signals:read")),
    status: str = Query("open", pattern="^(open|closed|dismissed|all)$"),
    kind: str | None = None,
    category: str | None = None,
    market: str | None = None,
    min_severity: int = Query(1, ge=1, le=10),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Signals, most severe first, each with its why and evidence posts."""
    items = list_signals(_ws(request).engine, status=None if status == "all" else status, limit=5000)
    items = [
        s
        for s in items
        if s["severity"] >= min_severity
        and (not kind or s["kind"] == kind)
        and (not category or category in s["categories"])
        and (not market or market.upper() in s["markets"])
    ]
    return Page(items=items[offset : offset + limit], total=len(items), limit=limit, offset=offset)


@router.get("/signals/{signal_id}", tags=["signals"])
def get_signal(signal_id: IdPath, request: Request, c: Caller = Depends(require("signals:read"))):
    found = list_signals(_ws(request).engine, status=None, ids=[signal_id])
    if not found:
        raise ApiError(404, f"no signal {signal_id}")
    return found[0]


@router.patch("/signals/{signal_id}", tags=["signals"])
def change_signal(
    signal_id: IdPath, body: SignalPatch, request: Request, c: Caller = Depends(require("signals:write"))
):
    """Close or dismiss a signal (or reopen it)."""
    from monitio import audit

    with _ws(request).engine.begin() as conn:
        before = list_signals(_ws(request).engine, status=None, ids=[signal_id])
        if not before:
            raise ApiError(404, f"no signal {signal_id}")
        conn.execute(
            update(signals).where(signals.c.id == signal_id).values(status=body.status, updated_at=datetime.now(UTC))
        )
        audit.record(
            conn,
            actor=c.user.email,
            action="signal.update",
            entity="signal",
            entity_id=signal_id,
            before={"status": before[0]["status"]},
            after={"status": body.status},
        )
    return {"id": signal_id, "status": body.status}
