"""Response packs: numbers from the store, no indicator lost, hostile text stays text, versions kept."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import insert, select
from typer.testing import CliRunner

from monitio.enrich.runner import enrich_pending
from monitio.pipeline import Pipeline
from monitio.records import CategoryHit, Doc, Post
from monitio.reports.respond import ENFORCEABLE, enforcement_list
from monitio.services.responses import draft_response, list_responses
from monitio.store.repo import insert_posts
from monitio.store.schema import signals
from monitio.store.schema_collab import audit_log, case_links, cases

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://evil","x")'


class IndicatorStage:
    """Scam posts with known indicators (and one hostile value) in market ID."""

    name = "fake"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            i = int(d.post.source_id)
            d.lang, d.market, d.sentiment_label = "id", "ID", "negative"
            d.categories["scam_ads"] = CategoryHit("scam_ads", "r1", ["scam"])
            d.indicators = {
                "phone": [f"+62812000{i % 3}"],
                "messaging": [f"telegram:@promo{i % 2}"],
                "link": [f"https://bit.ly/x{i}", "https://cuan-cepat.xyz/daftar"],
                "money": ["IDR 5000000"],
            }
            if i == 0:
                d.indicators["impersonation"] = ["Elon Musk"]
                d.indicators["wallet"] = [HOSTILE]


@pytest.fixture
def signal_ws(ws):
    batch = [
        Post.create(
            source="t",
            source_id=str(i),
            text=f"scam {i} <script>alert(1)</script>",
            published_at=T0 + timedelta(minutes=20 * i),
            author=f"acct{i % 4}" if i else "=cmd|' /C calc'!A0",
        )
        for i in range(9)
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
    enrich_pending(ws.engine, Pipeline([IndicatorStage()]), batch_size=20)
    now = T0 + timedelta(hours=6)
    with ws.engine.begin() as conn:
        sid = conn.execute(
            insert(signals)
            .values(
                key="spike:scam_ads:ID",
                kind="spike",
                status="open",
                severity=8,
                score=0.9,
                confidence=0.9,
                window_start=T0,
                window_end=T0 + timedelta(hours=2),
                observed=9,
                expected=1.5,
                markets=["ID"],
                categories=["scam_ads"],
                langs=["id"],
                why="Scam ads in Indonesia: 9 posts in 3 h",
                details={"negative_share": 1.0},
                evidence=[1, 2],
                first_seen=T0,
                last_seen=T0 + timedelta(hours=2),
                persistence_hours=3,
                created_at=now,
                updated_at=now,
            )
            .returning(signals.c.id)
        ).scalar_one()
    return ws, sid


def test_numbers_in_the_draft_are_the_store_figures(signal_ws):
    ws, sid = signal_ws
    rec = draft_response(ws, sid)
    note = rec.internal_note
    assert "9 posts in 3 h (6.0x the ~2 expected), about 3.0 posts per hour" in note or (
        "9 posts in 3 h (6.0x the ~1.5 expected), about 3.0 posts per hour" in note
    )
    assert "9 posts in the signal's window and scope from 5 accounts" in note
    assert "Query behind these figures: (category:scam_ads) (market:ID) date:2026-11-20..2026-11-20" in note
    assert "raised 6 h after it began" in note and "first seen 2026-11-20 08:00 UTC" in note
    assert rec.figures == {"observed": 9, "expected": 1.5, "posts": 9, "authors": 5}
    # every number in the figure lines is one the store gives (or derived from them)
    figure_line = next(line for line in note.splitlines() if line.startswith("How big"))
    numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", figure_line)}
    assert numbers <= {9.0, 3.0, 6.0, 1.5, 2.0, 5.0}


def test_enforcement_list_has_every_indicator_and_author(signal_ws):
    ws, sid = signal_ws
    rec = draft_response(ws, sid)
    got = {(e["kind"], e["value"]): e["posts"] for e in rec.enforcement}
    assert got[("phone", "+628120000")] == 3 and got[("messaging", "telegram:@promo1")] == 4
    assert got[("domain", "cuan-cepat.xyz")] == 9 and got[("domain", "bit.ly")] == 9
    assert all(("link", f"https://bit.ly/x{i}") in got for i in range(9))
    assert got[("impersonation", "Elon Musk")] == 1 and got[("wallet", HOSTILE)] == 1
    assert got[("author", "acct1")] == 2 and not any(k == "money" for k, _ in got)  # money is not a takedown target


def test_hostile_values_stay_text_in_the_exports(signal_ws):
    ws, sid = signal_ws
    rec = draft_response(ws, sid)
    rows = list(csv.reader(io.StringIO(open(rec.files["csv"], encoding="utf-8").read())))
    values = [r[1] for r in rows[1:]]
    assert "'" + HOSTILE in values and "'=cmd|' /C calc'!A0" in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)
    wb = load_workbook(rec.files["xlsx"])
    cells = [c.value for row in wb["Enforcement"].iter_rows() for c in row]
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "@"))) for v in cells)
    assert all(c.data_type != "f" for row in wb["Enforcement"].iter_rows() for c in row)


def test_versions_are_kept_and_attached_to_the_case(signal_ws):
    ws, sid = signal_ws
    now = datetime.now(UTC)
    with ws.engine.begin() as conn:
        case_id = conn.execute(
            insert(cases)
            .values(
                title="scam wave",
                status="new",
                severity=8,
                owner_team="Ads Integrity",
                categories=["scam_ads"],
                markets=["ID"],
                origin="signal",
                sla_due_at=now + timedelta(hours=4),
                created_at=now,
                updated_at=now,
            )
            .returning(cases.c.id)
        ).scalar_one()
        conn.execute(insert(case_links).values(case_id=case_id, kind="signal", ref_id=str(sid), created_at=now))
    first = draft_response(ws, sid, actor="ana@example.org")
    second = draft_response(ws, sid, lang="id", actor="budi@example.org")
    assert (first.version, second.version) == (1, 2) and first.case_id == second.case_id == case_id
    assert "sejak 2026-11-20" in second.statement and "Indonesia" in second.statement
    kept = list_responses(ws, sid)
    assert [(r.version, r.created_by) for r in kept] == [(2, "budi@example.org"), (1, "ana@example.org")]
    with ws.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action, audit_log.c.actor).where(audit_log.c.entity == "case")).all()
    assert ("response.draft", "budi@example.org") in actions and ("response.draft", "ana@example.org") in actions


def test_unknown_signal_and_language(signal_ws):
    from monitio.errors import Invalid, NotFound

    ws, sid = signal_ws
    with pytest.raises(NotFound):
        draft_response(ws, sid + 999)
    with pytest.raises(Invalid, match="language"):
        draft_response(ws, sid, lang="xx")


def test_cli_respond_json_contract(signal_ws):
    from monitio.cli.main import app

    ws, sid = signal_ws
    result = CliRunner().invoke(app, ["respond", str(sid), "--workspace", str(ws.path), "--json", "--lang", "th"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) >= {"statement", "internal_note", "enforcement", "files"}
    assert body["statement"].startswith("เราทราบ") and "ตั้งแต่ 2026-11-20" in body["statement"]
    assert {"kind": "domain", "value": "cuan-cepat.xyz", "posts": 9} in body["enforcement"]
    missing = CliRunner().invoke(app, ["respond", "99999", "--workspace", str(ws.path)])
    assert missing.exit_code == 2 and "no signal 99999" in missing.output


indicator_values = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 50),
            st.one_of(st.none(), indicator_values),
            st.dictionaries(
                st.sampled_from([k for k in ENFORCEABLE if k != "domain"]), st.lists(indicator_values, max_size=3)
            ),
        ),
        max_size=12,
    )
)
def test_no_indicator_goes_missing(posts):
    rows = enforcement_list(posts)
    got = {(r.kind, r.value) for r in rows}
    for post_id, author, indicators in posts:
        for kind, values in indicators.items():
            for v in values:
                assert (kind, v) in got
                row = next(r for r in rows if (r.kind, r.value) == (kind, v))
                assert row.posts >= 1 and (post_id in row.example_posts or len(row.example_posts) == 5)
        if author:
            assert ("author", author) in got
