"""Two `monitio run` processes enriching at once (a cron job overlapping `run --watch`) must not count a
post twice or split a copy-paste group: each batch claims its posts atomically (SQLite and PostgreSQL)."""

import threading

from sqlalchemy import func, select

from monitio.detect.narratives import assign_pending
from monitio.enrich.runner import enrich_pending
from monitio.ingest import ingest_file
from monitio.pipeline import default_pipeline
from monitio.store.schema import ALL, posts, rollups
from monitio.store.schema_dupes import dup_keys
from monitio.store.schema_intel import post_narratives
from tests.test_reenrich import _corpus


def _at_once(fn, n=3) -> list:
    """Run `fn` in `n` threads at once; its results, or the first error raised."""
    results, errors = [], []

    def work():
        try:
            results.append(fn())
        except BaseException as exc:  # re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def test_concurrent_enrichers_count_every_post_once(ws, tmp_path):
    ingest_file(ws.engine, _corpus(tmp_path / "p.csv", n=600), source="t")
    done = _at_once(lambda: enrich_pending(ws.engine, default_pipeline(ws.settings), batch_size=50))
    assert sum(done) == 600  # every post saved by exactly one of them
    with ws.engine.connect() as conn:
        counted = conn.execute(select(func.sum(rollups.c.count)).where(rollups.c.category == ALL)).scalar()
        ungrouped = conn.execute(
            select(func.count()).select_from(posts).where(posts.c.dup_key.is_not(None), posts.c.dup_group.is_(None))
        ).scalar()
        groups_per_key = conn.execute(
            select(posts.c.dup_key, func.count(func.distinct(posts.c.dup_group)))
            .where(posts.c.dup_key.is_not(None))
            .group_by(posts.c.dup_key)
        ).all()
        keys = conn.execute(select(func.count()).select_from(dup_keys)).scalar()
    assert counted == 600
    assert ungrouped == 0
    assert all(n == 1 for _, n in groups_per_key) and keys == len(groups_per_key)


def test_concurrent_narrative_passes_assign_each_post_once(ws, tmp_path):
    ingest_file(ws.engine, _corpus(tmp_path / "p.csv", n=600), source="t")
    enrich_pending(ws.engine, default_pipeline(ws.settings))
    assigned = _at_once(lambda: assign_pending(ws.engine))
    with ws.engine.connect() as conn:
        risky = conn.execute(select(func.count()).select_from(posts).where(posts.c.categories.is_not(None))).scalar()
        links = conn.execute(select(func.count()).select_from(post_narratives)).scalar()
    assert risky > 0 and sum(assigned) == risky == links
