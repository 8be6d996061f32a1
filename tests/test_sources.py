"""Connectors against a real HTTP server on 127.0.0.1 replaying realistic responses."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from typer.testing import CliRunner

from monitio.cli.main import app
from monitio.net import HttpClient
from monitio.sources.base import failing_sources, load_cursor, map_items, run_source
from monitio.sources.config import SourceConfigError, parse_sources
from monitio.sources.http_json import HttpJsonConnector
from monitio.sources.rss import RssConnector
from monitio.store.schema import posts, quarantine
from monitio.store.schema_intel import source_health

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Scam watch</title>
<item><guid>a1</guid><title>Iklan penipuan investasi lagi</title>
<description>&lt;p&gt;Dijamin untung 30%&lt;/p&gt;</description>
<link>https://news.example.org/a1</link><pubDate>Tue, 24 Nov 2026 08:00:00 +0700</pubDate></item>
<item><guid>a2</guid><title>Refund belum masuk</title><link>https://news.example.org/a2</link>
<pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate></item>
<item><guid>a3</guid><link>https://news.example.org/a3</link><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"""
ATOM_BROKEN = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>tag:x,2026:1</id><title>Deepfake ad of a minister</title><updated>2026-11-24T10:00:00Z</updated></entry>
<entry><id>tag:x,2026:2</id><title>Second entry cut off"""


class Replay:
    """Serves scripted responses per path; records the request headers it saw."""

    def __init__(self):
        self.routes: dict[str, list] = {}
        self.seen: list[tuple[str, dict]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.seen.append((self.path, dict(self.headers)))
                script = owner.routes.get(self.path.split("?")[0]) or [(404, {}, b"")]
                status, headers, body = script[0] if len(script) == 1 else script.pop(0)
                if callable(body):
                    status, headers, body = body(self)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body if isinstance(body, bytes) else body.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def replay():
    r = Replay()
    yield r
    r.close()


def client(**kw):
    return HttpClient(allow=["127.0.0.1"], sleep=lambda s: None, backoff=0.0, **kw)


def _count(ws, table=posts):
    with ws.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_rss_maps_quarantines_and_uses_conditional_get(ws, replay):
    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {}, b""
        return 200, {"ETag": '"v1"', "Content-Type": "application/rss+xml"}, RSS.encode()

    replay.routes["/feed"] = [(200, {}, feed)]
    conn = RssConnector("scam-news", replay.base + "/feed", client=client(), market="ID")
    first = run_source(ws.engine, conn)
    assert (first.new, first.quarantined, first.error) == (2, 1, None)
    assert load_cursor(ws.engine, "scam-news")["etag"] == '"v1"'
    second = run_source(ws.engine, conn)
    assert (second.fetched, second.new) == (0, 0)
    assert replay.seen[-1][1].get("If-None-Match") == '"v1"'
    with ws.engine.connect() as c:
        rows = dict(c.execute(select(posts.c.source_id, posts.c.text)).all())
        reason = c.execute(select(quarantine.c.reason)).scalar_one()
    assert rows["a1"] == "Iklan penipuan investasi lagi. Dijamin untung 30%" and "no title" in reason


def test_broken_atom_gives_the_entries_that_parse(ws, replay):
    replay.routes["/atom"] = [(200, {"Content-Type": "application/atom+xml"}, ATOM_BROKEN.encode())]
    report = run_source(ws.engine, RssConnector("atom", replay.base + "/atom", client=client()))
    assert report.error is None and report.new >= 1


def _api_page(items, nxt=None):
    return json.dumps({"data": items, "meta": {"next": nxt}}).encode()


GOOD = {"id": 1, "body": "This ad is a scam", "created": "2026-11-24T08:00:00Z", "user": {"name": "a"}, "likes": "12"}


def test_http_json_pages_retries_and_quarantines(ws, replay):
    replay.routes["/api"] = [
        (429, {"Retry-After": "0"}, b""),
        (500, {}, b"oops"),
        (200, {}, _api_page([GOOD, {**GOOD, "id": 2, "body": ""}], "p2")),
        (200, {}, _api_page([{**GOOD, "id": 3, "likes": "many"}, {**GOOD, "id": 4}])),
    ]
    conn = HttpJsonConnector(
        "partner",
        replay.base + "/api?cursor={cursor}",
        items_path="data",
        next_path="meta.next",
        fields={"id": "id", "text": "body", "published_at": "created", "author": "user.name", "likes": "likes"},
        client=client(),
    )
    report = run_source(ws.engine, conn)
    assert (report.pages, report.new, report.quarantined, report.error) == (2, 2, 2, None)
    assert "cursor=p2" in replay.seen[-1][0]
    with ws.engine.connect() as c:
        assert c.execute(select(posts.c.likes).where(posts.c.source_id == "1")).scalar_one() == 12


def test_a_changed_api_is_recorded_as_failing(ws, replay):
    replay.routes["/api"] = [(200, {}, json.dumps({"results": []}).encode())]
    conn = HttpJsonConnector(
        "changed",
        replay.base + "/api",
        items_path="data",
        paging="none",
        fields={"id": "id", "text": "body", "published_at": "created"},
        client=client(),
    )
    for _ in range(3):
        report = run_source(ws.engine, conn)
    assert "not a list" in report.error
    assert failing_sources(ws.engine, threshold=3)[0]["source"] == "changed"


def test_private_addresses_are_refused_unless_allowed(ws, replay):
    replay.routes["/feed"] = [(200, {}, RSS.encode())]
    report = run_source(ws.engine, RssConnector("x", replay.base + "/feed", client=HttpClient(retries=0)))
    assert "refused" in report.error and _count(ws) == 0
    replay.routes["/redirect"] = [(302, {"Location": "http://10.0.0.1/feed"}, b"")]
    report = run_source(ws.engine, RssConnector("y", replay.base + "/redirect", client=client(retries=0)))
    assert "10.0.0.1" in report.error


class Crashing(HttpJsonConnector):
    """Fails on the second page, as a process killed mid-run would."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.calls = 0

    def fetch(self, cursor):
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("killed")
        return super().fetch(cursor)


def test_a_crash_between_pages_resumes_without_loss_or_duplicates(ws, replay):
    pages = {"": _api_page([GOOD, {**GOOD, "id": 2}], "p2"), "p2": _api_page([{**GOOD, "id": 3}], None)}
    replay.routes["/api"] = [(200, {}, lambda h: (200, {}, pages[h.path.split("cursor=")[1]]))]
    conn = Crashing(
        "resume",
        replay.base + "/api?cursor={cursor}",
        items_path="data",
        next_path="meta.next",
        fields={"id": "id", "text": "body", "published_at": "created"},
        client=client(),
    )
    first = run_source(ws.engine, conn)
    assert first.error and first.new == 2 and load_cursor(ws.engine, "resume") == {"next": "p2"}
    second = run_source(ws.engine, conn)
    assert second.error is None and second.new == 1 and _count(ws) == 3


def test_config_validation():
    with pytest.raises(SourceConfigError, match="unknown field"):
        parse_sources({"sources": [{"name": "a", "kind": "rss", "url": "https://x.org", "colour": 1}]})
    with pytest.raises(SourceConfigError, match="schedule"):
        parse_sources({"sources": [{"name": "a", "kind": "rss", "url": "https://x.org", "schedule": "often"}]})
    with pytest.raises(SourceConfigError, match="needs 'fields'"):
        parse_sources({"sources": [{"name": "a", "kind": "http_json", "url": "https://x.org"}]})


def test_sources_cli_add_test_run_list_disable(ws, replay):
    replay.routes["/feed"] = [(200, {}, RSS.encode())]
    runner = CliRunner()
    w = ["--workspace", str(ws.path)]
    assert (
        runner.invoke(app, ["sources", "add", "news", "--kind", "rss", "--url", replay.base + "/feed", *w]).exit_code
        == 0
    )
    toml = (ws.path / "monitio.toml").read_text()
    (ws.path / "monitio.toml").write_text(toml.replace('kind = "rss"', 'kind = "rss"\nallow_private = true'))
    tested = runner.invoke(app, ["sources", "test", "news", "--json", *w])
    assert json.loads(tested.stdout)["items"] == 3 and _count(ws) == 0  # test stores nothing
    ran = runner.invoke(app, ["run", "--json", *w])
    assert ran.exit_code == 0, (ran.stdout, ran.stderr, ran.exception)
    assert json.loads(ran.stdout)["collected"]["news"]["new"] == 2 and _count(ws) == 2
    listed = json.loads(runner.invoke(app, ["sources", "list", "--json", *w]).stdout)
    assert listed[0]["name"] == "news" and listed[0]["last_success_at"]
    assert runner.invoke(app, ["sources", "disable", "news", *w]).exit_code == 0
    assert json.loads(runner.invoke(app, ["sources", "list", "--json", *w]).stdout)[0]["enabled"] is False
    with ws.engine.connect() as c:
        assert c.execute(select(source_health.c.items_last_run)).scalar_one() == 3


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "body", "created", "title", "summary", "link", "published", "likes", "user", "guid"]),
        JSONISH,
        max_size=8,
    )
)
def test_mappers_give_posts_or_quarantine_never_exceptions(raw):
    rss = RssConnector("r", "https://x.org/feed")
    api = HttpJsonConnector(
        "j",
        "https://x.org",
        items_path="d",
        paging="none",
        fields={"id": "id", "text": "body", "published_at": "created", "likes": "likes"},
    )
    for connector in (rss, api):
        good, bad = map_items(connector, [raw])
        assert len(good) + len(bad) == 1


def test_a_failing_source_becomes_a_signal(ws, replay):
    from monitio.detect.signals import detect_signals
    from monitio.detect.store import list_open_signals

    replay.routes["/down"] = [(503, {}, b"")]
    conn = RssConnector("flaky-feed", replay.base + "/down", client=client(retries=0))
    for _ in range(3):
        run_source(ws.engine, conn)
    detect_signals(ws)
    (sig,) = [s for s in list_open_signals(ws.engine) if s["kind"] == "source_failing"]
    assert "flaky-feed" in sig["why"] and "3 times in a row" in sig["why"]


def test_feeds_in_other_encodings_are_decoded(ws, replay):
    body = RSS.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(
        "Refund belum masuk", "Reembolso não chegou"
    )
    replay.routes["/latin"] = [
        (200, {"Content-Type": "application/rss+xml; charset=ISO-8859-1"}, body.encode("latin-1"))
    ]
    run_source(ws.engine, RssConnector("latin", replay.base + "/latin", client=client()))
    with ws.engine.connect() as c:
        texts = set(c.execute(select(posts.c.text)).scalars())
    assert "Reembolso não chegou" in texts


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=600).map(lambda t: f"<rss><channel><item>{t}</item></channel></rss>"))
def test_feed_parser_and_mapper_never_raise_on_garbage(body):
    import feedparser

    feed = feedparser.parse(body)
    good, bad = map_items(RssConnector("fz", "https://x.org/feed"), [dict(e) for e in feed.entries])
    assert len(good) + len(bad) == len(feed.entries)
