"""Authorisation matrix: every role x every endpoint, allowed or denied, as documented."""

import pytest

from tests.api_helpers import Api, seed_signal

EVERYONE = {"admin", "analyst", "stakeholder", "service"}
READERS = {"admin", "analyst", "stakeholder"}
STAFF = {"admin", "analyst"}
ADMIN = {"admin"}
RULES = "- id: scam_ads.mine\n  lang: en\n  query: 'fake NEAR/3 ad'\n"

# (method, path, json body, roles allowed). {signal}, {case}, {user}, {token} are filled in per run.
MATRIX = [
    ("GET", "/api/v1/me", None, EVERYONE),
    ("GET", "/api/v1/health", None, EVERYONE | {None}),
    ("GET", "/api/v1/signals", None, READERS),
    ("GET", "/api/v1/signals/{signal}", None, READERS),
    ("PATCH", "/api/v1/signals/{signal}", {"status": "open"}, STAFF),
    ("POST", "/api/v1/signals/{signal}/actions", {"action": "acknowledge"}, STAFF),
    ("POST", "/api/v1/signals/{signal}/responses", {"lang": "en"}, STAFF),
    ("GET", "/api/v1/signals/{signal}/responses", None, READERS),
    ("GET", "/api/v1/posts", None, STAFF),
    ("GET", "/api/v1/posts/{post}/similar", None, STAFF),
    ("GET", "/api/v1/signals/{signal}/similar", None, READERS),
    (
        "POST",
        "/api/v1/posts",
        {"source": "t", "items": [{"id": "x", "text": "t", "published_at": "2026-11-01"}]},
        STAFF | {"service"},
    ),
    ("GET", "/api/v1/quarantine", None, STAFF),
    ("GET", "/api/v1/searches", None, STAFF),
    ("POST", "/api/v1/searches", {"name": "s-{role}", "query": "refund"}, STAFF),
    ("GET", "/api/v1/searches/{search}", None, STAFF),
    ("GET", "/api/v1/authors/{author}", None, STAFF),
    ("GET", "/api/v1/series", None, READERS),
    ("GET", "/api/v1/rollups", None, READERS),
    ("GET", "/api/v1/taxonomy", None, READERS),
    ("GET", "/api/v1/taxonomy/rules", None, READERS),
    ("GET", "/api/v1/taxonomy/versions", None, READERS),
    ("POST", "/api/v1/taxonomy/categories/{category}/test", {"rules": RULES}, ADMIN),
    ("POST", "/api/v1/taxonomy/categories/{category}/versions", {"rules": RULES}, ADMIN),
    ("GET", "/api/v1/cases", None, READERS),
    ("POST", "/api/v1/cases", {"title": "Manual case", "owner_team": "Policy"}, STAFF),
    ("GET", "/api/v1/cases/metrics", None, STAFF),
    ("GET", "/api/v1/cases/{case}", None, READERS),
    ("PATCH", "/api/v1/cases/{case}", {"severity": 6}, STAFF),
    ("GET", "/api/v1/cases/{case}/comments", None, READERS),
    ("POST", "/api/v1/cases/{case}/comments", {"body": "hello"}, READERS),
    ("POST", "/api/v1/cases/{case}/links", {"kind": "post", "ref_id": "1"}, STAFF),
    ("POST", "/api/v1/cases/{case}/decision", {"what": "w", "why": "y"}, STAFF),
    ("POST", "/api/v1/cases/{case}/merge", {"case_ids": ["{other_case}"]}, STAFF),
    ("GET", "/api/v1/cases/{case}/timeline", None, READERS),
    ("GET", "/api/v1/users", None, ADMIN),
    (
        "POST",
        "/api/v1/users",
        {"email": "new-{role}@example.org", "role": "analyst", "password": "0123456789ab"},
        ADMIN,
    ),
    ("PATCH", "/api/v1/users/{user}", {"name": "Renamed"}, ADMIN),
    ("GET", "/api/v1/tokens", None, EVERYONE),
    ("POST", "/api/v1/tokens", {"name": "x"}, READERS),
    ("DELETE", "/api/v1/tokens/{token}", None, ADMIN),
    ("GET", "/api/v1/audit", None, ADMIN),
    ("POST", "/api/v1/briefs", None, STAFF),
    ("GET", "/api/v1/briefs", None, READERS),
    ("GET", "/api/v1/alerts/channels", None, STAFF),
    (
        "POST",
        "/api/v1/alerts/channels",
        {"name": "c-{role}", "kind": "slack", "config": {"url": "https://hooks.example.org/x"}},
        ADMIN,
    ),
    ("GET", "/api/v1/alerts/rules", None, STAFF),
    ("POST", "/api/v1/alerts/rules", {"name": "r-{role}", "channel_ids": ["{channel}"]}, STAFF),
    ("GET", "/api/v1/alerts/outbox", None, STAFF),
    ("GET", "/api/v1/alerts/deliveries", None, STAFF),
    ("GET", "/api/v1/signals/{signal}/responses/1.md", None, READERS),
    ("DELETE", "/api/v1/searches/s-{role}", None, STAFF),
    ("GET", "/api/v1/narratives", None, READERS),
    ("GET", "/api/v1/narratives/{narrative}", None, READERS),
    ("POST", "/api/v1/narratives/{narrative}/case", None, STAFF),
    ("GET", "/api/v1/labels", None, STAFF),
    ("POST", "/api/v1/labels", {"post_id": "{post}", "category": "scam_ads", "value": True}, STAFF),
    ("POST", "/api/v1/auth/logout", None, EVERYONE),
]


def _fill(value, ids):
    if isinstance(value, str):
        if value in ("{other_case}", "{channel}", "{post}"):
            return int(ids[value[1:-1]])
        for key, v in ids.items():
            value = value.replace("{" + key + "}", str(v))
        return value
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _seed_narrative(ws) -> int:
    from monitio.detect.narratives import assign_pending

    with ws.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE posts SET categories = 'scam_ads'")
    assign_pending(ws.engine)
    with ws.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT min(id) FROM narratives").scalar()


@pytest.mark.parametrize("role", ["admin", "analyst", "stakeholder", "service", None])
def test_authorisation_matrix(ws, role):
    api = Api(ws)
    sig = seed_signal(ws)
    case = api.call("admin", "POST", "/api/v1/cases", json={"signal_id": sig, "owner_team": "Policy"}).json()["id"]
    token_id = api.call("admin", "POST", "/api/v1/tokens", json={"name": "victim"}).json()["id"]
    narrative = _seed_narrative(ws)
    assert api.call("admin", "POST", f"/api/v1/signals/{sig}/responses", json={"lang": "en"}).status_code == 201
    channel = api.call(
        "admin",
        "POST",
        "/api/v1/alerts/channels",
        json={"name": "base", "kind": "slack", "config": {"url": "https://hooks.example.org/b"}},
    ).json()["id"]
    api.call("admin", "POST", "/api/v1/searches", json={"name": "base", "query": "refund"})
    failures = []
    for method, path, body, allowed in MATRIX:
        other = api.call("admin", "POST", "/api/v1/cases", json={"title": "other", "owner_team": "Policy"}).json()
        ids = {
            "signal": sig,
            "case": case,
            "other_case": other["id"],
            "user": api.users["analyst"].id,
            "token": token_id,
            "channel": channel,
            "narrative": narrative,
            "post": 1,
            "search": "base",
            "author": "acct0",
            "category": "scam_ads",
            "role": role or "anon",
        }
        res = api.call(role, method, _fill(path, ids), json=_fill(body, ids))
        ok = res.status_code < 400
        expected = role in allowed
        # Denied means 401/403, or 404 where the resource is someone else's and is not revealed.
        if ok != expected or (not ok and res.status_code not in (401, 403, 404)):
            failures.append(f"{role} {method} {path}: {res.status_code} {res.text[:120]}")
    assert not failures, "\n".join(failures)


def test_matrix_covers_every_api_route(ws):
    api = Api(ws)
    schema = api.app.openapi()["paths"]
    routes = {(m.upper(), path) for path, ops in schema.items() if path.startswith("/api/v1") for m in ops}
    covered = {
        (
            m,
            p.replace("{signal}", "{signal_id}")
            .replace("{case}", "{case_id}")
            .replace("{user}", "{user_id}")
            .replace("{token}", "{token_id}")
            .replace("{narrative}", "{narrative_id}")
            .replace("{search}", "{name}")
            .replace("{post}", "{post_id}"),
        )
        for m, p, _, _ in MATRIX
    }
    covered |= {
        ("POST", "/api/v1/auth/login"),
        ("GET", "/api/v1/briefs/{brief_id}.{fmt}"),
        ("GET", "/api/v1/signals/{signal_id}/responses/{version}.{fmt}"),
        ("GET", "/api/v1/searches/{name}"),
        ("DELETE", "/api/v1/searches/{name}"),
        ("GET", "/api/v1/authors/{author}"),
    }
    assert routes - covered == set()
