"""Posts (search and push ingest), hourly series and rollups, and the taxonomy."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query

from monitio.api.schemas import MAX_ID, IngestIn, IngestOut, Page, RowError
from monitio.api.security import Caller, require, require_any, workspace
from monitio.services import data, overview
from monitio.services.posts import find_posts
from monitio.workspace import Workspace

router = APIRouter()
ALL = "_all"


@router.get("/posts", response_model=Page, tags=["posts"])
def search_posts(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("posts:read")),
    q: str | None = Query(None, max_length=2000, description="Query language (or plain words) to match."),
    market: str | None = None,
    lang: str | None = None,
    category: str | None = None,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Posts newest first, filtered by fields and by a query in the query language."""
    items, total = find_posts(
        ws,
        q=q,
        market=market,
        lang=lang,
        category=category,
        source=source,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post("/posts", response_model=IngestOut, tags=["posts"])
def ingest_posts(
    body: IngestIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require_any("posts:ingest", "posts:write"))
):
    """Push up to 1,000 posts. Idempotent (same source + id = same post); bad rows are quarantined and
    reported by index, and the good rows are stored."""
    result = data.push_posts(ws, body.source, [item.model_dump() for item in body.items], timezone=body.timezone)
    return IngestOut(
        read=result.read,
        new=result.new,
        duplicate=result.duplicate,
        quarantined=result.quarantined,
        errors=[RowError(index=i, reason=why) for i, why in result.errors],
    )


@router.get("/series", tags=["series"])
def series(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("series:read")),
    category: str = Query(ALL, description="A category id, or _all for every post."),
    market: str | None = None,
    lang: str | None = None,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    interval: str = Query("hour", pattern="^(hour|day)$"),
):
    """Counts over time from the rollups: count, negative, positive, engagement per hour or day (UTC)."""
    points = overview.series(
        ws, category=category, market=market, lang=lang, source=source, since=since, until=until, interval=interval
    )
    return {"category": category, "market": market, "interval": interval, "points": points}


@router.get("/rollups", tags=["series"])
def rollup_table(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("series:read")),
    group_by: str = Query(
        "market,category", pattern=r"^(market|lang|category|source)(,(market|lang|category|source))*$"
    ),
    since: datetime | None = None,
    include_all: bool = False,
):
    """Totals grouped by any of market, lang, category, source since a time (default: 7 days)."""
    names = group_by.split(",")
    return {"group_by": names, "rows": overview.rollup_table(ws, names, since=since, include_all=include_all)}


@router.get("/taxonomy", tags=["taxonomy"])
def taxonomy(ws: Workspace = Depends(workspace), c: Caller = Depends(require("taxonomy:read"))):
    """The risk categories in force: owner team, default severity, playbook."""
    return data.taxonomy(ws)


@router.get("/quarantine", tags=["posts"])
def quarantine(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("posts:read")),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Rows that could not become posts: where they came from, why, and the raw row."""
    return {"items": data.list_quarantine(ws, limit=limit, offset=offset)}
