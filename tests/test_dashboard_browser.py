"""The dashboard in real headless Chromium against a real `monitio serve` process.

Skips with the reason when Chromium (Debian's `chromium` package; `make test` installs it when run as
root) or Playwright is missing.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from tests.browser_support import CHROMIUM, chromium, serving

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

XSS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '"><svg onload="window.__xss=3">',
    "javascript:window.__xss=4",
    '<iframe src="javascript:window.parent.__xss=5"></iframe>',
    "</script><script>window.__xss=6</script>",
    "{{7*7}} ${7*7} <b onmouseover=window.__xss=7>hover</b>",
    '<a href="javascript:window.__xss=8">click</a>',
    "<style>body{display:none}</style>",
    '=HYPERLINK("http://evil.example","x")',
]
PASSWORD = "browser test password"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from monitio.auth.users import add_user
    from monitio.records import Post
    from monitio.store.repo import insert_posts
    from monitio.store.schema import posts, signals
    from monitio.workspace import init_workspace

    ws_path = tmp_path_factory.mktemp("web") / "ws"
    ws = init_workspace(ws_path)
    now = datetime.now(UTC).replace(microsecond=0)
    with ws.engine.begin() as conn:
        add_user(conn, "ana@example.org", "analyst", PASSWORD, team="Policy", actor="test")
        add_user(conn, "lee@example.org", "analyst", PASSWORD, team="Ads Ops", actor="test")
        insert_posts(
            conn,
            [
                Post.create(
                    source="xss",
                    source_id=str(i),
                    text=t,
                    published_at=now - timedelta(hours=i),
                    url="javascript:window.__xss=9" if i == 0 else "https://example.org/p",
                )
                for i, t in enumerate(XSS)
            ],
        )
        ids = [r[0] for r in conn.execute(posts.select().with_only_columns(posts.c.id)).all()]
        conn.execute(
            posts.update().values(
                market="ID",
                lang="en",
                categories="scam_ads",
                sentiment=-0.5,
                sentiment_label="negative",
                enriched_at=now,
            )
        )
        for sev, cat in ((9, "scam_ads"), (5, "payments_refunds")):
            conn.execute(
                insert(signals).values(
                    key=f"spike:cat={cat}",
                    kind="spike",
                    status="open",
                    severity=sev,
                    score=0.9,
                    confidence=0.99,
                    window_start=now - timedelta(hours=6),
                    window_end=now,
                    observed=120,
                    expected=20,
                    markets=["ID"],
                    categories=[cat],
                    langs=["en"],
                    why=f"{cat} rising in Indonesia <script>window.__xss=10</script>",
                    details={},
                    evidence=ids,
                    first_seen=now - timedelta(hours=6),
                    last_seen=now,
                    persistence_hours=6,
                    created_at=now,
                    updated_at=now,
                )
            )
    ws.engine.dispose()
    with serving(ws_path, tries=100) as base:
        yield base, ws_path


@pytest.fixture(scope="module")
def browser():
    with chromium(playwright_api) as b:
        yield b


def test_api_over_http_against_the_real_server(server):
    """Bearer-token API calls over a real socket: reads, a push ingest, and the error body."""
    import json

    from monitio.auth.users import create_token, get_user
    from monitio.workspace import open_workspace

    base, ws_path = server
    ws = open_workspace(ws_path)
    with ws.engine.begin() as conn:
        token, _ = create_token(conn, get_user(conn, email="ana@example.org"), "http-test", actor="test")
    ws.engine.dispose()

    def call(method, path, body=None, auth=True):
        req = urllib.request.Request(
            base + path,
            method=method,
            data=json.dumps(body).encode() if body else None,
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if auth else {})},
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                return res.status, json.loads(res.read() or b"null"), dict(res.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read()), dict(exc.headers)

    status, body, headers = call("GET", "/api/v1/signals")
    assert status == 200 and body["items"][0]["severity"] == 9
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    status, body, _ = call(
        "POST",
        "/api/v1/posts",
        {
            "source": "http",
            "items": [{"id": "h1", "text": "refund belum masuk", "published_at": "2026-11-20T10:00:00Z"}, {"id": "h2"}],
        },
    )
    assert status == 200 and (body["new"], body["quarantined"]) == (1, 1)
    status, body, _ = call("GET", "/api/v1/signals", auth=False)
    assert status == 401 and body["error"]["code"] == "unauthorized"
    spec = json.loads(urllib.request.urlopen(base + "/openapi.json", timeout=10).read())
    assert "/api/v1/cases/{case_id}" in spec["paths"]


def _login(page, base):
    page.goto(base + "/login")
    page.fill("#email", "ana@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_analyst_works_a_signal_into_a_resolved_case(server, browser, tmp_path):
    base, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _login(page, base)
    assert page.locator("table.heat").count() == 1 or "No enriched posts" in page.content()
    page.goto(base + "/signals")
    page.locator("a.signal-link").first.click()
    assert "Scam ads" in page.locator("h1").inner_text()  # readable names, not ids
    page.click("#create-case")
    page.wait_for_url(lambda url: "/cases/" in url)
    assert page.locator("#case-status").inner_text() == "new"
    page.select_option("#assignee-select", label="lee@example.org")
    page.select_option("#status-select", "triaging")
    page.click("#update-case")
    assert page.locator("#case-assignee").inner_text() == "lee@example.org"
    page.fill("#comment-body", "Escalating to Policy <b>now</b>")
    page.click("#add-comment")
    assert "Escalating to Policy <b>now</b>" in page.locator("main").inner_text()
    for status in ("investigating", "resolved"):
        page.select_option("#status-select", status)
        page.click("#update-case")
    assert page.locator("#case-status").inner_text() == "resolved"
    page.goto(base + "/briefs")
    page.click("#generate-brief")
    with page.expect_download() as info:
        page.locator("a.download-xlsx").first.click()
    saved = tmp_path / "brief.xlsx"
    info.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    shot = Path(os.environ.get("MONITIO_SCREENSHOTS", tmp_path)) / "case.png"
    page.goto(base + "/cases")
    page.screenshot(path=str(shot), full_page=True)
    assert not dialogs
    context.close()


def test_xss_payloads_in_posts_never_execute(server, browser):
    base, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _login(page, base)
    for path in ("/", "/signals", "/signals/1", "/search?q=window", "/search?q=script"):
        page.goto(base + path)
        page.mouse.move(300, 300)
        for link in page.locator("a[href^='javascript:']").all():
            pytest.fail(f"javascript: link rendered on {path}: {link.get_attribute('href')}")
        assert page.evaluate("window.__xss") is None, f"payload executed on {path}"
        assert page.locator("main script").count() <= 1  # only the JSON data island on the overview
    shown = page.content().replace("<mark>", "").replace("</mark>", "")  # the query's terms are highlighted
    assert "<script>window.__xss = 1</script>" in shown.replace("&lt;", "<").replace("&gt;", ">")
    assert not dialogs
    context.close()


def test_pages_fit_a_laptop_screen(server, browser):
    base, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    _login(page, base)
    for path in ("/", "/signals", "/narratives", "/cases", "/settings"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280 + 1, f"{path} overflows horizontally ({width}px)"
    context.close()
