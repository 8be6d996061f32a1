"""Platform connectors against a local server replaying their documented response shapes; the drop folder."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from monitio.sources.base import run_source
from monitio.sources.bluesky import BlueskyConnector
from monitio.sources.config import parse_sources
from monitio.sources.gdelt import GdeltConnector
from monitio.sources.mastodon import MastodonConnector
from monitio.sources.reddit import RedditConnector
from monitio.sources.watch import scan_folder
from monitio.sources.youtube import YouTubeConnector
from monitio.store.schema import posts, quarantine
from tests.test_sources import Replay, client


@pytest.fixture
def replay():
    r = Replay()
    yield r
    r.close()


def _stored(ws) -> dict[str, dict]:
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(posts.c.source, posts.c.source_id, posts.c.text, posts.c.likes, posts.c.url, posts.c.market_hint)
        ).all()
    return {r.source_id: r._asdict() for r in rows}


def _q(ws) -> int:
    with ws.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(quarantine)).scalar_one()


def J(obj) -> bytes:
    return json.dumps(obj).encode()


def test_reddit_search_pages_with_after(ws, replay):
    def child(i, **kw):
        return {
            "kind": "t3",
            "data": {
                "id": f"p{i}",
                "title": f"Scam ad {i}",
                "selftext": "",
                "author": "u",
                "created_utc": 1795500000 + i,
                "permalink": f"/r/x/comments/p{i}/",
                "score": i,
                **kw,
            },
        }

    replay.routes["/search.json"] = [
        (200, {}, J({"kind": "Listing", "data": {"after": "t3_p2", "children": [child(1), child(2)]}})),
        (
            200,
            {},
            J({"kind": "Listing", "data": {"after": None, "children": [child(3, title="", selftext="[removed]")]}}),
        ),
    ]
    report = run_source(ws.engine, RedditConnector("reddit", query="scam ad", base_url=replay.base, client=client()))
    assert (report.pages, report.new, report.quarantined) == (2, 2, 1)
    assert "after=t3_p2" in replay.seen[1][0] and "q=scam+ad" in replay.seen[0][0]
    assert _stored(ws)["p2"]["url"] == "https://www.reddit.com/r/x/comments/p2/"


def test_youtube_comment_threads_need_a_key_and_page(ws, replay, monkeypatch):
    def thread(i):
        return {
            "id": f"t{i}",
            "snippet": {
                "videoId": "v1",
                "totalReplyCount": 0,
                "topLevelComment": {
                    "id": f"c{i}",
                    "snippet": {
                        "textOriginal": f"Fake giveaway {i}",
                        "authorDisplayName": "A",
                        "publishedAt": "2026-11-24T08:00:00Z",
                        "likeCount": i,
                    },
                },
            },
        }

    replay.routes["/commentThreads"] = [
        (200, {}, J({"items": [thread(1)], "nextPageToken": "NX"})),
        (200, {}, J({"items": [thread(2), {"id": "bad", "snippet": {}}]})),
    ]
    conn = YouTubeConnector("yt", video_id="v1", base_url=replay.base, client=client())
    monkeypatch.delenv("YOUTUBE_API_KEY", raising=False)
    assert "YOUTUBE_API_KEY" in run_source(ws.engine, conn).error
    monkeypatch.setenv("YOUTUBE_API_KEY", "k")
    report = run_source(ws.engine, conn)
    assert (report.new, report.quarantined) == (2, 1) and "pageToken=NX" in replay.seen[-1][0]
    assert _stored(ws)["c2"]["likes"] == 2


def test_gdelt_articles_and_timeline(ws, replay):
    replay.routes["/doc"] = [
        (
            200,
            {},
            lambda h: (
                200,
                {},
                J(
                    {
                        "timeline": [
                            {"series": "Volume Intensity", "data": [{"date": "20261124T000000Z", "value": 12.5}]}
                        ]
                    }
                    if "Timeline" in h.path
                    else {
                        "articles": [
                            {
                                "url": "https://berita.id/a",
                                "title": "Penipuan iklan investasi",
                                "seendate": "20261124T081500Z",
                                "domain": "berita.id",
                                "language": "Indonesian",
                                "sourcecountry": "Indonesia",
                            },
                            {"url": "https://x", "seendate": "bad"},
                        ]
                    }
                ),
            ),
        )
    ]
    conn = GdeltConnector("gdelt", query="penipuan sourcecountry:ID", base_url=replay.base, client=client())
    report = run_source(ws.engine, conn)
    assert (report.new, report.quarantined) == (1, 1)
    assert _stored(ws)["https://berita.id/a"]["market_hint"] == "ID"
    assert conn.timeline()[0][1] == 12.5


def test_bluesky_and_mastodon(ws, replay):
    replay.routes["/xrpc/app.bsky.feed.searchPosts"] = [
        (
            200,
            {},
            J(
                {
                    "posts": [
                        {
                            "uri": "at://did:plc:x/app.bsky.feed.post/3k1",
                            "author": {"handle": "a.bsky.social"},
                            "likeCount": 4,
                            "record": {
                                "text": "deepfake ad of a minister",
                                "createdAt": "2026-11-24T08:00:00.000Z",
                                "langs": ["en"],
                            },
                        }
                    ]
                }
            ),
        )
    ]
    report = run_source(
        ws.engine, BlueskyConnector("bsky", query="deepfake", base_url=replay.base + "/xrpc", client=client())
    )
    assert report.new == 1
    statuses = [
        {
            "id": "120",
            "created_at": "2026-11-24T08:00:00.000Z",
            "content": "<p>Refund <b>never</b> came</p>",
            "url": "https://m.example/@a/120",
            "account": {"acct": "a"},
            "favourites_count": 1,
        },
        {"id": "119", "created_at": "2026-11-24T07:00:00.000Z", "content": ""},
    ]
    replay.routes["/api/v1/timelines/tag/refund"] = [(200, {}, J(statuses)), (200, {}, J([]))]
    masto = MastodonConnector("masto", hashtag="#refund", base_url=replay.base, client=client())
    first = run_source(ws.engine, masto)
    second = run_source(ws.engine, masto)
    assert (first.new, first.quarantined, second.new) == (1, 1, 0)
    assert "since_id=120" in replay.seen[-1][0]
    assert _stored(ws)["120"]["text"] == "Refund never came"


def test_platform_config_needs_its_target():
    with pytest.raises(ValueError, match="reddit needs 'query' or 'subreddit'"):
        parse_sources({"sources": [{"name": "r", "kind": "reddit"}]})
    (src,) = parse_sources(
        {"sources": [{"name": "m", "kind": "mastodon", "hashtag": "scam", "url": "https://mastodon.example"}]}
    )
    assert src.connector().base_url == "https://mastodon.example"


def test_drop_folder_imports_settled_files_and_moves_them(ws, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.csv").write_text("id,text,created_at\n1,iklan penipuan,2026-11-24T08:00:00Z\n2,,2026-11-24\n")
    (drop / "b.csv").write_text("foo,bar\n1,2\n")
    sizes: dict = {}
    assert scan_folder(ws, drop, settle=60, sizes=sizes) == {}  # first sight: wait until the size settles
    results = scan_folder(ws, drop, settle=0, sizes=sizes)
    assert results["a.csv"].new == 1 and results["a.csv"].quarantined == 1
    assert results["b.csv"].startswith("failed: no text column")
    assert (drop / "done" / "a.csv").exists() and (drop / "failed" / "b.csv.reason.txt").exists()
    assert _q(ws) == 1 and not list(drop.glob("*.csv"))
