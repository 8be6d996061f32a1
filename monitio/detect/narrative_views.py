"""Reading narratives for the API and the dashboard: label, growth, timeline, example posts."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import Connection, func, select

from monitio.detect.narratives import label_terms, term_document_frequencies
from monitio.store.repo import fetch_posts
from monitio.store.schema import posts
from monitio.store.schema_intel import narratives, post_narratives


def _top(counter: dict, n: int = 5) -> list[str]:
    return [k for k, _ in sorted((counter or {}).items(), key=lambda kv: -kv[1])[:n]]


def list_narratives(
    conn: Connection,
    *,
    limit: int = 50,
    offset: int = 0,
    category: str | None = None,
    market: str | None = None,
    min_size: int = 3,
) -> tuple[list[dict], int]:
    """Narratives, fastest-growing first: posts in the last 24 h of data versus the 7 days before."""
    rows = conn.execute(select(narratives).where(narratives.c.size >= min_size)).all()
    rows = [
        r
        for r in rows
        if (not category or category in (r.categories or {})) and (not market or market.upper() in (r.markets or {}))
    ]
    terms = {r.id: r.terms for r in conn.execute(select(narratives.c.id, narratives.c.terms))}
    df = term_document_frequencies(terms)  # once, not once per narrative (was quadratic)
    newest = conn.execute(select(func.max(post_narratives.c.published_at))).scalar()
    recent: dict[int, int] = defaultdict(int)
    before: dict[int, int] = defaultdict(int)
    if newest is not None:
        q = select(post_narratives.c.narrative_id, post_narratives.c.published_at).where(
            post_narratives.c.published_at >= newest - timedelta(days=8)
        )
        for nid, ts in conn.execute(q):
            if ts >= newest - timedelta(days=1):
                recent[nid] += 1
            else:
                before[nid] += 1
    items = []
    for r in rows:
        growth = (recent[r.id] + 1) / (before[r.id] / 7 + 1)
        items.append(
            {
                "id": r.id,
                "label": ", ".join(label_terms(terms, r.id, 5, df=df)),
                "size": r.size,
                "categories": _top(r.categories),
                "markets": _top(r.markets, 8),
                "langs": _top(r.langs),
                "first_seen": r.first_seen.isoformat(),
                "last_seen": r.last_seen.isoformat(),
                "posts_last_24h": recent[r.id],
                "growth": round(growth, 2),
            }
        )
    items.sort(key=lambda n: (-n["growth"], -n["size"]))
    return items[offset : offset + limit], len(items)


def narrative_detail(conn: Connection, nid: int, examples: int = 8) -> dict | None:
    row = conn.execute(select(narratives).where(narratives.c.id == nid)).first()
    if row is None:
        return None
    terms = {r.id: r.terms for r in conn.execute(select(narratives.c.id, narratives.c.terms))}
    daily: dict[str, int] = defaultdict(int)
    for (ts,) in conn.execute(select(post_narratives.c.published_at).where(post_narratives.c.narrative_id == nid)):
        daily[ts.date().isoformat()] += 1
    ids = list(
        conn.execute(
            select(post_narratives.c.post_id)
            .join(posts, posts.c.id == post_narratives.c.post_id)
            .where(post_narratives.c.narrative_id == nid)
            .order_by(post_narratives.c.similarity.desc(), (posts.c.likes + posts.c.shares + posts.c.comments).desc())
            .limit(examples)
        ).scalars()
    )
    sample = [
        {
            "post_id": p.id,
            "source": p.source,
            "source_id": p.source_id,
            "text": p.text,
            "url": p.url,
            "published_at": p.published_at.isoformat(),
            "market": p.market,
            "lang": p.lang,
        }
        for p in fetch_posts(conn, ids)
    ]
    return {
        "id": row.id,
        "label": ", ".join(label_terms(terms, nid, 6)),
        "terms": label_terms(terms, nid, 15),
        "size": row.size,
        "categories": row.categories,
        "markets": row.markets,
        "langs": row.langs,
        "first_seen": row.first_seen.isoformat(),
        "last_seen": row.last_seen.isoformat(),
        "timeline": [{"day": d, "posts": n} for d, n in sorted(daily.items())],
        "examples": sample,
    }
