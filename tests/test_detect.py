"""Detection: the many-series scan, the online series detector and its CSV contract."""

import csv
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from monitio.cli.main import app
from monitio.detect.online import SeasonalDetector
from monitio.detect.scan import scan_series
from monitio.detect.series_csv import SeriesFileError, detect_series_file

START = datetime(2026, 9, 1, tzinfo=UTC)  # a Tuesday, 00:00


def _rhythm(hours: int) -> np.ndarray:
    h = np.arange(hours)
    daily = 1 + 0.9 * np.sin((h % 24 - 6) / 24 * 2 * np.pi)
    weekend = np.where(((h // 24) + START.weekday()) % 7 >= 5, 1.5, 1.0)
    return daily * weekend


def test_quiet_seasonal_series_raise_nothing_and_planted_events_are_found():
    rng = np.random.default_rng(4)
    hours = 24 * 60
    base = _rhythm(hours)
    series = {f"quiet{i}": rng.poisson(rng.uniform(0.3, 8) * base).astype(float) for i in range(300)}
    spike = rng.poisson(4 * base).astype(float)
    spike[-10:] += rng.poisson(12, 10)
    buildup = rng.poisson(3 * base).astype(float)
    ramp = np.linspace(0, 1, 24 * 6) ** 2 * 6
    buildup[-24 * 6 :] += rng.poisson(ramp * base[-24 * 6 :])
    series.update({"spike": spike, "buildup": buildup})
    found = {f.key: f for f in scan_series(series, START, window_hours=168)}
    assert {"spike", "buildup"} <= set(found)
    assert len(set(found) - {"spike", "buildup"}) <= 2  # at most a couple of false discoveries among 300
    assert found["spike"].shape == "spike" and found["spike"].ratio > 2
    assert found["buildup"].window_end - found["buildup"].window_start >= timedelta(hours=48)


def test_weekly_peaks_are_not_anomalies():
    rng = np.random.default_rng(2)
    hours = 24 * 56
    series = {"weekly": rng.poisson(20 * _rhythm(hours)).astype(float)}
    assert scan_series(series, START) == []


def test_low_counts_do_not_alarm_on_small_bumps():
    rng = np.random.default_rng(3)
    v = rng.poisson(0.05, 24 * 40).astype(float)
    v[-3:] = [1, 1, 0]
    assert scan_series({"sparse": v}, START) == []


def test_hierarchy_finds_the_markets_an_event_spread_to():
    rng = np.random.default_rng(5)
    hours = 24 * 40
    markets = {f"cat=x|mkt={m}": rng.poisson(1.2 * _rhythm(hours)).astype(float) for m in "ABCDEFGHIJ"}
    markets["cat=x|mkt=A"][-72:] += rng.poisson(1.5, 72)
    markets["cat=x|mkt=B"][-48:] += rng.poisson(1.2, 48)
    total = sum(markets.values())
    series = {"cat=x": total, **markets}
    parents = {k: "cat=x" for k in markets}
    found = {f.key for f in scan_series(series, START, parents=parents)}
    assert {"cat=x|mkt=A", "cat=x|mkt=B"} <= found
    assert not found & {f"cat=x|mkt={m}" for m in "CDEFGHIJ"}


def _series_rows(n=800, spike_at=700):
    t0 = datetime(2026, 1, 1)
    rows = []
    for i in range(n):
        v = 50 + 10 * np.sin(i / 24 * 2 * np.pi) + (300 if i == spike_at else 0)
        rows.append((t0 + timedelta(hours=i), float(v)))
    return rows


def test_online_detector_has_no_look_ahead():
    rows = _series_rows()
    a, b = SeasonalDetector(), SeasonalDetector()
    first = []
    for ts, v in rows:
        first.append(a.score_one(ts, v))
        a.update(ts, v)
    changed = [(ts, v * (5 if i > 400 else 1)) for i, (ts, v) in enumerate(rows)]
    second = []
    for ts, v in changed:
        second.append(b.score_one(ts, v))
        b.update(ts, v)
    assert first[:401] == second[:401]


def test_series_csv_contract_keeps_columns_and_flags_the_spike(tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(src, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["timestamp", "value", "note"])
        for i, (ts, v) in enumerate(_series_rows()):
            w.writerow([ts.strftime("%Y-%m-%d %H:%M:%S"), v, f"n{i}"])
        w.writerow(["garbage", "x", "bad"])
    report = detect_series_file(src, dst)
    rows = list(csv.DictReader(open(dst)))
    assert report.rows == 801 and report.skipped == 1 and len(rows) == 801
    assert rows[0].keys() >= {"timestamp", "value", "note", "anomaly_score", "is_anomaly"}
    assert rows[700]["is_anomaly"] == "1" and float(rows[700]["anomaly_score"]) > 0.9
    scores = [float(r["anomaly_score"]) for r in rows[:-1]]
    assert all(0 <= s <= 1 for s in scores)
    assert sum(r["is_anomaly"] == "1" for r in rows) <= 3
    assert rows[-1]["anomaly_score"] == "" and rows[-1]["is_anomaly"] == "0"


def test_series_cli_errors(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "b.csv"
    bad.write_text("time,amount\n1,2\n")
    res = runner.invoke(app, ["detect", "series", "--input", str(bad), "--output", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "'timestamp' and 'value'" in res.stderr
    with pytest.raises(SeriesFileError):
        detect_series_file(tmp_path / "missing.csv", tmp_path / "o.csv")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=25), st.text(max_size=10)), max_size=30))
def test_series_reader_never_crashes_on_odd_rows(tmp_path_factory, rows):
    d = tmp_path_factory.mktemp("fuzz")
    src = d / "in.csv"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["timestamp", "value"])
        w.writerows(rows)
    report = detect_series_file(src, d / "out.csv")
    assert report.rows >= 0 and report.skipped <= report.rows


@pytest.mark.slow
def test_a_young_workspace_on_a_real_quiet_background_raises_no_volume_signals(tmp_path, shared_data):
    """18 days of real multilingual posts with a 35-day look-back: the empty days before the first post
    must not count as history (they lowered the baseline and raised false level shifts)."""
    from sqlalchemy import select

    from benchmarks.planted_events import _store, background_posts
    from monitio.detect.signals import detect_signals
    from monitio.store.schema import signals
    from monitio.workspace import init_workspace

    ws = init_workspace(tmp_path / "w")
    start = datetime(2026, 10, 1, tzinfo=UTC)
    _store(ws, background_posts(shared_data, start, seed=1))
    for day in (17, 18, 19):
        detect_signals(ws, now=start + timedelta(days=day, hours=9))
    with ws.engine.connect() as conn:
        found = [(k, m) for k, m in conn.execute(select(signals.c.kind, signals.c.markets))]
    assert not [f for f in found if f[0] in {"spike", "build-up", "level-shift", "volume"}], found
