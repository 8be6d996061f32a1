"""Copy-paste campaigns: many distinct accounts posting near-identical text in a short window.

Near-duplicate groups are built incrementally at enrichment time (`monitio.enrich.dupgroups`: exact
copy-paste key, then MinHash LSH over character 5-grams), so detection does not regroup history: it
reads the groups seen in the window with at least `min_authors` distinct authors overall, loads only
their posts of the window, and keeps those where `min_authors` distinct authors posted within
`burst_hours`. A campaign is keyed by its group's stable id, so the same campaign found again updates
its signal instead of opening a new one.

Groups grow by chains of near-duplicates (A like B, B like C), so a group can collect loosely related
chatter; only the members near-identical to the group's most copied text (estimated Jaccard >=
`NEAR_REP`) count as the campaign.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, select

from monitio.detect.fanout import Fanout
from monitio.store.schema import UNKNOWN, posts
from monitio.store.schema_dupes import dup_groups

CHUNK = 1000
SCAM_KINDS = ("phone", "messaging", "short_link", "lookalike_link", "wallet", "returns", "impersonation")
"""Indicator kinds that make copy-paste text a scam risk (a bare link, sum of money or urgency does not)."""
NEAR_REP = 0.6
"""Estimated Jaccard (character 5-grams of the normalised text) a member needs to the most copied text."""


@dataclass
class Campaign:
    """A near-duplicate group posted by many accounts."""

    key: str
    post_ids: list[int]
    authors: int
    first_seen: datetime
    last_seen: datetime
    burst_start: datetime
    burst_end: datetime
    burst_authors: int
    markets: list[str]
    langs: list[str]
    categories: list[str]
    representative: str
    fresh_authors: int = 0
    group_id: int | None = None
    group_size: int = 0
    group_authors: int = 0
    scam_kinds: list[str] = field(default_factory=list)
    """`SCAM_KINDS` found in at least 30 % of the campaign's posts."""


def campaign_key(group_id: int) -> str:
    """The stable key of a group's campaign.

    >>> campaign_key(42)
    'group-42'
    """
    return f"group-{group_id}"


class GroupPost(NamedTuple):
    """The columns of a group member the campaign test reads (a plain tuple, cheap to send to a worker)."""

    id: int
    dup_key: str | None
    text: str
    author: str | None
    market: str | None
    lang: str | None
    categories: str | None
    published_at: datetime
    indicators: dict | None


class GroupHead(NamedTuple):
    """A near-duplicate group as the campaign test reads it."""

    id: int
    rep_text: str | None
    size: int
    authors: int


def find_campaigns(
    conn: Connection,
    since: datetime,
    until: datetime,
    *,
    min_authors: int = 20,
    burst_hours: int = 24,
    fanout: Fanout | None = None,
) -> list[Campaign]:
    """Campaigns among posts published in [since, until], read from the near-duplicate groups.

    With a `fanout` (a cluster), the groups' members are read here and tested on its workers
    (`group_campaigns`: near-identical members, densest window), in groups of groups.
    """
    width = timedelta(hours=burst_hours)
    if fanout is not None:
        found = _campaigns_fanned(conn, since, until, min_authors, width, fanout)
        _count_fresh_authors(conn, found, since)
        return sorted(found, key=lambda c: (-c.burst_authors, c.group_id))
    found = []
    for g in _window_groups(conn, since, until, min_authors):
        ids = [g.id, *conn.execute(select(dup_groups.c.id).where(dup_groups.c.merged_into == g.id)).scalars()]
        c = campaign_of(g, _members(conn, ids, since, until), min_authors, width)
        if c is not None:
            found.append(c)
    _count_fresh_authors(conn, found, since)
    return sorted(found, key=lambda c: (-c.burst_authors, c.group_id))


def _campaigns_fanned(conn, since, until, min_authors: int, width: timedelta, fanout: Fanout) -> list[Campaign]:
    """Members read here (only groups with enough authors in the window), tested on the fanout's workers:
    each slice of groups is handed out as soon as its members are read."""

    def slices():
        for heads in fanout.split(_window_groups(conn, since, until, min_authors)):
            todo = []
            for g in heads:
                ids = [g.id, *conn.execute(select(dup_groups.c.id).where(dup_groups.c.merged_into == g.id)).scalars()]
                members = [GroupPost(*m) for m in _members(conn, ids, since, until)]
                if len({m.author for m in members if m.author}) >= min_authors:
                    todo.append((GroupHead(*g), members))
            yield todo

    parts = fanout.map(group_campaigns, slices(), min_authors, width)
    return [c for part in parts for c in part]


def group_campaigns(groups: list[tuple[GroupHead, list]], min_authors: int, width: timedelta) -> list[Campaign]:
    """The campaigns of (group, members in the window) pairs, in their order (pure: reads and writes nothing)."""
    found = (campaign_of(g, members, min_authors, width) for g, members in groups)
    return [c for c in found if c is not None]


def _window_groups(conn: Connection, since: datetime, until: datetime, min_authors: int) -> list:
    return conn.execute(
        select(dup_groups.c.id, dup_groups.c.rep_text, dup_groups.c.size, dup_groups.c.authors).where(
            dup_groups.c.merged_into.is_(None),
            dup_groups.c.last_seen >= since,
            dup_groups.c.first_seen <= until,
            dup_groups.c.authors >= min_authors,
        )
    ).all()


def _members(conn: Connection, group_ids: list[int], since: datetime, until: datetime) -> list:
    return conn.execute(
        select(
            posts.c.id,
            posts.c.dup_key,
            posts.c.text,
            posts.c.author,
            posts.c.market,
            posts.c.lang,
            posts.c.categories,
            posts.c.published_at,
            posts.c.indicators,
        ).where(posts.c.dup_group.in_(group_ids), posts.c.published_at >= since, posts.c.published_at <= until)
    ).all()


def _near_modal(members: list, modal_key: str | None) -> list:
    """The members whose text is near-identical to the most copied one (same key, or Jaccard >= NEAR_REP)."""
    from monitio.enrich.dupes import normalize_for_dupes
    from monitio.enrich.minhash import signatures

    rep = next((m for m in members if m.dup_key == modal_key), members[0])
    rest = [m for m in members if modal_key is None or m.dup_key != modal_key]
    if not rest:
        return members
    sigs = signatures([normalize_for_dupes(rep.text)] + [normalize_for_dupes(m.text) for m in rest])
    close = (sigs[1:] == sigs[0]).mean(axis=1) >= NEAR_REP
    keep = {id(m) for m, ok in zip(rest, close, strict=True) if ok}
    return [m for m in members if (modal_key is not None and m.dup_key == modal_key) or id(m) in keep]


def campaign_of(g, members: list, min_authors: int, width: timedelta) -> Campaign | None:
    """The campaign of one group (`g`: id, rep_text, size, authors) from its members in the window, if
    enough authors posted near-identical text within `width` (pure)."""
    if len({m.author for m in members if m.author}) < min_authors:
        return None
    modal_key = Counter(m.dup_key for m in members).most_common(1)[0][0]
    members = _near_modal(members, modal_key)
    authors = {m.author for m in members if m.author}
    if len(authors) < min_authors:
        return None
    burst = _densest_window(members, width)
    burst_authors = {m.author for m in burst if m.author}
    if len(burst_authors) < min_authors:
        return None
    rep = next((m.text for m in members if m.dup_key == modal_key), g.rep_text)
    cats = Counter(c for m in members for c in (m.categories or "").split(",") if c)
    markets = Counter(m.market for m in members if m.market and m.market != UNKNOWN)
    kinds = Counter(k for m in members for k in (m.indicators or {}) if k in SCAM_KINDS and (m.indicators or {})[k])
    return Campaign(
        key=campaign_key(g.id),
        post_ids=[m.id for m in sorted(members, key=lambda m: (m.published_at, m.id))],
        authors=len(authors),
        first_seen=min(m.published_at for m in members),
        last_seen=max(m.published_at for m in members),
        burst_start=burst[0].published_at,
        burst_end=burst[-1].published_at,
        burst_authors=len(burst_authors),
        markets=[k for k, _ in markets.most_common()],
        langs=[k for k, _ in Counter(m.lang for m in members if m.lang).most_common(3)],
        categories=[c for c, n in cats.most_common() if n >= 0.3 * len(members)],
        representative=rep,
        group_id=g.id,
        group_size=g.size,
        group_authors=g.authors,
        scam_kinds=[k for k, n in kinds.most_common() if n >= 0.3 * len(members)],
    )


def _densest_window(members: list, width: timedelta) -> list:
    """The members inside the `width`-long window holding the most distinct authors."""
    ordered = sorted(members, key=lambda m: (m.published_at, m.id))
    best: tuple[int, int, int] = (0, 0, 0)
    lo = 0
    authors: Counter = Counter()
    for hi, m in enumerate(ordered):
        authors[m.author] += 1
        while ordered[hi].published_at - ordered[lo].published_at > width:
            authors[ordered[lo].author] -= 1
            if authors[ordered[lo].author] == 0:
                del authors[ordered[lo].author]
            lo += 1
        if len(authors) > best[0]:
            best = (len(authors), lo, hi)
    return ordered[best[1] : best[2] + 1]


def _count_fresh_authors(conn: Connection, campaigns: list[Campaign], since: datetime) -> None:
    """How many of a campaign's authors had never posted before the window (throwaway accounts)."""
    for c in campaigns:
        authors: set[str] = set()
        for i in range(0, len(c.post_ids), CHUNK):
            chunk = c.post_ids[i : i + CHUNK]
            authors.update(
                conn.execute(
                    select(posts.c.author).where(posts.c.id.in_(chunk), posts.c.author.is_not(None)).distinct()
                ).scalars()
            )
        ordered = sorted(authors)
        seen_before = set()
        for i in range(0, len(ordered), 500):
            chunk = ordered[i : i + 500]
            seen_before.update(
                conn.execute(
                    select(posts.c.author).where(posts.c.author.in_(chunk), posts.c.published_at < since).distinct()
                ).scalars()
            )
        c.fresh_authors = len(authors - seen_before)
