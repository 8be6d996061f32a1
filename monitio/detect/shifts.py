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
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Connection, func, select

from monitio.detect.stattests import betabinom_tail, bh_mask
from monitio.detect.store import SignalDraft
from monitio.detect.why import shift_why
from monitio.store.schema import ALL, UNKNOWN, post_categories, posts, rollups

WINDOWS = (24, 48)
BASELINE_DAYS = 14
MIN_WINDOW = 30
MIN_BASELINE = 100
MIN_RISE = 0.15
FDR = 0.01


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


def find_shifts(conn: Connection, end: datetime, *, fdr: float = FDR) -> list[Shift]:
    """Rises of negative share that pass Benjamini-Hochberg, largest first."""
    longest = max(WINDOWS)
    start = end - timedelta(days=BASELINE_DAYS, hours=longest)
    hours = int((end - start).total_seconds() // 3600)
    q = (
        select(
            rollups.c.bucket,
            rollups.c.market,
            rollups.c.category,
            func.sum(rollups.c.count),
            func.sum(rollups.c.negative),
        )
        .where(
            rollups.c.bucket >= start, rollups.c.bucket < end, rollups.c.category != ALL, rollups.c.market != UNKNOWN
        )
        .group_by(rollups.c.bucket, rollups.c.market, rollups.c.category)
    )
    counts: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros((2, hours)))
    for bucket, market, category, n, neg in conn.execute(q):
        i = int((bucket - start).total_seconds() // 3600)
        if 0 <= i < hours:
            counts[(market, category)][:, i] += (float(n), float(neg or 0))
    tested: list[Shift] = []
    base_len = hours - longest
    for (market, category), arr in counts.items():
        n_b, k_b = arr[:, :base_len].sum(axis=1)
        if n_b < MIN_BASELINE:
            continue
        days = base_len // 24
        daily = arr[:, base_len - days * 24 : base_len].reshape(2, days, 24).sum(axis=2)
        rho = icc(daily[0], daily[1])
        before = (k_b + 1) / (n_b + 2)
        for w in WINDOWS:
            n_w, k_w = arr[:, hours - w :].sum(axis=1)
            if n_w < MIN_WINDOW:
                continue
            p = betabinom_tail(int(k_w), int(n_w), before, rho)
            tested.append(Shift(market, category, w, before, k_w / n_w, int(n_b), int(n_w), int(k_w), rho, p))
    if not tested:
        return []
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


def shift_drafts(conn: Connection, end: datetime, taxonomy, *, fdr: float = FDR) -> list[SignalDraft]:
    """`sentiment_shift` drafts, one per market x category."""
    cats = getattr(taxonomy, "categories", {}) or {}
    drafts = []
    for s in find_shifts(conn, end, fdr=fdr):
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
