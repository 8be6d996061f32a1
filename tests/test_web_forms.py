"""Dashboard forms in-process: login with CSRF, settings forms, role checks, escaping."""

import re

import pytest

from tests.api_helpers import PASSWORD, Api, seed_signal


@pytest.fixture
def api(ws):
    return Api(ws)


def _login(api, email):
    page = api.client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    res = api.client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert res.status_code == 303 and res.headers["location"] == "/"
    home = api.client.get("/settings")
    return re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)


def test_login_form_needs_its_csrf_token(api):
    api.client.get("/login")
    res = api.client.post("/login", data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": "x"})
    assert res.status_code == 403


def test_admin_adds_a_channel_and_an_analyst_adds_a_rule(api):
    csrf = _login(api, "admin@example.org")
    res = api.client.post(
        "/settings/channels",
        data={"csrf_token": csrf, "name": "policy-slack", "kind": "slack", "url": "https://hooks.example.org/x"},
        follow_redirects=True,
    )
    assert "Channel policy-slack added" in res.text and "policy-slack" in res.text
    assert (
        api.client.post(
            "/settings/channels", data={"name": "x", "kind": "slack", "url": "https://h.example.org"}
        ).status_code
        == 403
    )  # no CSRF token
    api.client.post("/logout", data={"csrf_token": csrf})
    csrf = _login(api, "ana@example.org")
    res = api.client.post(
        "/settings/rules",
        data={
            "csrf_token": csrf,
            "name": "scams-id",
            "channel_id": "1",
            "category": "scam_ads",
            "market": "id",
            "min_severity": "7",
        },
        follow_redirects=True,
    )
    assert "Rule scams-id added" in res.text
    res = api.client.post(
        "/settings/channels",
        data={"csrf_token": csrf, "name": "mine", "kind": "slack", "url": "https://hooks.example.org/y"},
        follow_redirects=True,
    )
    assert "Only admins add alert channels" in res.text


def test_pages_need_a_session_and_escape_post_text(api, ws):
    assert api.client.get("/signals", follow_redirects=False).headers["location"] == "/login"
    seed_signal(ws)
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE posts SET text = '<script>alert(1)</script>'")
    _login(api, "ana@example.org")
    page = api.client.get("/signals/1").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_evidence_rows_show_why_each_post_matched_escaped(api, ws):
    """Post rows name the category and the matched terms (and indicators), escaped like the text."""
    seed_signal(ws)
    evidence = {"scam_ads": {"rule": "scam_ads.en", "terms": ["guaranteed profit", "<img src=x onerror=alert(1)>"]}}
    from sqlalchemy import update

    from monitio.store.schema import posts

    indicators = {"phone": ["+6281234567890"], "messaging": ["wa.me/6281234567890"]}
    with ws.engine.begin() as conn:
        conn.execute(update(posts).values(evidence=evidence, indicators=indicators))
    _login(api, "ana@example.org")
    page = api.client.get("/signals/1").text
    assert "Scam ads: <mark>guaranteed profit</mark>" in page  # the category's readable name
    assert "<img src=x" not in page and "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in page
    assert "Indicators: messaging, phone" in page
    # and the signal page lists each indicator with the number of evidence posts carrying it
    assert '+6281234567890</td><td class="num">' in page
