"""The detection code as it was before the speed work (issue 5), kept to prove the fast code gives the same results.

Frozen copies of `load_series`, `find_shifts`, `score_narratives` and `find_bursts` (and the text helpers they
used): per-row SQL aggregation and Python loops. The reference for the equivalence tests and for
`benchmarks/detect_pass.py --check`; it is meant to stay as it was, so do not "fix" it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import pairwise

import numpy as np
from scipy import stats
from sqlalchemy import Connection, func, select

from monitio.detect.bursts import BASELINE_DAYS as BURST_BASELINE_DAYS
from monitio.detect.bursts import FDR as BURST_FDR
from monitio.detect.bursts import HASHTAG_RE, TermBurst
from monitio.detect.bursts import MIN_AUTHORS as BURST_MIN_AUTHORS
from monitio.detect.bursts import MIN_COUNT as BURST_MIN_COUNT
from monitio.detect.bursts import MIN_RATIO as BURST_MIN_RATIO
from monitio.detect.bursts import NB_SIZE as BURST_NB_SIZE
from monitio.detect.bursts import STOP as BURST_STOP
from monitio.detect.bursts import WINDOWS as BURST_WINDOWS
from monitio.detect.bursts import WORD_RE as BURST_WORD_RE
from monitio.detect.emerging import HISTORY_DAYS as NARRATIVE_HISTORY_DAYS
from monitio.detect.emerging import MIN_AUTHORS as NARRATIVE_MIN_AUTHORS
from monitio.detect.emerging import MIN_POSTS as NARRATIVE_MIN_POSTS
from monitio.detect.emerging import NB_SIZE, NarrativeScore, _label, _matrix, _spread_evidence, combine
from monitio.detect.emerging import WINDOW_HOURS as NARRATIVE_WINDOW_HOURS
from monitio.detect.frame import TOTAL
from monitio.detect.narratives import STOP as FEATURE_STOP
from monitio.detect.narratives import WORD_RE as FEATURE_WORD_RE
from monitio.detect.shifts import BASELINE_DAYS as SHIFT_BASELINE_DAYS
from monitio.detect.shifts import FDR as SHIFT_FDR
from monitio.detect.shifts import MIN_BASELINE, MIN_RISE, MIN_WINDOW, Shift, icc
from monitio.detect.shifts import WINDOWS as SHIFT_WINDOWS
from monitio.detect.stattests import bh_mask, entropy, log_score, nb_tail
from monitio.enrich.textnorm import EMOJI_RE, MENTION_RE, NUMBER_RE, SPACE_RE, UNSPACED_RANGES, URL_RE, fold
from monitio.store.schema import ALL, UNKNOWN, posts, rollups
from monitio.store.schema_intel import narratives, post_narratives


def betabinom_tail(k: int, n: int, share: float, rho: float) -> float:
    """P(K >= k) for K ~ BetaBinomial(n) with mean share `share` and intra-class correlation `rho`.

    `rho` -> 0 is the binomial; a larger `rho` allows the share to wander more from day to day.

    >>> betabinom_tail(60, 100, 0.3, 0.02) < 1e-3 < 0.1 < betabinom_tail(40, 100, 0.3, 0.02)
    True
    """
    share = min(max(share, 1e-4), 1 - 1e-4)
    if rho <= 1e-6:
        return float(stats.binom.sf(k - 1, n, share))
    concentration = (1 - rho) / rho
    return float(stats.betabinom.sf(k - 1, n, share * concentration, (1 - share) * concentration))


def strip_noise(text: str) -> str:
    """Remove URLs, @mentions, '#', emoji and numbers (for language ID and copy-paste keys)."""
    text = URL_RE.sub(" ", text)
    text = MENTION_RE.sub(" ", text)
    text = EMOJI_RE.sub(" ", text).replace("#", " ")
    text = NUMBER_RE.sub(" ", text)
    return SPACE_RE.sub(" ", text).strip()


def is_unspaced_char(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in UNSPACED_RANGES)


def features(text: str) -> list[str]:
    norm = fold(strip_noise(text))
    words = [w for w in FEATURE_WORD_RE.findall(norm) if w not in FEATURE_STOP and not w.isdigit()]
    feats: list[str] = []
    for w in words:
        if any(is_unspaced_char(c) for c in w):
            feats += [w[i : i + 3] for i in range(max(1, len(w) - 2))]
        else:
            feats.append(w)
    feats += [f"{a} {b}" for a, b in pairwise(words) if not is_unspaced_char(a[0])]
    return feats


def _terms(text: str, evidence: dict | None) -> Counter:
    """Readable label terms: spaced-script words and bigrams, plus the taxonomy terms the post matched
    (which are whole words in Thai, Japanese, Chinese ... where the vector uses character trigrams)."""
    out = Counter(f for f in features(text) if len(f) >= 3 and not is_unspaced_char(f[0]))
    for hit in (evidence or {}).values():
        out.update({t: 2 for t in hit.get("terms", [])})
    return out


def load_series(conn: Connection, start: datetime, hours: int) -> dict[str, np.ndarray]:
    """Hourly count arrays keyed `total`, `cat=C`, `cat=C|mkt=M`, from the rollups."""
    q = (
        select(rollups.c.bucket, rollups.c.market, rollups.c.category, func.sum(rollups.c.count))
        .where(rollups.c.bucket >= start)
        .group_by(rollups.c.bucket, rollups.c.market, rollups.c.category)
    )
    series: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(hours, dtype=np.float64))
    for bucket, market, category, n in conn.execute(q):
        i = int((bucket - start).total_seconds() // 3600)
        if not 0 <= i < hours:
            continue
        if category == ALL:
            series[TOTAL][i] += float(n)
            continue
        series[f"cat={category}"][i] += float(n)
        if market != UNKNOWN:
            series[f"cat={category}|mkt={market}"][i] += float(n)
    return dict(series)


def find_shifts(conn: Connection, end: datetime, *, fdr: float = SHIFT_FDR) -> list[Shift]:
    """Rises of negative share that pass Benjamini-Hochberg, largest first."""
    longest = max(SHIFT_WINDOWS)
    start = end - timedelta(days=SHIFT_BASELINE_DAYS, hours=longest)
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
        for w in SHIFT_WINDOWS:
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


def score_narratives(conn: Connection, end: datetime, *, hours: int = NARRATIVE_WINDOW_HOURS) -> list[NarrativeScore]:
    """Score every narrative with posts in `[end - hours, end)`, best first."""
    since = end - timedelta(hours=hours)
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
                post_narratives.c.published_at >= since - timedelta(days=NARRATIVE_HISTORY_DAYS),
                post_narratives.c.published_at < since,
            )
            .group_by(post_narratives.c.narrative_id)
        ).all()
    )
    meta = conn.execute(
        select(
            narratives.c.id, narratives.c.centroid, narratives.c.terms, narratives.c.categories, narratives.c.first_seen
        )
    ).all()
    all_terms = {m.id: m.terms or {} for m in meta}
    df = Counter(t for terms in all_terms.values() for t in terms)
    n_narr = max(len(all_terms), 1)
    nearest = _nearest_older(meta, set(by_nid), since)
    info = {m.id: m for m in meta}
    out = []
    for nid, group in by_nid.items():
        m = info.get(nid)
        if m is None:
            continue
        out.append(_score_one(nid, group, m, before.get(nid, 0), nearest.get(nid), all_terms, df, n_narr, since, end))
    out.sort(key=lambda s: (-s.score, -s.posts))
    return out


def _score_one(nid, group, m, base_posts, near, all_terms, df, n_narr, since, end) -> NarrativeScore:
    n = len(group)
    authors = len({r.author for r in group if r.author}) or (1 if n else 0)
    engagement = int(sum(r.eng or 0 for r in group))
    age_days = max(0.0, (since - m.first_seen).total_seconds() / 86400)
    history_days = min(float(NARRATIVE_HISTORY_DAYS), age_days)
    rate = (base_posts + 1.0) / (history_days + 1.0)
    expected = rate * (end - since).total_seconds() / 86400
    p = nb_tail(n, expected, NB_SIZE)
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
    # per-language terms only where they will be shown
    reportable = n >= NARRATIVE_MIN_POSTS and authors >= NARRATIVE_MIN_AUTHORS
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
    older_ids = ids[older]
    out = {}
    for i, row in zip(ids[cands], sims, strict=True):
        row = np.where(older_ids == i, -1.0, row)
        j = int(np.argmax(row))
        if row[j] >= 0:
            out[int(i)] = (int(older_ids[j]), float(row[j]))
    return out


def _terms_by_lang(group, df: Counter, n_narr: int, top: int = 4) -> dict[str, list[str]]:
    """Top label terms of the window's posts per language, weighted by rarity across narratives."""
    per: dict[str, Counter] = defaultdict(Counter)
    spelling: dict[str, str] = {}
    for r in group:
        lang = spelling.setdefault((r.lang or "und").lower(), r.lang or "und")
        per[lang].update(_terms(r.text, r.evidence))
    out = {}
    for lang, counts in sorted(per.items(), key=lambda kv: -sum(kv[1].values()))[:3]:
        scored = {t: c * math.log(1 + n_narr / max(df.get(t, 0), 1)) for t, c in counts.items() if c >= 2}
        if scored:
            out[lang] = [t for t, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    return out


def post_terms(text: str, evidence: dict | None) -> set[str]:
    """The distinct terms of one post (see the module docstring)."""
    tags = {"#" + fold(t) for t in HASHTAG_RE.findall(text or "")}
    words = {
        w
        for w in BURST_WORD_RE.findall(fold(strip_noise(text or "")))
        if w not in BURST_STOP and not is_unspaced_char(w[0]) and "#" + w not in tags
    }
    for hit in (evidence or {}).values():
        words.update(fold(t) for t in hit.get("terms", []) if t)
    return words | tags


def find_bursts(
    conn: Connection, end: datetime, *, windows: tuple[int, ...] = BURST_WINDOWS, fdr: float = BURST_FDR
) -> tuple[list[TermBurst], dict[int, tuple]]:
    """Discoveries (best window per market x term) and the window posts' (market, author, categories, sentiment)."""
    longest = max(windows)
    start = end - timedelta(days=BURST_BASELINE_DAYS, hours=longest)
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
    candidates: list[TermBurst] = []
    info: dict[int, tuple] = {}
    for market, group in by_market.items():
        terms = {r.id: post_terms(r.text, r.evidence) for r in group}
        for w in windows:
            candidates += _test_market(market, group, terms, end, w, info)
    if not candidates:
        return [], info
    keep = bh_mask([c.p_value for c in candidates], fdr)
    best: dict[tuple[str, str], TermBurst] = {}
    for c, k in zip(candidates, keep, strict=True):
        if k and ((c.market, c.term) not in best or c.p_value < best[(c.market, c.term)].p_value):
            best[(c.market, c.term)] = c
    return sorted(best.values(), key=lambda b: (b.market, b.p_value)), info


def _test_market(market, group, terms, end, hours, info) -> list[TermBurst]:
    window, base = [], []
    for r in group:
        age = (end - r.published_at).total_seconds() / 3600
        if age < hours:
            window.append(r)
        elif age >= 24 and int(age // 24) <= BURST_BASELINE_DAYS and (age % 24) < hours:
            base.append(r)  # the same hours of day on each of the previous days
    counts: Counter = Counter()
    posts_of: dict[str, list] = defaultdict(list)
    for r in window:
        for t in terms[r.id]:
            counts[t] += 1
            posts_of[t].append(r)
    cands = [t for t, c in counts.items() if c >= BURST_MIN_COUNT]
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
        if authors < BURST_MIN_AUTHORS:
            continue
        b = base_counts[t]
        ratio = ((n_window - c) + 1.0) / ((n_base - b) / BURST_BASELINE_DAYS + 1.0)
        expected = (b + 0.5 * hours / 24) / BURST_BASELINE_DAYS * min(5.0, max(0.5, ratio))
        if c < BURST_MIN_RATIO * expected:
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
                b / BURST_BASELINE_DAYS,
                expected,
                nb_tail(c, expected, BURST_NB_SIZE),
                sorted(r.id for r in posts_of[t]),
            )
        )
    return out
