"""Indexed search (`monitio.services.search`) against the linear reference (every stored post run
through the matcher), on SQLite and PostgreSQL: totals, pages, cursors, facets, on random
multilingual posts and random queries (NEAR, wildcards, phrases, fields, NOT)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from monitio.errors import BadRequest, Invalid
from monitio.query import And, Field, Near, Not, Or, Phrase, Term, compile_query, to_string
from monitio.records import Post
from monitio.services import search as svc
from monitio.store.repo import doc_from_row, insert_posts
from monitio.store.schema import posts

WORDS = [
    "scam", "scammer", "refund", "fake", "ad", "promo", "café", "cafe", "naïve", "lừa", "đảo", "lua",
    "โดนหลอก", "ลงทุน", "หลอก", "退款", "诈骗", "退", "詐欺", "です", "a", "x1", "_u", "100%",
]  # fmt: skip
SEPS = [" ", ", ", "! ", " - ", "\n", "", "_", "%"]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 7)):
        w = rng.choice(WORDS)
        parts.append(w.upper() if rng.random() < 0.15 else w)
        parts.append(rng.choice(SEPS))
    return "".join(parts).strip() or "x"


def _fill(engine, n: int, seed: int = 7) -> None:
    """`n` random posts, some enriched (lang, market, categories ...) directly in SQL."""
    rng = random.Random(seed)
    batch = [
        Post.create(
            source=rng.choice(["csv", "Reddit", "rss"]),
            source_id=str(i),
            text=_text(rng),
            published_at=T0 + timedelta(hours=rng.randint(0, 24 * 9)),  # ties on purpose
            author=rng.choice([None, "budi", "@Budi", "ann", "Ánh", "@@x"]),
            likes=rng.randint(0, 30),
            lang_hint=rng.choice([None, "vi", "th", "en"]),
            market_hint=rng.choice([None, "vn", "TH"]),
        )
        for i in range(n)
    ]
    with engine.begin() as conn:
        insert_posts(conn, batch)
        for pid in conn.execute(select(posts.c.id)).scalars().all():
            if rng.random() < 0.6:
                conn.execute(
                    update(posts)
                    .where(posts.c.id == pid)
                    .values(
                        lang=rng.choice(["vi", "en", "th", "", "zh"]),
                        market=rng.choice(["VN", "TH", "ID", "_unknown"]),
                        sentiment=rng.choice([-0.6, 0.0, 0.4]),
                        sentiment_label=rng.choice(["negative", "neutral", "positive", None]),
                        categories=rng.choice([None, "scam_ads", "scam_ads,payments_refunds", "payments_refunds"]),
                        indicators=rng.choice([None, {"phone": ["+6281"]}, {"link": []}]),
                    )
                )


def reference(engine, query: str) -> list:
    """The linear scan: every post through the matcher, newest first."""
    compiled = compile_query(query)
    with engine.connect() as conn:
        rows = conn.execute(select(posts).order_by(posts.c.published_at.desc(), posts.c.id.desc())).all()
    return [r for r in rows if compiled.matches(doc_from_row(r))]


def all_pages(engine, query: str, limit: int) -> tuple[int, list[int]]:
    ids, cursor, total = [], None, None
    while True:
        page = svc.search(engine, query, limit=limit, cursor=cursor, facets=False)
        total = page.total if total is None else total
        assert page.total == total
        ids += [h.row.id for h in page.items]
        if page.next_cursor is None:
            return total, ids
        cursor = page.next_cursor


# --- random queries ------------------------------------------------------------------------------

text_words = st.sampled_from(WORDS)
terms = st.one_of(
    text_words.map(Term),
    st.sampled_from(["sc", "scam", "ref", "caf", "lừ", "หล", "退", "詐", "lu", "x1"]).map(lambda p: Term(p, True)),
)
phrases = st.lists(text_words, min_size=1, max_size=3).map(lambda ws: Phrase(" ".join(ws)))
fields = st.one_of(
    st.sampled_from(["vi", "en", "th|zh", "VI"]).map(lambda v: Field("lang", v)),
    st.sampled_from(["VN", "th", "ID|_unknown"]).map(lambda v: Field("market", v)),
    st.sampled_from(["budi", "@budi", "an*", "ánh", "@x"]).map(lambda v: Field("author", v)),
    st.sampled_from(["csv", "reddit", "r*"]).map(lambda v: Field("source", v)),
    st.sampled_from(["scam_ads", "payments_refunds|x", "scam"]).map(lambda v: Field("category", v)),
    st.sampled_from(["<0", ">=0.4", "negative|neutral", "0"]).map(lambda v: Field("sentiment", v)),
    st.sampled_from([">10", "0..5", "=3"]).map(lambda v: Field("engagement", v)),
    st.sampled_from(["2026-11-03", "2026-11-02..2026-11-05", ">2026-11-06"]).map(lambda v: Field("date", v)),
    st.sampled_from(["phone", "link|phone"]).map(lambda v: Field("has", v)),
)
leaves = st.one_of(terms, terms, phrases, fields)


def _extend(children):
    return st.one_of(
        children.map(Not),
        st.lists(children, min_size=2, max_size=3).map(lambda cs: And(tuple(cs))),
        st.lists(children, min_size=2, max_size=3).map(lambda cs: Or(tuple(cs))),
        st.builds(Near, st.one_of(terms, phrases), st.one_of(terms, phrases), st.integers(0, 3), st.booleans()),
    )


queries = st.recursive(leaves, _extend, max_leaves=6)


def test_indexed_search_equals_the_linear_scan(ws):
    _fill(ws.engine, 160)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(node=queries, limit=st.integers(1, 40))
    def check(node, limit):
        assert_like_reference(ws.engine, to_string(node), limit)

    check()


def assert_like_reference(engine, query: str, limit: int) -> None:
    """The search's total, first page, facets and every page equal the linear reference's."""
    want = reference(engine, query)
    page = svc.search(engine, query, limit=limit)
    assert page.total == len(want), query
    assert [h.row.id for h in page.items] == [r.id for r in want[:limit]], query
    markets = Counter(r.market or r.market_hint or "_unknown" for r in want)
    assert page.facets["market"] == dict(markets), query
    days = Counter(r.published_at.date().isoformat() for r in want)
    assert page.facets["day"] == dict(days), query
    langs = Counter(r.lang or r.lang_hint or "_unknown" for r in want)
    assert page.facets["lang"] == dict(langs) and page.facets["source"] == dict(Counter(r.source for r in want))
    cats = Counter(c for r in want for c in (r.categories or "").split(",") if c)
    assert page.facets["category"] == dict(cats), query
    authors = Counter(r.author for r in want if r.author is not None)
    top = sorted(authors.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert list(page.facets["author"].items()) == top, query
    assert all_pages(engine, query, max(limit, 8)) == (len(want), [r.id for r in want]), query


@pytest.mark.parametrize(
    ("query", "exact"),
    [
        ("scam", True),
        ('"fake refund" OR scam* -lang:en', True),
        ("退款 market:VN", True),
        ("author:ánh", False),
        ("refund NEAR/2 fake", False),
        ("has:phone", False),
        ("NOT (refund NEAR/2 fake)", False),
    ],
)
def test_which_queries_are_verified(ws, query, exact):
    _fill(ws.engine, 40)
    page = svc.search(ws.engine, query, limit=5)
    assert page.verified is not exact
    assert page.total == len(reference(ws.engine, query))


def test_short_cjk_terms_vietnamese_view_and_accents(ws):
    t = T0
    batch = [
        Post.create(source="s", source_id="1", text="申请退款失败", published_at=t, lang_hint="zh"),
        Post.create(source="s", source_id="2", text="Café scam", published_at=t + timedelta(hours=1)),
        Post.create(source="s", source_id="3", text="Café scam", published_at=t + timedelta(hours=2), lang_hint="vi"),
        Post.create(source="s", source_id="4", text="bị lừa đảo", published_at=t + timedelta(hours=3)),
        Post.create(source="s", source_id="5", text="lua dao", published_at=t + timedelta(hours=4)),
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)

    def ids(q):
        return [h.row.source_id for h in svc.search(ws.engine, q, limit=10).items]

    assert ids("退款") == ["1"] and ids("退") == ["1"]  # 2 and 1 characters: below the trigram size
    assert ids("cafe") == ["2"]  # a vi post keeps its accents: café is not cafe there
    assert ids("café") == ["3", "2"]
    assert ids("lừa") == ["4"] and ids("lua") == ["5"]
    assert all(len(reference(ws.engine, q)) == len(ids(q)) for q in ("退款", "cafe", "café", "lừa", "lua"))


def test_posts_written_around_the_usual_path_are_indexed_before_a_search(ws):
    _fill(ws.engine, 5)
    with ws.engine.begin() as conn:
        conn.execute(
            insert(posts).values(
                uid="raw1", source="raw", source_id="r1", text="imported refund scam",
                published_at=T0, ingested_at=T0, likes=0, shares=0, comments=0, views=0,
            )
        )  # fmt: skip
    assert [h.row.source_id for h in svc.search(ws.engine, '"refund scam"').items] == ["r1"]


def test_cursor_pages_are_stable_when_new_posts_arrive(ws):
    _fill(ws.engine, 60)
    first = svc.search(ws.engine, "scam*", limit=5)
    want = [r.id for r in reference(ws.engine, "scam*")]
    newer = Post.create(source="s", source_id="new", text="scam again", published_at=T0 + timedelta(days=30))
    with ws.engine.begin() as conn:
        insert_posts(conn, [newer])
    second = svc.search(ws.engine, "scam*", limit=5, cursor=first.next_cursor)
    assert [h.row.id for h in first.items + second.items] == want[:10]
    assert second.total == len(want) + 1


def test_bad_cursor_and_bad_query_are_user_errors(ws):
    with pytest.raises(BadRequest):
        svc.search(ws.engine, "scam", cursor="not-a-cursor")
    with pytest.raises(Invalid, match="bad query: line 1, col 1"):
        svc.search(ws.engine, "(scam")


def test_highlights_cover_the_query_terms_in_the_original_text(ws):
    with ws.engine.begin() as conn:
        post = Post.create(source="s", source_id="1", text="Beware: a SCAMMER's fake Refund", published_at=T0)
        insert_posts(conn, [post])
    hit = svc.search(ws.engine, 'scam* OR "fake refund"').items[0]
    text = hit.row.text
    assert [text[s:e] for s, e in hit.highlights] == ["SCAMMER", "fake Refund"]
    assert hit.matched == ["scammer", "fake refund"]


def test_search_works_on_a_connection_that_may_not_write(ws):
    """Read-only workspaces (SQLite `query_only`, PostgreSQL read-only transactions) still search."""
    from sqlalchemy import create_engine, event

    _fill(ws.engine, 30)
    want = reference(ws.engine, "scam* OR 退款")
    url = ws.engine.url.render_as_string(hide_password=False)
    ro = create_engine(url)

    @event.listens_for(ro, "connect")
    def _no_writes(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        if ro.dialect.name == "sqlite":
            cur.execute("PRAGMA query_only=ON")
        else:
            cur.execute("SET default_transaction_read_only = on")
            dbapi_conn.commit()
        cur.close()

    page = svc.search(ro, "scam* OR 退款", limit=5)
    assert page.total == len(want) and [h.row.id for h in page.items] == [r.id for r in want[:5]]
    ro.dispose()


def test_migration_indexes_existing_posts_with_progress(ws, capsys):
    from alembic import command

    from monitio.store.db import alembic_config
    from monitio.store.schema_search import post_search

    with ws.engine.begin() as conn:
        insert_posts(conn, [Post.create(source="s", source_id="1", text="old refund post", published_at=T0)])
    cfg = alembic_config(ws.engine)
    with ws.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")  # a workspace from before the index
    with ws.engine.begin() as conn:
        conn.execute(
            insert(posts).values(
                uid="u2", source="s", source_id="2", text="older lừa đảo refund", published_at=T0,
                ingested_at=T0, likes=0, shares=0, comments=0, views=0,
            )
        )  # fmt: skip
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert "search index: 2 of 2 posts indexed" in capsys.readouterr().err
    with ws.engine.connect() as conn:
        assert conn.execute(select(post_search.c.post_id).order_by(post_search.c.post_id)).scalars().all() == [1, 2]
    assert [h.row.source_id for h in svc.search(ws.engine, "refund").items] == ["2", "1"]
    assert [h.row.source_id for h in svc.search(ws.engine, "lừa").items] == ["2"]
