"""Reads and writes of posts, quarantine and rollups, portable between SQLite and PostgreSQL.

Every write here runs on a connection inside the caller's transaction, so a batch of posts, its
quarantined rows and its rollup updates commit together or not at all.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import Connection, Engine, func, select, text

from monitio.records import CategoryHit, Doc, Post, Quarantined
from monitio.store.bulk import bulk_update, copy_insert, insert_rows, select_in
from monitio.store.schema import (
    ALL,
    UNKNOWN,
    post_categories,
    posts,
    quarantine,
    rollup_authors,
    rollups,
    signals,
)


def dialect_insert(conn: Connection, table):
    """An INSERT that knows ON CONFLICT on both SQLite and PostgreSQL."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def utcnow() -> datetime:
    return datetime.now(UTC)


def post_row(post: Post, now: datetime) -> dict:
    return {
        "uid": post.uid,
        "source": post.source,
        "source_id": post.source_id,
        "url": post.url,
        "author": post.author,
        "text": post.text,
        "published_at": post.published_at,
        "ingested_at": now,
        "likes": post.likes,
        "shares": post.shares,
        "comments": post.comments,
        "views": post.views,
        "lang_hint": post.lang_hint,
        "market_hint": post.market_hint,
        "raw": post.raw or None,
    }


class Row(NamedTuple):
    uid: str
    id: int
    text: str


def insert_posts(conn: Connection, batch: list[Post], views: Mapping[str, dict] | None = None) -> set[str]:
    """Insert posts not stored yet (by `uid`); returns the uids that were new.

    `views`: search-index rows already worked out per text (`fts.index_posts`), e.g. by a cluster's workers.
    """
    if not batch:
        return set()
    now = utcnow()
    unique: dict[str, Post] = {}
    for p in batch:
        unique.setdefault(p.uid, p)
    dicts = [post_row(p, now) for p in unique.values()]
    if conn.dialect.name == "postgresql":  # COPY: 4x multi-row VALUES here (benchmarks/pg_bulk.py)
        cols = list(dicts[0])
        rows = [
            Row(*r)
            for r in copy_insert(
                conn, posts, cols, [[d[c] for c in cols] for d in dicts], conflict="uid", returning="uid, id, text"
            )
        ]
    else:
        stmt = (
            dialect_insert(conn, posts)
            .on_conflict_do_nothing(index_elements=["uid"])
            .returning(posts.c.uid, posts.c.id, posts.c.text)
        )
        rows = conn.execute(stmt, dicts).all()
    from monitio.store.fts import index_posts

    index_posts(conn, [(r.id, r.text) for r in rows], views)  # the search index, in the same transaction
    return {r.uid for r in rows}


def add_quarantine(conn: Connection, items: list[Quarantined]) -> int:
    """Store quarantined rows once per (source, content); returns how many were new."""
    if not items:
        return 0
    now = utcnow()
    rows = {}
    for q in items:
        q = Quarantined(q.source, _clean(q.locator), _clean(q.reason), _clean(q.raw))
        key = hashlib.blake2b(f"{q.locator}\x1f{q.raw}".encode("utf-8", "replace"), digest_size=16).hexdigest()
        rows[(q.source, key)] = {
            "source": q.source,
            "locator": q.locator[:500],
            "row_key": key,
            "reason": q.reason,
            "raw": q.raw,
            "created_at": now,
        }
    stmt = (
        dialect_insert(conn, quarantine)
        .on_conflict_do_nothing(index_elements=["source", "row_key"])
        .returning(quarantine.c.id)
    )
    return len(conn.execute(stmt, list(rows.values())).all())


def _clean(text: str) -> str:
    """Make text storable: undecodable bytes (kept as surrogates by the readers) become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\x00", "\ufffd")


def _post_from_row(row) -> Post:
    return Post(
        source=row.source,
        source_id=row.source_id,
        uid=row.uid,
        text=row.text,
        published_at=row.published_at,
        url=row.url,
        author=row.author,
        likes=row.likes,
        shares=row.shares,
        comments=row.comments,
        views=row.views,
        lang_hint=row.lang_hint,
        market_hint=row.market_hint,
    )


def doc_from_row(row) -> Doc:
    """A `Doc` rebuilt from a stored, enriched `posts` row (for queries and rules over stored posts)."""
    evidence = row.evidence or {}
    cats = [c for c in (row.categories or "").split(",") if c]
    return Doc(
        post_id=row.id,
        post=_post_from_row(row),
        lang=row.lang,
        script=row.script,
        lang_confidence=row.lang_confidence or 0.0,
        mixed_langs=tuple(x for x in (row.mixed_langs or "").split(",") if x),
        market=row.market,
        sentiment=row.sentiment or 0.0,
        sentiment_label=row.sentiment_label or "neutral",
        complaint=bool(getattr(row, "complaint", False)),
        categories={
            c: CategoryHit(c, (evidence.get(c) or {}).get("rule", ""), (evidence.get(c) or {}).get("terms", []))
            for c in cats
        },
        risk_score=row.risk_score or 0.0,
        dup_key=row.dup_key,
        model_scores=dict(evidence.get("model") or {}),
        indicators={k: list(v) for k, v in (getattr(row, "indicators", None) or {}).items()},
    )


def count_pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(posts).where(posts.c.enriched_at.is_(None))).scalar_one()


def iter_pending(engine: Engine, batch_size: int) -> Iterator[list[Doc]]:
    """Batches of posts not enriched yet, in id order (keyset pagination, safe while updating)."""
    last_id = 0
    cols = [
        posts.c.id,
        posts.c.uid,
        posts.c.source,
        posts.c.source_id,
        posts.c.text,
        posts.c.published_at,
        posts.c.url,
        posts.c.author,
        posts.c.likes,
        posts.c.shares,
        posts.c.comments,
        posts.c.views,
        posts.c.lang_hint,
        posts.c.market_hint,
    ]
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(*cols)
                .where(posts.c.enriched_at.is_(None), posts.c.id > last_id)
                .order_by(posts.c.id)
                .limit(batch_size)
            ).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield [Doc(post_id=r.id, post=_post_from_row(r)) for r in rows]


def _bucket(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _author_key(author: str) -> str:
    return hashlib.blake2b(author.encode("utf-8", "replace"), digest_size=8).hexdigest()


def evidence_json(d: Doc) -> dict | None:
    """The `evidence` column: rule evidence per category, plus model probabilities under the key `model`.

    >>> d = Doc(1, Post.create(source="s", source_id="1", text="x", published_at=datetime.now(UTC)))
    >>> d.categories = {"scam_ads": CategoryHit("scam_ads", "scam_ads.en", ["scam"])}
    >>> d.model_scores = {"scam_ads": 0.91}
    >>> evidence_json(d)
    {'scam_ads': {'rule': 'scam_ads.en', 'terms': ['scam']}, 'model': {'scam_ads': 0.91}}
    """
    evidence: dict = {c: {"rule": h.rule, "terms": h.terms} for c, h in d.categories.items()}
    if d.model_scores:
        evidence["model"] = dict(d.model_scores)
    return evidence or None


ENRICH_LOCK = 0x6D6F6E69
"""PostgreSQL advisory-lock key that serialises enrichment writes across processes."""


def lock_enrichment(conn: Connection) -> None:
    """Serialise this transaction with every other enrichment write (batches, re-enrichment resets).

    PostgreSQL: a transaction-scoped advisory lock, so two `monitio run` processes never interleave
    their rollup, near-duplicate and narrative writes. SQLite: the transaction begins IMMEDIATE (takes
    the write lock now), so what it reads next is not changed by another writer before it commits.
    Call it first in the transaction.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ENRICH_LOCK})
    elif conn.dialect.name == "sqlite" and not conn.connection.driver_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


ENRICHMENT_COLUMNS = (
    "enriched_at",
    "lang",
    "script",
    "lang_confidence",
    "mixed_langs",
    "market",
    "sentiment",
    "sentiment_label",
    "complaint",
    "categories",
    "evidence",
    "risk_score",
    "dup_key",
    "indicators",
    "dup_group",
)
"""The `posts` columns one enrichment write sets, in the order of `enrichment_row`."""


def enrichment_row(d: Doc, now: datetime, group: int | None) -> tuple:
    """The post id and the values of `ENRICHMENT_COLUMNS` for one enriched doc."""
    return (
        d.post_id,
        now,
        d.lang,
        d.script,
        d.lang_confidence,
        ",".join(d.mixed_langs) or None,
        d.market or UNKNOWN,
        d.sentiment,
        d.sentiment_label,
        d.complaint,
        ",".join(sorted(d.categories)) or None,
        evidence_json(d),
        d.risk_score,
        d.dup_key,
        {k: v for k, v in d.indicators.items() if v} or None,
        group,
    )


def unclaimed(conn: Connection, ids: list[int]) -> dict[int, int | None]:
    """Of these posts, those not enriched yet, each with its near-duplicate group (None when it has none)."""
    return dict(select_in(conn, "SELECT id, dup_group FROM posts WHERE enriched_at IS NULL AND id IN_LIST", ids))


Grouper = Callable[[Connection, list[Doc], set[int]], dict[int, int]]
"""Puts a batch's docs in near-duplicate groups: (conn, docs, ids without a group yet) -> post id -> group."""


def save_enrichment(conn: Connection, docs: list[Doc], *, grouper: Grouper | None = None) -> list[Doc]:
    """Write enrichment results and fold the batch into the hourly rollups, in one transaction.

    Only posts not enriched yet are written and counted, so a batch replayed after a crash, or enriched
    at the same time by another process, is not counted twice. With a `grouper` (`dupgroups.grouper`)
    the posts also join their near-duplicate groups, written with the rest of the row. Returns the
    docs written. Call it first in its transaction, after `lock_enrichment`: under that lock the posts
    read as not enriched stay so until the one bulk UPDATE (which claims them with
    `enriched_at IS NULL` all the same, and fails the transaction should another writer have come first).
    """
    if not docs:
        return []
    now = utcnow()
    todo = unclaimed(conn, [d.post_id for d in docs])
    docs = [d for d in docs if d.post_id in todo]
    if not docs:
        return []
    groups: dict[int, int] = {}
    if grouper is not None:
        groups = grouper(conn, docs, {pid for pid, g in todo.items() if g is None})
    rows = [enrichment_row(d, now, groups.get(d.post_id)) for d in docs]
    claimed = bulk_update(conn, posts, "id", ENRICHMENT_COLUMNS, rows, where_null="enriched_at", keep=["dup_group"])
    if len(claimed) != len(docs):
        raise RuntimeError("posts were enriched by a writer that did not take the enrichment lock")
    cat_rows = [
        (d.post_id, c, d.market or UNKNOWN, d.post.published_at, h.rule[:200])
        for d in docs
        for c, h in d.categories.items()
    ]
    insert_rows(
        conn,
        post_categories,
        ("post_id", "category", "market", "published_at", "rule"),
        cat_rows,
        skip_on=("post_id", "category"),
    )
    _update_rollups(conn, docs)
    return docs


def _update_rollups(conn: Connection, docs: list[Doc]) -> None:
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    author_rows: dict[tuple, None] = {}  # insertion-ordered set
    for d in docs:
        base = (_bucket(d.post.published_at), d.market or UNKNOWN, d.lang or UNKNOWN)
        for category in (ALL, *d.categories):
            key = (*base, category, d.post.source)
            acc = deltas[key]
            acc[0] += 1
            acc[1] += d.sentiment_label == "negative"
            acc[2] += d.sentiment_label == "positive"
            acc[3] += d.post.engagement
            acc[5] += d.complaint
            if d.post.author:
                ak = _author_key(d.post.author)
                author_rows[(*key, ak)] = None
    if author_rows:
        cols = ("bucket", "market", "lang", "category", "source", "author_key")
        added = insert_rows(conn, rollup_authors, cols, list(author_rows), skip_on=cols, returning=cols[:5])
        for key, n in Counter((_bucket(r[0]), *r[1:]) for r in added).items():
            deltas[key][4] += n
    keys = ("bucket", "market", "lang", "category", "source")
    counters = ("count", "negative", "positive", "engagement", "authors", "complaints")
    rows = [(*k, v[0], v[1], v[2], v[3], v[4], v[5]) for k, v in deltas.items()]
    insert_rows(conn, rollups, keys + counters, rows, skip_on=keys, add=counters)


def stats(engine: Engine) -> dict[str, int]:
    """Counts for `monitio stats`."""
    with engine.connect() as conn:

        def count(table, *where) -> int:
            return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

        return {
            "posts": count(posts),
            "quarantined": count(quarantine),
            "signals": count(signals, signals.c.status == "open"),
            "signals_total": count(signals),
            "enriched": count(posts, posts.c.enriched_at.is_not(None)),
            "pending": count(posts, posts.c.enriched_at.is_(None)),
            "sources": conn.execute(select(func.count(func.distinct(posts.c.source)))).scalar_one(),
            "markets": conn.execute(
                select(func.count(func.distinct(posts.c.market))).where(posts.c.market.is_not(None))
            ).scalar_one(),
            "languages": conn.execute(
                select(func.count(func.distinct(posts.c.lang))).where(posts.c.lang.is_not(None))
            ).scalar_one(),
        }


_NO_RAW = [c for c in posts.c if c.name != "raw"]


def fetch_posts(conn: Connection, ids: Iterable[int], *, raw: bool = True) -> list:
    """The rows of these posts in the order of `ids` (unknown ids left out); `raw=False` leaves out the
    source's raw payload (JSON to decode that lists and searches never show)."""
    ids = list(ids)
    if not ids:
        return []
    rows = conn.execute(select(*(posts.c if raw else _NO_RAW)).where(posts.c.id.in_(ids))).all()
    order = {pid: i for i, pid in enumerate(ids)}
    return sorted(rows, key=lambda r: order[r.id])
