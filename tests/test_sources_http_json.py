"""Generic HTTP JSON connector against a local server: cursor, page and offset paging, auth, 429,
server errors, malformed items, a changed API; and its mapper fuzzed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from monitio.net import HttpClient
from monitio.sources.base import failing_sources, load_cursor, map_items, run_source
from monitio.sources.http_json import HttpJsonConnector, get_path
from monitio.store.schema import posts, quarantine
from tests.fixtures.sources.replay import Replay, fixture

FIELDS = {
    "id": "id",
    "text": "body",
    "published_at": "created",
    "author": "user.name",
    "market": "user.country",
    "likes": "stats.likes",
    "shares": "stats.shares",
    "comments": "stats.replies",
    "url": "links.0.href",
    "lang": "lang",
}


@pytest.fixture
def replay():
    r = Replay()
    yield r
    r.close()


def client(**kw) -> HttpClient:
    return HttpClient(allow=["127.0.0.1"], sleep=kw.pop("sleep", lambda s: None), backoff=0.0, **kw)


def stored(ws) -> dict[str, dict]:
    with ws.engine.connect() as conn:
        return {r.source_id: r._asdict() for r in conn.execute(select(posts))}


def partner(replay, **kw) -> HttpJsonConnector:
    opts = {"items_path": "data", "next_path": "meta.next", "fields": FIELDS, "client": client(), **kw}
    return HttpJsonConnector("partner", replay.base + "/v1/posts?cursor={cursor}&limit={size}", **opts)


def test_cursor_paging_auth_rate_limit_errors_and_bad_items(ws, replay, monkeypatch):
    monkeypatch.setenv("PARTNER_TOKEN", "s3cret")
    replay.routes["/v1/posts"] = [
        (429, {"Retry-After": "1"}, b'{"error": "slow down"}'),
        (500, {}, b"oops"),
        (200, {"Content-Type": "application/json"}, fixture("partner_api_p1.json")),
        (200, {"Content-Type": "application/json"}, fixture("partner_api_p2.json")),
    ]
    waits: list[float] = []
    conn = partner(
        replay,
        auth_header="Authorization",
        auth_env="PARTNER_TOKEN",
        auth_prefix="Bearer ",
        client=client(sleep=waits.append),
        market="PH",
    )
    report = run_source(ws.engine, conn)
    assert (report.pages, report.fetched, report.new, report.quarantined, report.error) == (2, 6, 3, 3, None)
    assert waits[0] == 1.0  # Retry-After honoured
    assert replay.seen[-1][1]["Authorization"] == "Bearer s3cret"
    assert "cursor=eyJwIjoyfQ" in replay.paths()[-1] and "limit=100" in replay.paths()[-1]
    rows = stored(ws)
    assert rows["c_9001"]["likes"] == 1200 and rows["c_9001"]["comments"] == 3 and rows["c_9001"]["shares"] == 14
    assert rows["c_9001"]["url"] == "https://partner.example/posts/c_9001" and rows["c_9001"]["market_hint"] == "ID"
    assert rows["c_9003"]["market_hint"] == "PH" and rows["c_9003"]["lang_hint"] == "vi"
    with ws.engine.connect() as c:
        why = sorted(c.execute(select(quarantine.c.reason)).scalars())
    assert any("likes" in w for w in why) and any("no text" in w for w in why)
    assert any("not an object" in w for w in why)
    # the API had no next cursor: the last one is kept and asked again next time
    assert load_cursor(ws.engine, "partner") == {"next": "eyJwIjoyfQ"}
    replay.routes["/v1/posts"] = [(200, {}, fixture("partner_api_p2.json"))]
    again = run_source(ws.engine, conn)
    assert (again.new, again.duplicate) == (0, 1)


def test_missing_credential_fails_clearly(ws, replay, monkeypatch):
    monkeypatch.delenv("NOPE_TOKEN", raising=False)
    conn = partner(replay, auth_header="X-Api-Key", auth_env="NOPE_TOKEN")
    assert "NOPE_TOKEN" in run_source(ws.engine, conn).error and not replay.seen


def _numbered(start: int, n: int) -> list[dict]:
    return [
        {"id": i, "body": f"scam ad number {i}", "created": "2026-11-25T00:00:00Z"} for i in range(start, start + n)
    ]


def test_page_paging_only_moves_on_after_a_full_page(ws, replay):
    data = _numbered(1, 5)

    def page(handler):
        n = int(handler.path.split("page=")[1].split("&")[0])
        return 200, {}, json.dumps({"items": data[(n - 1) * 2 : n * 2]}).encode()

    replay.routes["/p"] = [(200, {}, page)]
    fields = {"id": "id", "text": "body", "published_at": "created"}
    conn = HttpJsonConnector(
        "paged",
        replay.base + "/p?page={page}&per={size}",
        items_path="items",
        fields=fields,
        paging="page",
        page_size=2,
        client=client(),
    )
    first = run_source(ws.engine, conn)
    assert (first.pages, first.new) == (3, 5) and load_cursor(ws.engine, "paged") == {"page": 3}
    data.extend(_numbered(6, 2))  # page 3 fills up and page 4 appears
    second = run_source(ws.engine, conn)
    assert second.new == 2 and len(stored(ws)) == 7


def test_offset_paging(ws, replay):
    data = _numbered(1, 7)

    def page(handler):
        off = int(handler.path.split("offset=")[1].split("&")[0])
        return 200, {}, json.dumps({"result": {"rows": data[off : off + 3]}}).encode()

    replay.routes["/o"] = [(200, {}, page)]
    conn = HttpJsonConnector(
        "off",
        replay.base + "/o?offset={offset}&limit={size}",
        items_path="result.rows",
        fields={"id": "id", "text": "body", "published_at": "created"},
        paging="offset",
        page_size=3,
        client=client(),
    )
    assert run_source(ws.engine, conn).new == 7 and load_cursor(ws.engine, "off") == {"offset": 7}
    data.extend(_numbered(8, 1))
    assert run_source(ws.engine, conn).new == 1


def test_a_changed_api_is_a_failing_source_not_an_empty_one(ws, replay):
    replay.routes["/v1/posts"] = [(200, {}, json.dumps({"results": [{"id": 1}], "next": None}).encode())]
    conn = partner(replay)
    for _ in range(3):
        report = run_source(ws.engine, conn)
    assert "not a list" in report.error and report.fetched == 0
    (failing,) = failing_sources(ws, threshold=3)
    assert failing["source"] == "partner" and failing["failures"] == 3
    replay.routes["/v1/posts"] = [(200, {}, b"<html>maintenance</html>")]
    assert "JSONDecodeError" in run_source(ws.engine, conn).error


def test_a_renamed_field_quarantines_items_with_the_reason(ws, replay):
    renamed = json.loads(fixture("partner_api_p1.json"))
    for item in renamed["data"]:
        item["text"] = item.pop("body")
    renamed["meta"]["next"] = None
    replay.routes["/v1/posts"] = [(200, {}, json.dumps(renamed).encode())]
    report = run_source(ws.engine, partner(replay))
    assert (report.new, report.quarantined, report.error) == (0, 3, None)
    with ws.engine.connect() as c:
        assert set(c.execute(select(quarantine.c.reason)).scalars()) == {"no text at 'body'"}


def test_get_path():
    doc = {"a": {"b": [{"c": 1}, {"c": 2}]}, "l": [[5]]}
    assert get_path(doc, "a.b.1.c") == 2 and get_path(doc, "a.b.-1.c") == 2 and get_path(doc, "l.0.0") == 5
    assert get_path(doc, "a.b.5.c") is None and get_path(doc, "a.x") is None and get_path(doc, "") is None


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["id", "body", "created", "user", "stats", "links", "lang"]), JSONISH, max_size=7)
    | JSONISH
)
def test_map_item_gives_a_post_or_a_quarantined_item(raw):
    connector = HttpJsonConnector("j", "https://x.org", items_path="d", paging="none", fields=FIELDS)
    good, bad = map_items(connector, [raw])
    assert len(good) + len(bad) == 1
