"""One detection pass over the store: rollup spikes and copy-paste campaigns become signals.

Series scanned (hourly counts from the rollups): every category, every market x category, and the
total. Findings of one category are merged into one signal that names the markets where it rose
(in the order they rose), so one event spreading across markets reads as one story.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import numpy as np
from sqlalchemy import Connection, func, select

from monitio.detect.campaigns import find_campaigns
from monitio.detect.fanout import Fanout
from monitio.detect.frame import RollupFrame
from monitio.detect.scan import Finding, join_candidates, scan_candidates, scan_series
from monitio.detect.shifts import SPAN as SHIFT_SPAN
from monitio.detect.store import SignalDraft, upsert_signals
from monitio.detect.trends import trend_drafts
from monitio.detect.why import campaign_why, spike_why, term_counts
from monitio.store.schema import post_categories, posts, rollups

HISTORY_DAYS = 35
MIN_MARKET_POSTS = 10
"""A market is named in a signal only when at least this many of its posts are in the anomaly."""


@dataclass
class DetectReport:
    """What a detection pass did."""

    series: int = 0
    findings: int = 0
    campaigns: int = 0
    new: int = 0
    updated: int = 0
    closed: int = 0
    open_signals: int = 0

    def as_json(self) -> dict[str, int]:
        return asdict(self)


def _hour(ts: datetime) -> datetime:
    return ts.replace(minute=0, second=0, microsecond=0)


def load_series(conn: Connection, start: datetime, hours: int) -> dict[str, np.ndarray]:
    """Hourly count arrays keyed `total`, `cat=C`, `cat=C|mkt=M`, from the rollups (see `frame.RollupFrame`)."""
    return RollupFrame.load(conn, start, start + timedelta(hours=hours)).series(start, hours)


def _parse_key(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split("|") if "=" in part)


def detect_signals(ws, *, now: datetime | None = None, fanout: Fanout | None = None) -> DetectReport:
    """Scan the rollups and recent posts, store signals; `now` defaults to the newest data hour.

    With a `fanout` (`monitio.scale.detect.ClusterFanout`), the spike scan's series, the copy-paste
    groups' campaign tests and the term bursts' markets are computed in groups on a cluster's workers
    and joined here (false-discovery step, ordering), so the signals are the ones one process finds.
    """
    from monitio.taxonomy.loader import load_taxonomy

    settings = ws.settings
    taxonomy = load_taxonomy(settings.taxonomy)
    report = DetectReport()
    with ws.engine.begin() as conn:
        newest = conn.execute(select(func.max(rollups.c.bucket))).scalar()
        if newest is None:  # no posts yet: only collector health can signal
            report.new, report.updated, report.closed = upsert_signals(
                conn,
                _source_drafts(ws, now or datetime.now(UTC)),
                close_after=timedelta(hours=settings.detect_window_hours),
                now=now or datetime.now(UTC),
            )
            report.open_signals = report.new + report.updated
            return report
        end = _hour(now) if now else newest + timedelta(hours=1)
        # History starts at the first stored hour: hours before any data are not quiet hours, and
        # counting them as zeros would lower the baseline (a new workspace would see "level shifts").
        oldest = conn.execute(select(func.min(rollups.c.bucket))).scalar()
        start = max(end - timedelta(days=HISTORY_DAYS), _hour(oldest))
        hours = int((end - start).total_seconds() // 3600)
        # One read of the rollups serves the series scan and the sentiment shifts (which look back 16 days).
        frame = RollupFrame.load(conn, min(start, end - SHIFT_SPAN), end)
        series = frame.series(start, hours)
        report.series = len(series)
        scanned = _scan(series, start, settings, fanout)  # on a cluster, workers scan while campaigns are read
        since = end - timedelta(hours=settings.detect_window_hours)
        campaigns = find_campaigns(conn, since, end, fanout=fanout)
        findings = scanned()
        report.findings = len(findings)
        drafts = _spike_drafts(conn, findings, series, start, taxonomy)
        report.campaigns = len(campaigns)
        drafts = [d for d in drafts if not _explained_by_campaign(d, campaigns)]
        drafts += [_campaign_draft(conn, c, taxonomy) for c in campaigns]
        # emerging narratives, term bursts, sentiment shifts
        drafts += trend_drafts(conn, end, taxonomy, drafts, frame=frame, fanout=fanout)
        drafts += _source_drafts(ws, now or datetime.now(UTC))
        report.new, report.updated, report.closed = upsert_signals(
            conn,
            drafts,
            close_after=timedelta(hours=settings.detect_window_hours),
            now=end,
            detected_at=min(end, now or datetime.now(UTC)),
        )
        from monitio.store.schema import signals

        report.open_signals = conn.execute(
            select(func.count()).select_from(signals).where(signals.c.status == "open")
        ).scalar_one()
    return report


def _scan(series: dict[str, np.ndarray], start: datetime, settings, fanout: Fanout | None):
    """The spike scan, as a callable returning its findings: done here, or its per-series part started on
    the fanout's workers in groups (joined when called)."""
    window, fdr = settings.detect_window_hours, settings.detect_fdr
    if fanout is None:
        findings = scan_series(series, start, window_hours=window, fdr=fdr)
        return lambda: findings
    groups = [dict(group) for group in fanout.split(list(series.items()))]
    collect = fanout.start(partial(scan_candidates, start=start, window_hours=window), groups)
    return lambda: join_candidates(collect(), start, total=len(series), fdr=fdr)


def _spike_drafts(conn, findings: list[Finding], series, start, taxonomy) -> list[SignalDraft]:
    by_cat: dict[str, list[Finding]] = defaultdict(list)
    total: list[Finding] = []
    for f in findings:
        parts = _parse_key(f.key)
        if "cat" in parts:
            by_cat[parts["cat"]].append(f)
        else:
            total.append(f)
    drafts = []
    for cat, group in by_cat.items():
        meta = taxonomy.categories.get(cat) if hasattr(taxonomy, "categories") else None
        market_findings = sorted((f for f in group if "mkt" in _parse_key(f.key)), key=lambda f: f.window_start)
        head = max(group, key=lambda f: (f.severity, f.score))
        cat_level = next((f for f in group if "mkt" not in _parse_key(f.key)), head)
        markets: list[str] = []
        for f in market_findings:
            m = _parse_key(f.key)["mkt"]
            if m not in markets:
                markets.append(m)
        window_start = min(f.window_start for f in group)
        window_end = max(f.window_end for f in group)
        scope = market_findings or [cat_level]
        observed = sum(f.observed for f in scope)
        expected = sum(f.expected for f in scope)
        cat_sev = getattr(meta, "default_severity", 5)
        severity = int(max(1, min(10, round(0.7 * head.severity + 0.3 * cat_sev))))
        evidence, neg_share, langs, terms, complaint_share = _category_evidence(
            conn, cat, markets, window_start, window_end
        )
        first_by_market = {}
        for f in market_findings:
            first_by_market.setdefault(_parse_key(f.key)["mkt"], f.window_start)
        why = spike_why(
            name=getattr(meta, "name", cat),
            markets=markets,
            observed=observed,
            expected=expected,
            window_start=window_start,
            window_end=window_end,
            negative_share=neg_share,
            complaint_share=complaint_share,
            terms=terms,
            shape=head.shape,
            first_by_market=first_by_market,
        )
        curve = _mark_partial(cat_level.curve or head.curve)
        drafts.append(
            SignalDraft(
                key=f"spike:cat={cat}",
                kind="spike" if head.shape == "spike" else head.shape,
                severity=severity,
                score=float(head.score),
                confidence=float(1 - head.p_value),
                window_start=window_start,
                window_end=window_end,
                observed=float(observed),
                expected=float(expected),
                markets=markets,
                categories=[cat],
                langs=langs,
                why=why,
                evidence=evidence,
                first_seen=min(f.onset or f.window_start for f in group),
                last_seen=window_end,
                persistence_hours=max(f.persistence_hours for f in group),
                details={
                    "curve": curve,
                    "negative_share": neg_share,
                    "complaint_share": complaint_share,
                    "top_terms": terms,
                    "shape": head.shape,
                    "first_by_market": {m: t.isoformat() for m, t in first_by_market.items()},
                    "series": [f.key for f in group],
                },
            )
        )
    covered = [(d.window_start, d.window_end) for d in drafts]
    for f in total:
        if any(s <= f.window_end and f.window_start <= e for s, e in covered):
            continue  # explained by a category signal
        drafts.append(
            SignalDraft(
                key="spike:total",
                kind="volume",
                severity=min(3, f.severity),
                score=float(f.score),
                confidence=float(1 - f.p_value),
                window_start=f.window_start,
                window_end=f.window_end,
                observed=float(f.observed),
                expected=float(f.expected),
                markets=[],
                categories=[],
                langs=[],
                why=spike_why(
                    name="All posts (no risk category)",
                    markets=[],
                    observed=f.observed,
                    expected=f.expected,
                    window_start=f.window_start,
                    window_end=f.window_end,
                    negative_share=None,
                    terms=[],
                    shape=f.shape,
                    first_by_market={},
                ),
                evidence=_recent_evidence(conn, f.window_start, f.window_end),
                first_seen=f.onset or f.window_start,
                last_seen=f.window_end,
                persistence_hours=f.persistence_hours,
                details={"shape": f.shape, "curve": _mark_partial(f.curve)},
            )
        )
    return drafts


def _mark_partial(curve: list[dict], now: datetime | None = None) -> list[dict]:
    """Flag the last point `partial` when its hour has not ended yet (it is still filling up)."""
    if curve:
        last = datetime.fromisoformat(curve[-1]["t"].replace("Z", "+00:00"))
        if last + timedelta(hours=1) > (now or datetime.now(UTC)):
            curve = [*curve[:-1], {**curve[-1], "partial": True}]
    return curve


def _category_evidence(conn, cat, markets, start, end, limit: int = 8):
    """Evidence post ids (most engaging first, spread over markets), negative share, languages, terms, complaint
    share (posts flagged as complaints: unmet expectations)."""
    q = (
        select(
            posts.c.id,
            posts.c.market,
            posts.c.lang,
            posts.c.sentiment_label,
            posts.c.evidence,
            posts.c.likes + posts.c.shares + posts.c.comments,
            posts.c.complaint,
        )
        .join(post_categories, post_categories.c.post_id == posts.c.id)
        .where(
            post_categories.c.category == cat,
            post_categories.c.published_at >= start,
            post_categories.c.published_at < end + timedelta(hours=1),
        )
    )
    if markets:
        q = q.where(post_categories.c.market.in_(markets))
    rows = conn.execute(q).all()
    if not rows:
        return [], None, [], [], None
    neg = sum(r.sentiment_label == "negative" for r in rows) / len(rows)
    complaints = sum(bool(r.complaint) for r in rows) / len(rows)
    langs = [k for k, _ in sorted(_count(r.lang for r in rows).items(), key=lambda kv: -kv[1])[:4]]
    terms = term_counts((r.evidence or {}).get(cat, {}).get("terms", []) for r in rows)
    by_market: dict[str, list] = defaultdict(list)
    for r in sorted(rows, key=lambda r: -r[5]):
        by_market[r.market].append(r.id)
    picked: list[int] = []
    order = markets or list(by_market)
    while len(picked) < limit and any(by_market.values()):
        for m in order:
            if by_market.get(m) and len(picked) < limit:
                picked.append(by_market[m].pop(0))
        order = [m for m in order if by_market.get(m)] or [m for m in by_market if by_market[m]]
    return picked, round(neg, 3), langs, terms, round(complaints, 3)


def _count(values) -> dict:
    out: dict = defaultdict(int)
    for v in values:
        if v:
            out[v] += 1
    return out


def _recent_evidence(conn, start, end, limit: int = 5) -> list[int]:
    return list(
        conn.execute(
            select(posts.c.id)
            .where(posts.c.published_at >= start, posts.c.published_at < end + timedelta(hours=1))
            .order_by((posts.c.likes + posts.c.shares + posts.c.comments).desc())
            .limit(limit)
        ).scalars()
    )


def _source_drafts(ws, now: datetime) -> list[SignalDraft]:
    """A collector that keeps failing is a signal of its own, so a silent source is noticed."""
    from monitio.sources.base import failing_sources

    drafts = []
    for f in failing_sources(ws.engine, ws.settings.source_failure_threshold):
        since = f["last_success_at"]
        why = (
            f"Source '{f['source']}' failed {f['failures']} times in a row"
            + (f"; last success {since:%Y-%m-%d %H:%M} UTC" if since else "; it has never succeeded")
            + f". Last error: {f['last_error']}. Posts from it are missing until it is fixed."
        )
        drafts.append(
            SignalDraft(
                key=f"source:{f['source']}",
                kind="source_failing",
                severity=min(8, 3 + f["failures"] // 3),
                score=min(1.0, f["failures"] / 10),
                confidence=1.0,
                window_start=since or now,
                window_end=now,
                observed=float(f["failures"]),
                expected=0.0,
                markets=[],
                categories=[],
                langs=[],
                why=why,
                evidence=[],
                first_seen=since or now,
                last_seen=now,
                details={"source": f["source"]},
            )
        )
    return drafts


def _explained_by_campaign(draft: SignalDraft, campaigns) -> bool:
    """A category spike that is mostly one campaign's posts is reported once, as the campaign."""
    for c in campaigns:
        overlap = c.burst_start <= draft.window_end + timedelta(hours=1) and draft.window_start <= c.burst_end
        if overlap and set(draft.categories) & set(c.categories) and len(c.post_ids) >= 0.5 * draft.observed:
            return True
    return False


CONTEXT_SEVERITY = 3
"""The most a campaign with no risk content and no sign of coordination can score."""
FRESH_SHARE = 0.5
TIGHT_HOURS = 1.0


def campaign_risk(c) -> tuple[bool, bool]:
    """(risky, coordinated): risk in the content (a category, a scam indicator, an impersonated figure),
    or accounts that look coordinated (half or more new in the window, or all of the burst within an hour).

    >>> from types import SimpleNamespace as NS
    >>> from datetime import datetime, timedelta
    >>> t = datetime(2026, 1, 1)
    >>> four_h = dict(burst_start=t, burst_end=t + timedelta(hours=4))
    >>> chant = NS(categories=[], scam_kinds=[], fresh_authors=2, authors=40, **four_h)
    >>> campaign_risk(chant)
    (False, False)
    >>> campaign_risk(NS(**{**vars(chant), "scam_kinds": ["messaging"]}))
    (True, False)
    """
    risky = bool(c.categories or c.scam_kinds)
    fresh = c.fresh_authors >= FRESH_SHARE * max(c.authors, 1)
    tight = (c.burst_end - c.burst_start).total_seconds() <= TIGHT_HOURS * 3600
    return risky, bool(fresh or tight)


def _campaign_draft(conn, c, taxonomy) -> SignalDraft:
    cat_sev = max((getattr(taxonomy.categories.get(x), "default_severity", 5) for x in c.categories), default=5)
    size_sev = min(10, 3 + int(np.log2(max(c.burst_authors, 1) / 10 + 1) * 2))
    severity = int(max(1, min(10, round(0.6 * size_sev + 0.4 * cat_sev + 1))))
    spread = max((c.burst_end - c.burst_start).total_seconds() / 3600, 1)
    risky, coordinated = campaign_risk(c)
    if not (risky or coordinated):
        severity = min(severity, CONTEXT_SEVERITY)  # benign repeats (chants, memes, quotes): context only
    return SignalDraft(
        key=f"campaign:{c.key}",
        kind="campaign",
        severity=severity,
        score=float(min(1.0, c.burst_authors / 100)),
        confidence=0.9,
        window_start=c.burst_start,
        window_end=c.burst_end,
        observed=float(len(c.post_ids)),
        expected=0.0,
        markets=c.markets,
        categories=c.categories,
        langs=c.langs,
        why=campaign_why(c, [getattr(taxonomy.categories.get(x), "name", x) for x in c.categories], spread),
        evidence=c.post_ids[:8],
        first_seen=c.first_seen,
        last_seen=c.last_seen,
        persistence_hours=int(spread),
        details={
            "risk": risky,
            "coordinated": coordinated,
            "scam_indicators": c.scam_kinds,
            "authors": c.authors,
            "burst_authors": c.burst_authors,
            "fresh_authors": c.fresh_authors,
            "posts": len(c.post_ids),
            "representative": c.representative[:500],
            "group_id": c.group_id,
            "group_size": c.group_size,
            "group_authors": c.group_authors,
        },
    )
