"""Hot terms (`monitio.services.hot_terms`): the most frequent words' ids held beside the facet
columns answer searches exactly as the index does, follow new posts, and are dropped and rebuilt
when texts are removed (retention), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from monitio.records import Post
from monitio.services import facet_columns, hot_terms
from monitio.services import search as svc
from monitio.store import fts, retention
from monitio.store.repo import insert_posts
from monitio.store.schema import posts
from tests.test_search_index import T0, _fill, reference


@pytest.fixture
def small(ws, monkeypatch):
    """The workspace with its facet columns (and so its hot terms) allowed at any size."""
    monkeypatch.setattr(facet_columns, "MIN_POSTS", 0)
    yield ws
    facet_columns.forget(ws.engine)


QUERIES = ("scam", "refund OR scam", "scam -lang:en", "NOT refund", "lừa OR scam market:VN", '"scam refund"')


def _index_reads(monkeypatch) -> list[list[str]]:
    """Record the needles of every `body` read from the index."""
    seen: list[list[str]] = []
    real = fts.ids_containing_any

    def spy(conn, column, needles):
        if column == "body":
            seen.append(list(needles))
        return real(conn, column, needles)

    monkeypatch.setattr(fts, "ids_containing_any", spy)
    return seen


def _same_as_reference(engine, query: str) -> None:
    want = reference(engine, query)
    page = svc.search(engine, query, limit=7)
    assert (page.total, [h.row.id for h in page.items]) == (len(want), [r.id for r in want[:7]]), query


def _wait_rebuilt(engine, timeout: float = 30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not any(t.name == "hot-terms" for t in threading.enumerate()):
            cols = facet_columns.columns_for(engine)
            if cols.hot is not None:
                return cols
        time.sleep(0.05)
    raise AssertionError("hot terms were not rebuilt")


def test_hot_words_answer_from_memory_like_the_index(small, monkeypatch):
    ws = small
    _fill(ws.engine, 200, seed=11)
    cols = facet_columns.columns_for(ws.engine)
    assert cols.hot is not None and " scam " in cols.hot.ids and cols.hot.count == 200
    with ws.engine.connect() as conn:  # the index's own answer, word by word
        for needle, ids in cols.hot.ids.items():
            assert ids.tolist() == sorted(fts.ids_containing(conn, "body", needle)), needle
    reads = _index_reads(monkeypatch)
    for query in QUERIES:
        _same_as_reference(ws.engine, query)
    assert not any(" scam " in needles for needles in reads)  # never asked of the index


def test_hot_words_follow_new_posts(small):
    ws = small
    _fill(ws.engine, 150, seed=12)
    kept = facet_columns.columns_for(ws.engine).hot
    before = kept.ids[" scam "].copy()
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(source="late", source_id=f"n{i}", text=text, published_at=T0 + timedelta(days=3))
                for i, text in enumerate(["SCAM again", "no match here", "refund scam lừa", "scammer"])
            ],
        )
    for query in QUERIES:
        _same_as_reference(ws.engine, query)
    hot = facet_columns.columns_for(ws.engine).hot
    assert hot is kept  # brought up to date, not built again
    assert len(hot.ids[" scam "]) == len(before) + 2 and hot.count == 154


def test_removed_texts_drop_the_hot_words_until_rebuilt(small):
    ws = small
    _fill(ws.engine, 150, seed=13)
    facet_columns.columns_for(ws.engine)
    with ws.engine.begin() as conn:  # retention empties the oldest posts' texts
        cutoff = T0 + timedelta(days=3)
        retention.drop_batch(conn, cutoff, None, 1000, set())
        gone = conn.execute(select(posts.c.id).where(posts.c.text == "")).scalars().all()
    assert gone
    for query in QUERIES:  # exact while the hot words are rebuilt
        _same_as_reference(ws.engine, query)
    cols = _wait_rebuilt(ws.engine)
    assert not set(gone) & set(cols.hot.ids[" scam "].tolist())
    for query in QUERIES:
        _same_as_reference(ws.engine, query)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["the", "scam", "yang", "a", "đảo", "退款", "the~"]), max_size=6), max_size=30),
    st.integers(0, 30),
)
def test_add_keeps_the_ids_of_a_plain_substring_scan(texts, split):
    bodies = [f" {' '.join(words)} " if words else " " for words in texts]
    rows = list(enumerate(bodies, 1))
    needles = hot_terms.pick(bodies, share=0.0, limit=10)
    old, new = rows[:split], rows[split:]
    hot = hot_terms.HotTerms(
        {n: np.array([p for p, b in old if n in b], dtype=np.int64) for n in needles}, len(old), len(old)
    )
    hot.add(new, len(rows))
    for n in needles:
        assert hot.ids[n].tolist() == [p for p, b in rows if n in b]
    assert hot.count == len(rows) and hot.last == len(rows)
    assert all(sum(n in b for b in bodies) >= 2 for n in needles)
