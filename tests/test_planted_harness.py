"""The planted-event harness's own arithmetic: quiet false signals per 1,000 series-days, variants, bursts."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.planted_events import HORIZON, Outcome, burst_multipliers, quiet_figures, variant


def _quiet(signals: int, severe: int, series: int, vname: str = "after") -> Outcome:
    return Outcome("none", "quiet", 0.0, 0, False, None, 0, signals, 0.0, vname, False, None, severe, series)


def test_false_signals_per_thousand_quiet_series_days():
    outcomes = [_quiet(3, 1, 50), _quiet(1, 0, 50), _quiet(9, 9, 50, "before")]
    q = quiet_figures(outcomes, "after")
    days = HORIZON / 24
    assert q["series_days"] == 2 * 50 * days
    assert q["per_1000_series_days"] == round(1000 * 4 / (100 * days), 2)
    assert q["above_3_per_1000_series_days"] == round(1000 * 1 / (100 * days), 2)
    assert quiet_figures(outcomes, "none") == {}


def test_before_variant_lifts_both_caps_and_restores_them():
    import monitio.detect.scan as scan
    import monitio.detect.signals as sig

    caps = scan.FAMILIAR_SEVERITY, sig.CONTEXT_SEVERITY
    with variant("before"):
        assert scan.FAMILIAR_SEVERITY == sig.CONTEXT_SEVERITY == 10
    assert (scan.FAMILIAR_SEVERITY, sig.CONTEXT_SEVERITY) == caps == (3, 3)
    with variant("capped"):
        assert (scan.FAMILIAR_SEVERITY, sig.CONTEXT_SEVERITY) == caps and scan.PERSISTENT_HOURS > 10**6
    assert scan.PERSISTENT_HOURS == 4
    with variant("after"):
        assert (scan.FAMILIAR_SEVERITY, sig.CONTEXT_SEVERITY) == caps


def test_bursts_raise_the_volume_for_a_while_and_none_means_flat():
    assert burst_multipliers(random.Random(1), 100, 0.0) == [1.0] * 100
    mult = burst_multipliers(random.Random(1), 24 * 21, 2.0)
    assert min(mult) >= 1.0 and max(mult) > 1.5
    assert 0.05 < sum(m > 1.2 for m in mult) / len(mult) < 0.6
    assert mult == burst_multipliers(random.Random(1), 24 * 21, 2.0)
