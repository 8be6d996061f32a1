"""Posts (search and push ingest), hourly series and rollups, and the taxonomy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import func, or_, select

from monitio.api.errors import ApiError
from monitio.api.schemas import MAX_ID, IngestIn, IngestOut, Page, RowError
from monitio.api.security import Caller, require, require_any
from monitio.records import Quarantined, RecordError
from monitio.settings import SettingsError, check_zone
from monitio.sources.mapping import FIELDS, ColumnMap, map_row
from monitio.store.repo import add_quarantine, doc_from_row, insert_posts
from monitio.store.schema import ALL, posts, rollups

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
        "complaint": bool(getattr(r, "complaint", False)),
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


@router.get("/posts", response_model=Page, tags=["posts"])
def search_posts(
    request: Request,
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
    """Posts newest first, filtered by fields and by a query (query language where available)."""
    rows, total = find_posts(
        _ws(request).engine,
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
    return Page(items=[post_json(r) for r in rows], total=total, limit=limit, offset=offset)


SCAN_LIMIT = 50_000
"""With a text query, at most this many of the newest posts (after field filters) are searched."""


def find_posts(
    engine,
    *,
    q: str | None = None,
    market: str | None = None,
    lang: str | None = None,
    category: str | None = None,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list, int]:
    """Matching post rows (newest first) from `offset`, at most `limit`, and how many match in all."""
    stmt = select(posts)
    if market:
        stmt = stmt.where(posts.c.market == market.upper())
    if lang:
        stmt = stmt.where(posts.c.lang == lang)
    if source:
        stmt = stmt.where(posts.c.source == source)
    if category:
        stmt = stmt.where(
            or_(
                posts.c.categories == category,
                posts.c.categories.like(f"{category},%"),
                posts.c.categories.like(f"%,{category}"),
                posts.c.categories.like(f"%,{category},%"),
            )
        )
    if since:
        stmt = stmt.where(posts.c.published_at >= _since(since, 0))
    if until:
        stmt = stmt.where(posts.c.published_at <= _since(until, 0))
    stmt = stmt.order_by(posts.c.published_at.desc(), posts.c.id.desc())
    matcher = _matcher(q) if q else None
    with engine.connect() as conn:
        if matcher is None:
            total = conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
            return conn.execute(stmt.limit(limit).offset(offset)).all(), total
        hits = [r for r in conn.execute(stmt.limit(SCAN_LIMIT)) if matcher(r)]
    return hits[offset : offset + limit], len(hits)


def _matcher(q: str):
    """A predicate on post rows: the query language when present, else all words (case-insensitive)."""
    try:
        from monitio.query import QueryError, compile_query
    except ImportError:
        words = [w.casefold() for w in q.split()]
        return lambda r: all(w in r.text.casefold() for w in words)
    try:
        compiled = compile_query(q)
    except QueryError as exc:
        raise ApiError(400, f"query: {exc}", code="bad_query") from None
    return lambda r: compiled.matches(doc_from_row(r))


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
