"""`/api/docs` in real headless Chromium against a real `monitio serve`: Swagger UI from installed
assets renders the operations under the app's own CSP (no CDN, no inline script)."""

from __future__ import annotations

import urllib.request

import pytest

from tests.browser_support import CHROMIUM, serving

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("fastapi_offline", reason="fastapi-offline is not installed (pip install -e .)")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    from monitio.workspace import init_workspace

    ws_path = tmp_path_factory.mktemp("docs") / "ws"
    init_workspace(ws_path).engine.dispose()
    with serving(ws_path) as url:
        yield url


def test_docs_page_renders_operations_under_the_csp(base):
    html = urllib.request.urlopen(base + "/api/docs").read().decode()
    assert "cdn" not in html.lower() and "<script>" not in html  # only <script src=...> from this server
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            messages: list[str] = []
            outside: list[str] = []
            page.on("console", lambda m: messages.append(m.text))
            page.on(
                "request",
                lambda r: None if r.url.startswith(base) or r.url.startswith("data:") else outside.append(r.url),
            )
            response = page.goto(base + "/api/docs")
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_selector(".opblock", timeout=30_000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert len(paths) > 20 and any("/api/v1/signals" in p for p in paths), paths[:5]
            assert not [m for m in messages if "Content Security Policy" in m and "script" in m], messages
            assert outside == []  # nothing from a CDN or any other host
        finally:
            browser.close()
