"""Signals and briefs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from sqlalchemy import update

from monitio.api.errors import ApiError
from monitio.api.schemas import MAX_ID, BriefOut, IdPath, Page, SignalPatch
from monitio.api.security import Caller, require
from monitio.detect.store import list_signals
from monitio.store.schema import signals

router = APIRouter()
MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BRIEF_ID = re.compile(r"^\d{8}T\d{6}Z$")


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
    from sqlalchemy import select

    from monitio.store.schema import signals

    # Filter on the light columns first; evidence posts are loaded for the page only.
    q = select(signals.c.id, signals.c.kind, signals.c.severity, signals.c.categories, signals.c.markets)
    q = q.order_by(signals.c.severity.desc(), signals.c.score.desc(), signals.c.id).limit(5000)
    if status != "all":
        q = q.where(signals.c.status == status)
    with _ws(request).engine.connect() as conn:
        ids = [
            s.id
            for s in conn.execute(q)
            if s.severity >= min_severity
            and (not kind or s.kind == kind)
            and (not category or category in (s.categories or []))
            and (not market or market.upper() in (s.markets or []))
        ]
    page = ids[offset : offset + limit]
    items = list_signals(_ws(request).engine, status=None, ids=page, limit=len(page)) if page else []
    return Page(items=items, total=len(ids), limit=limit, offset=offset)


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


def _briefs_dir(request: Request) -> Path:
    return _ws(request).path / "briefs"


@router.post("/briefs", status_code=201, response_model=BriefOut, tags=["briefs"])
def generate_brief(request: Request, c: Caller = Depends(require("briefs:write")), top: int = Query(10, ge=1, le=50)):
    """Generate a brief now from the open signals (Markdown, HTML and XLSX)."""
    from monitio.reports.build import build_brief
    from monitio.reports.write import write_brief

    now = datetime.now(UTC)
    brief_id = now.strftime("%Y%m%dT%H%M%SZ")
    out = _briefs_dir(request) / brief_id
    out.mkdir(parents=True, exist_ok=True)
    paths = write_brief(build_brief(_ws(request), top=top), out)
    return BriefOut(id=brief_id, generated_at=now, formats={fmt: f"/api/v1/briefs/{brief_id}.{fmt}" for fmt in paths})


@router.get("/briefs", tags=["briefs"])
def list_briefs(request: Request, c: Caller = Depends(require("briefs:read"))):
    root = _briefs_dir(request)
    ids = sorted((p.name for p in root.iterdir() if BRIEF_ID.match(p.name)), reverse=True) if root.exists() else []
    return {"items": [{"id": b, "formats": {f: f"/api/v1/briefs/{b}.{f}" for f in MEDIA}} for b in ids]}


@router.get("/briefs/{brief_id}.{fmt}", tags=["briefs"])
def download_brief(brief_id: str, fmt: str, request: Request, c: Caller = Depends(require("briefs:read"))):
    """Download a brief as md, html or xlsx."""
    if not BRIEF_ID.match(brief_id) or fmt not in MEDIA:
        raise ApiError(404, "no such brief")
    path = _briefs_dir(request) / brief_id / f"brief.{fmt}"
    if not path.exists():
        raise ApiError(404, "no such brief")
    return FileResponse(path, media_type=MEDIA[fmt], filename=f"monitio-brief-{brief_id}.{fmt}")
