"""The search cache (`monitio.services.search_cache`): totals, facets and pages are reused while no
post changes, and never outlive a change of a post (insert, enrichment update, delete), on both
backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, update

from monitio.records import Post
from monitio.services import search as svc
from monitio.store.repo import insert_posts
from monitio.store.schema import posts
from monitio.store.versions import data_version

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _add(engine, *texts: str, start: int = 0) -> None:
    batch = [
        Post.create(source="s", source_id=f"p{start + i}", text=t, published_at=T0 + timedelta(hours=start + i))
        for i, t in enumerate(texts)
    ]
    with engine.begin() as conn:
        insert_posts(conn, batch)


@pytest.fixture
def no_recount(monkeypatch):
    """Make the next count of facets or matches fail: a search that answers used the cache."""

    def boom(*_a, **_k):
        raise AssertionError("recounted although nothing changed")

    def arm() -> None:
        monkeypatch.setattr(svc, "sql_facets", boom)
        monkeypatch.setattr(svc, "materialised", boom)

    return arm


def test_a_repeated_search_is_answered_from_the_cache(ws, no_recount):
    _add(ws.engine, "refund scam", "scam ad", "hello")
    first = svc.search(ws.engine, "scam", limit=1)
    no_recount()
    again = svc.search(ws.engine, "scam", limit=1)
    assert (
        (again.total, again.facets, again.next_cursor)
        == (first.total, first.facets, first.next_cursor)
        == (
            2,
            first.facets,
            first.next_cursor,
        )
    )
    assert [h.row.id for h in again.items] == [h.row.id for h in first.items]
    assert again.items[0].highlights == first.items[0].highlights and again.items[0].row.text == "scam ad"


def test_new_posts_change_the_cached_total_facets_and_first_page(ws):
    _add(ws.engine, "refund scam", "scam ad")
    before = svc.search(ws.engine, "scam")
    assert before.total == 2 and before.facets["day"] == {"2026-11-01": 2}
    _add(ws.engine, "newest scam", start=48)
    after = svc.search(ws.engine, "scam")
    assert after.total == 3
    assert after.facets["day"] == {"2026-11-01": 2, "2026-11-03": 1}
    assert after.items[0].row.text == "newest scam"
    assert svc.count(ws.engine, "scam") == 3


def test_enrichment_updates_and_deletes_change_the_cached_facets(ws):
    _add(ws.engine, "refund scam", "scam ad")
    assert svc.search(ws.engine, "scam").facets["market"] == {"_unknown": 2}
    assert svc.search(ws.engine, "scam market:TH").total == 0
    with ws.engine.begin() as conn:
        conn.execute(update(posts).where(posts.c.text == "scam ad").values(market="TH", categories="scam_ads"))
    page = svc.search(ws.engine, "scam")
    assert page.facets["market"] == {"TH": 1, "_unknown": 1} and page.facets["category"] == {"scam_ads": 1}
    assert svc.search(ws.engine, "scam market:TH").total == 1
    with ws.engine.begin() as conn:
        conn.execute(delete(posts).where(posts.c.text == "scam ad"))
    assert svc.search(ws.engine, "scam").total == 1


def test_every_change_of_a_post_bumps_the_version_in_its_transaction(ws):
    with ws.engine.connect() as conn:
        v0 = data_version(conn)
    _add(ws.engine, "a", "b")
    with ws.engine.connect() as conn:
        v1 = data_version(conn)
    assert v1 > v0 >= 0
    with ws.engine.begin() as conn:
        conn.execute(update(posts).values(lang="en"))
        assert data_version(conn) > v1
    with ws.engine.connect() as conn:
        v2 = data_version(conn)
        conn.execute(update(posts).values(lang="th"))
        conn.rollback()
        assert data_version(conn) == v2  # a rolled-back change leaves the version as it was


def test_facets_asked_after_a_count_without_them_are_counted(ws):
    _add(ws.engine, "scam one", "scam two")
    assert svc.search(ws.engine, "scam", facets=False).facets == {}
    assert svc.search(ws.engine, "scam").facets["source"] == {"s": 2}


def _narrative(engine, size: int, terms: dict) -> None:
    from monitio.store.schema_intel import narratives

    with engine.begin() as conn:
        conn.execute(
            narratives.insert().values(
                centroid=[], size=size, terms=terms, categories={"scam_ads": size}, markets={"TH": size},
                langs={"th": size}, first_seen=T0, last_seen=T0, updated_at=T0,
            )
        )  # fmt: skip


def test_the_narratives_list_is_reused_until_a_narrative_changes(ws):
    from monitio.services import narratives as svc_narr
    from monitio.store.schema_intel import narratives

    _narrative(ws.engine, 5, {"refund": 5})
    first = svc_narr.list_page(ws)
    assert first.total == 1 and first.items[0]["label"] == "refund"
    first.items[0]["label"] = "changed by a caller"  # a caller's edits do not leak into the cache
    assert svc_narr.list_page(ws).items[0]["label"] == "refund"
    _narrative(ws.engine, 4, {"deepfake": 4})
    assert svc_narr.list_page(ws).total == 2
    with ws.engine.begin() as conn:
        conn.execute(update(narratives).values(size=1))  # below min_size
    assert svc_narr.list_page(ws).total == 0


def test_concurrent_misses_of_one_query_count_once(ws, monkeypatch):
    import threading
    import time

    _add(ws.engine, "scam one", "scam two", "refund")
    calls = []
    real = svc.sql_facets

    def slow(conn, p):
        calls.append(1)
        time.sleep(0.3)  # keeps the first computation running while the others arrive
        return real(conn, p)

    monkeypatch.setattr(svc, "sql_facets", slow)
    totals = []
    threads = [threading.Thread(target=lambda: totals.append(svc.search(ws.engine, "scam").total)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert totals == [2, 2, 2, 2] and len(calls) == 1


def test_a_caller_changing_its_facets_does_not_change_the_cache(ws):
    _add(ws.engine, "scam one", "scam two")
    first = svc.search(ws.engine, "scam")
    first.facets["source"]["s"] = 99
    first.facets.pop("day")
    again = svc.search(ws.engine, "scam")
    assert again.facets["source"] == {"s": 2} and again.facets["day"] == {"2026-11-01": 2}
    again.facets["market"].clear()
    assert svc.search(ws.engine, "scam").facets["market"] == {"_unknown": 2}
