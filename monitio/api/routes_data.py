"""Posts (search and push ingest), hourly series and rollups, and the taxonomy."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request

from monitio.api.jsonbody import json_body
from monitio.api.schemas import MAX_ID, IngestIn, IngestOut, RowError
from monitio.api.schemas_search import SearchPageOut
from monitio.api.security import Caller, require, require_any, workspace
from monitio.services import data, overview
from monitio.workspace import Workspace

router = APIRouter()
ALL = "_all"


@router.get("/posts", response_model=SearchPageOut, tags=["posts"])
def search_posts(
    request: Request,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("posts:read")),
    q: str | None = Query(None, max_length=2000, description="Query language (see docs/query-language.md)."),
    market: str | None = None,
    lang: str | None = None,
    category: str | None = None,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID, description="Skip this many (prefer `cursor`)."),
    cursor: str | None = Query(None, max_length=200, description="`next_cursor` of the previous page."),
    facets: bool | None = Query(
        None, description="Count facets over all matches (default: yes with a query `q`, no for a plain listing)."
    ),
):
    """Posts newest first matching a query and field filters: exact `total`, `next_cursor` (keyset
    paging, stable while posts arrive), `facets`, and per item the `matched` terms and `highlights`
    ([start, end) character offsets in `text`). A query over the query limits, or a search past
    `search_timeout_seconds`, answers 422 `too_costly`; a search whose client disconnects stops."""
    from monitio.query import Budget
    from monitio.services import search as svc

    filters = svc.Filters(market=market, lang=lang, category=category, source=source, since=since, until=until)
    budget = Budget(ws.settings.search_timeout_seconds, cancelled=_disconnect_probe(request))
    found = svc.search_json(
        ws.engine,
        q,
        filters=filters,
        limit=limit,
        cursor=cursor,
        offset=offset,
        facets=bool(q and q.strip()) if facets is None else facets,
        budget=budget,
    )
    return {**found, "limit": limit, "offset": offset}


def _disconnect_probe(request: Request) -> Callable[[], bool]:
    """For the query budget: True once the client has gone (asked of the event loop at most every
    0.2 s, from the worker thread the route runs in)."""
    from anyio.from_thread import run

    next_at = [0.0]

    def gone() -> bool:
        now = time.monotonic()
        if now < next_at[0]:
            return False
        next_at[0] = now + 0.2
        try:
            return bool(run(request.is_disconnected))
        except RuntimeError:  # not called from a worker thread of the event loop
            return False

    return gone


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
    return json_body({"category": category, "market": market, "interval": interval, "points": points})


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
    rows = overview.rollup_table(ws, names, since=since, include_all=include_all)
    return json_body({"group_by": names, "rows": rows})


@router.get("/taxonomy", tags=["taxonomy"])
def taxonomy(ws: Workspace = Depends(workspace), c: Caller = Depends(require("taxonomy:read"))):
    """The risk categories in force: owner team, default severity, playbook."""
    return json_body(data.taxonomy(ws))


@router.get("/quarantine", tags=["posts"])
def quarantine(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("posts:read")),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Rows that could not become posts: where they came from, why, and the raw row."""
    return {"items": data.list_quarantine(ws, limit=limit, offset=offset)}


from monitio.api import routes_search  # noqa: E402  (saved searches and authors, under the same prefix)

router.include_router(routes_search.router)
