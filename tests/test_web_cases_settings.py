"""Cases and settings pages in-process (TestClient, logged-in session): the timeline in sentences, board
filters, safe settings defaults, and taxonomy editing (validation, live test, versions, audit)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from monitio.cli.main import app as cli
from monitio.errors import Forbidden
from monitio.records import Post
from monitio.services import case_board, taxonomy_edit
from monitio.services import cases as case_svc
from monitio.store.repo import insert_posts
from monitio.store.schema_collab import audit_log, cases
from monitio.store.schema_taxonomy import taxonomy_versions
from tests.api_helpers import PASSWORD, Api, seed_signal

WHEN = re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d UTC\b")


@pytest.fixture
def api(ws):
    return Api(ws)


def _login(api, email) -> str:
    page = api.client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    res = api.client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert res.status_code == 303
    return re.search(r'name="csrf_token" value="([^"]+)"', api.client.get("/settings").text).group(1)


def _text(html: str) -> str:
    """What a person reads on the page: the main element without tags, scripts or attribute values."""
    main = html[html.find("<main") : html.rfind("</main>")] if "<main" in html else html
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _timeline(html: str) -> list[str]:
    block = html[html.index('id="case-timeline"') :]
    block = block[: block.index("</ol>")]
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", li)).split()) for li in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


# --- cases -----------------------------------------------------------------------------------------


def test_case_timeline_reads_as_sentences(api, ws):
    sig = seed_signal(ws)
    csrf = _login(api, "ana@example.org")
    ana, admin = api.users["analyst"], api.users["admin"]
    cid = case_svc.create_case(ws, ana, case_svc.CaseRequest(signal_ids=[sig]))["id"]
    post = lambda path, **data: api.client.post(f"/cases/{cid}/{path}", data={"csrf_token": csrf, **data})  # noqa: E731
    post("update", assignee_id=str(admin.id), status="triaging")
    post("comment", body="Checked the <b>ads</b>")
    post("update", status="investigating")
    post("decision", what="Pull the ads", why="confirmed scam")
    other = case_svc.create_case(ws, ana, case_svc.CaseRequest(title="Same scam, other market", severity=9))["id"]
    case_svc.merge(ws, ana, cid, [other])

    html = api.client.get(f"/cases/{cid}").text
    lines = _timeline(html)
    said = [line.split(" UTC ", 1)[1] for line in lines]
    assert said[:2] == [
        f"ana@example.org created the case from signal {sig}",  # its "linked signal" folded in
        "ana@example.org linked 2 evidence posts",
    ]
    assert "ana@example.org moved the case from new to triage and assigned the case to admin@example.org" in said
    assert "ana@example.org commented: “Checked the <b>ads</b>”" in said
    assert "ana@example.org moved the case from triage to investigating" in said
    assert "ana@example.org recorded a decision: “Pull the ads” because “confirmed scam”" in said
    assert f"ana@example.org merged case #{other} into this case" in said
    assert "ana@example.org raised the severity from 8 to 9" in said
    assert all(WHEN.match(line) for line in lines)
    assert "&lt;b&gt;ads&lt;/b&gt;" in html and "<b>ads</b>" not in html  # escaped, not markup

    shown = _text(html)
    for raw in ("{'", "assignee_id", "→", "case.update", "None"):
        assert raw not in shown, raw
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", shown)  # no ISO timestamps, one format
    assert "Scam ads" in shown  # the category's name

    merged = _timeline(api.client.get(f"/cases/{other}").text)
    assert any(line.endswith(f"ana@example.org merged this case into case #{cid} (closed it)") for line in merged)

    items = api.call("analyst", "GET", f"/api/v1/cases/{cid}/timeline").json()["items"]
    assert all(i["summary"] and WHEN.fullmatch(i["when"]) for i in items)
    assert len([i for i in items if i["action"] == "case.link"]) == 3  # the API keeps every entry
    assert f"ana@example.org created the case from signal {sig}" == items[0]["summary"]


def _cards(html: str) -> set[int]:
    return {int(x) for x in re.findall(r'data-case="(\d+)"', html)}


def test_board_filters_change_the_cards_and_stay_in_the_url(api, ws):
    ana, admin = api.users["analyst"], api.users["admin"]
    make = lambda **kw: case_svc.create_case(ws, ana, case_svc.CaseRequest(**kw))["id"]  # noqa: E731
    a = make(title="Refund scam wave", severity=9, owner_team="Policy", assignee_id=admin.id)
    b = make(title="Ad review delays", severity=4, owner_team="Ads Ops", categories=["scam_ads"])
    c = make(title="Payment failures", severity=7, owner_team="Policy")
    now = datetime.now(UTC)
    with ws.engine.begin() as conn:
        conn.execute(update(cases).where(cases.c.id == a).values(sla_due_at=now - timedelta(hours=2)))
        conn.execute(update(cases).where(cases.c.id == c).values(sla_due_at=now + timedelta(hours=5)))
    _login(api, "ana@example.org")

    html = api.client.get("/cases").text
    assert _cards(html) == {a, b, c}
    assert "admin@example.org" in html and "unassigned" in html  # assignee on each card
    assert "Scam ads" in _text(html) and "scam_ads" not in _text(html)
    assert _cards(api.client.get("/cases?team=Policy").text) == {a, c}
    assert _cards(api.client.get(f"/cases?assignee={admin.id}").text) == {a}
    assert _cards(api.client.get("/cases?assignee=none").text) == {b, c}
    assert _cards(api.client.get("/cases?min_severity=7").text) == {a, c}
    assert _cards(api.client.get("/cases?sla=breached").text) == {a}
    assert _cards(api.client.get("/cases?sla=due_24h").text) == {c}
    assert _cards(api.client.get("/cases?sla=ok").text) == {b}
    page = api.client.get("/cases?team=Policy&min_severity=7&sla=due_24h").text
    assert _cards(page) == {c}
    assert '<option value="Policy" selected>' in page and '<option value="due_24h" selected>' in page
    assert "showing 1 of 3 cases" in _text(page)
    assert _cards(api.client.get("/cases?min_severity=abc&sla=bogus").text) == {a, b, c}  # ignored


def test_a_long_column_shows_its_most_urgent_cards_and_says_how_many_more(api, ws, monkeypatch):
    ana = api.users["analyst"]
    ids = [
        case_svc.create_case(ws, ana, case_svc.CaseRequest(title=f"case {n}", severity=n, owner_team="Policy"))["id"]
        for n in range(1, 6)
    ]
    monkeypatch.setattr(case_board, "COLUMN_CARDS", 2)
    b = case_board.board(ws, ana)
    assert b.counts["new"] == 5 and [c["id"] for c in b.columns["new"]] == [ids[4], ids[3]]  # most severe first
    _login(api, "ana@example.org")
    html = api.client.get("/cases").text
    assert _cards(html) == {ids[4], ids[3]}
    assert "new (5)" in _text(html) and "and 3 more" in _text(html) and "5 open" in _text(html)


def test_board_filter_is_applied_in_the_service():
    with pytest.raises(Exception, match="unknown SLA state"):
        case_board.BoardFilter(sla="late")


# --- settings --------------------------------------------------------------------------------------


def test_settings_defaults_are_safe_and_forms_say_what_they_need(api):
    csrf = _login(api, "admin@example.org")
    html = api.client.get("/settings").text
    role = html[html.index('id="new-user-role"') :]
    role = role[: role.index("</select>")]
    assert re.findall(r"<option selected>(\w+)</option>", role) == ["analyst"]
    # the rule form is there before any channel exists, and says first what it needs
    assert 'id="add-rule"' in html
    hint = html.index("Add a channel first")
    assert hint < html.index('id="add-rule"') and 'href="#add-channel"' in html and 'id="add-channel"' in html
    expiry = re.findall(r'<td class="token-expiry">([^<]*)</td>', html)
    assert expiry and all(WHEN.fullmatch(e) for e in expiry), expiry
    res = api.client.post("/settings/tokens", data={"csrf_token": csrf, "name": "laptop"})
    assert all(WHEN.fullmatch(e) for e in re.findall(r'<td class="token-expiry">([^<]*)</td>', res.text))
    assert not re.search(r"\d\d:\d\d:\d\d\.\d{6}", _text(res.text))
    api.client.post(
        "/settings/channels",
        data={"csrf_token": csrf, "name": "slack", "kind": "slack", "url": "https://hooks.example.org/x"},
    )
    assert "Add a channel first" not in api.client.get("/settings").text
    api.client.post(
        "/settings/rules",
        data={"csrf_token": csrf, "name": "scams", "channel_id": "1", "category": "scam_ads", "min_severity": "7"},
    )
    row = re.search(r"<tr><td>1</td><td>scams</td>.*?</tr>", api.client.get("/settings").text).group(0)
    assert "Scam ads" in row and "<td>slack</td>" in row and "scam_ads" not in row  # names, not ids


# --- taxonomy editing ------------------------------------------------------------------------------

RULES = """- id: scam_ads.t1
  lang: en
  query: 'zorbex NEAR/3 refund'
- id: scam_ads.t2
  lang: en
  query: 'quuxcoin'
"""


def _seed_posts(ws):
    now = datetime.now(UTC).replace(microsecond=0)
    texts = [
        (1, "<script>alert(1)</script> zorbex never sent the refund"),
        (2, "quuxcoin giveaway is fake"),
        (3, "zorbex quuxcoin refund please"),
        (4, "refund only, nothing else"),
        (20, "zorbex refund from long ago"),
        (30, "quuxcoin old news"),
    ]
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(source="t", source_id=f"p{i}", text=t, published_at=now - timedelta(days=d))
                for i, (d, t) in enumerate(texts)
            ],
        )
    return now


def _search_total(ws, query: str) -> int:
    res = CliRunner().invoke(cli, ["search", query, "--workspace", str(ws.path), "--json", "--limit", "5"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["total"]


def test_live_test_counts_are_what_search_finds_over_7_days(api, ws):
    now = _seed_posts(ws)
    csrf = _login(api, "admin@example.org")
    res = api.client.post("/settings/taxonomy/test", data={"csrf_token": csrf, "category": "scam_ads", "rules": RULES})
    assert res.status_code == 200, _text(res.text)[:500]
    day = (now - timedelta(days=7)).date().isoformat()  # the 20- and 30-day-old posts are outside either way
    counts = dict(re.findall(r'data-rule="([\w.]+)">(\d+)<', res.text))
    assert counts == {
        "scam_ads.t1": str(_search_total(ws, f"(zorbex NEAR/3 refund) date:>={day}")),
        "scam_ads.t2": str(_search_total(ws, f"quuxcoin date:>={day}")),
    }
    assert counts == {"scam_ads.t1": "2", "scam_ads.t2": "2"}
    assert re.search(r'id="live-matches">3<', res.text)
    assert len(re.findall(r'class="live-example"', res.text)) == 3
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in res.text and "<script>alert(1)" not in res.text
    with ws.engine.connect() as conn:
        assert conn.execute(select(taxonomy_versions)).first() is None  # a test saves nothing


def test_save_writes_version_2_with_actor_audit_and_enrichment_uses_it(api, ws):
    csrf = _login(api, "admin@example.org")
    res = api.client.post("/settings/taxonomy/save", data={"csrf_token": csrf, "category": "scam_ads", "rules": RULES})
    assert "taxonomy version 2" in res.text
    with ws.engine.connect() as conn:
        rows = conn.execute(select(taxonomy_versions)).all()
        audit = conn.execute(select(audit_log).where(audit_log.c.action == "taxonomy.edit")).all()
    assert [(r.version, r.category, r.actor) for r in rows] == [(2, "scam_ads", "admin@example.org")]
    assert "scam_ads.en_pair" in rows[0].rules_before and "zorbex" in rows[0].rules_after
    assert [(a.actor, a.entity, a.entity_id, a.after["version"]) for a in audit] == [
        ("admin@example.org", "taxonomy", "scam_ads", 2)
    ]
    page = api.client.get("/settings").text
    history = page[page.index('id="taxonomy-versions"') :]
    assert "admin@example.org" in history and "Scam ads" in history
    assert "2 rules · version 2" in _text(page)
    # enrichment (what `monitio run` does) now finds the category with the edited rules only
    from monitio.services.jobs import enrich

    _seed_posts(ws)
    assert enrich(ws) == 6
    with ws.engine.connect() as conn:
        cats = dict(conn.exec_driver_sql("SELECT text, categories FROM posts").all())
    assert "scam_ads" in (cats["quuxcoin giveaway is fake"] or "")
    assert "scam_ads" not in (cats["refund only, nothing else"] or "")
    # a second save is version 3; saving the same rules again is refused
    again = api.client.post(
        "/settings/taxonomy/save", data={"csrf_token": csrf, "category": "scam_ads", "rules": RULES}
    )
    assert again.status_code == 422 and "nothing to save" in again.text
    tweak = RULES.replace("quuxcoin", "quuxcoins")
    api.client.post("/settings/taxonomy/save", data={"csrf_token": csrf, "category": "scam_ads", "rules": tweak})
    assert [v.version for v in taxonomy_edit.history(ws, None)] == [3, 2]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            RULES.replace("'quuxcoin'", "'quuxcoin AND'"),
            "line 6, column 20: rule scam_ads.t2: AND needs a term after it",
        ),
        ("- id: scam_ads.x\n  lang: en\n query: 'a'\n", "not valid YAML"),
        ("- id: deepfake.en\n  lang: en\n  query: 'x'\n", "duplicate rule id 'deepfake.en'"),
        ("- id: scam_ads.x\n  query: 'x'\n", "line 1, column 3: rule 1 (scam_ads.x): missing field 'lang'"),
        ("id: x", "expected a list of rules"),
    ],
)
def test_invalid_rules_are_refused_with_a_placed_message_and_nothing_saved(api, ws, rules, message):
    csrf = _login(api, "admin@example.org")
    for action in ("test", "save"):
        res = api.client.post(
            f"/settings/taxonomy/{action}", data={"csrf_token": csrf, "category": "scam_ads", "rules": rules}
        )
        assert res.status_code == 422
        error = _text(res.text[res.text.index('id="taxonomy-error"') :])
        assert message in error, error[:300]
        assert unescape(re.search(r'id="taxonomy-rules"[^>]*>(.*?)</textarea>', res.text, re.S).group(1)) == rules
    with ws.engine.connect() as conn:
        assert conn.execute(select(taxonomy_versions)).first() is None
        assert conn.execute(select(audit_log).where(audit_log.c.action == "taxonomy.edit")).first() is None


def test_only_admins_edit_the_taxonomy(api, ws):
    csrf = _login(api, "ana@example.org")
    page = api.client.get("/settings").text
    assert 'id="taxonomy-form"' not in page and "Scam ads" in page  # analysts read it
    res = api.client.post("/settings/taxonomy/save", data={"csrf_token": csrf, "category": "scam_ads", "rules": RULES})
    assert "Only admins edit the taxonomy" in res.text
    assert api.client.post("/settings/taxonomy/save", data={"category": "scam_ads", "rules": RULES}).status_code == 403
    with pytest.raises(Forbidden):
        taxonomy_edit.save(ws, api.users["analyst"], "scam_ads", RULES)
    with pytest.raises(Forbidden):
        taxonomy_edit.live_test(ws, api.users["stakeholder"], "scam_ads", RULES)
    with ws.engine.connect() as conn:
        assert conn.execute(select(taxonomy_versions)).first() is None


def test_taxonomy_api_tests_saves_and_lists_versions(api, ws):
    _seed_posts(ws)
    url = "/api/v1/taxonomy/categories/scam_ads"
    res = api.call("admin", "POST", f"{url}/test", json={"rules": RULES})
    assert res.status_code == 200
    body = res.json()
    assert body["matches"] == 3 and [r["matches"] for r in body["per_rule"]] == [2, 2]
    assert len(body["examples"]) == 3
    bad = api.call("admin", "POST", f"{url}/versions", json={"rules": RULES.replace("'quuxcoin'", "'(quuxcoin'")})
    assert bad.status_code == 422 and bad.json()["error"]["details"]["line"] == 6
    assert api.call("analyst", "POST", f"{url}/versions", json={"rules": RULES}).status_code == 403
    assert api.call("admin", "POST", "/api/v1/taxonomy/categories/nope/test", json={"rules": RULES}).status_code == 404
    saved = api.call("admin", "POST", f"{url}/versions", json={"rules": RULES})
    assert saved.status_code == 201 and saved.json()["version"] == 2 and saved.json()["actor"] == "admin@example.org"
    items = api.call("analyst", "GET", "/api/v1/taxonomy/versions").json()["items"]
    assert [(v["version"], v["category"]) for v in items] == [(2, "scam_ads")]
    rules = {c["id"]: c for c in api.call("analyst", "GET", "/api/v1/taxonomy/rules").json()["items"]}
    assert rules["scam_ads"]["version"] == 2 and "quuxcoin" in rules["scam_ads"]["text"]
    assert rules["deepfake_impersonation"]["version"] == 1
