"""Two-character CJK/Thai terms use the trigram index on SQLite (the trigrams that begin with them)
and find exactly what the matcher finds, wherever the term sits in the text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitio.query import compile_query
from monitio.records import Post
from monitio.services import search as svc
from monitio.store.repo import doc_from_row, insert_posts

T0 = datetime(2026, 11, 1, tzinfo=UTC)
TEXTS = ["退款", "不退款了", "我要退款", "退款x 退", "退 款", "hello 退", "หลอกลวง", "โดนหลอก", "ไม่หล"]


def _fill(engine) -> None:
    batch = [
        Post.create(source="s", source_id=str(i), text=t, published_at=T0 + timedelta(hours=i))
        for i, t in enumerate(TEXTS)
    ]
    with engine.begin() as conn:
        insert_posts(conn, batch)


def _reference(engine, query: str) -> list[str]:
    from sqlalchemy import select

    from monitio.store.schema import posts

    compiled = compile_query(query)
    with engine.connect() as conn:
        rows = conn.execute(select(posts).order_by(posts.c.published_at.desc())).all()
    return [r.text for r in rows if compiled.matches(doc_from_row(r))]


def test_two_character_terms_equal_the_matcher(ws):
    _fill(ws.engine)
    for query in ("退款", "หล*", "退款 OR หลอก", "退款 -不退款", "xx"):
        page = svc.search(ws.engine, query, limit=20)
        assert [h.row.text for h in page.items] == _reference(ws.engine, query), query
    assert svc.search(ws.engine, "退款").total == 4


def test_two_character_terms_use_the_index_on_sqlite(ws):
    _fill(ws.engine)
    p = svc.plan(ws.engine, "退款", None)
    sql = str(p.cond.compile(ws.engine))
    if ws.engine.dialect.name == "sqlite":
        assert "MATCH" in sql  # an index lookup, not a scan of every stored text
    assert svc.search(ws.engine, "退款 market:TH").total == 0
