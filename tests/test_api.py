"""REST API behaviour on both backends: auth, CSRF, tokens, push ingest, cases, audit."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.api_helpers import PASSWORD, Api, seed_signal


@pytest.fixture
def api(ws):
    return Api(ws)


def login(api, email="ana@example.org", password=PASSWORD):
    return api.client.post("/api/v1/auth/login", json={"email": email, "password": password})


def test_security_headers_and_error_body(api):
    res = api.client.get("/api/v1/signals")
    assert res.status_code == 401
    assert res.json()["error"]["code"] == "unauthorized"
    for header in ("content-security-policy", "x-content-type-options", "x-frame-options"):
        assert header in res.headers
    assert "frame-ancestors 'none'" in res.headers["content-security-policy"]
    assert "unsafe-inline" not in res.headers["content-security-policy"].split("script-src")[1].split(";")[0]


def test_login_sets_a_safe_cookie_and_csrf_guards_writes(api):
    res = login(api)
    assert res.status_code == 200
    cookie = res.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    csrf = res.json()["csrf_token"]
    assert api.client.get("/api/v1/me").json()["email"] == "ana@example.org"
    sig = seed_signal(api.ws)
    denied = api.client.post("/api/v1/cases", json={"signal_id": sig})
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "csrf"
    ok = api.client.post("/api/v1/cases", json={"signal_id": sig}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201


def test_no_user_enumeration_and_rate_limit(api):
    wrong_pw = login(api, password="not the password!")
    no_user = login(api, email="nobody@example.org", password="whatever123")
    assert wrong_pw.status_code == no_user.status_code == 401
    assert wrong_pw.json() == no_user.json()
    for _ in range(4):
        login(api, password="still wrong pw")
    blocked = login(api)  # even the right password waits once the limit is hit
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_tokens_are_hashed_revocable_and_service_can_only_ingest(api):
    with api.ws.engine.connect() as conn:
        stored = [r[0] for r in conn.execute(text("SELECT token_hash FROM api_tokens"))]
    assert api.tokens["admin"] not in stored and all(len(h) == 64 for h in stored)
    assert api.call("service", "GET", "/api/v1/signals").status_code == 403
    res = api.call("analyst", "POST", "/api/v1/tokens", json={"name": "mine", "days": 1})
    assert res.status_code == 201
    token_id, token = res.json()["id"], res.json()["token"]
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert api.call("analyst", "DELETE", f"/api/v1/tokens/{token_id}").status_code == 204
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_push_ingest_reports_row_errors_and_is_idempotent(api):
    body = {
        "source": "partner-tool",
        "items": [
            {"id": "1", "text": "Refund never came", "published_at": "2026-11-20T10:00:00+07:00", "market": "ID"},
            {"id": "2", "text": "", "published_at": "2026-11-20T10:00:00Z"},
            {"id": "3", "text": "ok", "published_at": "not a date"},
            {"id": "4", "text": "fine", "published_at": "2026-11-20T11:00:00Z", "likes": "12"},
        ],
    }
    first = api.call("service", "POST", "/api/v1/posts", json=body).json()
    assert (first["new"], first["quarantined"]) == (2, 2)
    assert [e["index"] for e in first["errors"]] == [1, 2]
    again = api.call("service", "POST", "/api/v1/posts", json=body).json()
    assert (again["new"], again["duplicate"]) == (0, 2)
    posts = api.call("analyst", "GET", "/api/v1/posts").json()
    assert posts["total"] == 2


def test_case_lifecycle_with_audit_trail(api):
    sig = seed_signal(api.ws)
    case = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": sig}).json()
    assert case["owner_team"] == "Ads Integrity"  # from the category's owner in the taxonomy
    cid = case["id"]
    assert api.call("analyst", "PATCH", f"/api/v1/cases/{cid}", json={"owner_team": "Policy"}).status_code == 200
    assert case["status"] == "new" and case["severity"] == 8
    assert {"kind": "signal", "ref_id": str(sig)} in [{k: x[k] for k in ("kind", "ref_id")} for x in case["links"]]
    bad = api.call("analyst", "PATCH", f"/api/v1/cases/{cid}", json={"status": "resolved"})
    assert bad.status_code == 409 and "cannot go from new to resolved" in bad.json()["error"]["message"]
    analyst_id = api.users["analyst"].id
    for change in (
        {"status": "triaging", "assignee_id": analyst_id},
        {"status": "investigating"},
        {"status": "escalated"},
        {"status": "mitigating"},
        {"status": "resolved"},
    ):
        res = api.call("analyst", "PATCH", f"/api/v1/cases/{cid}", json=change)
        assert res.status_code == 200, res.json()
    assert (
        api.call("stakeholder", "POST", f"/api/v1/cases/{cid}/comments", json={"body": "Policy agrees"}).status_code
        == 201
    )
    dec = api.call(
        "analyst",
        "POST",
        f"/api/v1/cases/{cid}/decision",
        json={"what": "Block advertiser", "why": "Deepfake of a public figure"},
    ).json()
    assert dec["decision"]["by"] == "ana@example.org"
    timeline = api.call("analyst", "GET", f"/api/v1/cases/{cid}/timeline").json()["items"]
    actions = [e["action"] for e in timeline]
    assert actions[0] == "case.create" and actions.count("case.update") == 6 and "case.comment" in actions
    moves = [e for e in timeline if e["action"] == "case.update" and "status" in (e["after"] or {})]
    assert moves[0]["before"]["status"] == "new" and moves[0]["after"]["status"] == "triaging"
    assert [m["after"]["status"] for m in moves] == ["triaging", "investigating", "escalated", "mitigating", "resolved"]
    metrics = api.call("analyst", "GET", "/api/v1/cases/metrics").json()
    group = next(g for g in metrics["groups"] if g["category"] == "scam_ads")
    assert group["median_hours_to_resolve"] is not None and group["median_hours_to_triage"] is not None


def test_merge_and_one_signal_in_several_cases(api):
    s1, s2 = seed_signal(api.ws), seed_signal(api.ws, categories=("payments_refunds",), severity=9)
    a = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": s1}).json()["id"]
    b = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": s2}).json()["id"]
    c = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": s1}).json()["id"]
    merged = api.call("analyst", "POST", f"/api/v1/cases/{a}/merge", json={"case_ids": [b]}).json()
    assert merged["severity"] == 9
    assert {x["ref_id"] for x in merged["links"] if x["kind"] == "signal"} == {str(s1), str(s2)}
    assert api.call("analyst", "GET", f"/api/v1/cases/{b}").json()["merged_into"] == a
    assert api.call("analyst", "GET", f"/api/v1/cases/{c}").json()["status"] == "new"


def test_stakeholders_see_only_their_team(api):
    sig = seed_signal(api.ws)
    cid = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": sig, "owner_team": "Policy"}).json()["id"]
    assert api.call("stakeholder", "GET", f"/api/v1/cases/{cid}").status_code == 200
    assert api.call("other_stakeholder", "GET", f"/api/v1/cases/{cid}").status_code == 404
    assert api.call("other_stakeholder", "GET", "/api/v1/cases").json()["total"] == 0
    assert api.call("stakeholder", "PATCH", f"/api/v1/cases/{cid}", json={"status": "triaging"}).status_code == 403


def test_sla_breach_is_reported(api):
    sig = seed_signal(api.ws, severity=10)
    cid = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": sig}).json()["id"]
    with api.ws.engine.begin() as conn:
        conn.execute(
            text("UPDATE cases SET sla_due_at = :t WHERE id = :i"),
            {"t": "2020-01-01 00:00:00" if api.ws.engine.dialect.name == "sqlite" else "2020-01-01T00:00Z", "i": cid},
        )
    res = api.call("analyst", "GET", "/api/v1/cases", params={"breached": "true"}).json()
    assert [c["id"] for c in res["items"]] == [cid] and res["items"][0]["sla_breached"]


def test_audit_log_is_append_only_even_in_sql(api):
    api.call("admin", "PATCH", f"/api/v1/users/{api.users['analyst'].id}", json={"team": "Legal"})
    entries = api.call("admin", "GET", "/api/v1/audit", params={"entity": "user"}).json()["items"]
    change = [e for e in entries if e["action"] == "user.update"][-1]
    assert change["actor"] == "admin@example.org" and change["before"] == {"team": "Policy"}
    assert change["after"] == {"team": "Legal"}
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), api.ws.engine.begin() as conn:
            conn.execute(text(statement))
    assert api.call("analyst", "GET", "/api/v1/audit").status_code == 403


def test_disabled_user_loses_access(api):
    assert (
        api.call("admin", "PATCH", f"/api/v1/users/{api.users['analyst'].id}", json={"disabled": True}).status_code
        == 200
    )
    assert api.call("analyst", "GET", "/api/v1/me").status_code == 401
    assert login(api).status_code == 401
