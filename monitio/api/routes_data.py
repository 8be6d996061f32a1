"""Posts (search and push ingest), hourly series and rollups, and the taxonomy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import func, select

from monitio.api.errors import ApiError
from monitio.api.schemas import MAX_ID, IngestIn, IngestOut, RowError
from monitio.api.schemas_search import SearchPageOut
from monitio.api.security import Caller, require, require_any
from monitio.errors import Invalid, MonitioError
from monitio.records import Quarantined, RecordError
from monitio.settings import SettingsError, check_zone
from monitio.sources.mapping import FIELDS, ColumnMap, map_row
from monitio.store.repo import add_quarantine, insert_posts
from monitio.store.schema import ALL, rollups

router = APIRouter()
_PUSH_MAP = ColumnMap({f: f for f in FIELDS})


def _ws(request: Request):
    return request.app.state.ws


def post_json(r) -> dict:
    return {
        "id": r.id,
        "source": r.source,
        "source_id": r.source_id,
        "url": r.url,
        "author": r.author,
        "text": r.text,
        "published_at": r.published_at.isoformat(),
        "market": r.market,
        "lang": r.lang,
        "sentiment": r.sentiment,
        "sentiment_label": r.sentiment_label,
        "categories": [c for c in (r.categories or "").split(",") if c],
        "risk_score": r.risk_score,
        "engagement": r.likes + r.shares + r.comments,
        "evidence": r.evidence,
        "model_scores": (r.evidence or {}).get("model", {}),
        "indicators": r.indicators or {},
    }


def _since(value: datetime | None, default_days: int) -> datetime:
    if value is None:
        return datetime.now(UTC) - timedelta(days=default_days)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@router.get("/posts", response_model=SearchPageOut, tags=["posts"])
def search_posts(
    request: Request,
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
    facets: bool = Query(True, description="Count facets over all matches."),
):
    """Posts newest first matching a query and field filters: exact `total`, `next_cursor` (keyset
    paging, stable while posts arrive), `facets`, and per item the `matched` terms and `highlights`
    ([start, end) character offsets in `text`)."""
    from monitio.services import search as svc

    filters = svc.Filters(market=market, lang=lang, category=category, source=source, since=since, until=until)
    try:
        page = svc.search(
            _ws(request).engine, q, filters=filters, limit=limit, cursor=cursor, offset=offset, facets=facets
        )
    except MonitioError as exc:
        raise api_error(exc) from None
    return {**svc.page_json(page), "limit": limit, "offset": offset}


def api_error(exc: MonitioError) -> ApiError:
    """The API error for a service error (a bad query keeps its historic 400 `bad_query`)."""
    if isinstance(exc, Invalid) and exc.message.startswith("bad query:"):
        return ApiError(400, "query: " + exc.message.removeprefix("bad query: "), code="bad_query")
    return ApiError(exc.http_status, exc.one_line(), code=exc.kind)


def find_posts(engine, *, q: str | None = None, limit: int = 50, offset: int = 0, **fields) -> tuple[list, int]:
    """Matching post rows (newest first) from `offset`, at most `limit`, and how many match in all."""
    from monitio.services import search as svc

    page = svc.search(engine, q, filters=svc.Filters(**fields), limit=limit, offset=offset, facets=False)
    return [h.row for h in page.items], page.total


@router.post("/posts", response_model=IngestOut, tags=["posts"])
def ingest_posts(body: IngestIn, request: Request, c: Caller = Depends(require_any("posts:ingest", "posts:write"))):
    """Push up to 1,000 posts. Idempotent (same source + id = same post); bad rows are quarantined and
    reported by index, and the good rows are stored."""
    try:
        zone = ZoneInfo(check_zone(body.timezone))
    except SettingsError as exc:
        raise ApiError(422, str(exc)) from None
    good, bad, errors = [], [], []
    for i, item in enumerate(body.items):
        row = item.model_dump()
        row = {k: v for k, v in row.items() if k in FIELDS or v is not None}
        try:
            good.append(
                map_row(
                    row,
                    _PUSH_MAP,
                    source=body.source,
                    default_zone=zone,
                    max_text_chars=_ws(request).settings.max_text_chars,
                )
            )
        except RecordError as exc:
            errors.append(RowError(index=i, reason=str(exc)))
            bad.append(Quarantined(body.source, f"api item {i}", str(exc), str(row)[:2000]))
    with _ws(request).engine.begin() as conn:
        new = insert_posts(conn, good)
        add_quarantine(conn, bad)
    return IngestOut(
        read=len(body.items),
        new=len(new),
        duplicate=len(good) - len(new),
        quarantined=len(bad),
        errors=errors,
    )


@router.get("/series", tags=["series"])
def series(
    request: Request,
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
    start = _since(since, 7)
    stmt = select(
        rollups.c.bucket,
        func.sum(rollups.c.count),
        func.sum(rollups.c.negative),
        func.sum(rollups.c.positive),
        func.sum(rollups.c.engagement),
    ).where(rollups.c.category == category, rollups.c.bucket >= start)
    for col, value in (
        (rollups.c.market, market and market.upper()),
        (rollups.c.lang, lang),
        (rollups.c.source, source),
    ):
        if value:
            stmt = stmt.where(col == value)
    if until:
        stmt = stmt.where(rollups.c.bucket <= _since(until, 0))
    stmt = stmt.group_by(rollups.c.bucket).order_by(rollups.c.bucket)
    points: dict[datetime, list[int]] = {}
    with _ws(request).engine.connect() as conn:
        for bucket, n, neg, pos, eng in conn.execute(stmt):
            key = bucket.replace(hour=0) if interval == "day" else bucket
            acc = points.setdefault(key, [0, 0, 0, 0])
            for i, v in enumerate((n, neg, pos, eng)):
                acc[i] += int(v or 0)
    return {
        "category": category,
        "market": market,
        "interval": interval,
        "points": [
            {"t": t.isoformat(), "count": v[0], "negative": v[1], "positive": v[2], "engagement": v[3]}
            for t, v in sorted(points.items())
        ],
    }


@router.get("/rollups", tags=["series"])
def rollup_table(
    request: Request,
    c: Caller = Depends(require("series:read")),
    group_by: str = Query(
        "market,category", pattern=r"^(market|lang|category|source)(,(market|lang|category|source))*$"
    ),
    since: datetime | None = None,
    include_all: bool = False,
):
    """Totals grouped by any of market, lang, category, source since a time (default: 7 days)."""
    dims = [getattr(rollups.c, d) for d in group_by.split(",")]
    stmt = select(
        *dims,
        func.sum(rollups.c.count),
        func.sum(rollups.c.negative),
        func.sum(rollups.c.positive),
        func.sum(rollups.c.engagement),
    ).where(rollups.c.bucket >= _since(since, 7))
    if not include_all:
        stmt = (
            stmt.where(rollups.c.category != ALL) if "category" in group_by else stmt.where(rollups.c.category == ALL)
        )
    stmt = stmt.group_by(*dims)
    with _ws(request).engine.connect() as conn:
        rows = conn.execute(stmt).all()
    names = group_by.split(",")
    return {
        "group_by": names,
        "rows": [
            {
                **dict(zip(names, r[: len(names)], strict=True)),
                "count": int(r[-4]),
                "negative": int(r[-3]),
                "positive": int(r[-2]),
                "engagement": int(r[-1] or 0),
            }
            for r in rows
        ],
    }


@router.get("/taxonomy", tags=["taxonomy"])
def taxonomy(request: Request, c: Caller = Depends(require("taxonomy:read"))):
    """The risk categories in force: owner team, default severity, playbook."""
    from monitio.taxonomy.loader import load_taxonomy

    tax = load_taxonomy(_ws(request).settings.taxonomy)
    return {
        "version": getattr(tax, "version", None),
        "categories": [
            {
                "id": cid,
                "name": cat.name,
                "description": cat.description,
                "owner_team": cat.owner_team,
                "default_severity": cat.default_severity,
                "playbook": list(cat.playbook),
            }
            for cid, cat in tax.categories.items()
        ],
    }


from monitio.api import routes_search  # noqa: E402  (saved searches and authors, under the same prefix)

router.include_router(routes_search.router)
