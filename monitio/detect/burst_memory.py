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


class BurstMemory:
    """Dispersion and decaying burst records of one count series (river verbs: `update`)."""

    __slots__ = (
        "a_day",
        "a_level",
        "a_long",
        "a_phi",
        "a_short",
        "day",
        "decay",
        "gain",
        "level",
        "long",
        "phi",
        "phi_long",
        "rec_long",
        "rec_short",
        "recent",
        "seen",
        "short",
        "step",
        "week",
    )

    def __init__(self, *, step_seconds: float, halflife_hours: float = 48.0, gain: float = 3.0, lag_hours: float = 6.0):
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
        self.rec_short = self.rec_long = 1.0
        # the last `lag_hours` of ratios, folded into the records only when they leave: a burst is
        # compared with the bursts before it, not with its own rise
        self.recent: deque[tuple[float, float]] = deque(maxlen=max(1, round(lag_hours * 3600 / step)))

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
            old_s, old_l = self.recent[0]
        else:
            old_s = old_l = 1.0
        self.rec_short = max(1.0, self.rec_short * self.decay, old_s)
        self.rec_long = max(1.0, self.rec_long * self.decay, old_l)
        self.recent.append(self.ratios(value, mu))
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
