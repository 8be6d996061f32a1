"""`monitio reenrich`: stored posts enriched again give exactly the rollups of a first enrichment, and a
taxonomy change reaches old posts of the chosen hours only (SQLite and PostgreSQL)."""

import csv
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from typer.testing import CliRunner

from monitio.enrich.reenrich import hour_range, reenrich, reset_range
from monitio.ingest import ingest_file
from monitio.jobs import run_cycle
from monitio.store.schema import post_categories, posts, rollup_authors, rollups

T0 = datetime(2026, 3, 1, tzinfo=UTC)
TEXTS = [
    "This ad is a scam, they took my money and blocked me",
    "Great service, the refund arrived quickly, thank you",
    "Iklan investasi bodong, dijamin untung katanya, hubungi WA",
    "Watching the match tonight with friends",
    "The seller sent a fake blender and the platform ignores my refund",
    "Lucky draw winner! Claim your prize at bit.ly/xyz now",
]


def _corpus(path, n=240):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "published_at", "author", "likes"])
        for i in range(n):
            text = f"{TEXTS[i % len(TEXTS)]} #{i % 7}"
            when = T0 + timedelta(minutes=37 * i)
            w.writerow([f"p{i}", text, when.isoformat(), f"user{i % 23}", i % 5])
    return path


def _snapshot(engine):
    with engine.connect() as conn:
        r = sorted(tuple(row) for row in conn.execute(select(rollups)))
        a = sorted(tuple(row) for row in conn.execute(select(rollup_authors)))
        c = sorted((row.post_id, row.category, row.rule) for row in conn.execute(select(post_categories)))
        p = sorted(
            (row.id, row.lang, row.market, row.sentiment_label, row.categories, row.risk_score, row.dup_group)
            for row in conn.execute(select(posts))
        )
    return r, a, c, p


def test_reenrich_rebuilds_exactly_what_first_enrichment_wrote(ws, tmp_path):
    assert ingest_file(ws.engine, _corpus(tmp_path / "posts.csv"), source="t").new == 240
    assert run_cycle(ws)["enriched"] == 240
    first = _snapshot(ws.engine)
    assert first[0] and first[2], "the corpus should give rollups and categories"

    everything = reenrich(ws)
    assert everything == {"reset": 240, "enriched": 240, "from": None, "to": None}
    assert _snapshot(ws.engine) == first

    part = reenrich(ws, T0 + timedelta(hours=30, minutes=10), T0 + timedelta(hours=60, minutes=5))
    assert (
        part["from"] == (T0 + timedelta(hours=30)).isoformat() and part["to"] == (T0 + timedelta(hours=61)).isoformat()
    )
    assert 0 < part["reset"] == part["enriched"] < 240
    assert _snapshot(ws.engine) == first  # same pipeline, same results, no double counting


def test_a_taxonomy_change_reaches_the_chosen_hours_only(ws, tmp_path):
    ingest_file(ws.engine, _corpus(tmp_path / "posts.csv"), source="t")
    run_cycle(ws)
    tax = tmp_path / "ws" / "mine.yaml"
    tax.write_text(
        "version: 2\ncategories:\n  sports_chatter:\n    name: Sports chatter\n    description: test\n"
        "    owner_team: QA\n    default_severity: 2\n    playbook: [Look]\n    rules:\n"
        "      - id: sports.en\n        lang: en\n        query: 'match AND friends'\n",
        encoding="utf-8",
    )
    ws.settings = ws.settings.model_copy(update={"taxonomy": tax})
    since = T0 + timedelta(days=2)
    reenrich(ws, since, None)
    with ws.engine.connect() as conn:
        rows = conn.execute(select(posts.c.published_at, posts.c.text, posts.c.categories)).all()
        cat_rollup = sum(r.count for r in conn.execute(select(rollups).where(rollups.c.category == "sports_chatter")))
    sports = [r for r in rows if "match tonight" in r.text]
    after = [r for r in sports if r.published_at >= since]
    before = [r for r in sports if r.published_at < since]
    assert after and before
    assert all(r.categories == "sports_chatter" for r in after)
    assert all(r.categories is None for r in before)  # outside the range: untouched
    assert cat_rollup == len(after)
    scams_after = [r for r in rows if r.published_at >= since and "took my money" in r.text]
    assert scams_after and all(r.categories is None for r in scams_after)  # the old taxonomy is gone there


def test_reset_range_needs_whole_hours(ws):
    import pytest

    with ws.engine.begin() as conn, pytest.raises(ValueError, match="whole hours"):
        reset_range(conn, T0 + timedelta(minutes=5), None)
    assert hour_range(None, None) == (None, None)


def test_cli_asks_for_a_range_and_explains_bad_dates(tmp_path):
    from monitio.cli.main import app as cli
    from monitio.workspace import init_workspace

    ws = init_workspace(tmp_path / "cli-ws")
    runner = CliRunner()
    res = runner.invoke(cli, ["reenrich", "--workspace", str(ws.path)])
    assert res.exit_code == 2 and "--since" in res.output and "--all" in res.output
    res = runner.invoke(cli, ["reenrich", "--workspace", str(ws.path), "--since", "last tuesday"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output
    res = runner.invoke(
        cli, ["reenrich", "--workspace", str(ws.path), "--since", "2026-03-02", "--until", "2026-03-01"]
    )
    assert res.exit_code == 2 and "before" in res.output
    ingest_file(ws.engine, _corpus(tmp_path / "posts.csv", n=30), source="t")
    res = runner.invoke(cli, ["reenrich", "--workspace", str(ws.path), "--all", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"reset": 0, "enriched": 30, "from": None, "to": None}
