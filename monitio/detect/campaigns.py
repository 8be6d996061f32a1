"""Copy-paste campaigns: many distinct accounts posting near-identical text in a short window.

Posts of the recent window are grouped first by their exact copy-paste key (text normalised
without links, numbers, emoji and mentions), then groups are joined when their MinHash signatures
over character 5-grams say they are near-duplicates (one changed word, a new emoji), using
datasketch's LSH index. A group becomes a campaign when at least `min_authors` distinct authors
posted it within `burst_hours`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from datasketch import MinHash, MinHashLSH
from sqlalchemy import Connection, select

from monitio.store.schema import UNKNOWN, posts

NUM_PERM = 64


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


def _shingles(text: str, n: int = 5) -> set[bytes]:
    compact = " ".join(text.split())
    if len(compact) <= n:
        return {compact.encode()}
    return {compact[i : i + n].encode() for i in range(len(compact) - n + 1)}


def _minhash(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=11)
    m.update_batch(list(_shingles(text)))
    return m


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_campaigns(
    conn: Connection,
    since: datetime,
    until: datetime,
    *,
    min_authors: int = 20,
    burst_hours: int = 24,
    threshold: float = 0.6,
) -> list[Campaign]:
    """Campaigns among posts published in [since, until]."""
    from monitio.enrich.dupes import normalize_for_dupes

    rows = conn.execute(
        select(
            posts.c.id,
            posts.c.dup_key,
            posts.c.text,
            posts.c.author,
            posts.c.market,
            posts.c.lang,
            posts.c.categories,
            posts.c.published_at,
        ).where(posts.c.published_at >= since, posts.c.published_at <= until, posts.c.dup_key.is_not(None))
    ).all()
    by_key: dict[str, list] = defaultdict(list)
    for r in rows:
        by_key[r.dup_key].append(r)
    # Only groups that could matter are hashed: singletons join groups through LSH too, but a
    # key seen once by one author cannot start a campaign on its own.
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    union = _Union()
    sigs: dict[str, MinHash] = {}
    for key, members in by_key.items():
        sig = _minhash(normalize_for_dupes(members[0].text))
        for other in lsh.query(sig):
            # LSH proposes candidates; join only those whose estimated Jaccard really reaches the threshold.
            if sig.jaccard(sigs[other]) >= threshold:
                union.join(key, other)
        lsh.insert(key, sig)
        sigs[key] = sig
    clusters: dict[str, list] = defaultdict(list)
    for key, members in by_key.items():
        clusters[union.find(key)].extend(members)
    found = []
    for members in clusters.values():
        authors = {m.author for m in members if m.author}
        if len(authors) < min_authors:
            continue
        burst = _densest_window(members, timedelta(hours=burst_hours))
        burst_authors = {m.author for m in burst if m.author}
        if len(burst_authors) < min_authors:
            continue
        key_counts = Counter(m.dup_key for m in members)
        modal_key = key_counts.most_common(1)[0][0]
        rep = next(m.text for m in members if m.dup_key == modal_key)
        cats = Counter(c for m in members for c in (m.categories or "").split(",") if c)
        found.append(
            Campaign(
                key=modal_key,
                post_ids=[m.id for m in sorted(members, key=lambda m: m.published_at)],
                authors=len(authors),
                first_seen=min(m.published_at for m in members),
                last_seen=max(m.published_at for m in members),
                burst_start=burst[0].published_at,
                burst_end=burst[-1].published_at,
                burst_authors=len(burst_authors),
                markets=[
                    k for k, _ in Counter(m.market for m in members if m.market and m.market != UNKNOWN).most_common()
                ],
                langs=[k for k, _ in Counter(m.lang for m in members if m.lang).most_common(3)],
                categories=[c for c, n in cats.most_common() if n >= 0.3 * len(members)],
                representative=rep,
            )
        )
    _count_fresh_authors(conn, found, since)
    return sorted(found, key=lambda c: -c.burst_authors)


def _densest_window(members: list, width: timedelta) -> list:
    """The members inside the `width`-long window holding the most distinct authors."""
    ordered = sorted(members, key=lambda m: m.published_at)
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
        authors = list(
            conn.execute(
                select(posts.c.author).where(posts.c.id.in_(c.post_ids), posts.c.author.is_not(None)).distinct()
            ).scalars()
        )
        seen_before = set()
        for i in range(0, len(authors), 500):
            chunk = authors[i : i + 500]
            seen_before.update(
                conn.execute(
                    select(posts.c.author).where(posts.c.author.in_(chunk), posts.c.published_at < since).distinct()
                ).scalars()
            )
        c.fresh_authors = len(set(authors) - seen_before)
