"""Briefs for a period and scope: figures equal the store, files are named and kept, PDF renders every script."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from monitio.enrich.runner import enrich_pending
from monitio.errors import Invalid
from monitio.pipeline import Pipeline
from monitio.records import CategoryHit, Doc, Post
from monitio.reports.build import build_brief
from monitio.reports.model import Brief, EvidencePost
from monitio.reports.period import MAX_DAYS, resolve_scope
from monitio.reports.summary import MIN_CHANGE
from monitio.services.briefs import list_briefs, make_brief
from monitio.store.repo import insert_posts
from monitio.store.schema import post_categories
from monitio.store.schema_collab import cases

# Wednesday 2026-11-11 10:00 UTC: the last complete week is 2026-W45 (Nov 2-8), the one before W44.
NOW = datetime(2026, 11, 11, 10, 0, tzinfo=UTC)
WEEK = datetime(2026, 11, 2, tzinfo=UTC)
PREV = WEEK - timedelta(days=7)


class FakeStage:
    """Deterministic enrichment: market from the text, categories from keywords."""

    name = "fake"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            t = d.post.text
            d.lang = "id"
            d.market = "ID" if t.startswith("id") else "TH"
            d.sentiment_label = "negative" if "bad" in t else "neutral"
            d.sentiment = -0.5 if "bad" in t else 0.0
            d.risk_score = 0.8 if "scam" in t else 0.4
            if "scam" in t:
                d.categories["scam_ads"] = CategoryHit("scam_ads", "r1", ["scam"])
            if "refund" in t:
                d.categories["payments_refunds"] = CategoryHit("payments_refunds", "r2", ["refund"])


def _posts(start: datetime, market: str, word: str, n: int, bad: int, tag: str) -> list[Post]:
    return [
        Post.create(
            source="t",
            source_id=f"{tag}-{market}-{word}-{i}",
            text=f"{market.lower()} {word} {'bad' if i < bad else 'ok'} {i}",
            published_at=start + timedelta(hours=3 * i + 1),
            author=f"a{i}",
        )
        for i in range(n)
    ]


@pytest.fixture
def filled(ws):
    batch = (
        _posts(PREV, "ID", "scam", 4, 1, "p")  # ID scam: 4 -> 20 (+16)
        + _posts(WEEK, "ID", "scam", 20, 15, "w")
        + _posts(PREV, "TH", "refund", 12, 6, "p")  # TH refunds: 12 -> 5 (-7)
        + _posts(WEEK, "TH", "refund", 5, 5, "w")
        + _posts(PREV, "ID", "refund", 3, 0, "p")  # ID refunds: 3 -> 4 (+1: below MIN_CHANGE)
        + _posts(WEEK, "ID", "refund", 4, 0, "w")
        + _posts(WEEK + timedelta(days=7), "ID", "scam", 9, 0, "n")  # the current, incomplete week: outside
    )
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
    enrich_pending(ws.engine, Pipeline([FakeStage()]), batch_size=50)
    return ws


def _recount(ws, since, until, market, category) -> int:
    """The same figure, counted independently from the categorised posts."""
    with ws.engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(post_categories)
            .where(
                post_categories.c.market == market,
                post_categories.c.category == category,
                post_categories.c.published_at >= since,
                post_categories.c.published_at < until,
            )
        ).scalar_one()


def test_week_figures_equal_the_store(filled):
    scope = resolve_scope("week", now=NOW)
    assert (scope.since, scope.until) == (WEEK, WEEK + timedelta(days=7))
    brief = build_brief(filled, scope=scope, now=NOW)
    got = {(c.market, c.category): (c.now.count, c.before.count) for c in brief.comparison.changes}
    assert got == {("ID", "scam_ads"): (20, 4), ("TH", "payments_refunds"): (5, 12), ("ID", "payments_refunds"): (4, 3)}
    for (market, category), (now, before) in got.items():
        assert now == _recount(filled, scope.since, scope.until, market, category)
        assert before == _recount(filled, PREV, WEEK, market, category)
    first = brief.comparison.changes[0]
    assert (first.market, first.category, first.delta) == ("ID", "scam_ads", 16)
    assert first.now.negative_share == pytest.approx(15 / 20) and first.before.negative_share == pytest.approx(1 / 4)
    assert first.now.risk_score == pytest.approx(0.8)


def test_summary_states_only_supported_numbers(filled):
    brief = build_brief(filled, scope=resolve_scope("week", now=NOW), now=NOW)
    lines = [s.text for s in brief.summary]
    assert lines[0].startswith("Scam ads in Indonesia: 20 posts, up 16 from 4 the previous week (5.0x)")
    assert "negative share 75% (was 25%)" in lines[0]
    assert lines[1].startswith("Payments and refunds in Thailand: 5 posts, down 7 from 12 the previous week")
    # a change below MIN_CHANGE posts makes no headline
    assert len([t for t in lines if " in Indonesia: 4 posts" in t]) == 0 and MIN_CHANGE > 1
    assert lines[-1].startswith("0 signals opened")
    # every number in a headline is one of the store's figures for that cell
    for text in lines[:2]:
        numbers = {int(n.replace(",", "")) for n in re.findall(r"\b\d[\d,]*\b(?![.%x])", text.split(";")[0])}
        assert numbers <= {20, 16, 4, 5, 7, 12}


def test_scope_by_market_and_team(filled):
    only_th = build_brief(filled, scope=resolve_scope("week", now=NOW, markets=["th"]), now=NOW)
    assert {c.market for c in only_th.comparison.changes} == {"TH"}
    team = filled.settings  # the owner team of payments_refunds in the default taxonomy
    from monitio.taxonomy.loader import load_taxonomy

    owner = load_taxonomy(team.taxonomy).categories["payments_refunds"].owner_team
    by_team = build_brief(filled, scope=resolve_scope("week", now=NOW, team=owner), now=NOW)
    assert "payments_refunds" in {c.category for c in by_team.comparison.changes}
    assert "scam_ads" not in {c.category for c in by_team.comparison.changes} or (
        load_taxonomy(team.taxonomy).categories["scam_ads"].owner_team == owner
    )


def test_case_activity_counts(filled):
    t0 = WEEK + timedelta(days=1)
    common = dict(
        status="new",
        severity=7,
        categories=["scam_ads"],
        markets=["ID"],
        origin="manual",
        updated_at=t0,
        triaged_at=None,
        resolved_at=None,
    )
    with filled.engine.begin() as conn:
        conn.execute(
            insert(cases),
            [
                # opened this week, triaged after 2 h, resolved after 10 h, within its SLA
                dict(
                    common,
                    title="a",
                    owner_team="Policy",
                    created_at=t0,
                    sla_due_at=t0 + timedelta(hours=24),
                    triaged_at=t0 + timedelta(hours=2),
                    resolved_at=t0 + timedelta(hours=10),
                ),
                # opened this week, SLA due this week, never resolved: a breach
                dict(common, title="b", owner_team="Policy", created_at=t0, sla_due_at=t0 + timedelta(hours=4)),
                # opened the week before and breached its SLA then: counted there
                dict(
                    common,
                    title="c",
                    owner_team="Policy",
                    created_at=PREV + timedelta(days=1),
                    sla_due_at=PREV + timedelta(days=2),
                ),
            ],
        )
    a = build_brief(filled, scope=resolve_scope("week", now=NOW), now=NOW).comparison
    assert (a.activity.cases_opened, a.activity.cases_resolved, a.activity.sla_breaches) == (2, 1, 1)
    assert (a.activity.hours_to_triage, a.activity.hours_to_resolve) == (2.0, 10.0)
    assert (a.previous_activity.cases_opened, a.previous_activity.sla_breaches) == (1, 1)


def test_make_brief_names_keeps_and_lists_files(filled):
    rec = make_brief(filled, period="week", markets=["ID"], formats="md,html,xlsx", now=NOW, actor="ana@example.org")
    assert rec.stem == "2026-W45-ID"
    assert {p.split("/")[-1] for p in rec.files.values()} == {"2026-W45-ID.md", "2026-W45-ID.html", "2026-W45-ID.xlsx"}
    other = make_brief(filled, period="week", now=NOW, formats=["md"])
    again = make_brief(filled, period="week", markets=["ID"], formats="md", now=NOW)
    assert again.id == rec.id and set(again.files) == {"md", "html", "xlsx"}  # re-made: same row, files kept
    listed = list_briefs(filled)
    assert [r.stem for r in listed] == ["2026-W45-ID", "2026-W45"] and listed[1].id == other.id
    assert listed[0].scope["markets"] == ["ID"] and listed[0].created_by == "cli"  # the last maker
    md = (filled.path / "briefs" / "2026-W45-ID.md").read_text()
    assert "Scope:** Week 2026-W45" in md and "scam_ads" not in md  # readable names only


def test_make_brief_refuses_bad_input(filled):
    from monitio.errors import Invalid

    with pytest.raises(Invalid, match="period"):
        make_brief(filled, period="fortnight", now=NOW)
    with pytest.raises(Invalid, match="either --period or --since"):
        make_brief(filled, period="week", since="2026-11-01", now=NOW)
    with pytest.raises(Invalid, match="unknown category"):
        make_brief(filled, categories=["nope"], now=NOW)
    with pytest.raises(Invalid, match="format"):
        make_brief(filled, formats="md,docx", now=NOW)


def test_far_dates_and_long_windows_are_refused_not_crashes():
    """Found by schemathesis: `{"since": "1013-01-01"}` overflowed the calendar in the comparison."""
    for since, until, why in (
        ("1013-01-01", None, "starts before 1970"),
        ("2020-01-01", "9999-12-31", "runs off the calendar"),
        ("2020-01-01", "2026-01-01", f"longer than {MAX_DAYS} days"),
    ):
        with pytest.raises(Invalid, match=why):
            resolve_scope(since=since, until=until, now=NOW)
    three_years = resolve_scope(since="2023-12-01", until="2026-11-30", now=NOW)
    assert three_years.previous().until == three_years.since


@given(st.dates(), st.one_of(st.none(), st.dates()), st.booleans())
def test_any_since_until_gives_a_scope_and_its_previous_or_a_clear_error(since, until, as_datetime):
    text = (lambda d: f"{d.isoformat()}T00:00") if as_datetime else (lambda d: d.isoformat())
    try:
        scope = resolve_scope(since=text(since), until=None if until is None else text(until), now=NOW)
    except Invalid:
        return
    previous = scope.previous()
    assert previous.until == scope.since and scope.since < scope.until
    assert scope.describe() and previous.stem


def test_cli_brief_json_contract(filled):
    from monitio.cli.main import app

    result = CliRunner().invoke(
        app, ["brief", "--workspace", str(filled.path), "--since", "2026-11-02", "--until", "2026-11-08", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) >= {"files", "since", "until"}
    assert body["since"] == "2026-11-02T00:00:00+00:00" and body["until"] == "2026-11-09T00:00:00+00:00"
    assert set(body["files"]) == {"md", "html", "xlsx"}
    listed = CliRunner().invoke(app, ["briefs", "list", "--workspace", str(filled.path), "--json"])
    assert json.loads(listed.stdout)[0]["stem"] == "2026-11-02_2026-11-08"


def test_partial_last_day_is_drawn_partial(filled):
    now = WEEK + timedelta(days=7, hours=20)  # part-way through the day after the week
    brief = build_brief(filled, scope=resolve_scope(since="2026-11-03", now=now), now=now)
    from monitio.reports.html import trend_svg

    svg = trend_svg(brief)
    assert brief.partial_after == now and "partial" in svg and 'stroke-dasharray="4 3"' in svg
    from openpyxl import load_workbook

    from monitio.reports.xlsx import write_xlsx

    trends = load_workbook(write_xlsx(brief, filled.path / "p.xlsx"))["Trends"]
    assert "partial day (so far)" in [c.value for row in trends.iter_rows() for c in row]


# --- PDF ---------------------------------------------------------------------------------------------

SCRIPTS = {
    "th": "ร้านค้าไม่คืนเงินให้ฉันเลย",
    "zh": "退款还没有到账",
    "ja": "返金がまだ届いていません",
    "ko": "환불이 아직 안 됐어요",
    "hi": "मेरा रिफंड अभी तक नहीं आया",
    "bn": "আমার টাকা ফেরত পাইনি",
    "ta": "பணம் திரும்ப வரவில்லை",
    "te": "డబ్బు తిరిగి రాలేదు",
    "ur": "میرا ریفنڈ ابھی تک نہیں آیا",
    "my": "ငွေပြန်မရသေးပါ",
    "km": "ខ្ញុំមិនទាន់បានប្រាក់វិញទេ",
    "vi": "Tôi chưa nhận được tiền hoàn lại",
}


def _pdf_tools() -> str | None:
    from monitio.errors import Unavailable
    from monitio.reports.pdf import find_browser

    try:
        find_browser()
    except Unavailable:
        return "Chromium is not installed (apt-get install chromium)"
    for tool in ("pdftotext", "pdftoppm", "pdffonts", "fc-list"):
        if not shutil.which(tool):
            return f"{tool} is not installed (apt-get install poppler-utils fontconfig)"
    return None


@pytest.fixture(scope="module")
def script_pdf(tmp_path_factory):
    reason = _pdf_tools()
    if reason:
        pytest.skip(reason)
    from monitio.reports.pdf import write_pdf
    from tests.test_reports import _brief

    brief: Brief = _brief()
    brief.signals[0].evidence = [
        EvidencePost("t", lang, text, datetime(2026, 11, 20, tzinfo=UTC), None, None, "ID", lang, None, 0)
        for lang, text in SCRIPTS.items()
    ]
    path = tmp_path_factory.mktemp("pdf") / "brief.pdf"
    write_pdf(brief, path, evidence_per_signal=len(SCRIPTS))
    return path


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_pdf_text_holds_every_script_verbatim(script_pdf):
    text = re.sub(r"\s+", "", _run("pdftotext", str(script_pdf), "-"))
    missing = [lang for lang, sample in SCRIPTS.items() if re.sub(r"\s+", "", sample) not in text]
    assert missing == []
    assert "Page1of" in text.replace(" ", "")  # page numbers


def test_pdf_fonts_are_embedded_and_cover_every_character(script_pdf):
    rows = _run("pdffonts", str(script_pdf)).splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), rows  # the "emb" column
    for sample in SCRIPTS.values():
        for ch in set(sample) - {" "}:
            families = _run("fc-list", f":charset={ord(ch):x}", "family")
            assert families.strip(), f"no installed font covers {ch!r} (U+{ord(ch):04X}): install fonts-noto-core"


def test_pdf_pages_render_to_images(script_pdf, tmp_path):
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(script_pdf))).group(1))
    _run("pdftoppm", "-r", "30", "-png", str(script_pdf), str(tmp_path / "p"))
    images = sorted(tmp_path.glob("p-*.png"))
    assert pages >= 2 and len(images) == pages
    assert all(p.stat().st_size > 1000 for p in images)


def test_saved_search_scope_counts_only_matching_posts(filled):
    from monitio.services.saved_searches import add

    add(filled.engine, "id-scams", "scam market:ID", owner="ana@example.org")
    rec = make_brief(filled, period="week", saved_search="id-scams", formats="md", now=NOW)
    assert rec.stem == "2026-W45-id-scams" and rec.scope["query"] == "scam market:ID"
    brief = build_brief(filled, scope=resolve_scope("week", now=NOW, saved_search="id-scams", query="scam market:ID"))
    got = {(c.market, c.category): (c.now.count, c.before.count) for c in brief.comparison.changes}
    assert got == {("ID", "scam_ads"): (20, 4)}  # the refunds and Thailand drop out
    from monitio.errors import NotFound

    with pytest.raises(NotFound):
        make_brief(filled, period="week", saved_search="nope", now=NOW)
