"""Bad ids and overflowing values answer a clear 4xx on every face (never a 500 or a traceback)."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from monitio.cli.main import app as cli
from monitio.store.schema import posts
from tests.api_helpers import PASSWORD, Api, seed_signal

runner = CliRunner()
BAD_IDS = ("99999999999999999999", "9223372036854775808", "-1", "0", "abc", "424242")


@pytest.fixture
def api(ws):
    return Api(ws)


def test_no_route_answers_5xx_for_a_bad_or_unknown_id(api):
    seed_signal(api.ws)
    client = TestClient(api.app, raise_server_exceptions=False, follow_redirects=False)
    csrf = client.post("/api/v1/auth/login", json={"email": "admin@example.org", "password": PASSWORD}).json()[
        "csrf_token"
    ]
    seen = 0
    for route in api.app.routes:
        path, methods = getattr(route, "path", ""), (getattr(route, "methods", None) or set()) - {"HEAD", "OPTIONS"}
        if "{" not in path:
            continue
        for value in BAD_IDS:
            url = re.sub(r"\{[^}]+\}", value, path)
            for method in methods:
                if path.startswith("/api/"):
                    kw = {"json": {}} if method in ("POST", "PATCH", "PUT") else {}
                    res = client.request(method, url, headers=api.headers("admin"), **kw)
                else:  # the dashboard, with the admin's session and CSRF token
                    kw = {"data": {"csrf_token": csrf}} if method == "POST" else {}
                    res = client.request(method, url, **kw)
                seen += 1
                assert res.status_code < 500, (method, url, res.status_code, res.text[:200])
                if value in ("99999999999999999999", "9223372036854775808", "424242") and method == "GET":
                    # the API says 404/422; a dashboard page may instead go back to its list with a message
                    ok = (404, 422) if path.startswith("/api/") else (303, 404, 422)
                    assert res.status_code in ok, (url, res.status_code)
    assert seen >= 50  # every route with an id, each bad value


def test_far_future_dates_are_a_query_not_a_crash(api, tmp_path):
    for q in ("date:9999-12-31", "date:2026-01-01..9999-12-31", "date:<=9999-12-31"):
        res = api.call("analyst", "GET", "/api/v1/posts", params={"q": q})
        assert res.status_code == 200 and res.json()["total"] >= 0, res.text
    res = api.call("analyst", "GET", "/api/v1/posts", params={"q": "date:>9999-12-31"})
    assert res.status_code in (400, 422) and "earlier day" in res.text
    ws = str(api.ws.settings.workspace)
    out = runner.invoke(cli, ["search", "date:9999-12-31", "--json", "--workspace", ws])
    assert out.exit_code == 0, out.output
    found = json.loads(out.output)
    assert (found.get("total") if isinstance(found, dict) else len(found)) == 0
    out = runner.invoke(cli, ["search", "date:>9999-12-31", "--workspace", ws])
    assert out.exit_code == 2 and "earlier day" in out.output


def test_category_filter_is_a_literal_not_a_like_pattern(api):
    seed_signal(api.ws)
    with api.ws.engine.begin() as conn:
        conn.execute(update(posts).values(categories="scam_ads,payments_refunds"))
    total = lambda cat: api.call("analyst", "GET", "/api/v1/posts", params={"category": cat}).json()["total"]  # noqa: E731
    assert total("scam_ads") == 2 and total("payments_refunds") == 2
    assert total("%") == 0 and total("_") == 0 and total("scam%") == 0 and total("scam_ad_") == 0


def test_case_with_an_unknown_assignee_is_422_and_new_cannot_close(api):
    sig = seed_signal(api.ws)
    res = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": sig, "assignee_id": 424242})
    assert res.status_code == 422 and "no user 424242" in res.json()["error"]["message"]
    case = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": sig}).json()
    res = api.call("analyst", "PATCH", f"/api/v1/cases/{case['id']}", json={"status": "closed"})
    assert res.status_code == 409
    for status in ("triaging", "closed"):
        assert api.call("analyst", "PATCH", f"/api/v1/cases/{case['id']}", json={"status": status}).status_code == 200
