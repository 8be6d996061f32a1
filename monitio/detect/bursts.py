"""Term and hashtag bursts: words that suddenly appear far more often than usual in a market's risk posts.

Per market, each term's count (posts mentioning it) in the last `w` hours (6 h and 24 h are tried) is
compared with the same `w` hours of each of the 7 days before, so a term that is busy every evening
is not news in the evening. Expected count:
`(b + 0.5 * w / 24) / 7 * clip(volume_ratio, 0.5, 5)`, where `b` is the baseline count and `volume_ratio` the
market's other posts in the window versus a usual such window (a market that is twice as busy
mentions everything twice as often). The tail probability is a negative binomial (size 10) and
Benjamini-Hochberg at `fdr` runs across every (market, term, window) tested. Only terms with at
least 8 posts from at least 5 distinct authors, at least 3x the expected, are tested (bounded work,
and one account repeating itself is not a burst). Bursting terms of a market that share posts
(Jaccard >= 0.25) are grouped into one `term_burst` signal.

Terms: words (3+ letters, stopwords out) of spaced scripts, #hashtags in any script, and the taxonomy
terms a post matched (whole words also in Thai, Japanese, Chinese ..., which have no spaces; other
words in those scripts are not split, so bursts there are found through hashtags and taxonomy terms only).

>>> sorted(post_terms("Dijamin untung! Investasi aman #CuanCepat via WA", None))
['#cuancepat', 'aman', 'dijamin', 'investasi', 'untung']
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, select

from monitio.detect.fanout import Fanout
from monitio.detect.frame import paused_gc
from monitio.detect.narratives import STOP as NARRATIVE_STOP
from monitio.detect.stattests import bh_mask, nb_tail
from monitio.detect.store import SignalDraft
from monitio.detect.why import burst_why
from monitio.enrich.textnorm import fold, is_unspaced_char, strip_noise
from monitio.store.schema import UNKNOWN, posts

WINDOWS = (6, 24)
BASELINE_DAYS = 7
MIN_COUNT = 8
MIN_AUTHORS = 5
MIN_RATIO = 3.0
NB_SIZE = 10.0
FDR = 0.01
HASHTAG_RE = re.compile(r"#([^\s#.,!?;:()\[\]{}<>\"'“”‘’]+)")
WORD_RE = re.compile(r"[^\W\d_]{3,}")
STOP = NARRATIVE_STOP | {
    *"the and for you your are was were with this that have has had not but all can will from they them".split(),
    *"what when who how why just like get got one out about been more some any our its his her she him".split(),
    *"too very really still also only even there their then than into over after before would could".split(),
    *"should because being doing did does done via amp http https www com".split(),
    *"yang dan dengan untuk tidak ini itu saya kamu aku dia mereka kami kita ada akan sudah belum juga".split(),
    *"karena tapi atau dari pada oleh bisa jadi sama lagi aja nya gak nggak tak kalau kalo udah pun".split(),
    *"lah kah deh dong sih kan ngan yg dgn utk".split(),
    *"ang mga ako ikaw siya kami kayo sila hindi ito iyan yung kasi lang naman talaga din rin pa po".split(),
    *"nang para pero yun dito".split(),
    *"của và các những một được cho không này với người đã là có".split(),
    *"hai hain nahi nahin kya aur mein main bhi tha thi kar karo raha rahe hota".split(),
}


def post_terms(text: str, evidence: dict | None) -> set[str]:
    """The distinct terms of one post (see the module docstring)."""
    tags = {"#" + fold(t) for t in HASHTAG_RE.findall(text or "")}
    words = {
        w
        for w in WORD_RE.findall(fold(strip_noise(text or "")))
        if w not in STOP and not is_unspaced_char(w[0]) and "#" + w not in tags
    }
    for hit in (evidence or {}).values():
        words.update(fold(t) for t in hit.get("terms", []) if t)
    return words | tags


@dataclass
class TermBurst:
    """One bursting term in one market."""

    market: str
    term: str
    hours: int
    count: int
    authors: int
    baseline: float
    expected: float
    p_value: float
    post_ids: list[int]

    @property
    def ratio(self) -> float:
        return self.count / max(self.expected, 1e-9)


def find_bursts(
    conn: Connection,
    end: datetime,
    *,
    windows: tuple[int, ...] = WINDOWS,
    fdr: float = FDR,
    fanout: Fanout | None = None,
) -> tuple[list[TermBurst], dict[int, tuple]]:
    """Discoveries (best window per market x term) and the window posts' (market, author, categories, sentiment).

    With a `fanout` (a cluster), groups of markets are tokenised and tested on its workers
    (`market_candidates`); Benjamini-Hochberg then runs here over all of them, as in one process.
    """
    with paused_gc():
        return _find_bursts(conn, end, windows, fdr, fanout)


class BurstPost(NamedTuple):
    """The columns of one post the burst test reads (a plain tuple, cheap to send to a worker)."""

    id: int
    market: str
    author: str | None
    text: str
    evidence: dict | None
    published_at: datetime
    categories: str | None
    sentiment_label: str | None


def market_candidates(
    groups: list[tuple[str, list]], end: datetime, windows: tuple[int, ...] = WINDOWS
) -> tuple[list[TermBurst], dict[int, tuple]]:
    """Candidate bursts of each (market, posts) group, before the false-discovery step, and the posts'
    (market, author, categories, sentiment). Markets are independent, so any grouping gives the same
    candidates (pure: reads and writes nothing)."""
    candidates: list[TermBurst] = []
    info: dict[int, tuple] = {}
    for market, group in groups:
        terms = {r.id: post_terms(r.text, r.evidence) for r in group}
        ages = [(end - r.published_at).total_seconds() / 3600 for r in group]
        for w in windows:
            candidates += _test_market(market, group, ages, terms, w, info)
    return candidates, info


def _find_bursts(conn: Connection, end: datetime, windows: tuple[int, ...], fdr: float, fanout: Fanout | None):
    longest = max(windows)
    start = end - timedelta(days=BASELINE_DAYS, hours=longest)
    rows = conn.execute(
        select(
            posts.c.id,
            posts.c.market,
            posts.c.author,
            posts.c.text,
            posts.c.evidence,
            posts.c.published_at,
            posts.c.categories,
            posts.c.sentiment_label,
        ).where(posts.c.categories.is_not(None), posts.c.published_at >= start, posts.c.published_at < end)
    ).all()
    by_market: dict[str, list] = defaultdict(list)
    for r in rows:
        if r.market and r.market != UNKNOWN:
            by_market[r.market].append(r)
    if fanout is None:
        candidates, info = market_candidates(list(by_market.items()), end, windows)
    else:
        groups = [(m, [BurstPost(*r) for r in group]) for m, group in by_market.items()]
        candidates, info = [], {}
        for part, part_info in fanout.map(market_candidates, fanout.split(groups), end, windows):
            candidates += part
            for post_id, values in part_info.items():
                info.setdefault(post_id, values)
    if not candidates:
        return [], info
    keep = bh_mask([c.p_value for c in candidates], fdr)
    best: dict[tuple[str, str], TermBurst] = {}
    for c, k in zip(candidates, keep, strict=True):
        if k and ((c.market, c.term) not in best or c.p_value < best[(c.market, c.term)].p_value):
            best[(c.market, c.term)] = c
    return sorted(best.values(), key=lambda b: (b.market, b.p_value)), info


def _test_market(market, group, ages, terms, hours, info) -> list[TermBurst]:
    window, base = [], []
    for r, age in zip(group, ages, strict=True):
        if age < hours:
            window.append(r)
        elif age >= 24 and int(age // 24) <= BASELINE_DAYS and (age % 24) < hours:
            base.append(r)  # the same hours of day on each of the previous days
    counts: Counter = Counter()
    posts_of: dict[str, list] = defaultdict(list)
    for r in window:
        for t in terms[r.id]:
            counts[t] += 1
            posts_of[t].append(r)
    cands = [t for t, c in counts.items() if c >= MIN_COUNT]
    if not cands:
        return []
    base_counts: Counter = Counter()
    wanted = set(cands)
    for r in base:
        base_counts.update(terms[r.id] & wanted)
    n_window, n_base = len(window), len(base)
    out = []
    for t in cands:
        c = counts[t]
        authors = len({r.author for r in posts_of[t] if r.author})
        if authors < MIN_AUTHORS:
            continue
        b = base_counts[t]
        ratio = ((n_window - c) + 1.0) / ((n_base - b) / BASELINE_DAYS + 1.0)
        expected = (b + 0.5 * hours / 24) / BASELINE_DAYS * min(5.0, max(0.5, ratio))
        if c < MIN_RATIO * expected:
            continue
        for r in posts_of[t]:
            info.setdefault(r.id, (r.market, r.author, r.categories, r.sentiment_label))
        out.append(
            TermBurst(
                market,
                t,
                hours,
                c,
                authors,
                b / BASELINE_DAYS,
                expected,
                nb_tail(c, expected, NB_SIZE),
                sorted(r.id for r in posts_of[t]),
            )
        )
    return out


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def group_bursts(bursts: list[TermBurst], min_jaccard: float = 0.25) -> list[list[TermBurst]]:
    """Bursting terms of one market that share posts, strongest term first in each group."""
    groups: list[list[TermBurst]] = []
    by_market: dict[str, list[TermBurst]] = defaultdict(list)
    for b in bursts:
        by_market[b.market].append(b)
    for items in by_market.values():
        items.sort(key=lambda b: (b.p_value, -b.count, b.term))
        sets = [set(b.post_ids) for b in items]
        parent = list(range(len(items)))
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                inter = len(sets[i] & sets[j])
                if inter and inter / len(sets[i] | sets[j]) >= min_jaccard:
                    parent[_root(parent, j)] = _root(parent, i)
        clusters: dict[int, list[TermBurst]] = defaultdict(list)
        for i, b in enumerate(items):
            clusters[_root(parent, i)].append(b)
        groups += [sorted(c, key=lambda b: (b.p_value, -b.count, b.term)) for c in clusters.values()]
    return sorted(groups, key=lambda g: g[0].p_value)


def _severity(lead: TermBurst) -> int:
    """1-7: size and certainty of the lead term's burst; a term burst alone is at most a 7."""
    size = 1.8 * math.log2(max(lead.ratio, 1.0)) + 0.12 * min(30.0, -math.log10(max(lead.p_value, 1e-300)))
    size *= min(1.0, lead.count / 25.0)
    return int(max(1, min(7, round(1 + size + 0.5 * math.log10(max(lead.count, 1))))))


def burst_drafts(
    conn: Connection, end: datetime, taxonomy, *, fdr: float = FDR, fanout: Fanout | None = None
) -> list[SignalDraft]:
    """`term_burst` drafts, one per group of related bursting terms in a market."""
    bursts, info = find_bursts(conn, end, fdr=fdr, fanout=fanout)
    cats = getattr(taxonomy, "categories", {}) or {}
    drafts = []
    for group in group_bursts(bursts):
        lead = group[0]
        ids = sorted({i for b in group for i in b.post_ids})
        cat_counts = Counter(c for i in ids for c in (info[i][2] or "").split(",") if c)
        top_cat = [c for c, _ in cat_counts.most_common(1)]
        neg = sum(info[i][3] == "negative" for i in ids) / len(ids)
        authors = len({info[i][1] for i in ids if info[i][1]})
        start = end - timedelta(hours=lead.hours)
        why = burst_why(
            market=lead.market,
            terms=[(b.term, b.count, b.baseline) for b in group],
            hours=lead.hours,
            authors=authors,
            category=getattr(cats.get(top_cat[0]), "name", top_cat[0]) if top_cat else None,
            negative_share=neg,
        )
        drafts.append(
            SignalDraft(
                key=f"burst:mkt={lead.market}:{lead.term}",
                kind="term_burst",
                severity=_severity(lead),
                score=float(min(1.0, -math.log10(max(lead.p_value, 1e-300)) / 20)),
                confidence=float(1 - lead.p_value),
                window_start=start,
                window_end=end - timedelta(hours=1),
                observed=float(lead.count),
                expected=float(lead.expected),
                markets=[lead.market],
                categories=top_cat,
                langs=[],
                why=why,
                evidence=lead.post_ids[-8:][::-1],
                first_seen=start,
                last_seen=end - timedelta(hours=1),
                persistence_hours=lead.hours,
                details={
                    "terms": [
                        {
                            "term": b.term,
                            "count": b.count,
                            "expected": round(b.expected, 2),
                            "hours": b.hours,
                            "p_value": b.p_value,
                            "authors": b.authors,
                        }
                        for b in group[:10]
                    ],
                    "negative_share": round(neg, 3),
                    "authors": authors,
                    "posts": len(ids),
                },
            )
        )
    return drafts
