"""Evidence every reader can read: offline English glosses, and machine translation through a local
LibreTranslate-compatible server (cached, marked, never for restricted posts, behind the outbound guard)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import insert, select

from monitio.enrich.runner import enrich_pending
from monitio.pipeline import Pipeline
from monitio.records import CategoryHit, Doc, Post
from monitio.reports.build import build_brief
from monitio.reports.markdown import render_markdown
from monitio.reports.period import resolve_scope
from monitio.store.repo import insert_posts
from monitio.store.schema import signals
from monitio.store.schema_briefs import translations

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)
THAI = "โฆษณาหลอกลวง โอนเงินแล้วไม่ได้ของ ติดต่อไลน์ @promo"
SECRET = "ข้อความลับจากแหล่งจำกัด"


class ThaiStage:
    name = "fake"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            d.lang, d.market, d.sentiment, d.sentiment_label = "th", "TH", -0.6, "negative"
            d.categories["scam_ads"] = CategoryHit("scam_ads", "scam_ads.th", ["โฆษณาหลอกลวง", "หลอกลวง"])
            d.indicators = {"messaging": ["line:@promo"], "returns": ["50%/month"]}


class Receiver:
    """A LibreTranslate-compatible /translate endpoint on 127.0.0.1 that records what it was sent."""

    def __init__(self):
        self.seen: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.seen.append(body)
                q = body["q"] if isinstance(body["q"], list) else [body["q"]]
                out = json.dumps({"translatedText": [f"EN[{t[:12]}]" for t in q]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def thai_ws(ws):
    batch = [
        Post.create(source="tiktok", source_id="1", text=THAI, published_at=T0, author="a"),
        Post.create(source="vendor-restricted", source_id="2", text=SECRET, published_at=T0, author="b"),
        Post.create(
            source="tiktok", source_id="3", text=SECRET + " 2", published_at=T0, author="c", raw={"restricted": True}
        ),
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
    enrich_pending(ws.engine, Pipeline([ThaiStage()]), batch_size=10)
    with ws.engine.begin() as conn:
        conn.execute(
            insert(signals).values(
                key="spike:scam_ads:TH", kind="spike", status="open", severity=8, score=0.9, confidence=0.9,
                window_start=T0, window_end=T0, observed=3, expected=0.5, markets=["TH"], categories=["scam_ads"],
                langs=["th"], why="Scam ads in Thailand", details={}, evidence=[1, 2, 3], first_seen=T0,
                last_seen=T0, persistence_hours=1, created_at=T0, updated_at=T0,
            )
        )  # fmt: skip
    return ws


def _brief(ws):
    return build_brief(ws, scope=resolve_scope(since="2026-11-20", until="2026-11-20"), now=T0 + timedelta(days=1))


def test_offline_gloss_says_what_matched_in_english(thai_ws):
    md = render_markdown(_brief(thai_ws))
    assert "*In English:* Matched Scam ads: 'โฆษณาหลอกลวง' \\(scam ad\\)" in md or (
        "*In English:* Matched Scam ads: 'โฆษณาหลอกลวง' (scam ad)" in md
    )
    assert "1 messaging handle" in md and "promised returns (50%/month)" in md and "tone negative" in md
    assert "Machine translation" not in md  # no service configured: nothing leaves the machine


def test_translations_are_marked_cached_and_skip_restricted_posts(thai_ws, receiver):
    s = thai_ws.settings
    s.translation_url, s.outbound_allow = receiver.url, ["127.0.0.1"]
    s.translation_restricted_sources = ["vendor-restricted"]
    md = render_markdown(_brief(thai_ws))
    assert "*Machine translation (LibreTranslate):* EN\\[" in md or "*Machine translation (LibreTranslate):* EN[" in md
    sent = [t for body in receiver.seen for t in body["q"]]
    assert sent == [THAI] and receiver.seen[0]["source"] == "th" and receiver.seen[0]["target"] == "en"
    assert all(SECRET not in t for t in sent)  # restricted by source and by the row's own flag
    _brief(thai_ws)
    assert len(receiver.seen) == 1  # the second brief read the cache
    with thai_ws.engine.connect() as conn:
        assert conn.execute(select(translations.c.backend, translations.c.source)).all() == [("LibreTranslate", "th")]


def test_the_outbound_guard_applies_to_translation(thai_ws, receiver):
    thai_ws.settings.translation_url, thai_ws.settings.outbound_allow = receiver.url, []
    md = render_markdown(_brief(thai_ws))  # the brief is still written, with glosses and without translations
    assert receiver.seen == [] and "Machine translation" not in md and "*In English:*" in md
