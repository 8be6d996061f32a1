"""The audit's findings through every face: over-limit queries are refused with a positioned error
(CLI, API, dashboard, alert rules, taxonomy files), costly-but-allowed queries finish, and a search
stops when its budget is spent or cancelled."""

from __future__ import annotations

import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import uvicorn
from fastapi import FastAPI, Request
from typer.testing import CliRunner

from monitio.api.routes_data import _disconnect_probe
from monitio.errors import TooCostly
from monitio.query import Budget
from monitio.records import Post
from monitio.services.search import search
from monitio.store.repo import insert_posts
from tests.api_helpers import PASSWORD, Api

NEAR_CHAIN_1500 = " NEAR/3 ".join(["scam"] * 1501)
NEAR_CHAIN_40 = " NEAR/1 ".join(["a"] * 41)  # 40 NEARs, 327 characters: over max_nears only
AUDIT_QUERY = "a NEAR/1000 a NEAR/1000 a NEAR/1000 a"


def _seed_long_posts(ws, n: int = 5) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    words = ["a", "scam", "refund", "b"]
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(
                    source="t",
                    source_id=f"p{i}",
                    text=" ".join(words[(i + k) % 4] if k % 2 else "a" for k in range(200)),
                    published_at=now - timedelta(hours=i),
                )
                for i in range(n)
            ],
        )


@pytest.fixture
def api(ws):
    return Api(ws)


def test_api_refuses_an_over_limit_query_with_its_position(api):
    res = api.call("analyst", "GET", "/api/v1/posts", params={"q": NEAR_CHAIN_40})
    assert res.status_code == 422
    err = res.json()["error"]
    pos = len(" NEAR/1 ".join(["a"] * 33)) + 1  # the 33rd NEAR
    assert err["code"] == "too_costly" and "max_nears" in err["message"] and f"col {pos + 1}:" in err["message"]
    bad = api.call("analyst", "GET", "/api/v1/posts", params={"q": "(scam"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"  # unchanged


def test_api_answers_the_audit_query_over_200_word_posts(api, ws):
    _seed_long_posts(ws)
    res = api.call("analyst", "GET", "/api/v1/posts", params={"q": AUDIT_QUERY})
    assert res.status_code == 200 and res.json()["total"] == 5


def test_search_stops_when_its_budget_is_cancelled_or_spent(ws):
    _seed_long_posts(ws)
    gone = Budget(cancelled=lambda: True)
    with pytest.raises(TooCostly) as caught:
        search(ws.engine, AUDIT_QUERY, budget=gone)
    assert caught.value.http_status == 422 and caught.value.kind == "too_costly" and "cancelled" in str(caught.value)
    with pytest.raises(TooCostly) as caught:
        search(ws.engine, AUDIT_QUERY, budget=Budget(max_steps=100, check_every=10))
    assert caught.value.kind == "too_costly" and "100 evaluation steps" in str(caught.value)
    assert search(ws.engine, AUDIT_QUERY, budget=Budget(max_steps=10**7)).total == 5


def test_api_refuses_an_alert_rule_over_the_limits(api):
    channel = api.call(
        "admin",
        "POST",
        "/api/v1/alerts/channels",
        json={"name": "c", "kind": "slack", "config": {"url": "https://h.example.org"}},
    )
    assert channel.status_code == 201, channel.text
    body = {"name": "costly", "channel_ids": [channel.json()["id"]], "query": NEAR_CHAIN_40}
    res = api.call("analyst", "POST", "/api/v1/alerts/rules", json=body)
    assert res.status_code == 422 and "max_nears" in res.json()["error"]["message"]
    assert [r["name"] for r in api.call("analyst", "GET", "/api/v1/alerts/rules").json()["items"]] == []
    ok = api.call("analyst", "POST", "/api/v1/alerts/rules", json={**body, "name": "fine", "query": AUDIT_QUERY})
    assert ok.status_code == 201


def test_dashboard_search_shows_the_limit_instead_of_failing(api):
    page = api.client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    api.client.post("/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": token})
    res = api.client.get("/search", params={"q": NEAR_CHAIN_1500})
    assert res.status_code == 200
    assert "max_chars" in res.text and "col 5001" in res.text


def test_alert_rule_add_refuses_an_over_limit_query(ws):
    from monitio.alerts.config import AlertConfigError, add_channel, add_rule

    with ws.engine.begin() as conn:
        ch = add_channel(conn, "c", "slack", {"url": "https://h.example.org"}, actor="test")
        with pytest.raises(AlertConfigError, match=r"col \d+: more than 32 NEAR/ONEAR operators \(limit max_nears\)"):
            add_rule(conn, "r", channel_ids=[ch], query=NEAR_CHAIN_40, actor="test")


def test_taxonomy_rule_over_the_limits_is_refused_with_a_caret():
    from monitio.taxonomy.loader import TaxonomyError, parse_taxonomy

    category = {"name": "X", "description": "d", "owner_team": "Policy", "default_severity": 5, "playbook": ["a"]}
    rules = [{"id": "x.ok", "lang": "en", "query": AUDIT_QUERY}, {"id": "x.big", "lang": "en", "query": NEAR_CHAIN_40}]
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy({"version": 2, "categories": {"x": {**category, "rules": rules}}}, "my.yaml")
    col = len(" NEAR/1 ".join(["a"] * 33)) + 2
    text = str(caught.value)
    assert text.startswith(f"my.yaml: category 'x', rule 2 (x.big): bad query, col {col}: more than 32 NEAR"), text
    assert "max_nears" in text and text.splitlines()[-1] == " " * (col + 3) + "^"


def test_cli_search_gives_one_line_for_the_1500_near_chain(tmp_path):
    from monitio.cli.main import app

    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", "--workspace", str(ws)]).exit_code == 0
    res = runner.invoke(app, ["search", NEAR_CHAIN_1500, "--workspace", str(ws)])
    assert res.exit_code == 2 and (res.exception is None or isinstance(res.exception, SystemExit))
    assert "Traceback" not in res.output and "max_chars" in res.output and "col 5001" in res.output


def test_cli_search_stops_at_its_time_budget(tmp_path, monkeypatch):
    from monitio.cli.main import app
    from monitio.workspace import open_workspace

    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", "--workspace", str(ws)]).exit_code == 0
    _seed_long_posts(open_workspace(ws), n=2)
    monkeypatch.setenv("MONITIO_SEARCH_TIMEOUT_SECONDS", "-1")  # already past: no timing involved
    res = runner.invoke(app, ["search", AUDIT_QUERY, "--workspace", str(ws)])
    assert res.exit_code == 2 and "budget" in res.output
    monkeypatch.setenv("MONITIO_SEARCH_TIMEOUT_SECONDS", "60")
    res = runner.invoke(app, ["search", AUDIT_QUERY, "--workspace", str(ws), "--json"])
    assert res.exit_code == 0 and len(__import__("json").loads(res.output)["items"]) == 2  # the DESIGN object


def test_a_stored_rule_over_the_limits_is_skipped_not_fatal(caplog):
    """A rule saved before the limits existed: the alert run goes on without it."""
    from monitio.alerts.config import Rule

    signal = {"severity": 9, "kind": "spike", "categories": [], "markets": [], "why": "a " * 50, "evidence": []}
    old = Rule(1, "old", True, [], [], [], 1, NEAR_CHAIN_40, [1], 60)
    assert old.matches(signal) is False
    assert "alert rule 1 (old) is skipped" in caplog.text and "max_nears" in caplog.text
    assert Rule(2, "fine", True, [], [], [], 1, AUDIT_QUERY, [1], 60).matches(signal) is True


def test_disconnect_probe_sees_a_real_client_go_away():
    """Under a real uvicorn server, the probe the search budget polls turns True once the client
    has closed its connection (and stays False while it waits)."""
    seen: list[bool] = []
    started = threading.Event()
    app = FastAPI()

    @app.get("/wait")
    def wait(request: Request):
        gone = _disconnect_probe(request)
        seen.append(gone())  # the client is still there
        started.set()
        for _ in range(200):  # up to ~20 s: an event to wait for, not a speed threshold
            if gone():
                seen.append(True)
                break
            time.sleep(0.1)
        return {}

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="error"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
        assert started.wait(10)
        client.close()
        for _ in range(250):
            if len(seen) == 2:
                break
            time.sleep(0.1)
        assert seen == [False, True]
    finally:
        server.should_exit = True
        thread.join(10)
