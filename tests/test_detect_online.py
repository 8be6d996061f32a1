"""The online series detector and the `detect series` CSV contract."""

import csv
import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from monitio.cli.main import app
from monitio.detect.online import THRESHOLD, SeasonalDetector
from monitio.detect.series_csv import SeriesFileError, detect_series_file

T0 = datetime(2026, 1, 5)  # a Monday


def _run(values, step=timedelta(hours=1), det=None):
    det = det or SeasonalDetector()
    scores, alarms = [], []
    for i, v in enumerate(values):
        ts = T0 + i * step
        s = det.score_one(ts, float(v))
        scores.append(s)
        if det.is_anomaly(s):
            alarms.append(i)
        det.update(ts, float(v))
    return scores, alarms


def _seasonal(seed=0, weeks=6):
    rng = np.random.default_rng(seed)
    h = np.arange(24 * 7 * weeks)
    daily = 40 * np.sin((h % 24) / 24 * 2 * np.pi)
    weekend = np.where((h // 24) % 7 >= 5, -30, 0)
    return 100 + daily + weekend + rng.normal(0, 5, len(h))


def test_changing_future_rows_never_changes_earlier_scores():
    v = _seasonal()
    changed = v.copy()
    changed[500:] = changed[500:] * 3 + 50
    a, _ = _run(v)
    b, _ = _run(changed)
    assert a[:500] == b[:500]
    assert a[500:] != b[500:]


def test_planted_spike_is_flagged_and_daily_and_weekly_peaks_are_not():
    for seed in range(3):
        v = _seasonal(seed)
        v[900] += 60
        scores, alarms = _run(v)
        assert 900 in alarms and scores[900] >= THRESHOLD
        assert len([a for a in alarms if a != 900]) <= 1  # ordinary peaks and weekends stay quiet


def test_low_count_poisson_series_do_not_alarm_on_zero_to_two():
    for seed in range(5):
        c = np.random.default_rng(seed).poisson(0.05, 24 * 60).astype(float)
        c[1200] = 2
        _, alarms = _run(c)
        assert alarms == []


def test_a_new_level_stops_alarming_after_a_while():
    rng = np.random.default_rng(1)
    v = 100 + rng.normal(0, 5, 2000)
    v[1200:] += 60
    scores, alarms = _run(v, step=timedelta(minutes=5))
    assert alarms and alarms[0] in range(1200, 1210)
    assert max(scores[1400:]) < THRESHOLD


def test_a_slow_drift_to_levels_never_seen_alarms_on_rarity():
    """Each step of the drift is small next to the noise, so no residual channel fires; the values
    moving into a range never visited do (the residual-only detector missed these)."""
    for seed in range(2):
        rng = np.random.default_rng(seed)
        v = 50 + rng.normal(0, 1, 4000)
        v[3000:] += np.linspace(0, -12, 1000)
        det = SeasonalDetector()
        _, alarms = _run(v, step=timedelta(minutes=5), det=det)
        assert alarms and alarms[0] in range(3050, 3300), alarms
        _, without = _run(v, step=timedelta(minutes=5), det=SeasonalDetector(rarity_gain=0))
        assert without == []


def test_sampling_interval_is_read_from_the_data():
    det = SeasonalDetector()
    _run(np.ones(30), step=timedelta(minutes=5), det=det)
    assert det.step == 300 and len(det.day) == 288


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=1, max_size=300))
def test_scores_stay_within_0_and_1(values):
    scores, _ = _run(values)
    assert all(0.0 <= s <= 1.0 for s in scores)


def _write(path, rows, header=("timestamp", "value", "note")):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_csv_round_trip_keeps_extra_columns_and_accepts_zoned_and_nab_timestamps(tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    v = _seasonal(weeks=2)
    rows = []
    for i, x in enumerate(v):
        ts = datetime(2026, 3, 2, tzinfo=UTC) + timedelta(hours=i)
        text = ts.isoformat() if i % 2 else ts.strftime("%Y-%m-%d %H:%M:%S")
        rows.append([text, f"{x:.3f}", f"note {i}, with comma"])
    _write(src, rows)
    report = detect_series_file(src, dst)
    out = list(csv.DictReader(open(dst, newline="")))
    assert report.rows == len(out) == len(v) and report.skipped == 0
    assert list(out[0]) == ["timestamp", "value", "note", "anomaly_score", "is_anomaly"]
    assert [r["note"] for r in out] == [r[2] for r in rows]
    assert all(0 <= float(r["anomaly_score"]) <= 1 and r["is_anomaly"] in "01" for r in out)
    assert all(len(r["anomaly_score"].split(".")[1]) == 6 for r in out)


def test_unreadable_rows_are_kept_and_counted(tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    _write(src, [["2026-01-01 00:00:00", "1", "a"], ["yesterday-ish", "2", "b"], ["2026-01-01 02:00:00", "x", "c"]])
    report = detect_series_file(src, dst)
    assert (report.rows, report.skipped, report.first_skipped_row) == (3, 2, 2)
    assert [r["anomaly_score"] for r in csv.DictReader(open(dst))] == ["0.000000", "", ""]


def test_cli_summary_json_and_errors(tmp_path):
    runner = CliRunner()
    src = tmp_path / "in.csv"
    _write(src, [[f"2026-01-01 {h:02d}:00:00", h, ""] for h in range(24)])
    res = runner.invoke(app, ["detect", "series", "--input", str(src), "--output", str(tmp_path / "o.csv"), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["rows"] == 24
    res = runner.invoke(app, ["detect", "series", "--input", str(tmp_path / "nope.csv"), "--output", "o.csv"])
    assert res.exit_code == 2 and "no such file" in res.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("when,amount\n1,2\n")
    res = runner.invoke(app, ["detect", "series", "--input", str(bad), "--output", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "'timestamp' and 'value'" in res.stderr


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=20), min_size=0, max_size=4), max_size=25))
def test_reader_never_crashes_beyond_a_clear_error(tmp_path_factory, rows):
    d = tmp_path_factory.mktemp("fuzz")
    src = d / "in.csv"
    _write(src, rows, header=("timestamp", "value"))
    try:
        report = detect_series_file(src, d / "out.csv")
    except SeriesFileError as exc:
        assert str(exc)
        return
    assert report.skipped <= report.rows == len(rows) - sum(1 for r in rows if not r)  # csv drops empty lines


def test_binary_input_is_a_clear_error(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"timestamp,value\n\xff\xfe\x00garbage\n")
    with pytest.raises(SeriesFileError, match="UTF-8"):
        detect_series_file(src, tmp_path / "out.csv")


def test_a_count_surge_during_warm_up_alarms_once_and_quiet_counts_do_not():
    """A collection that starts hours before an event must not be blind for the warm-up."""
    rng = np.random.default_rng(5)
    t0 = datetime(2026, 3, 1)
    quiet = rng.poisson(4, 90).astype(float)
    surge = quiet.copy()
    surge[10:20] += np.array([60, 90, 120, 150, 140, 120, 100, 80, 60, 50])
    for values, expected in ((quiet, 0), (surge, 1)):
        det = SeasonalDetector()
        alarms = []
        for i, v in enumerate(values):
            ts = t0 + timedelta(hours=i)
            if det.is_anomaly(det.score_one(ts, float(v))):
                alarms.append(i)
            det.update(ts, float(v))
        assert len(alarms) == expected, alarms
        if expected:
            assert alarms[0] == 10
