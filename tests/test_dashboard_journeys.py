"""Analyst journeys through the dashboard in real headless Chromium, on a workspace made by `monitio
demo` (real enrichment, detection and narratives over 14 markets), against a real `monitio serve`.

Checks what a person sees: filters that change the numbers and survive a reload from the URL, every
market visible at 1280 px, actions that land in the audit log, no raw dictionaries or internal ids in
any page's text, and an axe-core accessibility check of every page (no serious or critical findings).

Skips with the reason when Chromium, Playwright or axe-playwright-python is missing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser_support import CHROMIUM, chromium, serving

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
PASSWORD = "journey test password"
#: Text that must never reach a person: raw dicts, ISO stamps with a T, internal category/kind ids.
INTERNAL = re.compile(
    r"\{'|\{\"|'status':|\d{4}-\d\d-\d\dT\d\d:|\b(?:scam_ads|deepfake_impersonation|payments_refunds|"
    r"shop_affiliate_fraud|emerging_narrative|term_burst|sentiment_shift|_unknown|assignee_id)\b"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A 4,000-post demo workspace (14 days, every market), two people, and a running server.

    `MONITIO_JOURNEY_WORKSPACE=/path/to/a/copy` runs the same journeys on an existing demo workspace
    instead (e.g. a copy of one made by `monitio demo --posts 300000 --days 60`); the journeys add
    two users and act on its signals, so point it at a copy."""
    from monitio.auth.users import add_user, get_user
    from monitio.workspace import open_workspace

    given = os.environ.get("MONITIO_JOURNEY_WORKSPACE")
    ws_path = Path(given) if given else tmp_path_factory.mktemp("journeys") / "ws"
    if not given:
        subprocess.run(
            [sys.executable, "-m", "monitio.cli.main", "demo", "--posts", "4000", "--days", "14", "-w", str(ws_path)],
            check=True,
            capture_output=True,
            timeout=600,
        )
    ws = open_workspace(ws_path)
    with ws.engine.begin() as conn:
        for email, role in (("ana@example.org", "analyst"), ("root@example.org", "admin")):
            if get_user(conn, email=email) is None:
                add_user(conn, email, role, PASSWORD, team="Ads Integrity", actor="test")
    ws.engine.dispose()
    with serving(ws_path) as base:
        yield base, ws_path


@pytest.fixture(scope="module")
def browser():
    with chromium(playwright_api) as b:
        yield b


def _page(browser, base, email="ana@example.org", width=1280):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return context, page


def _heat_total(page) -> int:
    return sum(int(t) for t in page.locator("#heat-map tbody td:last-child a").all_inner_texts())


def test_overview_shows_every_market_and_filters_survive_a_reload(demo, browser):
    base, _ = demo
    context, page = _page(browser, base)
    rows = page.locator("#heat-map tbody th[scope=row]").all_inner_texts()
    assert len(rows) >= 14, rows  # every market of the demo, by name
    assert "Indonesia" in rows and "ID" not in rows
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280 + 1
    all_posts = _heat_total(page)
    # a cell is a link to exactly the posts it counts
    cell = page.locator("#heat-map tbody td.cell a").first
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_url(lambda url: "/search" in url)
    assert page.locator("#search-total").inner_text().endswith(f"of {count:,} posts") or (
        count == 0 and page.locator("#search-total").inner_text() == "0 posts"
    )
    # the filter bar: one market, last 24 hours
    page.goto(base + "/")
    page.locator("#filter-market summary").click()
    page.check("#filter-market input[value=ID]")
    page.check("input[name=range][value='24h']")
    page.click("#apply-filters")
    page.wait_for_url(lambda url: "market=ID" in url)
    query = parse_qs(urlparse(page.url).query)
    assert query["market"] == ["ID"] and query["range"] == ["24h"]
    filtered = _heat_total(page)
    assert 0 < filtered < all_posts
    assert "Last 24 hours" in page.locator("#filterbar").inner_text()
    page.reload()
    assert _heat_total(page) == filtered
    assert page.locator("#filter-market input[value=ID]").is_checked()
    # a colleague opening the link sees the same numbers
    other, colleague = _page(browser, base, "root@example.org")
    colleague.goto(page.url)
    assert _heat_total(colleague) == filtered
    other.close()
    context.close()


def test_signal_actions_write_the_audit_log(demo, browser):
    from sqlalchemy import select

    from monitio.store.schema_collab import audit_log
    from monitio.workspace import open_workspace

    base, ws_path = demo
    context, page = _page(browser, base)
    page.goto(base + "/signals?range=all")
    total = int(re.search(r"of (\d+)", page.locator("#signal-count").inner_text()).group(1))
    assert total >= 2
    page.locator("a.signal-link").first.click()
    signal_id = int(page.url.rsplit("/", 1)[1])
    page.click("#act-acknowledge")
    assert "Acknowledged by ana@example.org" in page.locator("main").inner_text()
    page.click("#act-dismiss")  # no reason: refused, nothing changes
    assert "needs a reason" in page.locator(".flash").inner_text()
    assert page.locator("#signal-status").inner_text() == "Open"
    page.fill("#dismiss-reason", "test campaign by our own QA team")
    page.click("#act-dismiss")
    assert page.locator("#signal-status").inner_text() == "Dismissed"
    history = page.locator("#signal-history").inner_text()
    assert "ana@example.org dismissed the signal: test campaign by our own QA team" in history
    page.click("#act-reopen")
    page.click("#act-escalate")
    page.wait_for_url(lambda url: "/cases/" in url)
    case_id = int(page.url.rsplit("/", 1)[1])
    # a second signal joins that case from its own page
    page.goto(base + "/signals?range=all")
    other = [a.get_attribute("href") for a in page.locator("a.signal-link").all()]
    other_id = next(int(h.rsplit("/", 1)[1]) for h in other if int(h.rsplit("/", 1)[1]) != signal_id)
    page.goto(f"{base}/signals/{other_id}")
    page.select_option("#link-case", str(case_id))
    page.click("#link-case-button")
    assert f"Case #{case_id}" in page.locator("#signal-cases").inner_text()
    page.goto(base + "/signals?range=all&status=all")
    assert page.locator(f"a.case-badge[href='/cases/{case_id}']").count() == 2
    ws = open_workspace(ws_path)
    with ws.engine.connect() as conn:
        done = conn.execute(
            select(audit_log.c.action, audit_log.c.entity_id).where(audit_log.c.actor == "ana@example.org")
        ).all()
    ws.engine.dispose()
    actions = {(a, e) for a, e in done}
    for action in ("signal.acknowledge", "signal.dismiss", "signal.reopen"):
        assert (action, str(signal_id)) in actions
    assert ("signal.link_case", str(other_id)) in actions
    context.close()


def test_signals_inbox_filters_sort_and_saved_views(demo, browser):
    base, _ = demo
    context, page = _page(browser, base)
    page.goto(base + "/signals?range=all&status=all&sort=size")
    sizes = [int(t) for t in page.locator("#signals-table tbody td.num").all_inner_texts()]
    assert sizes == sorted(sizes, reverse=True) and sizes
    owners = page.locator("#signals-table tbody tr td:nth-child(5)").all_inner_texts()
    assert any(o.strip() for o in owners)  # owner team from the taxonomy
    page.fill("#view-name", "Everything by size")
    page.click("#save-view")
    page.goto(base + "/signals")
    page.click("a.saved-view:text('Everything by size')")
    assert "sort=size" in page.url and "status=all" in page.url
    assert [int(t) for t in page.locator("#signals-table tbody td.num").all_inner_texts()] == sizes
    context.close()


def test_narratives_page_filters_and_sorts(demo, browser):
    base, _ = demo
    context, page = _page(browser, base)
    page.goto(base + "/narratives?sort=size")
    total = int(re.search(r"of (\d+)", page.locator("#narrative-count").inner_text()).group(1))
    sizes = [int(t) for t in page.locator("#narratives-table tbody td:nth-child(2)").all_inner_texts()]
    assert sizes == sorted(sizes, reverse=True)
    assert len(sizes) == min(total, 50)
    if total > 50:
        page.click("#next-page")
        assert "page=2" in page.url and "sort=size" in page.url
    page.goto(base + "/narratives?sort=size&lang=th")
    thai = page.locator("#narrative-count").inner_text()
    langs = page.locator("#narratives-table tbody td:nth-child(7)").all_inner_texts()
    assert all("Thai" in cell for cell in langs)
    assert thai != f"Narratives 1–{min(total, 50)} of {total}"
    context.close()


def test_no_page_shows_raw_dicts_or_internal_ids_and_axe_finds_nothing_serious(demo, browser):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")
    base, _ = demo
    context, page = _page(browser, base, "root@example.org")
    page.goto(base + "/signals?range=all&status=all")
    signal = page.locator("a.signal-link").first.get_attribute("href")
    page.goto(base + "/narratives")
    narrative = page.locator("a.narrative-link").first.get_attribute("href")
    page.goto(base + signal)
    page.click("#create-case")
    page.wait_for_url(lambda url: "/cases/" in url)
    case = urlparse(page.url).path
    paths = ["/", "/?range=24h", "/signals", signal, "/narratives", narrative, "/search?q=refund", "/cases", case]
    page.goto(base + "/search?q=refund")
    author = page.locator("a.author-link").first.get_attribute("href")
    paths += ["/settings", "/briefs", author]
    axe = axe_module.Axe()
    problems = []
    for path in paths:
        page.goto(base + path)
        text = page.locator("body").inner_text()
        leak = INTERNAL.search(text)
        if leak:
            problems.append(f"{path}: shows {text[max(0, leak.start() - 40) : leak.end() + 40]!r}")
        found = axe.run(page).response["violations"]
        serious = [v for v in found if v.get("impact") in ("serious", "critical")]
        for v in serious:
            targets = [n["target"] for n in v["nodes"][:3]]
            problems.append(f"{path}: axe {v['id']} ({v['impact']}): {v['help']} at {targets}")
        if page.evaluate("document.documentElement.scrollWidth") > 1281:
            problems.append(f"{path}: wider than the 1280 px window")
    context.close()
    assert not problems, "\n".join(problems)
