"""Reading posts: field filters plus the query language, newest first (the scan that the search index
replaces), and the post as JSON. `find_post_ids` is the one place other use cases (a case from a
query) find posts by query.

>>> matcher("refund AND late")  # doctest: +ELLIPSIS
<function matcher.<locals>.<lambda> at ...>
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, or_, select

from monitio.query import compile_query
from monitio.store.repo import doc_from_row
from monitio.store.schema import posts
from monitio.workspace import Workspace

SCAN_LIMIT = 50_000
"""With a text query, at most this many of the newest posts (after field filters) are searched."""


def post_json(r) -> dict:
    """A post row as the API's JSON object."""
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


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def matcher(q: str):
    """A predicate on post rows for a query in the query language (raises QueryError, a BadRequest)."""
    compiled = compile_query(q)
    return lambda r: compiled.matches(doc_from_row(r))


def find_posts(
    ws: Workspace,
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
) -> tuple[list[dict], int]:
    """Matching posts as JSON (newest first) from `offset`, at most `limit`, and how many match in all."""
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
                posts.c.categories.startswith(f"{category},", autoescape=True),
                posts.c.categories.endswith(f",{category}", autoescape=True),
                posts.c.categories.contains(f",{category},", autoescape=True),
            )
        )
    if since:
        stmt = stmt.where(posts.c.published_at >= _utc(since))
    if until:
        stmt = stmt.where(posts.c.published_at <= _utc(until))
    stmt = stmt.order_by(posts.c.published_at.desc(), posts.c.id.desc())
    match = matcher(q) if q else None
    with ws.engine.connect() as conn:
        if match is None:
            total = conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
            return [post_json(r) for r in conn.execute(stmt.limit(limit).offset(offset))], total
        hits = [r for r in conn.execute(stmt.limit(SCAN_LIMIT)) if match(r)]
    return [post_json(r) for r in hits[offset : offset + limit]], len(hits)


def find_post_ids(ws: Workspace, query: str, *, limit: int = 50) -> list[int]:
    """Ids of the newest posts matching `query`, at most `limit`."""
    items, _ = find_posts(ws, q=query, limit=limit)
    return [p["id"] for p in items]
