"""Search over the in-memory facet columns (`monitio.services.facet_columns`) against the linear
reference on random posts and queries, on SQLite and PostgreSQL, and the columns kept fresh as
posts arrive and are enriched."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from monitio.query import to_string
from monitio.records import Post
from monitio.services import facet_columns
from monitio.services import search as svc
from monitio.store.repo import insert_posts
from monitio.store.schema import posts
from tests.test_search_index import T0, _fill, assert_like_reference, queries, reference


@pytest.fixture
def columns(ws, monkeypatch):
    """The workspace with its columns loaded (small workspaces are allowed), and a tally of which path ran."""
    monkeypatch.setattr(facet_columns, "MIN_POSTS", 0)
    ran = Counter()
    real_search, real_mask = svc._search_columns, facet_columns.query_mask

    def spy_search(*args, **kwargs):
        page = real_search(*args, **kwargs)
        ran["columns" if page is not None else "fallback"] += 1
        return page

    def spy_mask(*args, **kwargs):
        mask = real_mask(*args, **kwargs)
        ran["fields on columns" if mask is not None else "ids from SQL"] += 1
        return mask

    monkeypatch.setattr(svc, "_search_columns", spy_search)
    monkeypatch.setattr(facet_columns, "query_mask", spy_mask)
    yield ws, ran
    facet_columns.forget(ws.engine)


def _expected_facets(want) -> dict:
    authors = Counter(r.author for r in want if r.author is not None)
    return {
        "market": dict(Counter(r.market or r.market_hint or "_unknown" for r in want)),
        "lang": dict(Counter(r.lang or r.lang_hint or "_unknown" for r in want)),
        "source": dict(Counter(r.source for r in want)),
        "day": dict(Counter(r.published_at.date().isoformat() for r in want)),
        "category": dict(Counter(c for r in want for c in (r.categories or "").split(",") if c)),
        "author": dict(sorted(authors.items(), key=lambda kv: (-kv[1], kv[0]))[:10]),
    }


def test_columns_search_equals_the_linear_scan(columns):
    ws, ran = columns
    _fill(ws.engine, 160)
    assert facet_columns.columns_for(ws.engine) is not None

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(node=queries, limit=st.integers(1, 40))
    def check(node, limit):
        assert_like_reference(ws.engine, to_string(node), limit)

    check()
    # both ways of finding the matches, whatever the random queries were: from the columns and the
    # index alone, and from the ids SQL selects (engagement is not in the columns); NEAR and has: are
    # verified by the matcher instead
    for query in ("scam lang:vi|th", "engagement:>=3 refund", "scam NEAR/2 refund", "has:phone market:VN"):
        assert_like_reference(ws.engine, query, 5)
    assert ran["columns"] > 0 and ran["fallback"] == 0
    assert ran["fields on columns"] > 0 and ran["ids from SQL"] > 0


@pytest.mark.parametrize(
    "query",
    [
        "NOT lang:en",
        "lang:vi|th market:VN",
        "category:scam_ads -market:_unknown",
        "date:2026-11-03",
        "author:b*",
        "sentiment:<0 source:r*",
        "sentiment:negative|neutral OR author:ann",
    ],
)
def test_field_only_queries_read_no_post_rows(columns, query):
    ws, ran = columns
    _fill(ws.engine, 120, seed=3)
    facet_columns.columns_for(ws.engine)
    want = reference(ws.engine, query)
    page = svc.search(ws.engine, query, limit=10)
    assert (page.total, [h.row.id for h in page.items]) == (len(want), [r.id for r in want[:10]])
    assert page.facets["lang"] == _expected_facets(want)["lang"]
    assert ran["fields on columns"] >= 1 and ran["ids from SQL"] == 0


def test_filters_and_empty_query_on_columns(columns):
    ws, ran = columns
    _fill(ws.engine, 120, seed=5)
    facet_columns.columns_for(ws.engine)
    since, until = T0 + timedelta(days=2), T0 + timedelta(days=4)
    page = svc.search(ws.engine, None, filters=svc.Filters(since=since, until=until), limit=5)
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(posts)
            .where(posts.c.published_at >= since, posts.c.published_at <= until)
            .order_by(posts.c.published_at.desc(), posts.c.id.desc())
        ).all()
    assert page.total == len(rows) and [h.row.id for h in page.items] == [r.id for r in rows[:5]]
    assert page.facets == _expected_facets(rows) | {"author": page.facets["author"]}
    assert ran["columns"] == 1
    # a market filter is read in SQL, the facets still from the columns
    marketed = svc.search(ws.engine, "scam*", filters=svc.Filters(market="VN"), limit=5)
    want = [r for r in reference(ws.engine, "scam*") if r.market == "VN"]
    assert marketed.total == len(want) and ran["columns"] == 2


def test_columns_follow_new_and_enriched_posts(columns):
    ws, _ran = columns
    _fill(ws.engine, 60, seed=9)
    cols = facet_columns.columns_for(ws.engine)
    before = len(cols)
    first = svc.search(ws.engine, "lang:zh", limit=5)
    with ws.engine.begin() as conn:
        insert_posts(conn, [Post.create(source="late", source_id="n1", text="scam", published_at=T0, lang_hint="zh")])
        pid = conn.execute(select(posts.c.id).where(posts.c.lang.is_(None)).limit(1)).scalar_one()
        conn.execute(update(posts).where(posts.c.id == pid).values(lang="zh", enriched_at=datetime.now(UTC)))
    later = svc.search(ws.engine, "lang:zh", limit=5)
    cols = facet_columns.columns_for(ws.engine)
    assert len(cols) == before + 1
    assert later.total == len(reference(ws.engine, "lang:zh")) == first.total + 2
    assert later.facets["source"].get("late") == 1


def test_posts_the_columns_have_not_seen_fall_back_to_sql(columns):
    """Ids from SQL that the columns lack (written after their refresh) make SQL answer, not a short count."""
    ws, ran = columns
    _fill(ws.engine, 40, seed=2)
    cols = facet_columns.columns_for(ws.engine)
    cols.ids = cols.ids[:-1].copy()  # as if the newest post arrived after the refresh
    for name in ("ts", "market", "lang", "source", "author", "cats"):
        setattr(cols, name, getattr(cols, name)[:-1].copy())
    page = svc.search(ws.engine, "scam* OR refund OR lừa", limit=3)
    assert page.total == len(reference(ws.engine, "scam* OR refund OR lừa"))
    assert ran["fallback"] == 1


def test_top_authors_break_ties_by_name():
    rows = [(i, "2026-11-01 10:00:00", "ID", "id", "s", None, a, 0.0, "neutral") for i, a in enumerate("dcbaedcbae", 1)]
    cols = facet_columns.FacetColumns.from_rows(rows)
    facets, total = cols.facets(np.arange(len(rows)))
    assert total == 10 and list(facets["author"]) == ["a", "b", "c", "d", "e"]


def test_more_than_64_categories_widen_the_bit_sets_across_merges():
    first = [(i, "2026-11-01 10:00:00", "ID", "id", "s", f"c{i}", None, None, "neutral") for i in range(1, 61)]
    later = [(i, "2026-11-02 10:00:00", "ID", "id", "s", f"c{i},c1", None, None, "neutral") for i in range(61, 71)]
    cols = facet_columns.FacetColumns.from_rows(first)
    cols.merge([*later, (5, "2026-11-01 10:00:00", "MY", "ms", "s", "c70", None, None, "neutral")])
    facets, total = cols.facets(np.arange(len(cols)))
    assert total == 70 and cols.cats.shape[1] == 2
    assert facets["category"]["c1"] == 11 and facets["category"]["c70"] == 2 and "c5" not in facets["category"]
    assert facets["market"] == {"ID": 69, "MY": 1}
    assert cols.ids[np.flatnonzero(cols.where_category(lambda c: c == "c70"))].tolist() == [5, 70]


def test_long_words_and_short_terms_are_stored_and_found(columns):
    """A word too long for PostgreSQL's word index (2 kB, hostile input) is stored and found by the
    trigrams; one- and two-character Chinese terms come from the grams; ORs of terms read once."""
    ws, ran = columns
    long_word = "z" * 2500
    edge = ("y" * 249, "x" * 250)  # the longest word PostgreSQL's word index holds, and one too long
    texts = [f"scam {long_word} end", "我要退款", "退 only", "scam alert", "bị lừa rồi", "lua dao", long_word[:-1]]
    texts += edge
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(source="t", source_id=str(i), text=t, published_at=T0 + timedelta(hours=i))
                for i, t in enumerate(texts)
            ],
        )
    assert facet_columns.columns_for(ws.engine) is not None
    queries = (long_word, f"scam OR {long_word}", "退款", "退", "退 OR scam", "lừa OR scam*", "lua OR 退款", *edge)
    for query in (*queries, f"{edge[0]} OR {edge[1]}", "yy*", "xx*"):
        assert_like_reference(ws.engine, query, 3)
    assert svc.search(ws.engine, long_word, limit=5).total == 1
    assert [svc.search(ws.engine, w, limit=5).total for w in edge] == [1, 1]
    assert svc.search(ws.engine, "退 OR scam", limit=5).total == 4
    assert ran["fallback"] == 0
