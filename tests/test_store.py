"""Schema, migrations and rollups on both backends."""

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from monitio.enrich.runner import enrich_pending
from monitio.pipeline import Pipeline
from monitio.records import CategoryHit, Doc, Post
from monitio.store.repo import insert_posts, iter_pending, save_enrichment
from monitio.store.schema import ALL, metadata, post_categories, posts, rollups

T = datetime(2026, 11, 3, 10, 15, tzinfo=UTC)


class FakeStage:
    """Deterministic enrichment so rollup arithmetic can be checked exactly."""

    name = "fake"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            d.lang = "id"
            d.market = "ID" if "id" in d.post.text else "MY"
            d.sentiment_label = "negative" if "bad" in d.post.text else "positive"
            d.sentiment = -0.5 if "bad" in d.post.text else 0.5
            if "scam" in d.post.text:
                d.categories["scam_ads"] = CategoryHit("scam_ads", "r1", ["scam"])
            if "refund" in d.post.text:
                d.categories["payments_refunds"] = CategoryHit("payments_refunds", "r2", ["refund"])


def _post(i, text, author, minute=0, likes=0):
    return Post.create(
        source="t",
        source_id=str(i),
        text=text,
        published_at=T.replace(minute=minute),
        author=author,
        likes=likes,
    )


def test_migrations_match_the_table_definitions(ws):
    with ws.engine.connect() as conn:
        # the full-text index (SQLite: an FTS5 table and its shadow tables; PostgreSQL: GIN indexes
        # over trigrams, words and grams) is backend-specific DDL in migrations 0009 and 0028
        def include(name, kind, _):
            return not (name or "").startswith(
                ("post_search_fts", "ix_post_search_body", "ix_post_search_grams", "ix_post_search_words")
            )

        opts = {"include_name": include}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []


def test_timestamps_come_back_aware_utc(ws):
    with ws.engine.begin() as conn:
        insert_posts(conn, [_post(1, "x", "a")])
    with ws.engine.connect() as conn:
        value = conn.execute(select(posts.c.published_at)).scalar_one()
    assert value == T.replace(minute=0) and value.tzinfo is not None


def test_rollups_are_maintained_on_write(ws):
    batch = [
        _post(1, "id scam bad", "a", 1, likes=3),
        _post(2, "id scam refund bad", "a", 5, likes=1),
        _post(3, "id scam good", "b", 40),
        _post(4, "my refund bad", "c", 50),
        _post(5, "id chatter", None, 59),
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
    assert enrich_pending(ws.engine, Pipeline([FakeStage()]), batch_size=2) == 5
    with ws.engine.connect() as conn:
        rows = {(r.market, r.category): r for r in conn.execute(select(rollups))}
        cats = conn.execute(select(post_categories.c.category)).scalars().all()
    bucket = T.replace(minute=0)
    assert all(r.bucket == bucket for r in rows.values())
    all_id = rows[("ID", ALL)]
    assert (all_id.count, all_id.negative, all_id.positive, all_id.engagement, all_id.authors) == (
        4,
        2,
        2,
        4,
        2,
    )
    scam = rows[("ID", "scam_ads")]
    assert (scam.count, scam.negative, scam.authors) == (3, 2, 2)
    assert rows[("ID", "payments_refunds")].count == 1
    assert rows[("MY", "payments_refunds")].count == 1 and rows[("MY", ALL)].authors == 1
    assert sorted(cats) == ["payments_refunds", "payments_refunds", "scam_ads", "scam_ads", "scam_ads"]


def test_replayed_enrichment_batch_is_not_counted_twice(ws):
    with ws.engine.begin() as conn:
        insert_posts(conn, [_post(1, "id scam bad", "a"), _post(2, "id scam bad", "b")])
    batch = next(iter_pending(ws.engine, 10))
    FakeStage().process(batch)
    with ws.engine.begin() as conn:
        save_enrichment(conn, batch)
    with ws.engine.begin() as conn:  # the same batch again, as after a crash between runs
        save_enrichment(conn, batch)
    assert list(iter_pending(ws.engine, 10)) == []
    with ws.engine.connect() as conn:
        total = conn.execute(select(rollups.c.count).where(rollups.c.category == ALL)).scalar_one()
    assert total == 2


def test_the_cheap_head_check_agrees_with_alembic(ws):
    """`open_workspace` skips Alembic when the database is at the head read from the migration files."""
    from alembic.script import ScriptDirectory

    from monitio.store.db import alembic_config, at_head, head_revision

    assert [head_revision()] == ScriptDirectory.from_config(alembic_config(ws.engine)).get_heads()
    assert at_head(ws.engine)
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0008'")
    assert not at_head(ws.engine)  # an older database still migrates
