"""Hot terms: the ids of the posts holding each of a workspace's most frequent words, kept in memory.

A word in a tenth of the posts (`the`, `yang`, `di`) has a hundred thousand matches at a million
posts. The full-text index finds them at once, but PostgreSQL must then visit a table page per match
to hand back their ids (GIN has no index-only scan): 28,000 page visits, about 150 ms when the table
is not in shared buffers, most of a search's budget. Search engines keep the postings of their most
frequent terms at hand; the facet columns (`facet_columns`) do the same for the few dozen most
frequent words:

- **Which words**: those in at least `SHARE` of an evenly spaced sample of the indexed texts, at most
  `MAX_TERMS` of them (`pick`), chosen when the columns load.
- **Their ids**: read once from the index itself (`fts.ids_containing`), so they are the index's
  own answer, then kept current from the new rows of `post_search` (a plain substring test on the
  stored text, which is what the index answers too).
- **Exactness**: the ids describe the rows up to `last`, `count` of them. When the table holds
  another number of rows up to `last` (retention removed texts, or a row committed out of order),
  the terms are dropped and built again in the background; searches read the index meanwhile.

>>> hot = HotTerms({" the ": np.array([1, 3])}, last=3, count=3)
>>> hot.add([(4, " the end "), (5, " an end ")], last=5)
>>> hot.ids[" the "].tolist(), hot.last, hot.count
([1, 3, 4], 5, 5)
>>> pick([" the scam ", " the refund ", " a scam "], share=0.5, limit=5)
[' scam ', ' the ']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select

from monitio.store.schema_search import post_search

SAMPLE = 20_000
"""Texts read to choose the hot words."""
SHARE = 0.01
"""A word in at least this share of the sampled texts is hot (10,000 posts at a million)."""
MAX_TERMS = 64
"""At most this many hot words (the most frequent): about 20 MB of ids at a million posts."""
_CHUNK = 5_000


@dataclass
class HotTerms:
    """The sorted post ids of each hot word's needle (`' the '`), as of the `post_search` rows with
    an id up to `last`, `count` of them."""

    ids: dict[str, np.ndarray]
    last: int
    count: int

    def add(self, rows: Sequence[tuple[int, str]], last: int) -> None:
        """Take in new (post id, stored text) rows, all above the old `last` and up to `last`."""
        for needle, have in list(self.ids.items()):
            more = [pid for pid, body in rows if needle in body]
            if more:  # a new array: a search reading the old one keeps it
                self.ids[needle] = np.union1d(have, np.asarray(more, dtype=np.int64))
        self.last, self.count = last, self.count + len(rows)

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.ids.values())


def pick(bodies: Iterable[str], share: float = SHARE, limit: int = MAX_TERMS) -> list[str]:
    """The needles of the words in at least `share` of `bodies` (and in two of them at least), the
    most frequent first (then by word), at most `limit`."""
    df: Counter[str] = Counter()
    n = 0
    for body in bodies:
        n += 1
        df.update(set(body.split()))
    floor = max(2.0, share * n)
    ranked = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]  # ties by word: the same pick every run
    return [f" {w} " for w, c in ranked if c >= floor]


def _count(conn, last: int) -> int:
    return conn.execute(select(func.count()).select_from(post_search).where(post_search.c.post_id <= last)).scalar_one()


def build(conn, ids: np.ndarray) -> HotTerms:
    """The hot words of the posts `ids` (the columns' ids, sorted) and their ids from the index."""
    from monitio.store.fts import ids_containing

    last = int(ids[-1]) if len(ids) else 0
    sample = np.unique(ids[np.linspace(0, len(ids) - 1, min(SAMPLE, len(ids))).astype(np.int64)]) if len(ids) else ids
    bodies: list[str] = []
    for i in range(0, len(sample), _CHUNK):
        chunk = [int(x) for x in sample[i : i + _CHUNK]]
        bodies += conn.execute(select(post_search.c.body).where(post_search.c.post_id.in_(chunk))).scalars().all()
    count = _count(conn, last)  # before the lookups: a row removed meanwhile shows as a wrong count later
    found = {}
    for needle in pick(bodies):
        got = np.sort(np.asarray(ids_containing(conn, "body", needle), dtype=np.int64))
        found[needle] = got[got <= last]
    return HotTerms(found, last, count)


def refresh(conn, hot: HotTerms, last: int) -> bool:
    """Bring `hot` up to the rows with an id up to `last`; False when they no longer describe the
    table (rows removed, or one committed below `hot.last` after it was read): build them again."""
    if last > hot.last:
        ps = post_search.c
        rows = conn.execute(
            select(ps.post_id, ps.body).where(ps.post_id > hot.last, ps.post_id <= last).order_by(ps.post_id)
        ).all()
        hot.add([(int(pid), body) for pid, body in rows], last)
    return _count(conn, hot.last) == hot.count
