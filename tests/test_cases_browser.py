"""Case board filters and the case page in real headless Chromium against a real `monitio serve`.

Skips with the reason when Chromium or Playwright is missing (see tests/test_dashboard_browser.py).
"""

from __future__ import annotations

import re

import pytest

from tests.browser_support import CHROMIUM, serving
from tests.test_dashboard_browser import browser  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
PASSWORD = "browser test password"
WHEN = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d UTC$")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from monitio.auth.users import add_user
    from monitio.services import cases
    from monitio.workspace import init_workspace

    ws_path = tmp_path_factory.mktemp("cases") / "ws"
    ws = init_workspace(ws_path)
    with ws.engine.begin() as conn:
        ana = add_user(conn, "ana@example.org", "analyst", PASSWORD, team="Policy", actor="test")
        lee = add_user(conn, "lee@example.org", "analyst", PASSWORD, team="Legal", actor="test")
        add_user(conn, "root@example.org", "admin", PASSWORD, actor="test")
    new = cases.CaseRequest
    cases.create_case(ws, ana, new(title="Fake refund ads", severity=8, owner_team="Policy", categories=["scam_ads"]))
    cases.create_case(ws, ana, new(title="Takedown letter", severity=6, owner_team="Legal", assignee_id=lee.id))
    ws.engine.dispose()
    with serving(ws_path, tries=100) as base:
        yield base


def _login(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_board_filters_survive_a_reload_and_the_case_page_reads_well(server, browser):  # noqa: F811
    base = server
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _login(page, base, "ana@example.org")

    page.goto(base + "/cases")
    assert page.locator("a.case-card").count() == 2
    assert "lee@example.org" in page.locator("a.case-card", has_text="Takedown letter").inner_text()
    page.select_option("#filter-team", "Legal")
    page.click("#apply-filters")
    page.wait_for_url(lambda url: "team=Legal" in url)
    cards = page.locator("a.case-card").all_inner_texts()
    assert len(cards) == 1 and "Takedown letter" in cards[0]
    page.reload()
    assert page.locator("a.case-card").count() == 1 and page.input_value("#filter-team") == "Legal"
    page.select_option("#filter-team", "")
    page.select_option("#filter-assignee", "none")
    page.click("#apply-filters")
    page.wait_for_url(lambda url: "assignee=none" in url)
    cards = page.locator("a.case-card").all_inner_texts()
    assert len(cards) == 1 and "Fake refund ads" in cards[0] and "unassigned" in cards[0]

    page.locator("a.case-card").first.click()
    page.wait_for_url(lambda url: "/cases/" in url)
    page.select_option("#assignee-select", label="lee@example.org")
    page.select_option("#status-select", "triaging")
    page.click("#update-case")
    page.wait_for_selector("#case-timeline li >> nth=1")
    lines = page.locator("#case-timeline li").all_inner_texts()
    whens = page.locator("#case-timeline .when").all_inner_texts()
    assert all(WHEN.match(w) for w in whens), whens
    assert lines[-1].endswith(
        "ana@example.org moved the case from new to triage and assigned the case to lee@example.org"
    ), lines
    text = page.locator("main").inner_text()
    assert "{'" not in text and "assignee_id" not in text and "Scam ads" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 1281
    context.close()


def test_cases_and_the_taxonomy_editor_pass_axe_as_admin(server, browser):  # noqa: F811
    """No serious or critical axe-core finding on the filtered board, a case, and settings with the
    taxonomy editor showing a live test and then a placed error."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")
    base = server
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _login(page, base, "root@example.org")
    axe = axe_module.Axe()
    problems = []

    def check(what: str) -> None:
        for v in axe.run(page).response["violations"]:
            if v.get("impact") in ("serious", "critical"):
                problems.append(f"{what}: axe {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}")
        if page.evaluate("document.documentElement.scrollWidth") > 1281:
            problems.append(f"{what}: wider than the window")

    page.goto(base + "/cases?team=Policy&sla=ok")
    check("board")
    page.goto(base + "/cases/1")
    check("case")
    page.goto(base + "/settings?category=scam_ads")
    page.fill("#taxonomy-rules", "- id: scam_ads.t1\n  lang: en\n  query: 'refund NEAR/3 fake'\n")
    page.click("#taxonomy-test")
    page.wait_for_selector("#taxonomy-live")
    check("settings with a live test")
    page.fill("#taxonomy-rules", "- id: scam_ads.t1\n  lang: en\n  query: 'refund AND'\n")
    page.click("#taxonomy-save")
    page.wait_for_selector("#taxonomy-error")
    assert "AND needs a term after it" in page.locator("#taxonomy-error").inner_text()
    check("settings with an error")
    context.close()
    assert not problems, "\n".join(problems)
