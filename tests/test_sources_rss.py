"""RSS/Atom against a local server replaying recorded feeds: versions, conditional GET, broken XML,
encodings, full-article text, failures; and the feed parser fuzzed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from monitio.net import HttpClient
from monitio.sources.base import load_cursor, map_items, run_source
from monitio.sources.rss import RssConnector
from monitio.store.schema import posts, quarantine
from monitio.store.schema_intel import source_health
from tests.fixtures.sources.replay import Replay, fixture


@pytest.fixture
def replay():
    r = Replay()
    yield r
    r.close()


def client(**kw) -> HttpClient:
    return HttpClient(allow=["127.0.0.1"], sleep=lambda s: None, backoff=0.0, **kw)


def stored(ws) -> dict[str, dict]:
    with ws.engine.connect() as conn:
        return {r.source_id: r._asdict() for r in conn.execute(select(posts))}


def reasons(ws) -> list[str]:
    with ws.engine.connect() as conn:
        return list(conn.execute(select(quarantine.c.reason)).scalars())


def test_rss2_entries_conditional_get_and_304(ws, replay):
    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Wed, 25 Nov 2026 01:00:00 GMT"}, fixture("rss20.xml")

    replay.routes["/feed"] = [(200, {}, feed)]
    conn = RssConnector("scam-news", replay.base + "/feed", client=client(), market="ID", lang="id")
    first = run_source(ws.engine, conn)
    assert (first.fetched, first.new, first.quarantined, first.error) == (4, 3, 1, None)
    rows = stored(ws)
    assert rows["sw-20261125-001"]["text"] == "Iklan penipuan investasi lagi. Dijamin untung 30%"
    assert rows["sw-20261125-001"]["published_at"].isoformat().startswith("2026-11-25T01:00:00")
    assert rows["sw-20261125-001"]["author"] == "Redaksi" and rows["sw-20261125-001"]["market_hint"] == "ID"
    assert "refund" in rows["https://news.example.org/a2"]["text"]  # content:encoded when no description
    assert "https://news.example.org/a4" in rows  # undated: the fetch time
    assert load_cursor(ws.engine, "scam-news") == {"etag": '"v1"', "modified": "Wed, 25 Nov 2026 01:00:00 GMT"}
    second = run_source(ws.engine, conn)
    assert (second.fetched, second.new, second.error) == (0, 0, None)
    headers = replay.seen[-1][1]
    assert headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"].startswith("Wed, 25 Nov")
    assert reasons(ws) == ["entry has no title or summary"]


@pytest.mark.parametrize(
    ("name", "ctype", "expect"),
    [
        ("rss10.rdf", "application/rdf+xml", {"https://blog.example.jp/entry/1": "有名人を使った投資詐欺広告"}),
        ("rss091.xml", "text/xml", {"http://portal.example.com/n/101": "Fake lottery ads target retirees"}),
        ("atom.xml", "application/atom+xml", {"tag:canhbao.example.vn,2026:post-77": "Quảng cáo giả mạo ngân hàng"}),
        ("rss_cp1252.xml", "application/rss+xml", {"n1": "Reembolso não chegou – “anúncio falso”"}),
        ("rss_cp1252.xml", "application/rss+xml; charset=utf-8", {"n1": "Reembolso não chegou"}),  # wrong header
    ],
)
def test_feed_versions_and_encodings(ws, replay, name, ctype, expect):
    replay.routes["/f"] = [(200, {"Content-Type": ctype}, fixture(name))]
    report = run_source(ws.engine, RssConnector("f", replay.base + "/f", client=client()))
    assert report.error is None and report.new >= 1, report
    rows = stored(ws)
    for sid, text in expect.items():
        assert rows[sid]["text"].startswith(text), rows[sid]["text"]


def test_broken_xml_keeps_what_parses_and_quarantines_the_break_once(ws, replay):
    replay.routes["/atom"] = [(200, {"Content-Type": "application/atom+xml"}, fixture("atom_broken.xml"))]
    conn = RssConnector("half", replay.base + "/atom", client=client())
    report = run_source(ws.engine, conn)
    assert report.error is None and report.new >= 2
    assert {"tag:x,2026:1", "tag:x,2026:2"} <= set(stored(ws))
    run_source(ws.engine, conn)
    broken = [r for r in reasons(ws) if r.startswith("feed XML is broken")]
    assert len(broken) == 1, reasons(ws)


def test_a_page_that_is_not_a_feed_fails_the_run(ws, replay):
    replay.routes["/moved"] = [(200, {"Content-Type": "text/html"}, fixture("not_a_feed.html"))]
    report = run_source(ws.engine, RssConnector("moved", replay.base + "/moved", client=client()))
    assert "not a readable feed" in report.error
    with ws.engine.connect() as c:
        assert c.execute(select(source_health.c.consecutive_failures)).scalar_one() == 1


def test_server_errors_are_retried_then_recorded(ws, replay):
    replay.routes["/feed"] = [(500, {}, b""), (503, {"Retry-After": "0"}, b""), (200, {}, fixture("rss20.xml"))]
    report = run_source(ws.engine, RssConnector("r", replay.base + "/feed", client=client()))
    assert report.error is None and report.new == 3
    replay.routes["/gone"] = [(410, {}, b"gone")]
    assert "HTTP 410" in run_source(ws.engine, RssConnector("g", replay.base + "/gone", client=client())).error


def test_redirected_feed_is_followed(ws, replay):
    replay.routes["/old"] = [(301, {"Location": "/new"}, b"")]
    replay.routes["/new"] = [(200, {}, fixture("atom.xml"))]
    assert run_source(ws.engine, RssConnector("r", replay.base + "/old", client=client())).new == 2


def test_full_article_text_with_trafilatura(ws, replay):
    pytest.importorskip("trafilatura")
    body = fixture("rss20.xml").replace(b"https://news.example.org/", replay.base.encode() + b"/")
    replay.routes["/feed"] = [(200, {}, body)]
    replay.routes["/a1"] = [(200, {"Content-Type": "text/html; charset=utf-8"}, fixture("article.html"))]
    conn = RssConnector("full", replay.base + "/feed", client=client(retries=0), full_text=True)
    report = run_source(ws.engine, conn)
    assert report.error is None and report.new == 3  # /a2, /a4 are 404: their summaries are kept
    text = stored(ws)["sw-20261125-001"]["text"]
    assert "mencatut nama seorang menteri" in text and "Beranda" not in text
    fetched = sum(1 for p in replay.paths() if p == "/a1")
    run_source(ws.engine, conn)  # articles already seen are not fetched again
    assert sum(1 for p in replay.paths() if p == "/a1") == fetched == 1


def test_private_feed_refused_without_allow(ws, replay):
    replay.routes["/feed"] = [(200, {}, fixture("rss20.xml"))]
    report = run_source(ws.engine, RssConnector("x", replay.base + "/feed", client=HttpClient(retries=0)))
    assert "refused" in report.error and not stored(ws) and not replay.seen


ENTRY_KEYS = ["id", "guid", "link", "title", "summary", "description", "content", "published", "updated", "author"]
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(ENTRY_KEYS), JSONISH, max_size=8))
def test_map_item_gives_a_post_or_a_quarantined_item(raw):
    good, bad = map_items(RssConnector("fz", "https://x.org/feed"), [raw])
    assert len(good) + len(bad) == 1
    assert all(q.reason for q in bad)


XML_BITS = st.sampled_from(
    [
        "<item>",
        "</item>",
        "<title>",
        "</title>",
        "<entry>",
        "<guid>g</guid>",
        "<pubDate>",
        "&amp;",
        "&bogus;",
        "<![CDATA[",
        "]]>",
        "<description>",
        "<link>http://x/</link>",
        "\x00",
        "\ufffd",
        "é",
        "<",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=400)
    | st.lists(XML_BITS | st.text(max_size=15), max_size=30).map(
        lambda parts: "<?xml version='1.0'?><rss version='2.0'><channel>" + "".join(parts)
    )
)
def test_the_feed_parser_never_raises_on_garbage(body):
    import feedparser

    data = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
    feed = feedparser.parse(data)
    good, bad = map_items(RssConnector("fz", "https://x.org/feed"), [dict(e) for e in feed.entries])
    assert len(good) + len(bad) == len(feed.entries)
