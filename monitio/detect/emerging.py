"""Emerging narratives: which narratives grew in the last hours, how new, negative, far-reaching and spread.

For every narrative with posts in the window (24 h by default) five components, each in [0, 1]:

* growth `g`: the window's post count `n` against the narrative's own daily rate before the window,
  `rate = (B + 1) / (D + 1)` (`B` posts over the `D` <= 14 days it existed before the window; a brand-new
  narrative has the prior rate of one post a day), tested with a negative binomial (size 5 per day, so
  ordinary day-to-day wobble is not growth): `g = min(1, -log10(p) / 8)`.
* novelty `v`: 1 - the cosine between its centroid and the nearest narrative already known before the
  window (1 when there is none).
* negativity `q`: the share of its window posts with negative sentiment.
* reach `r`: `0.5 * log(1 + authors) / log(101) + 0.5 * log(1 + engagement) / log(10001)`, each capped at 1.
* spread `s`: `(2**H - 1) / 2` capped at 1, where `H` is the entropy (bits) of its posts over markets, so
  one market is 0 and three equally busy markets are 1.

`score = g * (0.4 + 0.15 * (v + q + r + s))`: growth is required (a big, old, steady narrative is not
emerging), the other four decide how much it matters. A narrative is reported as an
`emerging_narrative` signal when `score >= 0.55` (the operating point), it has at least 8 posts in the
window and at least 5 distinct authors (one loud account is not a narrative).

>>> round(combine(growth=1.0, novelty=0.8, negativity=0.7, reach=0.4, spread=0.0), 3)
0.685
>>> combine(growth=0.0, novelty=1.0, negativity=1.0, reach=1.0, spread=1.0)
0.0
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from scipy import sparse
from sqlalchemy import Connection, func, select

from monitio.detect.frame import paused_gc
from monitio.detect.label_stopwords import is_filler
from monitio.detect.narratives import DIM, add_terms
from monitio.detect.stattests import entropy, log_score, nb_tails
from monitio.detect.store import SignalDraft
from monitio.detect.why import narrative_why
from monitio.store.schema import UNKNOWN, posts
from monitio.store.schema_intel import narratives, post_narratives

WINDOW_HOURS = 24
HISTORY_DAYS = 14
NB_SIZE = 5.0
OPERATING_POINT = 0.55
MIN_POSTS = 8
MIN_AUTHORS = 5


def combine(*, growth: float, novelty: float, negativity: float, reach: float, spread: float) -> float:
    """The emerging score in [0, 1] (see the module docstring)."""
    return float(growth * (0.4 + 0.15 * (novelty + negativity + reach + spread)))


@dataclass
class NarrativeScore:
    """One narrative's emerging score and the figures behind it."""

    narrative_id: int
    posts: int
    authors: int
    engagement: int
    expected: float
    p_value: float
    age_days: float
    growth: float
    novelty: float
    negativity: float
    reach: float
    spread: float
    score: float
    markets: list[str]
    categories: list[str]
    langs: list[str]
    label: list[str]
    terms_by_lang: dict[str, list[str]]
    evidence: list[int]
    representative: list[str]
    nearest: int | None
    first_seen: datetime
    window_start: datetime
    window_end: datetime
    market_counts: dict[str, int] = field(default_factory=dict)


def score_narratives(conn: Connection, end: datetime, *, hours: int = WINDOW_HOURS) -> list[NarrativeScore]:
    """Score every narrative with posts in `[end - hours, end)`, best first."""
    since = end - timedelta(hours=hours)
    with paused_gc():
        return _score_all(conn, since, end)


def _score_all(conn: Connection, since: datetime, end: datetime) -> list[NarrativeScore]:
    rows = conn.execute(
        select(
            post_narratives.c.narrative_id,
            posts.c.id,
            posts.c.author,
            posts.c.market,
            posts.c.lang,
            posts.c.sentiment_label,
            (posts.c.likes + posts.c.shares + posts.c.comments).label("eng"),
            posts.c.text,
            posts.c.evidence,
            post_narratives.c.similarity,
        )
        .join(posts, posts.c.id == post_narratives.c.post_id)
        .where(post_narratives.c.published_at >= since, post_narratives.c.published_at < end)
    ).all()
    if not rows:
        return []
    by_nid: dict[int, list] = defaultdict(list)
    for r in rows:
        by_nid[r.narrative_id].append(r)
    before = dict(
        conn.execute(
            select(post_narratives.c.narrative_id, func.count())
            .where(
                post_narratives.c.published_at >= since - timedelta(days=HISTORY_DAYS),
                post_narratives.c.published_at < since,
            )
            .group_by(post_narratives.c.narrative_id)
        ).all()
    )
    meta = conn.execute(
        select(
            narratives.c.id, narratives.c.centroid, narratives.c.terms, narratives.c.categories, narratives.c.first_seen
        ).where(narratives.c.merged_into.is_(None))  # a merged fragment lives on in the narrative it joined
    ).all()
    all_terms = {m.id: m.terms or {} for m in meta}
    df = Counter(t for terms in all_terms.values() for t in terms)
    n_narr = max(len(all_terms), 1)
    nearest = _nearest_older(meta, set(by_nid), since)
    info = {m.id: m for m in meta}
    scored = [(nid, group, info[nid]) for nid, group in by_nid.items() if nid in info]
    expected = [_expected(before.get(nid, 0), m, since, end) for nid, _, m in scored]
    p_values = nb_tails([len(group) for _, group, _ in scored], expected, NB_SIZE)  # one call, not one per narrative
    out = [
        _score_one(nid, group, m, exp, float(p), nearest.get(nid), all_terms, df, n_narr, since, end)
        for (nid, group, m), exp, p in zip(scored, expected, p_values, strict=True)
    ]
    out.sort(key=lambda s: (-s.score, -s.posts))
    return out


def _expected(base_posts: int, m, since: datetime, end: datetime) -> float:
    """Posts expected in the window at the narrative's own daily rate before it (see the module docstring)."""
    age_days = max(0.0, (since - m.first_seen).total_seconds() / 86400)
    history_days = min(float(HISTORY_DAYS), age_days)
    rate = (base_posts + 1.0) / (history_days + 1.0)
    return rate * (end - since).total_seconds() / 86400


def _score_one(nid, group, m, expected, p, near, all_terms, df, n_narr, since, end) -> NarrativeScore:
    n = len(group)
    authors = len({r.author for r in group if r.author}) or (1 if n else 0)
    engagement = int(sum(r.eng or 0 for r in group))
    age_days = max(0.0, (since - m.first_seen).total_seconds() / 86400)
    growth = log_score(p, 8.0)
    novelty, nearest_id = (1.0, None) if near is None else (max(0.0, 1.0 - near[1]), near[0])
    negativity = sum(r.sentiment_label == "negative" for r in group) / n
    reach = 0.5 * min(1.0, math.log1p(authors) / math.log(101)) + 0.5 * min(
        1.0, math.log1p(engagement) / math.log(10001)
    )
    mk = Counter(r.market for r in group if r.market and r.market != UNKNOWN)
    spread = min(1.0, (2 ** entropy(list(mk.values())) - 1) / 2)
    score = combine(growth=growth, novelty=novelty, negativity=negativity, reach=reach, spread=spread)
    ranked = sorted(group, key=lambda r: (-r.similarity, -(r.eng or 0), r.id))
    markets = [k for k, c in mk.most_common() if c >= 2 or c >= 0.1 * n]
    reportable = n >= MIN_POSTS and authors >= MIN_AUTHORS  # per-language terms only where they will be shown
    return NarrativeScore(
        narrative_id=nid,
        posts=n,
        authors=authors,
        engagement=engagement,
        expected=round(expected, 2),
        p_value=p,
        age_days=round(age_days, 2),
        growth=round(growth, 3),
        novelty=round(novelty, 3),
        negativity=round(negativity, 3),
        reach=round(reach, 3),
        spread=round(spread, 3),
        score=round(score, 3),
        markets=markets,
        categories=[k for k, _ in Counter(m.categories or {}).most_common(3)],
        langs=[k for k, _ in Counter(r.lang for r in group if r.lang).most_common(4)],
        label=_label(all_terms.get(nid) or {}, df, n_narr),
        terms_by_lang=_terms_by_lang(group, df, n_narr) if reportable else {},
        evidence=_spread_evidence(ranked, markets),
        representative=[" ".join(r.text.split())[:280] for r in ranked[:3]],
        nearest=nearest_id,
        first_seen=m.first_seen,
        window_start=since,
        window_end=end,
        market_counts=dict(mk),
    )


def _nearest_older(meta, candidates: set[int], since: datetime) -> dict[int, tuple[int, float]]:
    """For each candidate: (id, cosine) of the most similar narrative known before `since`."""
    older = np.array([i for i, m in enumerate(meta) if m.first_seen < since], dtype=int)
    cands = np.array([i for i, m in enumerate(meta) if m.id in candidates], dtype=int)
    if not len(older) or not len(cands):
        return {}
    mat = _matrix(meta)
    sims = (mat[cands] @ mat[older].T).toarray()
    ids = np.array([m.id for m in meta])
    older_ids, cand_ids = ids[older], ids[cands]
    sims[cand_ids[:, None] == older_ids[None, :]] = -1.0  # a narrative is not its own nearest
    best = np.argmax(sims, axis=1)
    best_sim = sims[np.arange(len(cands)), best]
    return {int(i): (int(older_ids[j]), float(v)) for i, j, v in zip(cand_ids, best, best_sim, strict=True) if v >= 0}


def _matrix(meta) -> sparse.csr_matrix:
    """Stored centroids (sparse JSON) as L2-normalised rows."""
    data: list[float] = []
    idx: list[int] = []
    ptr = [0]
    for m in meta:
        c = m.centroid or {}
        idx.extend(map(int, c))
        data.extend(c.values())
        ptr.append(len(idx))
    mat = sparse.csr_matrix((np.asarray(data, dtype=np.float64), idx, ptr), shape=(len(meta), DIM))
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ mat


def _label(own: dict[str, int], df: Counter, n_narr: int, top: int = 5) -> list[str]:
    """The narrative's label, as `narratives.label_terms` computes it, with document frequencies computed once."""
    total = sum(own.values()) or 1
    scored = {t: c / total * math.log(1 + n_narr / max(df.get(t, 0), 1)) for t, c in own.items() if not is_filler(t)}
    return [t for t, _ in sorted(scored.items(), key=lambda kv: -kv[1])[:top]]


def _terms_by_lang(group, df: Counter, n_narr: int, top: int = 4) -> dict[str, list[str]]:
    """Top label terms of the window's posts per language, weighted by rarity across narratives."""
    per: dict[str, Counter] = defaultdict(Counter)
    spelling: dict[str, str] = {}
    for r in group:
        lang = spelling.setdefault((r.lang or "und").lower(), r.lang or "und")
        add_terms(per[lang], r.text, r.evidence)
    out = {}
    for lang, counts in sorted(per.items(), key=lambda kv: -sum(kv[1].values()))[:3]:
        scored = {t: c * math.log(1 + n_narr / max(df.get(t, 0), 1)) for t, c in counts.items() if c >= 2}
        if scored:
            out[lang] = [t for t, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    return out


def _spread_evidence(ranked, markets: list[str], limit: int = 8) -> list[int]:
    picked: list[int] = []
    for mkt in markets[:4]:
        picked += [r.id for r in ranked if r.market == mkt][:2]
    for r in ranked:
        if len(picked) >= limit:
            break
        if r.id not in picked:
            picked.append(r.id)
    return picked[:limit]


def narrative_drafts(conn: Connection, end: datetime, taxonomy, *, hours: int = WINDOW_HOURS) -> list[SignalDraft]:
    """`emerging_narrative` drafts for the narratives past the operating point."""
    drafts = []
    for s in score_narratives(conn, end, hours=hours):
        if s.score < OPERATING_POINT or s.posts < MIN_POSTS or s.authors < MIN_AUTHORS:
            continue
        cats = getattr(taxonomy, "categories", {}) or {}
        cat_sev = max((getattr(cats.get(c), "default_severity", 5) for c in s.categories[:1]), default=5)
        own = 1 + 7 * s.score + 0.5 * math.log10(max(s.authors, 1))
        severity = int(max(1, min(10, round(0.7 * own + 0.3 * cat_sev))))
        names = [getattr(cats.get(c), "name", c) for c in s.categories[:1]]
        drafts.append(
            SignalDraft(
                key=f"narrative:{s.narrative_id}",
                kind="emerging_narrative",
                severity=severity,
                score=s.score,
                confidence=float(1 - s.p_value),
                window_start=s.window_start,
                window_end=s.window_end - timedelta(hours=1),
                observed=float(s.posts),
                expected=float(s.expected),
                markets=s.markets,
                categories=s.categories[:1],
                langs=s.langs,
                why=narrative_why(s, names),
                evidence=s.evidence,
                first_seen=max(s.first_seen, s.window_start),
                last_seen=s.window_end - timedelta(hours=1),
                persistence_hours=int((s.window_end - s.window_start).total_seconds() // 3600),
                details={
                    "narrative_id": s.narrative_id,
                    "label": s.label,
                    "terms_by_lang": s.terms_by_lang,
                    "components": {
                        "growth": s.growth,
                        "novelty": s.novelty,
                        "negativity": s.negativity,
                        "reach": s.reach,
                        "spread": s.spread,
                    },
                    "negative_share": s.negativity,
                    "authors": s.authors,
                    "engagement": s.engagement,
                    "age_days": s.age_days,
                    "nearest_narrative": s.nearest,
                    "market_counts": s.market_counts,
                    "representative": s.representative,
                },
            )
        )
    return drafts
