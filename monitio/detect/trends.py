"""Emerging narratives, term bursts and sentiment shifts in one call, folded into the stories already found.

A trend that is part of a story another detector already tells (a spike or campaign of the same
category, in an overlapping market and time) is not a signal of its own: it is added to that
signal's `details["related"]` and one clause of its *why*, so one event stays one signal. Narratives
are folded first; the ones left stand as stories for the term bursts (when they share a term) and
the sentiment shifts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from monitio.detect.store import SignalDraft

STORY_KINDS = {"spike", "build-up", "level-shift", "campaign", "emerging_narrative"}


def trend_drafts(
    conn: Connection, end: datetime, taxonomy, stories: list[SignalDraft], *, frame=None, fanout=None
) -> list[SignalDraft]:
    """New drafts for trends no story explains; `stories` gain the related trends in place.

    `frame`: the pass's `RollupFrame`, reused by the sentiment shifts when it covers their range.
    `fanout`: a cluster for the term bursts' per-market tests (see `detect.fanout`).
    """
    from monitio.detect.bursts import burst_drafts
    from monitio.detect.emerging import narrative_drafts
    from monitio.detect.shifts import shift_drafts

    alone = fold_into(stories, narrative_drafts(conn, end, taxonomy))
    trends = burst_drafts(conn, end, taxonomy, fanout=fanout) + shift_drafts(conn, end, taxonomy, frame=frame)
    return alone + fold_into(stories + alone, trends)


def _overlaps(trend: SignalDraft, story: SignalDraft) -> bool:
    if story.kind not in STORY_KINDS or not set(trend.categories) & set(story.categories):
        return False
    if trend.markets and story.markets and not set(trend.markets) & set(story.markets):
        return False
    if story.kind == "emerging_narrative" and trend.kind == "term_burst":  # same words, not just same category
        words = set(story.details.get("label", [])) | {
            t for ts in story.details.get("terms_by_lang", {}).values() for t in ts
        }
        if not words & {t["term"] for t in trend.details.get("terms", [])}:
            return False
    return trend.window_start <= story.window_end + timedelta(hours=1) and story.window_start <= trend.window_end


def _clause(d: SignalDraft) -> str:
    if d.kind == "emerging_narrative":
        label = ", ".join(f"'{t}'" for t in d.details.get("label", [])[:3])
        return f"main narrative {label} (#{d.details.get('narrative_id')}, {d.observed:.0f} posts)"
    if d.kind == "term_burst":
        terms = [t["term"] for t in d.details.get("terms", [])[:3]]
        return "bursting terms " + ", ".join(f"'{t}'" for t in terms) + f" in {d.markets[0]}"
    before, after = d.details.get("negative_share_before", 0), d.details.get("negative_share_after", 0)
    return f"negative share in {d.markets[0]} up from {before:.0%} to {after:.0%}"


def fold_into(stories: list[SignalDraft], trends: list[SignalDraft]) -> list[SignalDraft]:
    """Attach each trend to the first story it overlaps; return the trends that stand alone.

    >>> from datetime import datetime, UTC
    >>> t = datetime(2026, 11, 24, tzinfo=UTC)
    >>> mk = lambda kind, cats, mkts, **kw: SignalDraft(key=kind, kind=kind, severity=5, score=1, confidence=1,
    ...     window_start=t, window_end=t, observed=10, expected=1, markets=mkts, categories=cats, langs=[],
    ...     why="Spike.", evidence=[], first_seen=t, last_seen=t, **kw)
    >>> spike = mk("spike", ["scam_ads"], ["ID"])
    >>> shift = mk("sentiment_shift", ["scam_ads"], ["ID"], details={"negative_share_before": 0.2,
    ...     "negative_share_after": 0.6})
    >>> other = mk("sentiment_shift", ["refunds"], ["TH"], details={})
    >>> [d.key for d in fold_into([spike], [shift, other])], spike.why
    (['sentiment_shift'], 'Spike. Also: negative share in ID up from 20% to 60%.')
    """
    alone = []
    for d in trends:
        story = next((s for s in stories if _overlaps(d, s)), None)
        if story is None:
            alone.append(d)
            continue
        related = story.details.setdefault("related", [])
        if not related:
            story.why = story.why.rstrip() + " Also: " + _clause(d) + "."
        elif len(related) < 3:
            story.why = story.why.rstrip()[:-1] + "; " + _clause(d) + "."
        related.append({"kind": d.kind, "key": d.key, "why": d.why, "evidence": d.evidence[:4]})
    return alone
