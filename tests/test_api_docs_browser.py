"""`/api/docs` in real headless Chromium against a real `monitio serve`: Swagger UI from installed
assets renders the operations under the app's own CSP (no CDN, no inline script)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.test_dashboard_browser import CHROMIUM, _free_port

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("fastapi_offline", reason="fastapi-offline is not installed (pip install -e .)")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    from monitio.workspace import init_workspace

    ws_path = tmp_path_factory.mktemp("docs") / "ws"
    init_workspace(ws_path).engine.dispose()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitio.cli.main", "serve", "--port", str(port), "--insecure-cookies"],
        env={**os.environ, "MONITIO_WORKSPACE": str(ws_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/api/v1/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("monitio serve did not start: " + proc.stdout.read().decode()[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=10)


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
