"""Synthetic bursty social-volume series with planted events, scored like NAB.

    .venv/bin/python benchmarks/bursty_counts.py [--series 20] [--seed 7] [--budgets 0.5,1,2] [--misses]
        [--paired] [--json out.json]

A stand-in for mention volumes on a social network (the shape of NAB's tweet-count category, which
stays held out): per series, 5-minute counts over `DAYS` days drawn as

    count_t ~ NegBin(mean = L * D(t) * W(t) * drift_t * burst_t * event_t, size = R)

with parameters drawn per series (stated, seeded):

* level `L`: log-uniform 2-40 mentions per 5 minutes;
* daily rhythm `D`: 1 + A cos(2 pi (hour - peak) / 24), amplitude A uniform 0.3-0.8, peak hour uniform;
* weekly rhythm `W`: weekend days x uniform 0.55-0.9;
* drift: a multiplicative random walk, log step sd 0.03 per day (about +-25 % over two months);
* dispersion `R` (NB size per point): uniform 4-30 (over-dispersed: variance = mu + mu^2 / R);
* benign news bursts: Poisson arrivals, `BURSTS_PER_DAY` a day; peak multiplier 1 + 0.5 * (1 + Pareto(1.6))
  (heavy-tailed: most bursts raise the volume 1.5-3x, one in ~60 is 10x or more, capped at 40x);
  decay exponential with a time constant of 10-90 minutes;
* planted events (3 per series, after the first 15 %, 8+ days apart), one of:
  `spike`: peak x (16-41) decaying over 1-3 h; `step`: volume x (2.5-4) for 12-36 h;
  `ramp`: rising to x (5-10) over 3-8 h, then decaying over as long.

A planted event is far bigger or longer than the series' ordinary bursts: the event a user would call
news; the benign bursts are the ones that must not alarm. Labels are NAB windows (10 % of the file split
over its events, centred on each onset). Reported per detector: NAB standard / low-FP / low-FN (own
scorer), false alarms per series-day outside the windows, events found, median onset delay (minutes
from the planted onset to the first alarm in the window, counting only alarms at or after the onset).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.nab.scorer import PROFILES, FileResult, score_corpus, window_rows

DAYS = 60
STEP_MIN = 5
BURSTS_PER_DAY = 3.0
EVENTS = 3
SHAPES = ("spike", "step", "ramp")


@dataclass
class Series:
    """One synthetic series: timestamps, counts, NAB windows and the planted onsets (row indices)."""

    name: str
    timestamps: list[datetime]
    values: list[float]
    windows: list[tuple[datetime, datetime]]
    onsets: list[int]
    shapes: list[str]


def _event_curve(shape: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Multiplicative excess (>= 0) of a planted event over `n` points from its onset."""
    per_h = 60 // STEP_MIN
    t = np.arange(n, dtype=float)
    if shape == "spike":
        return rng.uniform(15, 40) * np.exp(-t / (rng.uniform(1, 3) * per_h / 2))
    if shape == "step":
        width = int(rng.uniform(12, 36) * per_h)
        return np.where(t < width, rng.uniform(1.5, 3.0), 0.0)
    rise = rng.uniform(3, 8) * per_h
    peak = rng.uniform(5, 10)
    return np.where(t < rise, peak * t / rise, peak * np.exp(-(t - rise) / rise))


def generate(index: int, seed: int) -> Series:
    """Series number `index` of the set drawn with `seed` (same arguments, same series)."""
    rng = np.random.default_rng([seed, index])
    per_day = 24 * 60 // STEP_MIN
    n = DAYS * per_day
    t0 = datetime(2026, 3, 2) + timedelta(days=int(rng.integers(0, 7)))
    ts = [t0 + timedelta(minutes=STEP_MIN * i) for i in range(n)]
    hours = np.array([t.hour + t.minute / 60 for t in ts])
    weekend = np.array([t.weekday() >= 5 for t in ts])
    level = math.exp(rng.uniform(math.log(2), math.log(40)))
    daily = 1 + rng.uniform(0.3, 0.8) * np.cos(2 * np.pi * (hours - rng.uniform(0, 24)) / 24)
    weekly = np.where(weekend, rng.uniform(0.55, 0.9), 1.0)
    drift = np.exp(np.repeat(np.cumsum(rng.normal(0, 0.03, DAYS)), per_day))
    mult = np.ones(n)
    for start in np.flatnonzero(rng.random(n) < BURSTS_PER_DAY / per_day):
        peak = min(40.0, 1 + 0.5 * (rng.pareto(1.6) + 1))
        tau = rng.uniform(10, 90) / STEP_MIN
        k = np.arange(min(n - start, int(8 * tau) + 1))
        mult[start : start + len(k)] += (peak - 1) * np.exp(-k / tau)
    probation = min(int(0.15 * n), 750)
    gap = 8 * per_day
    first = probation + int(rng.integers(per_day, 4 * per_day))
    onsets = sorted(first + i * gap + int(rng.integers(0, 8 * per_day)) for i in range(EVENTS))
    onsets = [o for o in onsets if o < n - per_day]
    shapes = [SHAPES[int(rng.integers(0, 3))] for _ in onsets]
    for o, shape in zip(onsets, shapes, strict=True):
        mult[o:] += _event_curve(shape, n - o, rng)
    mu = level * daily * weekly * drift * mult
    size = rng.uniform(4, 30)
    values = rng.negative_binomial(size, size / (size + mu)).astype(float)
    width = max(1, int(0.10 * n / max(1, len(onsets))))
    windows = [(ts[max(0, o - width // 2)], ts[min(n - 1, o + width // 2)]) for o in onsets]
    return Series(f"bursty_{seed}_{index:02d}", ts, values.tolist(), windows, onsets, shapes)


def run_detector(series: list[Series], make) -> dict:
    """Score `make()`-built detectors (river verbs + is_anomaly) on every series; NAB and plain figures."""
    results, outside, found, delays, days = [], 0, 0, [], 0.0
    for s in series:
        det = make()
        flags = []
        for t, v in zip(s.timestamps, s.values, strict=True):
            score = det.score_one(t, v)
            flags.append(int(det.is_anomaly(score)))
            det.update(t, v)
        result = FileResult(s.timestamps, flags, s.windows)
        results.append(result)
        spans = window_rows(s.timestamps, s.windows)
        alarms = np.flatnonzero(flags)
        probation = min(int(0.15 * len(flags)), 750)
        outside += sum(1 for a in alarms if a >= probation and not any(lo <= a <= hi for lo, hi in spans))
        days += (len(flags) - probation - sum(hi - lo + 1 for lo, hi in spans)) * STEP_MIN / 1440
        for o, (lo, hi) in zip(s.onsets, spans, strict=True):
            hits = [a for a in alarms if lo <= a <= hi]
            if hits:
                found += 1
                after = [a for a in hits if a >= o]
                if after:
                    delays.append(int(after[0] - o) * STEP_MIN)
    return {
        **{p: round(score_corpus(results, p), 1) for p in PROFILES},
        "false_alarms_per_series_day": round(outside / max(days, 1e-9), 3),
        "events_found": found,
        "events": sum(len(s.onsets) for s in series),
        "median_delay_min": statistics.median(delays) if delays else None,
    }


def first_alarms(s: Series, make) -> list[int | None]:
    """Per planted event: minutes from the onset to the first alarm in its window at or after it (None
    when there is none; -1 when the window only holds alarms before the onset)."""
    det, flags = make(), []
    for t, v in zip(s.timestamps, s.values, strict=True):
        flags.append(det.is_anomaly(det.score_one(t, v)))
        det.update(t, v)
    out: list[int | None] = []
    for o, (lo, hi) in zip(s.onsets, window_rows(s.timestamps, s.windows), strict=True):
        hits = [a for a in range(lo, hi + 1) if flags[a]]
        after = [a for a in hits if a >= o]
        out.append((after[0] - o) * STEP_MIN if after else (-1 if hits else None))
    return out


def paired_delays(series: list[Series], make_a, make_b) -> dict:
    """Onset delays of the events both detectors found (after the onset), and the events only B found."""
    both, only_b = [], []
    for s in series:
        for shape, a, b in zip(s.shapes, first_alarms(s, make_a), first_alarms(s, make_b), strict=True):
            if a is not None and a >= 0 and b is not None and b >= 0:
                both.append((a, b))
            elif a is None and b is not None:
                only_b.append((shape, b))
    return {
        "found_by_both": len(both),
        "median_delay_min_a": statistics.median(a for a, _ in both) if both else None,
        "median_delay_min_b": statistics.median(b for _, b in both) if both else None,
        "identical": sum(a == b for a, b in both),
        "only_b": only_b,
    }


def missed(series: list[Series], make) -> list[tuple[Series, str, int]]:
    """(series, shape, onset row) of every planted event with no alarm in its window."""
    out = []
    for s in series:
        det, flags = make(), []
        for t, v in zip(s.timestamps, s.values, strict=True):
            flags.append(det.is_anomaly(det.score_one(t, v)))
            det.update(t, v)
        spans = window_rows(s.timestamps, s.windows)
        for o, shape, (lo, hi) in zip(s.onsets, s.shapes, spans, strict=True):
            if not any(flags[lo : hi + 1]):
                out.append((s, shape, o))
    return out


def main() -> None:
    from monitio.detect.online import SeasonalDetector

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--budgets", default="", help="also run with these alarm budgets per week, e.g. 0.5,1,2")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--misses", action="store_true", help="also list the planted events the default misses")
    ap.add_argument("--paired", action="store_true", help="also compare onset delays event by event")
    args = ap.parse_args()
    data = [generate(i, args.seed) for i in range(args.series)]
    out = {
        "before (no burst memory)": run_detector(data, lambda: SeasonalDetector(burst_gain=0)),
        "burst memory, no level path": run_detector(data, lambda: SeasonalDetector(level_hours=0)),
        "default": run_detector(data, SeasonalDetector),
    }
    for b in [float(x) for x in args.budgets.split(",") if x]:
        out[f"budget {b:g}/week"] = run_detector(data, lambda b=b: SeasonalDetector(budget_per_week=b))
    for name, fig in out.items():
        print(f"{name:<30}", json.dumps(fig))
    if args.misses:
        for s, shape, onset in missed(data, SeasonalDetector):
            level = statistics.mean(s.values[onset - 288 : onset])
            print(f"missed: {s.name} {shape} at row {onset} (mean count over the day before: {level:.1f})")
    if args.paired:
        for name, make in (("no burst memory", lambda: SeasonalDetector(burst_gain=0)),
                           ("no level path", lambda: SeasonalDetector(level_hours=0))):  # fmt: skip
            out[f"paired: {name} (a) vs default (b)"] = fig = paired_delays(data, make, SeasonalDetector)
            print(f"paired: {name} (a) vs default (b)", json.dumps(fig))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
