"""Online anomaly detection for one series, river-style: `score_one(ts, value)` then `update(ts, value)`.

Per point (O(1), no look-ahead) the detector keeps four forecasts of the next value: a slow level, the
level plus a time-of-day profile (one slot per sampling interval, at most 288 a day), the level plus an
hour-of-week profile (used once two days / two weeks have been seen; the interval is read from the
first gaps), and a fast moving average. Each forecast's scale is its EW mean absolute error; small
non-negative integer series also get a Poisson floor (rate at least 1) on every scale.

Four channels turn residuals and values into surprise (-log10 of a tail probability):

* **extreme**: one value far from every competitive forecast (z >= ~8 fires on its own), and further
  out than any point of the recent past (a record of z decaying with a half-life of 2,000 points), so a
  bursty series whose bursts all look alike does not alarm on each burst.
* **point**: the smallest standardised residual over the competitive forecasts (error within 2.5x
  of the best; a daily event one slot early or late counts as expected), Poisson tail for counts,
  smoothed over a few points and compared with its own history (mean and spread over ~2,000 points,
  like HTM's anomaly likelihood), so each series is judged against its own noise.
* **context**: a short moving average of the signed residual from the best seasonal baseline
  (a level shift, a quiet holiday, a slow drift), likewise compared with its own history.
* **rarity**: how rarely the recent values' range was visited before (like CAD OSE's novelty of
  contexts): the values are counted in bins (half the warm-up's median absolute deviation wide,
  counts decaying with a half-life of 2,000 points); a point's rarity is -log10 of the share of past
  values within one bin of it, smoothed over a few points and compared with its own history. A drop
  to a level never seen, a new oscillation or a spread that widens into empty ranges fires here even
  when each residual is small.

The point, context and rarity channels must also be surprising in absolute terms (`raw_gain`,
`rarity_gain`: a rarity of 1.25, values within a bin of fewer than ~6 % of the past), so a series
that is calm for a while does not alarm on ordinary noise. A **routine** deviation (one at least 0.85x as
large seen within an hour of this time of day on two of the last three days: a nightly job whose start
jitters by tens of minutes) scores 0 on every channel, the context channel included (the point just
after a nightly spike must not alarm on the spike's echo in the short average).
`anomaly_score = min(1, max channel / 10)`. Count series also get a burst memory
(`burst_memory.BurstMemory`): a rise no bigger than the recent bursts scores 0.45x; a lasting 3-hour rise
(`sustained`) and a rise that stayed up for 4 whole hours (`level`, not silenced by the routine gate) add
evidence of their own.
Baseline learning clips residuals at 3 scales; after 12 residuals beyond 3 scales on one side the
level jumps to the recent values, so a new level stops alarming. `is_anomaly(score)` applies the
single operating point `THRESHOLD` with a refractory period of max(24 points, 2 % of the points seen)
so one event raises one alarm. During the warm-up (100 points) only count series can alarm, and only on
a surge extreme against every value seen so far (from the 4th point on), so a collection that starts
just before an event is not blind.

>>> from datetime import datetime, timedelta
>>> det = SeasonalDetector()
>>> t0 = datetime(2026, 1, 1)
>>> scores = []
>>> for i in range(600):
...     v = 10.0 + (i % 24 > 12) * 5 + (80 if i == 500 else 0)
...     scores.append(det.score_one(t0 + timedelta(hours=i), v)); det.update(t0 + timedelta(hours=i), v)
>>> scores[500] >= THRESHOLD > max(scores[200:500])
True
"""

from __future__ import annotations

import math
from datetime import datetime

from scipy import special

from monitio.detect.burst_memory import LEVEL_HOURS, AlarmBudget, BurstMemory

THRESHOLD = 0.5
"""The default operating point: `is_anomaly` when score >= 0.5 (p <= 1e-5); tuned once on NAB dev data."""

_SQRT2 = math.sqrt(2.0)
EARLY_POINTS = 4
"""Count series may alarm on extreme surges from this many points on, before the warm-up ends."""


def _neg_log10_normal_sf(z: float) -> float:
    """-log10 P(Z >= z) for a standard normal, accurate far into the tail."""
    if z < 30:
        return -math.log10(max(0.5 * math.erfc(z / _SQRT2), 1e-300))
    return (z * z / 2 + math.log(z * math.sqrt(2 * math.pi))) / math.log(10)


class _Calibrator:
    """Running mean and spread of a feature; how surprising a new value is against them."""

    __slots__ = ("alpha", "floor", "mean", "n", "var")

    def __init__(self, alpha: float, floor: float):
        self.alpha, self.floor = alpha, floor
        self.mean, self.var, self.n = 0.0, 0.0, 0

    def surprise(self, x: float) -> float:
        return _neg_log10_normal_sf((x - self.mean) / max(math.sqrt(self.var), self.floor))

    def update(self, x: float) -> None:
        self.n += 1
        alpha = max(self.alpha, 1.0 / self.n)  # a plain average until the window is full
        d = x - self.mean
        self.mean += alpha * d
        self.var = (1 - alpha) * (self.var + alpha * d * d)


class SeasonalDetector:
    """One series' online detector (O(1) per point, no look-ahead)."""

    def __init__(
        self,
        *,
        threshold: float = THRESHOLD,
        warmup: int = 100,
        alpha_level: float = 0.01,
        alpha_fast: float = 0.5,
        alpha_err: float = 0.01,
        alpha_short: float = 0.2,
        alpha_calib: float = 0.0005,
        calib_floor: float = 0.02,
        refractory: int | None = None,
        raw_gain: float = 2.5,
        competitive: float = 2.5,
        extreme_gain: float = 0.25,
        record_halflife: float = 2000.0,
        daily_gate: float = 0.85,
        rarity_width: float = 0.5,
        rarity_gain: float = 4.0,
        rarity_halflife: float = 2000.0,
        burst_gain: float = 3.0,
        burst_halflife_hours: float = 48.0,
        budget_per_week: float | None = None,
        level_hours: int = LEVEL_HOURS,
    ):
        # count series: NB dispersion and decaying records of burst size (`burst_memory.BurstMemory`)
        self.burst_gain, self.burst_halflife_hours = burst_gain, burst_halflife_hours
        self.level_hours = level_hours
        self.bursts: BurstMemory | None = None
        self.nonneg = True
        self.budget = AlarmBudget(budget_per_week) if budget_per_week else None
        # rarity channel: decayed counts of the values in bins of `rarity_width` x the warm-up's MAD
        self.rarity_width, self.rarity_gain = rarity_width, rarity_gain
        self.rarity_decay = 0.5 ** (1 / rarity_halflife)
        self.bins: dict[int, float] = {}
        self.bin_w = 0.0  # the bin width, fixed at the end of the warm-up (0 until then)
        self.bin_g = 1.0  # the weight of the next point (grows instead of decaying every count)
        self.bin_total = 0.0
        self.warm_vals: list[float] = []
        self.rarity_avg = 0.0
        self.rarity_cal = _Calibrator(alpha_calib, calib_floor)
        self.record_decay = 0.5 ** (1 / record_halflife) if record_halflife > 0 else 0.0
        self.zrec = 0.0  # the largest recent point z (decaying with `record_halflife` points)
        self.daily_gate = daily_gate
        self.day_dev: dict[int, tuple[list[float], list[float]]] = {}
        self.raw_gain, self.competitive, self.extreme_gain = raw_gain, competitive, extreme_gain
        self.threshold, self.warmup, self.refractory = threshold, warmup, refractory
        self.alpha_level, self.alpha_fast, self.alpha_err, self.alpha_short = (
            alpha_level,
            alpha_fast,
            alpha_err,
            alpha_short,
        )
        self.n = 0
        self.last_channel = ""  # which channel decided the last score: context, point, extreme, rarity or routine
        self.last: datetime | None = None
        self.gaps: list[float] = []
        self.step: float | None = None
        self.level = self.fast = 0.0
        self.day: list[float] = []  # time-of-day profile, one slot per interval (at most 288 a day)
        self.how = [0.0] * 168
        self.err = [0.0, 0.0, 0.0, 0.0]  # level, +hour-of-day, +hour-of-week, fast
        self.spread = 0.0  # EW mean absolute deviation of the values (a scale floor)
        self.integer = True
        self.point_avg = 0.0
        self.context_avg = 0.0
        self.point_cal = _Calibrator(alpha_calib, calib_floor)
        self.context_cal = _Calibrator(alpha_calib, calib_floor)
        self.run_sign, self.run_len = 0, 0
        self.quiet_until = -1
        self.early_sum = self.early_sq = 0.0

    # -- forecasts -------------------------------------------------------------------------------
    def _seen(self) -> float:
        return self.n * (self.step or 0.0)

    def _slot(self, ts: datetime) -> int:
        if not self.day:
            return 0
        return (ts.hour * 3600 + ts.minute * 60 + ts.second) * len(self.day) // 86400

    def _forecasts(self, ts: datetime) -> list[float]:
        day = self.day[self._slot(ts)] if self.day else 0.0
        return [self.level, self.level + day, self.level + self.how[ts.weekday() * 24 + ts.hour], self.fast]

    def _ready(self) -> list[bool]:
        seen, step = self._seen(), self.step or math.inf
        return [True, step <= 6 * 3600 and seen >= 2 * 86400, step <= 86400 and seen >= 14 * 86400, True]

    def _scale(self, k: int) -> float:
        floor = max(1e-3 * self.spread, 1e-9 * abs(self.level), 1e-12)
        if self.integer and -1 < self.level <= 30:  # counts: at least Poisson noise, with a rate of at least 1
            floor = max(floor, math.sqrt(max(self.level, 1.0)))
        return max(1.2533 * self.err[k], floor)

    def _baseline(self, ready: list[bool]) -> int:
        """The seasonal forecast (0..2) with the smallest recent error."""
        return min((k for k in range(3) if ready[k]), key=lambda k: self.err[k])

    def _channels(self, ts: datetime, value: float) -> tuple[float, float, float, list[float], int]:
        f = self._forecasts(ts)
        ready = self._ready()
        best = min(self.err[k] for k in range(4) if ready[k])
        good = [k for k in range(4) if ready[k] and self.err[k] <= self.competitive * best]
        z_point = min(abs(value - f[k]) / self._scale(k) for k in good)
        if 1 in good:  # a daily event a slot early or late is not new
            s, m = self._slot(ts), len(self.day)
            near = min(abs(value - self.level - self.day[(s + d) % m]) for d in (-1, 1))
            z_point = min(z_point, near / self._scale(1))
        b = self._baseline(ready)
        if self.integer and value >= 0 and f[b] <= 30:
            mu = max(f[b], 1.0)
            tail = special.pdtrc(value - 1, mu) if value > mu else 1.0
            z_point = min(z_point, float(-special.ndtri(max(tail, 1e-300))) if tail < 0.5 else 0.0)
        point = math.erf(z_point / _SQRT2 / 2)  # ~0 for ordinary residuals, 1 for z >= 6
        context = (value - f[b]) / self._scale(b)
        return point, z_point, max(-10.0, min(10.0, context)), f, b

    def _bin(self, value: float) -> int:
        q = value / self.bin_w
        return math.floor(q) if abs(q) < 1e15 else int(math.copysign(1e15, q))

    def _rarity(self, value: float) -> float:
        """-log10 of how often values near this one (+-1 bin) were seen, decayed."""
        if not self.bin_w:
            return 0.0
        b = self._bin(value)
        c = sum(self.bins.get(b + d, 0.0) for d in (-1, 0, 1))
        return -math.log10((c + self.bin_g) / (self.bin_total + self.bin_g))

    def _learn_bins(self, value: float) -> None:
        """Count the value in its bin; the bin width is fixed once, from the warm-up's values."""
        if not self.bin_w:
            self.warm_vals.append(value)
            if len(self.warm_vals) < self.warmup:
                return
            vals = sorted(self.warm_vals)
            med = vals[len(vals) // 2]
            mad = sorted(abs(v - med) for v in vals)[len(vals) // 2]
            w = self.rarity_width * mad
            if w <= 0:
                w = self.rarity_width * (sum(abs(v - med) for v in vals) / len(vals))
            w = max(w, 1e-9 * abs(med), 1e-12, 1.0 if self.integer else 0.0)
            self.bin_w = w
            for v in self.warm_vals:
                self._learn_bins(v)
            self.warm_vals = []
            return
        b = self._bin(value)
        self.bins[b] = self.bins.get(b, 0.0) + self.bin_g
        self.bin_total += self.bin_g
        self.bin_g /= self.rarity_decay
        if self.bin_g > 1e6:  # every ~40,000 points: rescale, and forget bins not visited for long
            self.bins = {k: c / self.bin_g for k, c in self.bins.items() if c / self.bin_g > 1e-3}
            self.bin_total /= self.bin_g
            self.bin_g = 1.0

    # -- river verbs -----------------------------------------------------------------------------
    def score_one(self, ts: datetime, value: float) -> float:
        """The anomaly score of `value` at `ts` given only the past, in [0, 1]."""
        if self.n < self.warmup:
            return self._early_score(value)
        point, z_point, context, f, b = self._channels(ts, value)
        # count series: a rise that stayed for hours against the burst memory's own seasonal baseline
        # (a daily routine is in that baseline, so the routine gate below does not silence it)
        level = min(1.0, self.bursts.level_change() / 10.0) if self.bursts is not None else 0.0
        if self._routine(ts, value):
            self.last_channel = "level" if level > 0 else "routine"
            return level
        p_avg = self.point_avg + self.alpha_short * (point - self.point_avg)
        c_avg = self.context_avg + self.alpha_short * (context - self.context_avg)
        # Each channel must be surprising both against its own history and in absolute terms.
        raw_point = _neg_log10_normal_sf(z_point) + math.log10(2)
        sd_avg = math.sqrt(self.alpha_short / (2 - self.alpha_short))  # of an EW mean of unit-variance noise
        raw_context = _neg_log10_normal_sf(abs(c_avg) / sd_avg)
        cal_context = max(
            self.context_cal.surprise(c_avg), self.context_cal.surprise(2 * self.context_cal.mean - c_avg)
        )
        channels = {
            "context": min(cal_context, self.raw_gain * raw_context),
            "point": min(self.point_cal.surprise(p_avg), self.raw_gain * raw_point),
        }
        if self.rarity_gain and self.bin_w:  # a run of values in rarely visited ranges
            r_avg = self.rarity_avg + self.alpha_short * (self._rarity(value) - self.rarity_avg)
            channels["rarity"] = min(self.rarity_cal.surprise(r_avg), self.rarity_gain * r_avg)
        if z_point > self.zrec:
            channels["extreme"] = self.extreme_gain * raw_point  # one far-out value alone (z >= ~8)
        self.last_channel = max(channels, key=channels.__getitem__)
        score = float(min(1.0, max(0.0, channels[self.last_channel] / 10.0)))
        mu = self.bursts.expected(ts) if self.bursts is not None else 0.0
        if self.bursts is not None and score > 0 and value >= f[b]:
            if not self.bursts.novel(*self.bursts.ratios(value, mu)):
                self.last_channel = "familiar-burst"  # no bigger or longer than the recent bursts
                score *= 0.45  # never enough alone
        if self.bursts is not None:
            sustained = min(1.0, self.bursts.sustained(value, mu) / 10.0)
            if sustained > score:
                self.last_channel, score = "sustained", sustained
        if level > score:
            self.last_channel, score = "level", level
        return score

    def _routine(self, ts: datetime, value: float) -> bool:
        """True when a deviation like this one was seen at this time of day (+-1 hour) on at least two of
        the last three days: a daily job whose start time jitters is not news."""
        if not self.daily_gate or self._seen() < 2 * 86400:
            return False
        dev = value - self.level
        h, today, k = ts.hour, ts.toordinal(), 0 if value >= self.level else 1
        similar = 0
        for d in (today - 1, today - 2, today - 3):
            mem = self.day_dev.get(d)
            if mem and max(mem[k][(h - 1) % 24], mem[k][h], mem[k][(h + 1) % 24]) >= self.daily_gate * abs(dev):
                similar += 1
        return similar >= 2

    def _early_score(self, value: float) -> float:
        """During warm-up, count series may still alarm on a surge that is extreme against every value
        seen so far (a negative-binomial-like tail: Poisson on the running mean, widened by the observed
        spread), so a collection that starts just before an event is not blind for `warmup` points."""
        if self.n < EARLY_POINTS or not self.integer or value < 0:
            return 0.0
        mean = self.early_sum / self.n
        var = max(self.early_sq / self.n - mean * mean, 0.0)
        if value <= max(2.0 * mean, mean + 5.0):
            return 0.0
        mu = max(mean, 1.0)
        poisson = float(special.pdtrc(value - 1, mu))
        z_spread = (value - mean) / math.sqrt(max(var, mu))
        p = max(poisson, 0.5 * math.erfc(z_spread / _SQRT2 / 2))  # the spread counted twice over: cautious
        return float(min(1.0, -math.log10(max(p, 1e-300)) / 10.0))

    def is_anomaly(self, score: float) -> bool:
        """The decision at the operating point, with a refractory period after each alarm."""
        if score >= self.threshold and self.n >= self.quiet_until:
            if self.budget is not None and not self.budget.spend(self._seen()):
                return False
            gap = self.refractory if self.refractory is not None else max(24, self.n // 50)
            self.quiet_until = self.n + gap
            return True
        return False

    def update(self, ts: datetime, value: float) -> None:
        """Learn from the point (call after `score_one`)."""
        self._learn_step(ts)
        self.integer = self.integer and float(value).is_integer()
        self.nonneg = self.nonneg and value >= 0
        if self.bursts is not None and not (self.integer and self.nonneg):
            self.bursts = None  # not a count series after all
        if self.n < self.warmup:
            self.early_sum += value
            self.early_sq += value * value
        if self.n == 0:
            self.level = self.fast = float(value)
            self.n = 1
            return
        point, z_point, context, f, b = self._channels(ts, value)
        if self.daily_gate:
            dev = value - self.level
            today = ts.toordinal()
            mem = self.day_dev.setdefault(today, ([0.0] * 24, [0.0] * 24))
            k = 0 if dev >= 0 else 1
            mem[k][ts.hour] = max(mem[k][ts.hour], abs(dev))
            for d in [d for d in self.day_dev if d < today - 3]:
                del self.day_dev[d]
        if self.rarity_gain:
            if self.bin_w:
                self.rarity_avg += self.alpha_short * (self._rarity(value) - self.rarity_avg)
                self.rarity_cal.update(self.rarity_avg)
            self._learn_bins(value)
        if self.record_decay:
            self.zrec = max(self.zrec * self.record_decay, z_point if self.n >= self.warmup else 0.0)
        if self.n >= self.warmup // 2:
            self.point_avg += self.alpha_short * (point - self.point_avg)
            self.context_avg += self.alpha_short * (context - self.context_avg)
            self.point_cal.update(self.point_avg)
            self.context_cal.update(self.context_avg)
        for k in range(4):
            self.err[k] += self.alpha_err * (abs(value - f[k]) - self.err[k]) if self.n > 1 else abs(value - f[k])
        self.spread += self.alpha_err * (abs(value - self.level) - self.spread)
        # Learn the baseline from residuals clipped at 3 scales, so one outlier does not drag it.
        limit = 3 * self._scale(b) if self.n > self.warmup else math.inf
        r = max(-limit, min(limit, value - f[b]))
        self.level += self.alpha_level * r
        step = self.step or 3600.0
        if self.day:
            per_slot = max(1.0, 86400 / len(self.day) / step)  # points per slot per day
            self.day[self._slot(ts)] += 0.3 / per_slot * max(-limit, min(limit, value - f[1]))
        a_how = min(0.5, step / 7200)
        self.how[ts.weekday() * 24 + ts.hour] += a_how * max(-limit, min(limit, value - f[2]))
        if self.bursts is not None:
            self.bursts.learn(ts, value)
        elif self.n == self.warmup and self.integer and self.nonneg and self.burst_gain and self.step:
            self.bursts = BurstMemory(
                step_seconds=self.step,
                halflife_hours=self.burst_halflife_hours,
                gain=self.burst_gain,
                level_hours=self.level_hours,
            )
        self.fast += self.alpha_fast * (value - self.fast)
        self._follow_shift(value - f[b], b, ts)
        self.n += 1

    def _learn_step(self, ts: datetime) -> None:
        if self.last is not None and self.step is None:
            gap = (ts - self.last).total_seconds()
            if gap > 0:
                self.gaps.append(gap)
            if len(self.gaps) >= 9:
                self.step = sorted(self.gaps)[len(self.gaps) // 2]
                self.gaps = []
                if self.step <= 6 * 3600:
                    self.day = [0.0] * min(288, max(1, round(86400 / self.step)))
        self.last = ts

    def _follow_shift(self, resid: float, b: int, ts: datetime) -> None:
        """After many residuals beyond 3 scales on one side, move the level to the recent values."""
        sign = (resid > 3 * self._scale(b)) - (resid < -3 * self._scale(b))
        if sign and sign == self.run_sign:
            self.run_len += 1
        else:
            self.run_sign, self.run_len = sign, int(sign != 0)
        if self.run_len >= 12:
            self.level += self.fast - self._forecasts(ts)[b]
            self.run_sign, self.run_len = 0, 0
