"""Frozen copy of the row-by-row enrichment write path as it was before the bulk path (issue 13).

`tests/test_bulk_equivalence.py` enriches one corpus with this and with `monitio.enrich.runner` and
compares every stored result. Do not "fix" this file: it is the reference. The posts are claimed by
one UPDATE per 500 ids, written by an executemany UPDATE, their categories and rollups written as
before, and their near-duplicate groups assigned afterwards with `posts.dup_group` set by its own
UPDATE (`assign_groups` with its defaults, which read and write the database for every batch).
Posts are imported by SQLAlchemy's INSERT ... VALUES (`insert_posts`), as before COPY on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, select, update

from monitio.enrich.dupgroups import DupItem, _chunks, assign_groups, prune_bands
from monitio.pipeline import Pipeline
from monitio.records import Doc
from monitio.store.fts import index_posts
from monitio.store.repo import (
    _author_key,
    _bucket,
    dialect_insert,
    evidence_json,
    iter_pending,
    lock_enrichment,
    post_row,
    utcnow,
)
from monitio.store.schema import ALL, UNKNOWN, post_categories, posts, rollup_authors, rollups


def insert_posts(conn: Connection, batch: list) -> set[str]:
    """Posts by SQLAlchemy's multi-row INSERT ... VALUES on both backends (PostgreSQL now uses COPY)."""
    if not batch:
        return set()
    now = utcnow()
    unique = {}
    for p in batch:
        unique.setdefault(p.uid, p)
    stmt = (
        dialect_insert(conn, posts)
        .on_conflict_do_nothing(index_elements=["uid"])
        .returning(posts.c.uid, posts.c.id, posts.c.text)
    )
    rows = conn.execute(stmt, [post_row(p, now) for p in unique.values()]).all()
    index_posts(conn, [(r.id, r.text) for r in rows])
    return {r.uid for r in rows}


def enrich_pending(engine: Engine, pipeline: Pipeline, *, batch_size: int = 1000) -> int:
    done = 0
    for docs in iter_pending(engine, batch_size):
        pipeline.run(docs)
        with engine.begin() as conn:
            lock_enrichment(conn)
            saved = save_enrichment(conn, docs)
            group_docs(conn, saved)
        done += len(saved)
    if done:
        with engine.begin() as conn:
            prune_bands(conn)
    return done


def group_docs(conn: Connection, docs) -> None:
    keyed = {d.post_id: d for d in docs if d.dup_key and d.post_id is not None}
    todo: set[int] = set()
    for chunk in _chunks(sorted(keyed)):
        todo.update(
            conn.execute(select(posts.c.id).where(posts.c.id.in_(chunk), posts.c.dup_group.is_(None))).scalars()
        )
    items = [
        DupItem(pid, d.dup_key, d.post.text, d.post.author, d.market, d.post.published_at)
        for pid, d in keyed.items()
        if pid in todo
    ]
    assign_groups(conn, items)


def claim_pending(conn: Connection, ids: list[int], now: datetime) -> set[int]:
    """Mark the posts enriched at `now` unless someone already has; returns the ids this transaction got.

    An atomic UPDATE ... WHERE enriched_at IS NULL RETURNING: a concurrent enricher blocks on the row
    (or, on SQLite, on the write lock this first write takes) and then finds them taken, so no post
    is saved or counted twice.
    """
    claimed: set[int] = set()
    for i in range(0, len(ids), 500):
        stmt = (
            update(posts)
            .where(posts.c.id.in_(ids[i : i + 500]), posts.c.enriched_at.is_(None))
            .values(enriched_at=now)
            .returning(posts.c.id)
        )
        claimed.update(conn.execute(stmt).scalars())
    return claimed


def save_enrichment(conn: Connection, docs: list[Doc]) -> list[Doc]:
    """Write enrichment results and fold the batch into the hourly rollups, in one transaction.

    Only posts this transaction claims (`claim_pending`) are written and counted, so a batch replayed
    after a crash, or enriched at the same time by another process, is not counted twice. Returns the
    docs written. Call it first in its transaction (after `lock_enrichment`).
    """
    if not docs:
        return []
    now = utcnow()
    claimed = claim_pending(conn, [d.post_id for d in docs], now)
    docs = [d for d in docs if d.post_id in claimed]
    if not docs:
        return []
    stmt = (
        update(posts)
        .where(posts.c.id == bindparam("b_id"))
        .values(
            enriched_at=bindparam("b_enriched_at"),
            lang=bindparam("b_lang"),
            script=bindparam("b_script"),
            lang_confidence=bindparam("b_conf"),
            mixed_langs=bindparam("b_mixed"),
            market=bindparam("b_market"),
            sentiment=bindparam("b_sent"),
            sentiment_label=bindparam("b_label"),
            complaint=bindparam("b_complaint"),
            categories=bindparam("b_cats"),
            evidence=bindparam("b_evidence"),
            risk_score=bindparam("b_risk"),
            dup_key=bindparam("b_dup"),
            indicators=bindparam("b_indicators"),
        )
    )
    conn.execute(
        stmt,
        [
            {
                "b_id": d.post_id,
                "b_enriched_at": now,
                "b_lang": d.lang,
                "b_script": d.script,
                "b_conf": d.lang_confidence,
                "b_mixed": ",".join(d.mixed_langs) or None,
                "b_market": d.market or UNKNOWN,
                "b_sent": d.sentiment,
                "b_label": d.sentiment_label,
                "b_complaint": d.complaint,
                "b_cats": ",".join(sorted(d.categories)) or None,
                "b_evidence": evidence_json(d),
                "b_risk": d.risk_score,
                "b_dup": d.dup_key,
                "b_indicators": {k: v for k, v in d.indicators.items() if v} or None,
            }
            for d in docs
        ],
    )
    cat_rows = [
        {
            "post_id": d.post_id,
            "category": c,
            "market": d.market or UNKNOWN,
            "published_at": d.post.published_at,
            "rule": h.rule[:200],
        }
        for d in docs
        for c, h in d.categories.items()
    ]
    if cat_rows:
        conn.execute(
            dialect_insert(conn, post_categories).on_conflict_do_nothing(index_elements=["post_id", "category"]),
            cat_rows,
        )
    _update_rollups(conn, docs)
    return docs


def _update_rollups(conn: Connection, docs: list[Doc]) -> None:
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    author_rows: dict[tuple, dict] = {}
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
                author_rows[(*key, ak)] = dict(
                    zip(
                        ("bucket", "market", "lang", "category", "source", "author_key"),
                        (*key, ak),
                        strict=True,
                    )
                )
    if author_rows:
        stmt = (
            dialect_insert(conn, rollup_authors)
            .on_conflict_do_nothing()
            .returning(
                rollup_authors.c.bucket,
                rollup_authors.c.market,
                rollup_authors.c.lang,
                rollup_authors.c.category,
                rollup_authors.c.source,
            )
        )
        new_authors = Counter(
            (_bucket(r[0]), r[1], r[2], r[3], r[4]) for r in conn.execute(stmt, list(author_rows.values()))
        )
        for key, n in new_authors.items():
            deltas[key][4] += n
    ins = dialect_insert(conn, rollups)
    stmt = ins.on_conflict_do_update(
        index_elements=["bucket", "market", "lang", "category", "source"],
        set_={
            "count": rollups.c.count + ins.excluded["count"],
            "negative": rollups.c.negative + ins.excluded.negative,
            "positive": rollups.c.positive + ins.excluded.positive,
            "engagement": rollups.c.engagement + ins.excluded.engagement,
            "authors": rollups.c.authors + ins.excluded.authors,
            "complaints": rollups.c.complaints + ins.excluded.complaints,
        },
    )
    conn.execute(
        stmt,
        [
            {
                "bucket": k[0],
                "market": k[1],
                "lang": k[2],
                "category": k[3],
                "source": k[4],
                "count": v[0],
                "negative": v[1],
                "positive": v[2],
                "engagement": v[3],
                "authors": v[4],
                "complaints": v[5],
            }
            for k, v in deltas.items()
        ],
    )
