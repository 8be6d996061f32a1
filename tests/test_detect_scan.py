"""`scan_series`: spikes and build-ups among many quiet seasonal count series."""

from datetime import UTC, datetime, timedelta

import numpy as np

from monitio.detect.scan import Finding, scan_series

START = datetime(2026, 8, 3, tzinfo=UTC)  # a Monday, 00:00
HOURS = 24 * 42


def _rhythm(hours=HOURS):
    h = np.arange(hours)
    daily = 1 + 0.8 * np.sin((h % 24 - 8) / 24 * 2 * np.pi)
    weekly = np.where((h // 24) % 7 >= 5, 1.6, 1.0)
    return daily * weekly


def _corpus(seed=7):
    rng = np.random.default_rng(seed)
    base = _rhythm()
    series = {f"q{i}": rng.poisson(rng.uniform(0.2, 15) * base).astype(float) for i in range(300)}
    spike = rng.poisson(5 * base).astype(float)
    spike[-20:-14] += rng.poisson(20, 6)  # six hours, ended 14 hours ago
    build = rng.poisson(4 * base).astype(float)
    days = 5
    ramp = np.repeat(np.linspace(0.15, 1.2, days), 24)  # daily excess growing over five days
    build[-24 * days :] += rng.poisson(ramp * 4 * base[-24 * days :])
    series.update(spike=spike, build=build)
    return series


def test_finds_a_planted_spike_and_a_slow_build_up_with_few_false_positives():
    found = {f.key: f for f in scan_series(_corpus(), START, window_hours=168)}
    assert {"spike", "build"} <= set(found)
    assert len(set(found) - {"spike", "build"}) <= 3
    spike, build = found["spike"], found["build"]
    assert spike.shape == "spike" and spike.ratio > 2 and spike.window_end - spike.window_start <= timedelta(hours=24)
    assert build.window_end - build.window_start >= timedelta(hours=48)
    assert build.shape in {"build-up", "level-shift"}


def test_findings_are_well_formed():
    for f in scan_series(_corpus(), START, window_hours=168):
        assert isinstance(f, Finding)
        assert START <= f.window_start <= f.window_end < START + timedelta(hours=HOURS)
        assert f.observed > f.expected > 0 and f.ratio > 1
        assert 0 <= f.p_value <= 1 and 0 <= f.score <= 1 and 1 <= f.severity <= 10
        assert f.persistence_hours >= 1 and f.shape in {"spike", "build-up", "level-shift"}


def test_quiet_series_and_weekly_rhythm_raise_nothing():
    rng = np.random.default_rng(11)
    base = _rhythm()
    series = {f"w{i}": rng.poisson(rng.uniform(0.5, 40) * base).astype(float) for i in range(200)}
    assert len(scan_series(series, START)) <= 1


def test_sparse_series_do_not_fire_on_a_couple_of_posts():
    rng = np.random.default_rng(3)
    series = {f"s{i}": rng.poisson(0.03, HOURS).astype(float) for i in range(100)}
    series["s0"][-2:] = [2, 1]
    assert scan_series(series, START) == []


def test_bigger_deviations_are_more_severe():
    rng = np.random.default_rng(5)
    base = _rhythm()
    small, big = rng.poisson(5 * base).astype(float), rng.poisson(5 * base).astype(float)
    small[-6:] += 12
    big[-6:] += 60
    found = {f.key: f for f in scan_series({"small": small, "big": big}, START)}
    assert found["big"].severity > found["small"].severity


def test_familiar_cap_spares_a_rise_that_stayed_up():
    """No bigger than the recent bursts: context (severity <= 3), unless it lasted 4+ hours in a row."""
    from monitio.detect.scan import FAMILIAR_SEVERITY, PERSISTENT_HOURS, _familiar_cap

    assert _familiar_cap(8, ratio=2.5, record=3.0, persistence_hours=2) == FAMILIAR_SEVERITY
    assert _familiar_cap(8, ratio=2.5, record=3.0, persistence_hours=PERSISTENT_HOURS) == 8
    assert _familiar_cap(8, ratio=3.5, record=3.0, persistence_hours=1) == 8
    assert _familiar_cap(2, ratio=2.5, record=3.0, persistence_hours=1) == 2
