"""What a bursty count series usually does: its dispersion and the size of its recent bursts.

Social volumes are over-dispersed counts with news bursts every day or two; a burst as large as the
ones of the last few days is not an event. `BurstMemory` learns, online and in O(1):

* the negative-binomial dispersion `phi` (variance = mu + phi * mu^2) of counts around a forecast,
  by the method of moments on an exponentially weighted window (residuals clipped, so one burst does
  not make every later burst look ordinary);
* at two time scales (about 25 minutes and 3 hours of points: a spike and a lasting rise), the ratio
  of the smoothed counts to the smoothed forecast, and a **record** of that ratio decaying with a
  half-life of `halflife_hours`.

`novel(ratio_short, ratio_long)` says whether a rise beats the record at either scale by `gain`: the
evidence a user would call an event (bigger than anything lately, or lasting longer), rather than one
more burst like the others.

The **level path** (`level_change`) looks at persistence instead of size: the counts and baseline of
the last `LEVEL_HOURS` whole hours (an hour of points each). When every one of those hours stayed at
least `LEVEL_MIN` x the baseline and above the recent record of that persistence, the evidence is the
chance that all of them are that high under the dispersion learned for hourly sums. A benign burst
decays within an hour or two; a step or a ramp stays, however large the bursts before it were.

>>> m = BurstMemory(step_seconds=300)
>>> for _ in range(2000):
...     m.update(10.0, 10.0)
>>> m.novel(*m.ratios(30.0, 10.0))
True
>>> for v in [30.0] * 30 + [10.0] * 100:  # a 2.5-hour burst, then 8 quiet hours
...     m.update(v, 10.0)
>>> m.novel(*m.ratios(30.0, 10.0)), m.novel(*m.ratios(1000.0, 10.0))
(False, True)
"""

from __future__ import annotations

import math
from collections import deque
from datetime import datetime

from scipy import stats

BURSTY = 1.5
"""The gate applies while the recent record of short-scale bursts is at least this ratio (a doubling)."""
LEVEL_HOURS = 4
"""The level path looks at the last this many whole hours (blocks of one hour of points, one point per
block when points are an hour or more apart); 0 turns it off."""
LEVEL_MIN = 1.5
"""...and needs every one of them at least this ratio above the baseline (a rise that stays, not a burst)."""


class BurstMemory:
    """Dispersion and decaying burst records of one count series (river verbs: `update`)."""

    __slots__ = (
        "a_day",
        "a_level",
        "a_long",
        "a_phi",
        "a_short",
        "blk",
        "cur",
        "day",
        "decay",
        "gain",
        "hours",
        "level",
        "level_hours",
        "long",
        "phi",
        "phi_level",
        "phi_long",
        "rec_level",
        "rec_long",
        "rec_short",
        "recent",
        "seen",
        "short",
        "step",
        "week",
    )

    def __init__(
        self,
        *,
        step_seconds: float,
        halflife_hours: float = 48.0,
        gain: float = 3.0,
        lag_hours: float = 6.0,
        level_hours: int = LEVEL_HOURS,
    ):
        step = max(step_seconds, 1.0)
        self.step, self.seen = step, 0.0
        # its own slow multiplicative baseline: level x time-of-day x hour-of-week factors, learned from
        # counts clipped at 3 NB standard deviations, so bursts and events barely move it
        self.level = -1.0  # set from the first point
        self.a_level = min(0.5, step / (2 * 86400.0))  # about two days
        self.a_day = 0.1
        self.day = [1.0] * max(1, min(288, round(86400 / step))) if step <= 6 * 3600 else [1.0]
        self.week = [1.0] * 168
        self.a_short = min(1.0, step / 1500.0)  # ~25 minutes of points
        self.a_long = min(1.0, step / 10800.0)  # ~3 hours of points
        self.a_phi = min(0.05, step / 86400.0 / 3)  # about three days
        self.decay = 0.5 ** (step / 3600.0 / halflife_hours)
        self.gain = gain
        self.phi = self.phi_long = 0.1
        self.short = [0.0, 0.0]  # smoothed counts, smoothed forecast
        self.long = [0.0, 0.0]
        self.rec_short = self.rec_long = self.rec_level = 1.0
        # the last `lag_hours` of ratios, folded into the records only when they leave: a burst is
        # compared with the bursts before it, not with its own rise
        self.recent: deque[tuple[float, float, float]] = deque(maxlen=max(1, round(lag_hours * 3600 / step)))
        # level path: counts and baseline summed per hour of points (the current block, the last whole ones)
        self.blk = max(1, round(3600 / step))
        self.cur = [0.0, 0.0, 0]
        self.level_hours = level_hours  # 0: no level path
        self.hours: deque[tuple[float, float]] = deque(maxlen=max(1, level_hours))
        self.phi_level = 0.1  # NB dispersion of hourly sums

    def expected(self, ts: datetime) -> float:
        """The baseline count at `ts`: level x time-of-day factor x hour-of-week factor."""
        return max(self.level, 0.0) * self.day[self._slot(ts)] * self.week[ts.weekday() * 24 + ts.hour]

    def _slot(self, ts: datetime) -> int:
        return (ts.hour * 3600 + ts.minute * 60 + ts.second) * len(self.day) // 86400

    def ratios(self, value: float, mu: float) -> tuple[float, float]:
        """Smoothed observed / expected at both scales if `value` is added (not learned)."""
        mu = max(mu, 0.0)
        s = [
            self.short[0] + self.a_short * (value - self.short[0]),
            self.short[1] + self.a_short * (mu - self.short[1]),
        ]
        lo = [self.long[0] + self.a_long * (value - self.long[0]), self.long[1] + self.a_long * (mu - self.long[1])]
        return (s[0] + 1.0) / (s[1] + 1.0), (lo[0] + 1.0) / (lo[1] + 1.0)

    def novel(self, ratio_short: float, ratio_long: float) -> bool:
        """True when a rise beats the recent record at either scale (by the factor `gain`)."""
        if self.rec_short < BURSTY:
            return True  # no burst lately that doubled the volume: nothing to compare with
        return ratio_short > self.gain * self.rec_short or ratio_long > math.sqrt(self.gain) * self.rec_long

    def learn(self, ts: datetime, value: float) -> None:
        """Learn one point at `ts` against the own baseline (see `expected`)."""
        if self.level < 0:
            self.level = max(value, 0.5)
        mu = self.expected(ts)
        self.update(value, mu)
        self.seen += self.step
        x = min(value, mu + 3 * math.sqrt(mu + self.phi * mu * mu) + 1)
        s, h = self._slot(ts), ts.weekday() * 24 + ts.hour
        d, w = self.day[s], self.week[h]
        self.level += self.a_level * (x / max(d * w, 1e-3) - self.level)
        if self.seen >= 86400:  # factors once a day has set the level
            base = max(self.level, 1e-3)
            self.day[s] += self.a_day * (min(x / (base * w), 20.0) - d)
            if self.seen >= 7 * 86400:
                self.week[h] += self.a_day * self.step / 3600 * (min(x / (base * self.day[s]), 20.0) - w)
                self.week[h] = max(0.05, min(20.0, self.week[h]))

    def update(self, value: float, mu: float) -> None:
        """Learn one point against the forecast `mu` (dispersion and records only)."""
        mu = max(mu, 0.0)
        if len(self.recent) == self.recent.maxlen:
            old_s, old_l, old_v = self.recent[0]
        else:
            old_s = old_l = old_v = 1.0
        self.rec_short = max(1.0, self.rec_short * self.decay, old_s)
        self.rec_long = max(1.0, self.rec_long * self.decay, old_l)
        self.rec_level = max(1.0, self.rec_level * self.decay, old_v)
        self._learn_block(value, mu)
        self.recent.append((*self.ratios(value, mu), self.persistence()))
        self.short = [
            self.short[0] + self.a_short * (value - self.short[0]),
            self.short[1] + self.a_short * (mu - self.short[1]),
        ]
        self.long = [
            self.long[0] + self.a_long * (value - self.long[0]),
            self.long[1] + self.a_long * (mu - self.long[1]),
        ]
        if mu >= 0.5:
            x = min(value, mu + 6 * math.sqrt(mu + self.phi * mu * mu))
            self.phi += self.a_phi * (max(0.0, ((x - mu) ** 2 - mu) / (mu * mu)) - self.phi)
        obs, exp = self._window_sums()
        if exp >= 0.5:
            obs = min(obs, exp + 6 * math.sqrt(exp + self.phi_long * exp * exp))
            self.phi_long += self.a_phi * (max(0.0, ((obs - exp) ** 2 - exp) / (exp * exp)) - self.phi_long)

    def _learn_block(self, value: float, mu: float) -> None:
        """Add a point to the current hour block; when it is whole, keep it and learn the dispersion of
        hourly sums from it (method of moments, clipped at 3 standard deviations like the baseline)."""
        self.cur[0] += max(value, 0.0)
        self.cur[1] += mu
        self.cur[2] += 1
        if self.cur[2] < self.blk:
            return
        obs, exp = self.cur[0], self.cur[1]
        self.hours.append((obs, exp))
        self.cur = [0.0, 0.0, 0]
        if exp >= 0.5:
            obs = min(obs, exp + 3 * math.sqrt(exp + self.phi_level * exp * exp))
            a = min(0.05, 3600.0 / 86400 / 3)  # about three days of hours
            self.phi_level += a * (max(0.0, ((obs - exp) ** 2 - exp) / (exp * exp)) - self.phi_level)

    def persistence(self) -> float:
        """The smallest hourly ratio `(counts + 1) / (expected + 1)` over the last `LEVEL_HOURS` whole hours
        (1 until there are that many): how far the volume has *stayed* above its baseline. A benign burst
        decays within an hour or two, so its smallest hour is near 1; a step or a ramp stays up.

        >>> m = BurstMemory(step_seconds=3600)
        >>> for v in [10, 10, 40, 10, 10, 10]:  # one burst hour
        ...     m.update(float(v), 10.0)
        >>> m.persistence()
        1.0
        >>> for v in [30, 30, 30, 30]:  # four hours at 3x
        ...     m.update(float(v), 10.0)
        >>> round(m.persistence(), 2)
        2.82
        """
        if not self.level_hours or len(self.hours) < self.level_hours:
            return 1.0
        return min((o + 1.0) / (e + 1.0) for o, e in self.hours)

    def level_change(self) -> float:
        """Evidence of a level change or a ramp: when each of the last `LEVEL_HOURS` whole hours stayed at
        least `LEVEL_MIN` x the baseline and the smallest of their ratios beats the recent record of that
        persistence (the bursts and baseline errors of the last days, 6 hours lagged), `LEVEL_HOURS` x the
        -log10 NB tail of the *least* surprising of those hours (under the dispersion learned for hourly
        sums): the chance that every one of them is that high, as if hours were independent. Else 0.
        However the bursts before it looked at shorter scales, a rise that stays for hours is news."""
        p_min = self.persistence()
        if self.seen < 2 * 86400 or p_min < max(LEVEL_MIN, self.rec_level):
            return 0.0
        r = 1.0 / max(self.phi_level, 1e-6)
        worst = 0.0
        for obs, exp in self.hours:
            exp = max(exp, 0.5)
            p = float(stats.nbinom.sf(math.floor(obs) - 1, r, r / (r + exp)))
            worst = max(worst, p)
        return self.level_hours * -math.log10(max(worst, 1e-300))

    def _window_sums(self) -> tuple[float, float]:
        """Counts and forecast summed over the long scale's effective window (about 3 hours)."""
        n = (2 - self.a_long) / self.a_long
        return self.long[0] * n, self.long[1] * n

    def sustained(self, value: float, mu: float) -> float:
        """-log10 P(a 3-hour sum this high) under a negative binomial with the learned long-scale dispersion,
        when the rise is also novel at that scale (else 0): a lasting rise, not one burst."""
        _, rl = self.ratios(value, mu)
        if self.seen < 2 * 86400 or rl <= math.sqrt(self.gain) * self.rec_long:
            return 0.0
        n = (2 - self.a_long) / self.a_long
        a = self.a_long
        obs = (self.long[0] + a * (max(value, 0.0) - self.long[0])) * n
        exp = max((self.long[1] + a * (max(mu, 0.0) - self.long[1])) * n, 0.5)
        if obs <= exp:
            return 0.0
        r = 1.0 / max(self.phi_long, 1e-6)
        p = float(stats.nbinom.sf(math.floor(obs) - 1, r, r / (r + exp)))
        return -math.log10(max(p, 1e-300))

    def band(self, mu: float, q: float = 0.99) -> tuple[float, float]:
        """The central `q` interval of a negative binomial with mean `mu` and the learned dispersion."""
        return nb_interval(mu, self.phi, q)


def nb_interval(mu: float, phi: float, q: float = 0.99) -> tuple[float, float]:
    """Central `q` interval of NB(mean mu, variance mu + phi mu^2) (Poisson when phi is ~0).

    >>> nb_interval(10.0, 0.0, 0.95)
    (4.0, 17.0)
    """
    if mu <= 0:
        return 0.0, 0.0
    lo_q, hi_q = (1 - q) / 2, 1 - (1 - q) / 2
    if phi < 1e-6:
        return float(stats.poisson.ppf(lo_q, mu)), float(stats.poisson.ppf(hi_q, mu))
    r = 1.0 / phi
    p = r / (r + mu)
    return float(stats.nbinom.ppf(lo_q, r, p)), float(stats.nbinom.ppf(hi_q, r, p))


class AlarmBudget:
    """At most `per_week` alarms a week per series: a token bucket that refills continuously.

    The bucket starts full and holds `per_week` tokens (at least one); each alarm spends one.

    >>> b = AlarmBudget(1.0)
    >>> b.spend(0.0), b.spend(3600.0), b.spend(8 * 86400.0)
    (True, False, True)
    """

    __slots__ = ("last", "per_week", "tokens")

    def __init__(self, per_week: float):
        self.per_week = per_week
        self.tokens = max(1.0, per_week)
        self.last = 0.0

    def spend(self, seconds_seen: float) -> bool:
        """Take a token for an alarm at `seconds_seen` into the series; False when the budget is spent."""
        refill = (seconds_seen - self.last) / (7 * 86400) * self.per_week
        self.tokens = min(max(1.0, self.per_week), self.tokens + max(0.0, refill))
        self.last = seconds_seen
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False
