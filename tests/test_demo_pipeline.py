"""The acceptance story: the demo's planted risks are the top signals of its brief."""

import json

import pytest
from typer.testing import CliRunner

from monitio.cli.main import app


@pytest.mark.slow
def test_demo_puts_the_planted_risks_at_the_top(tmp_path):
    from monitio.demo.run import run_demo
    from monitio.detect.store import list_open_signals
    from monitio.workspace import open_workspace

    result = run_demo(tmp_path / "demo", n_posts=50_000)
    planted = {e.category: set(e.markets) for e in result.manifest.events}
    ws = open_workspace(tmp_path / "demo")
    top = list_open_signals(ws.engine, limit=len(planted))
    found = {(s["categories"][0] if s["categories"] else None): set(s["markets"]) for s in top}
    assert set(found) == set(planted), (found, planted)
    for category, markets in planted.items():
        assert markets <= found[category] | {"_unknown"}, (category, found[category], markets)
    kinds = {s["categories"][0]: s["kind"] for s in top}
    assert kinds["scam_ads"] == "campaign"
    for s in top:
        assert s["evidence"] and all(e["source_id"].startswith("demo-") for e in s["evidence"])
        assert s["why"]
    brief = (tmp_path / "demo" / "brief.md").read_text(encoding="utf-8")
    positions = [brief.index(f"## {i}.") for i in range(1, len(planted) + 1)]
    assert positions == sorted(positions)
    assert result.paths["xlsx"].exists() and result.paths["html"].exists()
    # The machine contracts read the same workspace.
    runner = CliRunner()
    stats = json.loads(runner.invoke(app, ["stats", "--workspace", str(tmp_path / "demo"), "--json"]).stdout)
    assert stats["posts"] == 50_000 and stats["signals"] >= len(planted)
    sigs = json.loads(runner.invoke(app, ["signals", "--workspace", str(tmp_path / "demo"), "--json"]).stdout)
    assert [s["severity"] for s in sigs] == sorted((s["severity"] for s in sigs), reverse=True)
    for key in ("kind", "severity", "score", "why", "markets", "categories", "first_seen", "evidence"):
        assert key in sigs[0]
    for s in sigs:
        assert s["detected_at"] >= s["first_seen"] and s["delay_hours"] >= 0
        if s["kind"] in ("spike", "level-shift", "build-up", "volume"):
            assert s["curve"] and set(s["curve"][0]) >= {"t", "observed", "expected", "low", "high"}
            assert all(p["low"] <= p["high"] for p in s["curve"])
            assert s["curve"][-1]["t"] >= s["window_end"]
        if s["kind"] == "campaign" and not (s["details"]["risk"] or s["details"]["coordinated"]):
            assert s["severity"] <= 3, s["why"]  # benign repeats are context, not risk
