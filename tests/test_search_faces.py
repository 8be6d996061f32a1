"""Every face goes through the one search service: the CLI, the API and the dashboard export give the
same total and the same first page for the same query, past the old 50,000-post scan cap; saved
searches and the author view work on each face."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from monitio.cli.main import app as cli
from monitio.records import Post
from monitio.store.repo import insert_posts
from tests.api_helpers import PASSWORD, Api

T0 = datetime(2026, 9, 1, tzinfo=UTC)
N = 52_000


def _big_workspace(ws) -> int:
    """N posts, one in 100 about a refund; the newest 50,000 hold fewer refunds than the whole."""
    rows = [
        Post.create(
            source="bulk",
            source_id=str(i),
            text=f"refund never came, order {i}" if i % 100 == 0 else f"nice weather today {i}",
            published_at=T0 + timedelta(minutes=i),
            author=f"user{i % 7}",
            likes=i % 5,
        )
        for i in range(N)
    ]
    with ws.engine.begin() as conn:
        for k in range(0, N, 5000):
            insert_posts(conn, rows[k : k + 5000])
    return N // 100


def _login(api, email):
    page = api.client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    api.client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    return re.search(r'name="csrf_token" value="([^"]+)"', api.client.get("/search").text).group(1)


@pytest.mark.slow
def test_cli_api_and_dashboard_export_agree_past_the_old_cap(ws):
    want = _big_workspace(ws)
    res = CliRunner().invoke(cli, ["search", "refund", "--workspace", str(ws.path), "--json", "--limit", "20"])
    assert res.exit_code == 0, res.output
    by_cli = json.loads(res.stdout)
    assert by_cli["total"] == want == 520  # the old API scanned the newest 50,000 posts only: 500

    api = Api(ws)
    by_api = api.call("analyst", "GET", "/api/v1/posts", params={"q": "refund", "limit": 20}).json()
    assert by_api["total"] == by_cli["total"]
    assert [i["id"] for i in by_api["items"]] == [i["id"] for i in by_cli["items"]]
    assert by_api["next_cursor"] == by_cli["next_cursor"] and by_api["facets"] == by_cli["facets"]
    assert sum(by_api["facets"]["day"].values()) == want

    _login(api, "ana@example.org")
    page = api.client.get("/search", params={"q": "refund"})
    assert "showing 1-50 of 520 posts" in page.text and "<mark>refund</mark>" in page.text
    nxt = re.search(r'href="(/search\?[^"]+)" id="next-page"', page.text).group(1).replace("&amp;", "&")
    assert "showing 51-100 of 520 posts" in api.client.get(nxt).text
    export = api.client.get("/search/export", params={"q": "refund", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == want
    assert [int(r["id"]) for r in rows[:20]] == [i["id"] for i in by_cli["items"]]
    assert rows[0]["author"] and rows[0]["published_at"].endswith("+00:00")


def test_saved_searches_on_every_face(ws):
    with ws.engine.begin() as conn:
        insert_posts(conn, [Post.create(source="s", source_id="1", text="refund scam", published_at=T0, author="b")])
    run = CliRunner().invoke
    assert run(cli, ["searches", "add", "refunds", "refund*", "--workspace", str(ws.path)]).exit_code == 0
    dup = run(cli, ["searches", "add", "refunds", "x", "--workspace", str(ws.path)])
    assert dup.exit_code == 2 and "exists" in dup.stderr
    bad = run(cli, ["searches", "add", "broken", "(refund", "--workspace", str(ws.path)])
    assert bad.exit_code == 2 and "missing closing parenthesis" in bad.stderr
    listed = json.loads(run(cli, ["searches", "list", "--workspace", str(ws.path), "--json"]).stdout)
    assert [(s["name"], s["query"]) for s in listed] == [("refunds", "refund*")]

    from monitio.services.saved_searches import resolve

    assert resolve(ws.engine, "refunds") == "refund*"
    api = Api(ws)
    made = api.call("analyst", "POST", "/api/v1/searches", json={"name": "scams", "query": "scam"})
    assert made.status_code == 201 and made.json()["owner"] == "ana@example.org"
    assert api.call("analyst", "POST", "/api/v1/searches", json={"name": "scams", "query": "x"}).status_code == 409
    assert api.call("analyst", "POST", "/api/v1/searches", json={"name": "z", "query": "(x"}).status_code == 400
    assert api.call("stakeholder", "GET", "/api/v1/searches").status_code == 403
    assert [s["name"] for s in api.call("analyst", "GET", "/api/v1/searches").json()] == ["refunds", "scams"]
    assert api.call("analyst", "DELETE", "/api/v1/searches/refunds").status_code == 403  # not the owner
    assert api.call("admin", "DELETE", "/api/v1/searches/refunds").status_code == 204
    assert api.call("analyst", "GET", "/api/v1/searches/refunds").status_code == 404

    csrf = _login(api, "ana@example.org")
    res = api.client.post("/search/save", data={"q": "refund NEAR/2 scam", "name": "near", "csrf_token": csrf})
    assert "Saved as near" in res.text and 'class="saved-search">near</a>' in res.text
    assert "showing 1-1 of 1 posts" in res.text
    assert run(cli, ["searches", "remove", "near", "--workspace", str(ws.path)]).exit_code == 0
    assert run(cli, ["searches", "remove", "near", "--workspace", str(ws.path)]).exit_code == 2


def test_author_view_in_api_and_dashboard(ws):
    posts = [
        Post.create(
            source="s",
            source_id=str(i),
            text=f"<b>call</b> +62 812 3456 7890 now {i}",
            published_at=T0 + timedelta(days=i),
            author="@Budi <x>",
            market_hint="ID",
        )
        for i in range(3)
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, posts)
    api = Api(ws)
    got = api.call("analyst", "GET", "/api/v1/authors/@Budi <x>", params={"limit": 2}).json()
    assert got["posts"] == 3 and got["markets"] == {"ID": 3}
    assert got["first_seen"].startswith("2026-09-01") and got["last_seen"].startswith("2026-09-03")
    assert [i["source_id"] for i in got["items"]] == ["2", "1"] and got["next_cursor"]
    assert api.call("analyst", "GET", "/api/v1/authors/nobody").status_code == 404
    _login(api, "ana@example.org")
    page = api.client.get("/search", params={"q": "call"})
    assert 'href="/authors/%40Budi%20%3Cx%3E"' in page.text and "&lt;b&gt;" in page.text
    author = api.client.get("/authors/%40Budi%20%3Cx%3E")
    assert author.status_code == 200 and "Author: @Budi &lt;x&gt;" in author.text and "<b>call" not in author.text


def test_case_from_query_links_every_match_or_states_the_cap(ws, monkeypatch):
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(source="s", source_id=str(i), text=f"refund late {i}", published_at=T0 + timedelta(hours=i))
                for i in range(3)
            ]
            + [Post.create(source="s", source_id="x", text="other", published_at=T0)],
        )
    api = Api(ws)
    made = api.call("analyst", "POST", "/api/v1/cases", json={"title": "Refunds", "query": "refund"}).json()
    assert sorted(link["ref_id"] for link in made["links"] if link["kind"] == "post") == ["1", "2", "3"]
    from monitio.services import cases as case_service

    monkeypatch.setattr(case_service, "QUERY_LINKS", 2)
    capped = api.call("analyst", "POST", "/api/v1/cases", json={"title": "Capped", "query": "refund"}).json()
    assert [link["ref_id"] for link in capped["links"] if link["kind"] == "post"] == ["3", "2"]  # the newest
    assert "Linked the newest 2 of 3 posts matching the query." in capped["description"]
    bad = api.call("analyst", "POST", "/api/v1/cases", json={"title": "Bad", "query": "(refund"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"
