"""The whole cycle (collect, enrich, narratives, detect, alert, brief) on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime

from monitio.detect.store import list_open_signals
from monitio.ingest import ingest_file
from monitio.jobs import run_cycle
from monitio.reports.build import build_brief
from monitio.reports.write import write_brief


def test_full_cycle_on_each_backend(ws, tmp_path):
    from monitio.demo.corpus import generate_demo

    corpus = tmp_path / "small.csv"
    manifest = generate_demo(corpus, n_posts=8000, days=14, end=datetime(2026, 11, 20, 12, tzinfo=UTC), seed=3)
    assert ingest_file(ws.engine, corpus, source="demo").new == 8000
    result = run_cycle(ws)
    assert result["enriched"] == 8000 and result["narrated"] > 100 and result["series"] > 20
    signals = list_open_signals(ws.engine, limit=10)
    assert signals, "the planted events should give at least one signal"
    planted = {e.category for e in manifest.events}
    assert {c for s in signals[:4] for c in s["categories"]} & planted
    again = run_cycle(ws)
    assert again["enriched"] == 0 and again["narrated"] == 0 and again["new"] == 0
    paths = write_brief(build_brief(ws, top=5), tmp_path / "brief")
    assert paths["xlsx"].stat().st_size > 5000
