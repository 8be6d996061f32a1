"""Platform connectors against a local server replaying their documented response shapes
(tests/fixtures/sources/*.json): paging, rate limits, server errors, malformed items, changed APIs."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from monitio.net import HttpClient
from monitio.sources.base import load_cursor, map_items, run_source
from monitio.sources.bluesky import BlueskyConnector
from monitio.sources.config import parse_sources
from monitio.sources.gdelt import GdeltConnector
from monitio.sources.mastodon import MastodonConnector
from monitio.sources.reddit import RedditConnector
from monitio.sources.youtube import YouTubeConnector
from monitio.store.schema import posts, quarantine
from tests.fixtures.sources.replay import Replay, fixture, fixture_json


@pytest.fixture
def replay():
    r = Replay()
    yield r
    r.close()


def client() -> HttpClient:
    return HttpClient(allow=["127.0.0.1"], sleep=lambda s: None, backoff=0.0)


def stored(ws) -> dict[str, dict]:
    with ws.engine.connect() as conn:
        return {r.source_id: r._asdict() for r in conn.execute(select(posts))}


def quarantined(ws) -> list[str]:
    with ws.engine.connect() as conn:
        return list(conn.execute(select(quarantine.c.reason)).scalars())


def J(obj) -> bytes:
    return json.dumps(obj).encode()


def test_reddit_search_sweeps_back_with_after_then_stops_at_known_posts(ws, replay, monkeypatch):
    monkeypatch.delenv("REDDIT_TOKEN", raising=False)
    replay.routes["/search.json"] = [
        (429, {"Retry-After": "0", "x-ratelimit-remaining": "0"}, b'{"message": "Too Many Requests", "error": 429}'),
        (200, {}, fixture("reddit_search_p1.json")),
        (500, {}, b""),
        (200, {}, fixture("reddit_search_p2.json")),
    ]
    conn = RedditConnector("reddit", query="scam ad", base_url=replay.base, client=client(), market="ID")
    report = run_source(ws.engine, conn)
    assert (report.pages, report.new, report.quarantined, report.error) == (2, 4, 1, None)
    assert "q=scam+ad" in replay.paths()[0] and "sort=new" in replay.paths()[0]
    assert "after=t3_1gz7c2b" in replay.paths()[-1]
    rows = stored(ws)
    assert rows["1gz7c2b"]["url"].startswith("https://www.reddit.com/r/indonesia/comments/1gz7c2b/")
    assert rows["1gz7c2b"]["likes"] == 230 and rows["1gz7c2b"]["comments"] == 88
    assert rows["1gz8qqa"]["text"] == "Is this 'guaranteed 30% monthly' crypto ad legit?"
    assert "removed" in quarantined(ws)[0]
    assert load_cursor(ws.engine, "reddit") == {"high": "2026-11-25T03:12:09+00:00"}
    # next run: the newest page already reaches known posts, so it stops after one page
    replay.routes["/search.json"] = [(200, {}, fixture("reddit_search_p1.json"))]
    before = len(replay.seen)
    again = run_source(ws.engine, conn)
    assert (again.pages, again.new, again.duplicate) == (1, 0, 3) and len(replay.seen) == before + 1


def test_reddit_subreddit_listing_and_oauth(ws, replay, monkeypatch):
    replay.routes["/r/malaysia/new.json"] = [(200, {}, fixture("reddit_sub_new.json"))]
    monkeypatch.setenv("REDDIT_TOKEN", "tok")
    report = run_source(ws.engine, RedditConnector("sub", subreddit="malaysia", base_url=replay.base, client=client()))
    assert (report.new, report.quarantined) == (1, 1) and "not a post" in quarantined(ws)[0]
    assert replay.seen[0][1]["Authorization"] == "Bearer tok"
    replay.routes["/r/malaysia/search.json"] = [(200, {}, fixture("reddit_sub_new.json"))]
    both = RedditConnector("both", subreddit="malaysia", query="voucher", base_url=replay.base, client=client())
    run_source(ws.engine, both)
    assert "restrict_sr=1" in replay.paths()[-1]


def test_reddit_changed_listing_fails_the_run(ws, replay):
    replay.routes["/search.json"] = [(200, {}, J({"kind": "Listing", "data": {"items": []}}))]
    report = run_source(ws.engine, RedditConnector("r", query="x", base_url=replay.base, client=client()))
    assert "data.children" in report.error


def test_youtube_comment_threads_need_a_key_and_page(ws, replay, monkeypatch):
    replay.routes["/commentThreads"] = [
        (200, {}, fixture("youtube_comment_threads_p1.json")),
        (503, {"Retry-After": "0"}, b""),
        (200, {}, fixture("youtube_comment_threads_p2.json")),
    ]
    conn = YouTubeConnector("yt", video_id="Xq3nG0aBcDe", base_url=replay.base, client=client(), market="TH")
    monkeypatch.delenv("YOUTUBE_API_KEY", raising=False)
    assert "YOUTUBE_API_KEY" in run_source(ws.engine, conn).error and not replay.seen
    monkeypatch.setenv("YOUTUBE_API_KEY", "AIzaTEST")
    report = run_source(ws.engine, conn)
    assert (report.pages, report.new, report.quarantined, report.error) == (2, 3, 1, None)
    assert "pageToken=QURTSl9pMmN2T1pB" in replay.paths()[-1] and "key=AIzaTEST" in replay.paths()[-1]
    rows = stored(ws)
    assert rows["UgzA1"]["likes"] == 41 and rows["UgzA1"]["comments"] == 3
    assert rows["UgzA1"]["url"] == "https://www.youtube.com/watch?v=Xq3nG0aBcDe&lc=UgzA1"
    assert rows["UgzA3"]["text"] == "โฆษณานี้หลอกลวง อย่าเชื่อ" and rows["UgzA3"]["market_hint"] == "TH"


def test_youtube_search_uses_published_after_and_reports_quota(ws, replay, monkeypatch):
    monkeypatch.setenv("YOUTUBE_API_KEY", "k")
    replay.routes["/search"] = [(200, {}, fixture("youtube_search.json"))]
    conn = YouTubeConnector("yts", query="iklan palsu", base_url=replay.base, client=client())
    assert run_source(ws.engine, conn).new == 2
    assert stored(ws)["dQw4w9WgXc1"]["text"].startswith('Waspada iklan "investasi" palsu')
    run_source(ws.engine, conn)
    assert "publishedAfter=2026-11-25T01%3A00%3A00Z" in replay.paths()[-1]
    replay.routes["/search"] = [(403, {}, fixture("youtube_error_quota.json"))]
    assert "quotaExceeded" in run_source(ws.engine, conn).error


def _gdelt(handler):
    path = handler.path
    if "TimelineTone" in path:
        return 200, {}, fixture("gdelt_timeline_tone.json")
    if "TimelineSourceCountry" in path:
        return 200, {}, fixture("gdelt_timeline_country.json")
    return 200, {}, fixture("gdelt_artlist.json")


def test_gdelt_articles_timelines_and_errors(ws, replay):
    replay.routes["/doc"] = [(200, {}, _gdelt)]
    conn = GdeltConnector("gdelt", query="penipuan iklan", base_url=replay.base, client=client(), min_interval=0)
    report = run_source(ws.engine, conn)
    assert (report.new, report.quarantined, report.error) == (3, 1, None)
    assert "timespan=1d" in replay.paths()[0] and "sort=DateAsc" in replay.paths()[0]
    rows = stored(ws)
    kompas = rows["https://www.kompas.com/tren/read/2026/11/25/penipuan-iklan-investasi"]
    assert (kompas["market_hint"], kompas["lang_hint"], kompas["author"]) == ("ID", "id", "kompas.com")
    assert rows["https://vnexpress.net/lua-dao-quang-cao-4820000.html"]["market_hint"] == "VN"
    assert load_cursor(ws.engine, "gdelt") == {"since": "20261125041500"}
    run_source(ws.engine, conn)
    assert "startdatetime=20261125041500" in replay.paths()[-1]
    tone = conn.timeline("TimelineTone")
    assert [v for _, v in tone] == [-2.1345, -3.5, -6.02] and tone[0][0].isoformat() == "2026-11-24T00:00:00+00:00"
    by_country = conn.timelines("TimelineSourceCountry")
    assert set(by_country) == {"Indonesia Volume Intensity", "Malaysia Volume Intensity"}
    assert len(by_country["Malaysia Volume Intensity"]) == 1  # the malformed point is skipped
    with pytest.raises(ValueError, match="mode must be"):
        conn.timelines("TimelineBogus")
    replay.routes["/doc"] = [
        (200, {"Content-Type": "text/html"}, b"Your search contained a keyword that was too short.")
    ]
    assert "too short" in run_source(ws.engine, conn).error


def test_gdelt_waits_between_requests(replay):
    replay.routes["/doc"] = [(200, {}, _gdelt)]
    waits: list[float] = []
    http = HttpClient(allow=["127.0.0.1"], sleep=waits.append)
    conn = GdeltConnector("g", query="x", base_url=replay.base, client=http)
    conn.fetch({})
    conn.fetch({})
    assert len(waits) == 1 and 4.5 < waits[0] <= 5.0


def test_bluesky_search_pages_with_cursor(ws, replay, monkeypatch):
    monkeypatch.delenv("BLUESKY_TOKEN", raising=False)
    replay.routes["/xrpc/app.bsky.feed.searchPosts"] = [
        (429, {"Retry-After": "0", "RateLimit-Remaining": "0"}, b'{"error":"RateLimitExceeded"}'),
        (200, {}, fixture("bluesky_search_p1.json")),
        (200, {}, fixture("bluesky_search_p2.json")),
    ]
    conn = BlueskyConnector("bsky", query="deepfake ad", base_url=replay.base + "/xrpc", client=client())
    report = run_source(ws.engine, conn)
    assert (report.pages, report.new, report.quarantined) == (2, 3, 1)
    assert "cursor=25" in replay.paths()[-1] and "sort=latest" in replay.paths()[-1]
    post = stored(ws)["at://did:plc:riskwatchxxxxxxxxxxxxxxx/app.bsky.feed.post/3lbxkq2aa2k2a"]
    assert post["url"] == "https://bsky.app/profile/riskwatch.bsky.social/post/3lbxkq2aa2k2a"
    assert (post["likes"], post["shares"], post["comments"]) == (12, 4, 2)
    run_source(ws.engine, conn)
    assert "since=2026-11-25T04%3A30%3A00Z" in replay.paths()[-1]


def test_mastodon_hashtag_timeline_pages_forward_with_min_id(ws, replay):
    path = "/api/v1/timelines/tag/scamads"
    link = (
        f'<{replay.base}{path}?max_id=113550000000000100>; rel="next", '
        f'<{replay.base}{path}?min_id=113550000000000300>; rel="prev"'
    )
    replay.routes[path] = [
        (200, {"Link": link}, fixture("mastodon_tag_newest.json")),
        (500, {}, b""),
        (200, {}, fixture("mastodon_tag_after.json")),
        (200, {}, b"[]"),
    ]
    conn = MastodonConnector("masto", hashtag="#scamads", base_url=replay.base, client=client())
    first = run_source(ws.engine, conn)
    assert (first.new, first.quarantined) == (2, 1)
    assert load_cursor(ws.engine, "masto") == {"min_id": "113550000000000300"}
    second = run_source(ws.engine, conn)
    assert second.new == 2 and "min_id=113550000000000300" in replay.paths()[-1]
    assert load_cursor(ws.engine, "masto") == {"min_id": "113550000000000500"}
    rows = stored(ws)
    assert rows["113550000000000300"]["text"] == (
        "Saw a #ScamAds campaign using a fake bank logo. Reported it twice & nothing happened."
    )
    assert rows["113550000000000200"]["author"] == "budi@mastodon.id"
    assert rows["113550000000000200"]["lang_hint"] == "id" and rows["113550000000000500"]["likes"] == 9


def test_mastodon_full_pages_continue_in_the_same_run(ws, replay):
    path = "/api/v1/timelines/tag/x"
    page = [
        {"id": str(1000 + i), "created_at": "2026-11-25T00:00:00Z", "content": f"<p>post {i}</p>"} for i in range(40)
    ]
    replay.routes[path] = [(200, {}, J(page[:1])), (200, {}, J(page)), (200, {}, J([]))]
    conn = MastodonConnector("m", hashtag="x", base_url=replay.base, client=client())
    run_source(ws.engine, conn)
    report = run_source(ws.engine, conn)
    assert report.pages == 2 and load_cursor(ws.engine, "m") == {"min_id": "1039"}


def test_a_changed_platform_answer_fails_the_run(ws, replay):
    replay.routes["/api/v1/timelines/tag/x"] = [(200, {}, J({"statuses": []}))]
    replay.routes["/xrpc/app.bsky.feed.searchPosts"] = [(200, {}, J({"feed": []}))]
    m = run_source(ws.engine, MastodonConnector("m", hashtag="x", base_url=replay.base, client=client()))
    b = run_source(ws.engine, BlueskyConnector("b", query="x", base_url=replay.base + "/xrpc", client=client()))
    assert "list of statuses" in m.error and "no posts" in b.error


def test_platform_config_needs_its_target():
    with pytest.raises(ValueError, match="reddit needs 'query' or 'subreddit'"):
        parse_sources({"sources": [{"name": "r", "kind": "reddit"}]})
    (src,) = parse_sources(
        {"sources": [{"name": "m", "kind": "mastodon", "hashtag": "scam", "url": "https://mastodon.example"}]}
    )
    assert src.connector().base_url == "https://mastodon.example"


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


def _near(sample: dict) -> st.SearchStrategy:
    """Items shaped like a real one, with any key's value replaced by anything, or keys dropped."""
    return st.fixed_dictionaries({}, optional={k: JSONISH | st.just(v) for k, v in sample.items()}) | JSONISH


REDDIT = fixture_json("reddit_search_p1.json")["data"]["children"][0]
THREAD = fixture_json("youtube_comment_threads_p1.json")["items"][0]
CONNECTORS = {
    "reddit": (RedditConnector("r", query="x"), REDDIT),
    "reddit_data": (RedditConnector("r", query="x"), REDDIT["data"]),
    "youtube": (YouTubeConnector("y", video_id="v"), THREAD),
    "youtube_snippet": (YouTubeConnector("y", video_id="v"), THREAD["snippet"]),
    "youtube_search": (YouTubeConnector("y", query="q"), fixture_json("youtube_search.json")["items"][0]),
    "gdelt": (GdeltConnector("g", query="q"), fixture_json("gdelt_artlist.json")["articles"][0]),
    "bluesky": (BlueskyConnector("b", query="q"), fixture_json("bluesky_search_p1.json")["posts"][0]),
    "mastodon": (MastodonConnector("m", hashtag="h"), fixture_json("mastodon_tag_newest.json")[0]),
}


@pytest.mark.parametrize("kind", sorted(CONNECTORS))
def test_map_item_fuzz_gives_posts_or_quarantined_items(kind):
    connector, sample = CONNECTORS[kind]
    assert len(map_items(connector, [sample])[0]) == (0 if kind == "youtube_snippet" else 1)

    @settings(max_examples=150, deadline=None)
    @given(_near(sample))
    def check(raw):
        good, bad = map_items(connector, [raw])
        assert len(good) + len(bad) == 1 and all(q.reason for q in bad)

    check()
