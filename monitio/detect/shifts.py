"""Sentiment shifts: a risk category's negative share in one market rising well above its usual level.

From the hourly rollups, for each market x category: the negative share of the last 24 h and of the
last 48 h against the 14 days before those 48 h. The baseline share is smoothed
`(negative + 1) / (posts + 2)`; the day-to-day wobble of the share (intra-class correlation `rho`,
estimated by moments from the 14 daily shares, at least 0.002) makes the test a beta-binomial tail
instead of a binomial one, so categories whose mood swings a lot need a bigger move. A pair is tested
when the window has at least 30 posts and the baseline at least 100, and reported only when the share
rose by at least 15 points; Benjamini-Hochberg at `fdr` runs across every (market, category, window)
tested, and each pair keeps its best window.

>>> round(icc([10, 10, 10], [3, 3, 3]), 3)
0.002
>>> icc([50, 50, 50, 50], [5, 45, 5, 45]) >= 0.5
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Connection, select

from monitio.detect.frame import RollupFrame
from monitio.detect.stattests import betabinom_tails, bh_mask
from monitio.detect.store import SignalDraft
from monitio.detect.why import shift_why
from monitio.store.schema import ALL, UNKNOWN, post_categories, posts

WINDOWS = (24, 48)
BASELINE_DAYS = 14
MIN_WINDOW = 30
MIN_BASELINE = 100
MIN_RISE = 0.15
FDR = 0.01
SPAN = timedelta(days=BASELINE_DAYS, hours=max(WINDOWS))
"""How far back the test looks: the baseline and the longest window."""


def icc(n_daily, k_daily) -> float:
    """Moment estimate of the intra-class correlation of daily negative counts `k` out of `n` posts."""
    n = np.asarray(n_daily, dtype=float)
    k = np.asarray(k_daily, dtype=float)
    keep = n > 0
    n, k = n[keep], k[keep]
    if len(n) < 3:
        return 0.002
    p0 = k.sum() / n.sum()
    if p0 <= 0 or p0 >= 1:
        return 0.002
    s2 = float(np.sum(n * (k / n - p0) ** 2) / (len(n) - 1))
    rho = (s2 / (p0 * (1 - p0)) - 1) / max(n.mean() - 1, 1.0)
    return float(min(0.5, max(0.002, rho)))


@dataclass
class Shift:
    """A rise of one market x category's negative share."""

    market: str
    category: str
    hours: int
    before: float
    after: float
    n_before: int
    n_after: int
    negative_after: int
    rho: float
    p_value: float


def find_shifts(conn: Connection, end: datetime, *, fdr: float = FDR, frame: RollupFrame | None = None) -> list[Shift]:
    """Rises of negative share that pass Benjamini-Hochberg, largest first.

    `frame`: rollups already read (a detection pass shares one with the series scan); read here when it does
    not cover the 16 days before `end`.
    """
    longest = max(WINDOWS)
    start = end - SPAN
    hours = int((end - start).total_seconds() // 3600)
    if frame is None or not frame.covers(start, end):
        frame = RollupFrame.load(conn, start, end)
    first = int((start - frame.start).total_seconds() // 3600)
    span = slice(first, first + hours)
    # Pairs in the order of their first rollup row in the range, as the rows would be read sorted.
    pairs = [i for i in frame.pairs_in(start, hours) if frame.categories[i] != ALL and frame.markets[i] != UNKNOWN]
    if not pairs:
        return []
    n_all, k_all = frame.count[pairs, span], frame.negative[pairs, span]
    base_len = hours - longest
    days = base_len // 24
    n_base, k_base = n_all[:, :base_len].sum(axis=1), k_all[:, :base_len].sum(axis=1)
    daily_n = n_all[:, base_len - days * 24 : base_len].reshape(len(pairs), days, 24).sum(axis=2)
    daily_k = k_all[:, base_len - days * 24 : base_len].reshape(len(pairs), days, 24).sum(axis=2)
    windows = {w: (n_all[:, hours - w :].sum(axis=1), k_all[:, hours - w :].sum(axis=1)) for w in WINDOWS}
    tested: list[Shift] = []
    for j, i in enumerate(pairs):
        n_b, k_b = n_base[j], k_base[j]
        if n_b < MIN_BASELINE:
            continue
        rho = icc(daily_n[j], daily_k[j])
        before = (k_b + 1) / (n_b + 2)
        for w in WINDOWS:
            n_w, k_w = windows[w][0][j], windows[w][1][j]
            if n_w < MIN_WINDOW:
                continue
            market, category = frame.markets[i], frame.categories[i]
            tested.append(Shift(market, category, w, before, k_w / n_w, int(n_b), int(n_w), int(k_w), rho, 1.0))
    if not tested:
        return []
    p_values = betabinom_tails(
        [s.negative_after for s in tested], [s.n_after for s in tested], [s.before for s in tested],
        [s.rho for s in tested],
    )  # fmt: skip
    for s, p in zip(tested, p_values, strict=True):
        s.p_value = float(p)
    keep = bh_mask([s.p_value for s in tested], fdr)
    best: dict[tuple[str, str], Shift] = {}
    for s, k in zip(tested, keep, strict=True):
        if k and s.after - s.before >= MIN_RISE:
            key = (s.market, s.category)
            if key not in best or s.p_value < best[key].p_value:
                best[key] = s
    return sorted(best.values(), key=lambda s: (-(s.after - s.before), s.p_value))


def _severity(s: Shift) -> int:
    """1-7 from the size of the rise, its certainty and the volume; a mood shift alone is at most a 7."""
    sev = 1 + 6 * (s.after - s.before) + 0.08 * min(30.0, -math.log10(max(s.p_value, 1e-300)))
    return int(max(1, min(7, round(sev + 0.5 * math.log10(max(s.n_after, 1))))))


def _negative_posts(conn: Connection, market: str, category: str, start: datetime, end: datetime) -> list[int]:
    """The most engaging negative posts of the window (evidence)."""
    q = (
        select(posts.c.id)
        .join(post_categories, post_categories.c.post_id == posts.c.id)
        .where(
            post_categories.c.category == category,
            post_categories.c.market == market,
            post_categories.c.published_at >= start,
            post_categories.c.published_at < end,
            posts.c.sentiment_label == "negative",
        )
        .order_by((posts.c.likes + posts.c.shares + posts.c.comments).desc(), posts.c.id)
        .limit(8)
    )
    return list(conn.execute(q).scalars())


def shift_drafts(
    conn: Connection, end: datetime, taxonomy, *, fdr: float = FDR, frame: RollupFrame | None = None
) -> list[SignalDraft]:
    """`sentiment_shift` drafts, one per market x category."""
    cats = getattr(taxonomy, "categories", {}) or {}
    drafts = []
    for s in find_shifts(conn, end, fdr=fdr, frame=frame):
        start = end - timedelta(hours=s.hours)
        name = getattr(cats.get(s.category), "name", s.category)
        drafts.append(
            SignalDraft(
                key=f"shift:mkt={s.market}|cat={s.category}",
                kind="sentiment_shift",
                severity=_severity(s),
                score=float(min(1.0, (s.after - s.before) / 0.5)),
                confidence=float(1 - s.p_value),
                window_start=start,
                window_end=end - timedelta(hours=1),
                observed=float(s.negative_after),
                expected=float(s.before * s.n_after),
                markets=[s.market],
                categories=[s.category],
                langs=[],
                why=shift_why(
                    name=name,
                    market=s.market,
                    before=s.before,
                    after=s.after,
                    n_after=s.n_after,
                    n_before=s.n_before,
                    hours=s.hours,
                ),
                evidence=_negative_posts(conn, s.market, s.category, start, end),
                first_seen=start,
                last_seen=end - timedelta(hours=1),
                persistence_hours=s.hours,
                details={
                    "negative_share_before": round(s.before, 3),
                    "negative_share_after": round(s.after, 3),
                    "negative_share": round(s.after, 3),
                    "posts_before": s.n_before,
                    "posts_after": s.n_after,
                    "rho": round(s.rho, 4),
                    "p_value": s.p_value,
                },
            )
        )
    return drafts
