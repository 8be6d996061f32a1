"""Reading narratives for the API and the dashboard: label, growth, timeline, example posts, merges.

A label is the narrative's top terms (c-TF-IDF, filler words left out) plus the identifiers its posts
share (a phone number, handle, link or wallet named by at least two posts), so the same story reads the
same whatever language most of its posts are in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import Connection, case, func, select

from monitio.detect.narrative_merge import identifier_values
from monitio.detect.narratives import canonical_lang, canonical_langs, label_terms, term_document_frequencies
from monitio.store.repo import fetch_posts
from monitio.store.schema import posts
from monitio.store.schema_intel import narrative_merges, narratives, post_narratives

LIVE = narratives.c.merged_into.is_(None)


def _live_terms(conn: Connection) -> dict[int, dict]:
    return {r.id: r.terms for r in conn.execute(select(narratives.c.id, narratives.c.terms).where(LIVE))}


def shared_indicators(conn: Connection, nids: list[int], top: int = 3) -> dict[int, list[str]]:
    """Per narrative, the identifiers (`kind:value`) named by at least two of its posts, most named first."""
    counts: dict[int, Counter] = defaultdict(Counter)
    if not nids:
        return {}
    q = (
        select(post_narratives.c.narrative_id, posts.c.indicators)
        .join(posts, posts.c.id == post_narratives.c.post_id)
        .where(post_narratives.c.narrative_id.in_(nids), posts.c.indicators.is_not(None))
    )
    for nid, ind in conn.execute(q):
        counts[nid].update(set(identifier_values(ind)))
    rank = {k: i for i, k in enumerate(("phone", "messaging", "wallet", "link"))}

    def order(item: tuple[str, int]) -> tuple:
        return (-item[1], rank.get(item[0].split(":", 1)[0], 9), item[0])

    return {nid: [v for v, n in sorted(c.items(), key=order)[:top] if n >= 2] for nid, c in counts.items()}


def _label(terms: list[str], indicators: list[str]) -> str:
    """Top terms, then up to two shared identifiers (a handle repeating a phone number is shown once).

    >>> _label(["deepfake"], ["phone:+628123", "messaging:whatsapp:+628123", "link:bit.ly/x"])
    'deepfake, +628123, bit.ly/x'
    """
    shown: list[str] = []
    for v in indicators:
        value = v.split(":", 1)[1]
        if not any(value in s or s in value for s in shown):
            shown.append(value)
    return ", ".join(terms + shown[:2])


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
    sort_key=None,
    reverse: bool = False,
) -> tuple[list[dict], int]:
    """Narratives, fastest-growing first (or by `sort_key`): posts in the last 24 h of data versus the
    7 days before. Shared identifiers (which read every post's indicators) are read for the page only."""
    rows = conn.execute(select(narratives).where(narratives.c.size >= min_size, LIVE)).all()
    rows = [
        r
        for r in rows
        if (not category or category in (r.categories or {})) and (not market or market.upper() in (r.markets or {}))
    ]
    terms = _live_terms(conn)
    df = term_document_frequencies(terms)  # once, not once per narrative (was quadratic)
    newest = conn.execute(select(func.max(post_narratives.c.published_at))).scalar()
    recent: dict[int, int] = defaultdict(int)
    before: dict[int, int] = defaultdict(int)
    if newest is not None:  # counted in SQL: one row per narrative, not one per post
        day = newest - timedelta(days=1)
        in_day = func.sum(case((post_narratives.c.published_at >= day, 1), else_=0))
        q = (
            select(post_narratives.c.narrative_id, in_day, func.count())
            .where(post_narratives.c.published_at >= newest - timedelta(days=8))
            .group_by(post_narratives.c.narrative_id)
        )
        for nid, last_day, week in conn.execute(q):
            recent[nid] = int(last_day or 0)
            before[nid] = int(week) - recent[nid]
    items = []
    for r in rows:
        growth = (recent[r.id] + 1) / (before[r.id] / 7 + 1)
        items.append(
            {
                "id": r.id,
                "label": "",  # set for the page below (terms and shared identifiers)
                "size": r.size,
                "categories": _top(r.categories),
                "markets": _top(r.markets, 8),
                "langs": _top(canonical_langs(r.langs)),
                "first_seen": r.first_seen.isoformat(),
                "last_seen": r.last_seen.isoformat(),
                "posts_last_24h": recent[r.id],
                "growth": round(growth, 2),
            }
        )
    items.sort(key=lambda n: (-n["growth"], -n["size"]))
    if sort_key is not None:  # ties stay in growth order
        items.sort(key=sort_key, reverse=reverse)
    page = items[offset : offset + limit]
    shared = shared_indicators(conn, [n["id"] for n in page])
    for n in page:
        n["indicators"] = shared.get(n["id"], [])
        n["label"] = _label(label_terms(terms, n["id"], 5, df=df), n["indicators"])
    return page, len(items)


def narrative_detail(conn: Connection, nid: int, examples: int = 8) -> dict | None:
    """One narrative; a merged fragment's id answers with the narrative it joined (`requested_id` kept)."""
    row = conn.execute(select(narratives).where(narratives.c.id == nid)).first()
    requested = nid
    for _ in range(8):  # follow merges (each records its final target; the bound is a guard)
        if row is None or row.merged_into is None:
            break
        nid = row.merged_into
        row = conn.execute(select(narratives).where(narratives.c.id == nid)).first()
    if row is None:
        return None
    terms = _live_terms(conn)
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
    indicators = shared_indicators(conn, [nid], top=8).get(nid, [])
    return {
        "id": row.id,
        "requested_id": requested,
        "merged_into": row.id if requested != row.id else None,
        "label": _label(label_terms(terms, nid, 6), indicators),
        "terms": label_terms(terms, nid, 15),
        "indicators": indicators,
        "size": row.size,
        "categories": row.categories,
        "markets": row.markets,
        "langs": canonical_langs(row.langs),
        "first_seen": row.first_seen.isoformat(),
        "last_seen": row.last_seen.isoformat(),
        "timeline": [{"day": d, "posts": n} for d, n in sorted(daily.items())],
        "examples": sample,
        "representatives": representatives(conn, nid),
        "merges": merges_of(conn, nid),
    }


def representatives(conn: Connection, nid: int) -> dict[str, dict]:
    """One representative post per language: the one nearest the narrative when it joined, then the
    most engaged."""
    q = (
        select(posts.c.id, posts.c.lang, posts.c.text, posts.c.source_id, posts.c.market)
        .join(post_narratives, post_narratives.c.post_id == posts.c.id)
        .where(post_narratives.c.narrative_id == nid)
        .order_by(post_narratives.c.similarity.desc(), (posts.c.likes + posts.c.shares + posts.c.comments).desc())
    )
    out: dict[str, dict] = {}
    for r in conn.execute(q):
        lang = canonical_lang(r.lang or "und")
        if lang not in out:
            out[lang] = {"post_id": r.id, "source_id": r.source_id, "text": r.text, "market": r.market}
    return out


def merges_of(conn: Connection, nid: int) -> list[dict]:
    """The merges into this narrative, oldest first: from which ids, why, by whom, when."""
    q = select(narrative_merges).where(narrative_merges.c.into_id == nid).order_by(narrative_merges.c.id)
    return [
        {
            "from_ids": m.from_ids,
            "reasons": m.reasons,
            "actor": m.actor,
            "at": m.created_at.isoformat(),
        }
        for m in conn.execute(q)
    ]
