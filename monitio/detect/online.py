"""Online anomaly detection for one series, river-style: `score_one(ts, value)` then `update(ts, value)`.

The baseline blends a level (exponentially weighted) with hour-of-day and day-of-week offsets learned
online once two periods have been seen; the scale is an exponentially weighted mean absolute
deviation of the residuals (robust to single outliers, adapts after a level shift). Small
non-negative integer series are scored with a Poisson tail instead of the Gaussian one. The score
is a calibrated tail probability mapped to [0, 1]; `is_anomaly` is `score >= threshold`, with a
refractory period so one event raises one alarm.

>>> from datetime import datetime, timedelta
>>> det = SeasonalDetector()
>>> t0 = datetime(2026, 1, 1)
>>> scores = []
>>> for i in range(600):
...     v = 10.0 + (i % 24 > 12) * 5 + (80 if i == 500 else 0)
...     scores.append(det.score_one(t0 + timedelta(hours=i), v)); det.update(t0 + timedelta(hours=i), v)
>>> scores[500] > 0.9 and max(scores[200:500]) < 0.5
True
"""

from __future__ import annotations

import math
from datetime import datetime

from scipy import stats

THRESHOLD = 0.7
"""The default operating point: `is_anomaly` when the score reaches it."""


class SeasonalDetector:
    """One series' online detector (O(1) per point, no look-ahead)."""

    def __init__(
        self,
        *,
        alpha_level: float = 0.02,
        alpha_season: float = 0.1,
        alpha_scale: float = 0.02,
        threshold: float = THRESHOLD,
        warmup: int = 50,
        refractory: int | None = None,
    ):
        self.alpha_level, self.alpha_season, self.alpha_scale = alpha_level, alpha_season, alpha_scale
        self.threshold, self.warmup = threshold, warmup
        self.refractory = refractory
        self.n = 0
        self.level: float | None = None
        self.mad: float = 0.0
        self.hod = [0.0] * 24
        self.dow = [0.0] * 7
        self.hod_n = [0] * 24
        self.dow_n = [0] * 7
        self.integer = True
        self.max_seen = 0.0
        self.first: datetime | None = None
        self.step: float | None = None
        self.last: datetime | None = None
        self.quiet_until = -1

    def _season(self, ts: datetime) -> float:
        seasonal = 0.0
        if self.step is not None and self.step <= 3600 * 6:
            h = ts.hour
            if self.hod_n[h] >= 2:
                seasonal += self.hod[h]
            d = ts.weekday()
            if self.dow_n[d] >= 2 * max(1, int(86400 / self.step)):
                seasonal += self.dow[d]
        return seasonal

    def expected(self, ts: datetime) -> float:
        return (self.level or 0.0) + self._season(ts)

    def score_one(self, ts: datetime, value: float) -> float:
        """The anomaly score of `value` at `ts` given only the past, in [0, 1]."""
        if self.level is None or self.n < self.warmup:
            return 0.0
        exp = self.expected(ts)
        resid = value - exp
        scale = max(self.mad * 1.4826, 1e-9 + 0.01 * abs(exp), 1e-6)
        if self.integer and self.max_seen <= 50 and value >= 0:
            mu = max(exp, 0.5)
            p_hi = stats.poisson.sf(value - 1, mu) if value > mu else 1.0
            p_lo = stats.poisson.cdf(value, mu) if value < mu else 1.0
            p = min(p_hi, p_lo)
        else:
            p = 2 * stats.norm.sf(abs(resid) / scale)
        # Map the two-sided tail probability to [0, 1]: 1e-2 -> 0.25, 1e-4 -> 0.5, 1e-8 -> 1.
        return float(min(1.0, max(0.0, -math.log10(max(p, 1e-300)) / 8.0)))

    def is_anomaly(self, score: float) -> bool:
        """The decision at the operating point, with a refractory period after each alarm."""
        if score >= self.threshold and self.n >= self.quiet_until:
            self.quiet_until = self.n + (self.refractory if self.refractory is not None else max(24, self.n // 50))
            return True
        return False

    def update(self, ts: datetime, value: float) -> None:
        """Learn from the point (call after `score_one`)."""
        if self.last is not None:
            gap = (ts - self.last).total_seconds()
            if gap > 0:
                self.step = gap if self.step is None else 0.9 * self.step + 0.1 * gap
        self.last = ts
        self.n += 1
        self.integer = self.integer and float(value).is_integer()
        self.max_seen = max(self.max_seen, abs(value))
        if self.level is None:
            self.level = float(value)
            return
        exp = self.expected(ts)
        resid = value - exp
        # Clip the residual used for learning so one outlier does not drag the baseline.
        limit = 4 * max(self.mad * 1.4826, 1e-6) if self.n > self.warmup else math.inf
        r = max(-limit, min(limit, resid))
        self.mad += self.alpha_scale * (abs(resid) - self.mad) if self.n > 2 else abs(resid)
        self.level += self.alpha_level * r
        h, d = ts.hour, ts.weekday()
        self.hod[h] += self.alpha_season * r
        self.hod_n[h] += 1
        self.dow[d] += self.alpha_season * 0.2 * r
        self.dow_n[d] += 1
