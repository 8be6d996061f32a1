"""Scan many hourly count series at once for counts well above normal.

For each series, the baseline is a recent level times an hour-of-day x day-of-week shape learned
from the history before the scan window (shrunk toward flat for sparse series), and the spread is a
negative binomial whose overdispersion is estimated from the history's daily totals. Windows of 3 h
to 72 h ending anywhere in the scan window are tested, so sudden spikes and slow build-ups are both
found; each series' best window is corrected for the number of windows tried, and false discoveries
across series are controlled with Benjamini-Hochberg. With `parents` (child series -> parent series,
e.g. market x category -> category), the children of every discovered parent are also tested as a
family of their own at `child_fdr` (hierarchical testing), which finds the markets an event spread to;
those only add markets to a signal that was already found.

>>> import numpy as np
>>> from datetime import datetime, UTC
>>> rng = np.random.default_rng(1)
>>> quiet = {f"s{i}": rng.poisson(3.0, 24 * 30).astype(float) for i in range(50)}
>>> loud = rng.poisson(3.0, 24 * 30).astype(float); loud[-6:] += 25
>>> found = scan_series({**quiet, "loud": loud}, datetime(2026, 10, 1, tzinfo=UTC))
>>> [f.key for f in found]
['loud']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from scipy import stats

from monitio.detect.burst_memory import LEVEL_HOURS

WINDOWS = (3, 6, 12, 24, 48, 72, 120, 168)
CURVE_BASELINE_HOURS = 72
BAND = 0.98
"""The expected band of a curve: the central 98 % of the hourly negative binomial."""
MIN_HISTORY_HOURS = 24 * 7


@dataclass
class Finding:
    key: str
    window_start: datetime
    window_end: datetime
    observed: float
    expected: float
    ratio: float
    p_value: float
    score: float
    severity: int
    persistence_hours: int
    shape: str
    onset: datetime | None = None
    """The estimated change point: the hour in the window from which the summed excess is largest."""
    curve: list[dict] = field(default_factory=list)
    """Hourly `{"t", "observed", "expected", "low", "high"}` over the window and up to `CURVE_BASELINE_HOURS` before."""


def _baseline(history: np.ndarray, start_how: int, horizon: int) -> tuple[np.ndarray, float, np.ndarray]:
    """Expected counts for the `horizon` hours after `history`, the NB dispersion r per day, and the
    in-sample fit of the history itself (for drawing the baseline)."""
    n = len(history)
    mean = history.mean() if n else 0.0
    if mean <= 0:
        return np.full(horizon, 1e-3), math.inf, np.full(n, 1e-3)
    idx = (start_how + np.arange(n)) % 168
    hod, dow = idx % 24, idx // 24
    k = 4.0  # shrinkage pseudo-observations
    hod_sum = np.bincount(hod, weights=history, minlength=24)
    hod_n = np.bincount(hod, minlength=24)
    hod_f = (hod_sum + k * mean) / (hod_n + k) / mean
    dow_sum = np.bincount(dow, weights=history, minlength=7)
    dow_n = np.bincount(dow, minlength=7)
    dow_f = (dow_sum + 24 * k * mean) / (dow_n + 24 * k) / mean
    fitted = mean * hod_f[hod] * dow_f[dow]
    recent = slice(max(0, n - 24 * 7), n)
    # The recent level moves the baseline, shrunk toward 1 by 20 pseudo-posts (sparse weeks are noisy).
    level = (history[recent].sum() + 20.0) / (fitted[recent].sum() + 20.0)
    level = float(np.clip(level, 0.5, 2.0))
    future = (start_how + n + np.arange(horizon)) % 168
    expected = np.maximum(mean * level * hod_f[future % 24] * dow_f[future // 24], 1e-3)
    days = n // 24
    if days >= 5:
        daily = history[n - days * 24 :].reshape(days, 24).sum(axis=1)
        fit_daily = fitted[n - days * 24 :].reshape(days, 24).sum(axis=1) * level
        resid_var = float(np.mean((daily - fit_daily) ** 2))
        mu = float(fit_daily.mean())
        r = mu * mu / (resid_var - mu) if resid_var > mu * 1.05 else math.inf
    else:
        r = math.inf
    return expected, max(r, 0.5), fitted * level


def _tail(observed: np.ndarray, expected: np.ndarray, r_day: float, hours: int) -> np.ndarray:
    """P(X >= observed) under NB(mean=expected, r scaled to the window) or Poisson when r is infinite."""
    if math.isinf(r_day):
        return stats.poisson.sf(observed - 1, expected)
    r = r_day * hours / 24.0
    return stats.nbinom.sf(observed - 1, r, r / (r + expected))


def _severity(ratio: float, p: float, observed: float) -> int:
    """1-10 from the size of the deviation and how sure it is; a handful of posts cannot be severe."""
    size = 1.8 * math.log2(max(ratio, 1.0)) + 0.12 * min(30.0, -math.log10(max(p, 1e-300)))
    size *= min(1.0, observed / 25.0)
    volume = 0.5 * math.log10(max(observed, 1.0))
    return int(max(1, min(10, round(1 + size + volume))))


def _shape(series: np.ndarray, exp: np.ndarray, hours: int) -> str:
    """build-up (the daily excess kept rising for 3+ days), spike (up to 2 days), else level-shift."""
    days = hours // 24
    if days >= 3:
        obs = series[-days * 24 :].reshape(days, 24).sum(axis=1)
        base = np.maximum(exp[-days * 24 :].reshape(days, 24).sum(axis=1), 1e-6)
        rho = stats.spearmanr(np.arange(days), obs / base).statistic
        if np.isfinite(rho) and rho >= 0.8:
            return "build-up"
    return "spike" if hours <= 48 else "level-shift"


def scan_series(
    series: dict[str, np.ndarray],
    start: datetime,
    *,
    window_hours: int = 72,
    fdr: float = 0.01,
    min_count: int = 5,
    min_ratio: float = 1.5,
    parents: dict[str, str] | None = None,
    child_fdr: float = 0.05,
) -> list[Finding]:
    """Findings for series whose recent counts are significantly above their baseline, most severe first.

    The same as `join_candidates` over `scan_candidates` of all the series; a cluster runs the second
    on groups of series (`monitio.scale.detect`) and joins their parts in order.
    """
    part = scan_candidates(series, start, window_hours=window_hours, min_count=min_count, min_ratio=min_ratio)
    return join_candidates([part], start, total=len(series), fdr=fdr, parents=parents, child_fdr=child_fdr)


@dataclass
class ScanPart:
    """The candidates of one group of series, in the group's order, before the false-discovery step.

    `curves` keeps, per candidate, what its curve is drawn from (drawn only for the discoveries).
    """

    candidates: list[tuple[float, Finding]] = field(default_factory=list)
    curves: dict[str, tuple] = field(default_factory=dict)


def scan_candidates(
    series: dict[str, np.ndarray],
    start: datetime,
    *,
    window_hours: int = 72,
    min_count: int = 5,
    min_ratio: float = 1.5,
) -> ScanPart:
    """Each series' best window and its corrected p-value: independent per series, so any grouping of
    the series gives the same candidates (pure: reads and writes nothing)."""
    part = ScanPart()
    candidates, curve_inputs = part.candidates, part.curves
    start_how = start.weekday() * 24 + start.hour
    for key, values in series.items():
        values = np.asarray(values, dtype=float)
        n = len(values)
        scan = min(window_hours, n - MIN_HISTORY_HOURS)
        if scan <= 0 or values[-scan:].sum() < min_count:
            continue
        history = values[: n - scan]
        expected, r_day, fit_hist = _baseline(history, start_how, scan)
        recent = values[n - scan :]
        best = (1.0, 0, 0, 0.0, 0.0)  # corrected p, hours, end index, observed, expected
        lengths = [h for h in WINDOWS if h <= scan]
        for hours in lengths:
            obs = np.convolve(recent, np.ones(hours), "valid")
            exp = np.convolve(expected, np.ones(hours), "valid")
            ok = (obs >= min_count) & (obs >= min_ratio * exp)
            if not ok.any():
                continue
            p = np.where(ok, _tail(obs, exp, r_day, hours), 1.0)
            i = int(np.argmin(p))
            # Union bound: about scan/hours independent windows of this length, and len(lengths) lengths.
            corrected = min(1.0, float(p[i]) * len(lengths) * max(1.0, scan / hours))
            if corrected < best[0]:
                best = (corrected, hours, i + hours - 1, float(obs[i]), float(exp[i]))
        p_series, hours, end_i, obs_sum, exp_sum = best
        if hours == 0:
            continue
        end_hour = n - scan + end_i
        run = 0
        for j in range(end_hour, max(end_hour - 24 * 7, n - scan) - 1, -1):
            if values[j] >= 1.5 * expected[j - (n - scan)] and values[j] > 0:
                run += 1
            elif run:
                break
        window_end = start + timedelta(hours=end_hour)
        w_lo = end_hour - hours + 1
        onset_i = _onset(values, expected, n - scan, w_lo, end_hour)
        curve_inputs[key] = (values, fit_hist, expected, r_day, w_lo)
        candidates.append(
            (
                p_series,
                Finding(
                    key=key,
                    window_start=window_end - timedelta(hours=hours - 1),
                    window_end=window_end,
                    observed=obs_sum,
                    expected=exp_sum,
                    ratio=obs_sum / max(exp_sum, 1e-9),
                    p_value=p_series,
                    score=float(min(1.0, -math.log10(max(p_series, 1e-300)) / 12.0)),
                    severity=_familiar_cap(
                        _severity(obs_sum / max(exp_sum, 1e-9), p_series, obs_sum),
                        (obs_sum + 1) / (exp_sum + 1),
                        _burst_record(history, fit_hist, hours),
                        run,
                    ),
                    persistence_hours=max(run, 1),
                    shape=_shape(
                        values[: end_hour + 1], _full_expected(values, expected, n, scan)[: end_hour + 1], hours
                    ),
                    onset=start + timedelta(hours=onset_i),
                ),
            )
        )
    return part


def join_candidates(
    parts: list[ScanPart],
    start: datetime,
    *,
    total: int,
    fdr: float = 0.01,
    parents: dict[str, str] | None = None,
    child_fdr: float = 0.05,
) -> list[Finding]:
    """Benjamini-Hochberg across the parts' candidates (`total` series scanned), the hierarchical
    families, then the discoveries' curves; parts in series order give exactly `scan_series`."""
    candidates = [c for part in parts for c in part.candidates]
    curve_inputs = {k: v for part in parts for k, v in part.curves.items()}
    found = {f.key: f for f in _benjamini_hochberg(candidates, fdr, total=total)}
    if parents:
        # A family is open when its parent or any of its children was discovered.
        open_families = {k for k in found if k not in parents} | {parents[k] for k in found if k in parents}
        families: dict[str, list] = {}
        for c in candidates:
            parent = parents.get(c[1].key)
            if parent in open_families:
                families.setdefault(parent, []).append(c)
        for parent, members in families.items():
            size = sum(1 for k, p in parents.items() if p == parent)
            for f in _benjamini_hochberg(members, child_fdr, total=size):
                found.setdefault(f.key, f)
    for f in found.values():
        values, fit_hist, expected, r_day, w_lo = curve_inputs[f.key]
        f.curve = _curve(values, np.concatenate([fit_hist, expected]), r_day, start, w_lo)
    return sorted(found.values(), key=lambda f: (-f.severity, f.p_value))


BURST_HISTORY_DAYS = 14
FAMILIAR_SEVERITY = 3
"""A finding no bigger than the series' own largest burst of the same length in the last
`BURST_HISTORY_DAYS` days is context: its severity is capped here (what `monitio detect series`
learned on bursty counts: a burst like the recent ones is not news)."""
PERSISTENT_HOURS = LEVEL_HOURS
"""...unless the rise has lasted this many hours in a row at 1.5x the baseline or more (`persistence_hours`)."""


def _burst_record(history: np.ndarray, fit_hist: np.ndarray, hours: int) -> float:
    """The largest (observed + 1) / (expected + 1) over `hours`-long windows of the recent history."""
    recent = slice(max(0, len(history) - BURST_HISTORY_DAYS * 24), len(history))
    h, f = history[recent], fit_hist[recent]
    if len(h) < hours:
        return 1.0
    k = np.ones(hours)
    return float(np.max((np.convolve(h, k, "valid") + 1) / (np.convolve(f, k, "valid") + 1)))


def _familiar_cap(severity: int, ratio: float, record: float, persistence_hours: int = 0) -> int:
    """Cap the severity of a rise no bigger than the series' recent record for that window length,
    unless it has stayed up for `PERSISTENT_HOURS` hours or more in a row (a level change is news
    however large the bursts before it were: the level path of `monitio detect series`).

    >>> _familiar_cap(7, 3.0, 4.0), _familiar_cap(7, 5.0, 4.0), _familiar_cap(7, 3.0, 4.0, 4)
    (3, 7, 7)
    """
    if ratio <= record and persistence_hours < PERSISTENT_HOURS:
        return min(severity, FAMILIAR_SEVERITY)
    return severity


def _onset(values: np.ndarray, expected: np.ndarray, scan_lo: int, w_lo: int, end: int) -> int:
    """The estimated change point: the hour h (from one window-length before the window) maximising
    the summed excess from h to the window's end, each hour less half the window's mean excess (CUSUM)."""
    lo = max(scan_lo, w_lo - (end - w_lo + 1))
    excess = values[lo : end + 1] - expected[lo - scan_lo : end + 1 - scan_lo]
    drift = 0.5 * max(float(excess[w_lo - lo :].mean()), 0.0)
    tail_sums = np.cumsum((excess - drift)[::-1])[::-1]
    return lo + int(np.argmax(tail_sums))


def _curve(values: np.ndarray, expected: np.ndarray, r_day: float, start: datetime, w_lo: int) -> list[dict]:
    """Observed and expected band per hour from `CURVE_BASELINE_HOURS` before the window to the end."""
    first = max(0, w_lo - CURVE_BASELINE_HOURS)
    mu = np.maximum(expected[first:], 1e-3)
    q = ((1 - BAND) / 2, 1 - (1 - BAND) / 2)
    if math.isinf(r_day):
        lo, hi = stats.poisson.ppf(q[0], mu), stats.poisson.ppf(q[1], mu)
    else:
        r = r_day / 24.0  # the NB size of one hour
        lo, hi = stats.nbinom.ppf(q[0], r, r / (r + mu)), stats.nbinom.ppf(q[1], r, r / (r + mu))
    return [
        {
            "t": (start + timedelta(hours=first + i)).isoformat().replace("+00:00", "Z"),
            "observed": float(values[first + i]),
            "expected": round(float(m), 2),
            "low": float(a),
            "high": float(b),
        }
        for i, (m, a, b) in enumerate(zip(mu, lo, hi, strict=True))
    ]


def _full_expected(values: np.ndarray, expected: np.ndarray, n: int, scan: int) -> np.ndarray:
    return np.concatenate([np.maximum(values[: n - scan], 1e-3), expected])


def _benjamini_hochberg(candidates: list[tuple[float, Finding]], fdr: float, total: int) -> list[Finding]:
    """Keep the findings that pass BH at `fdr`, counting every series scanned as a hypothesis."""
    if not candidates:
        return []
    ordered = sorted(candidates, key=lambda c: c[0])
    m = max(total, len(ordered))
    cutoff = -1
    for rank, (p, _) in enumerate(ordered, start=1):
        if p <= fdr * rank / m:
            cutoff = rank
    kept = [f for _, f in ordered[:cutoff]] if cutoff > 0 else []
    return sorted(kept, key=lambda f: (-f.severity, f.p_value))
