"""Narratives: risk posts grouped into stories that keep a stable id across runs.

Each risk post (one with a category) becomes a hashed, L2-normalised vector of word unigrams and
bigrams (spaced scripts) and character trigrams (Thai, Burmese, Khmer, Japanese, Chinese, Korean),
hashed with CRC-32 so vectors are the same in every process. Posts are assigned in mini-batches to the
nearest stored narrative centroid (cosine >= `threshold`, same category); the others seed new
narratives. Centroids and term counts are stored, so later runs extend the same narratives instead of
renumbering them. Labels are the narrative's top terms, weighted c-TF-IDF style against all narratives.

>>> v = vectorise("iklan penipuan investasi bodong")
>>> round(float(np.linalg.norm(v)), 6)
1.0
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise

import numpy as np
from sqlalchemy import Connection, Engine, insert, select, update

from monitio.detect.label_stopwords import is_filler
from monitio.detect.narrative_merge import merge_fragments
from monitio.enrich.embeddings import Encoder
from monitio.enrich.textnorm import fold, has_unspaced_char, is_unspaced_char, strip_noise
from monitio.store.repo import lock_enrichment
from monitio.store.schema import UNKNOWN, posts
from monitio.store.schema_intel import narratives, post_narratives

DIM = 4096
THRESHOLD = 0.35
BATCH = 256
TOP_TERMS = 40
WORD_RE = re.compile(r"[\w\u0900-\u0DFF\u0600-\u06FF]+")
STOP = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "to",
    "of",
    "in",
    "is",
    "it",
    "this",
    "that",
    "for",
    "on",
    "my",
    "i",
    "you",
    "yang",
    "dan",
    "di",
    "ini",
    "itu",
    "ke",
    "dari",
    "ada",
    "sa",
    "ng",
    "ang",
    "na",
    "ko",
    "hai",
    "ka",
    "ki",
    "se",
    "ya",
    "lagi",
    "aja",
    "sudah",
    "dah",
    "nak",
    "và",
    "là",
    "của",
    "có",
    "không",
    "với",
}


def features(text: str) -> list[str]:
    norm = fold(strip_noise(text))
    words = [w for w in WORD_RE.findall(norm) if w not in STOP and not w.isdigit()]
    feats: list[str] = []
    for w in words:
        if has_unspaced_char(w):
            feats += [w[i : i + 3] for i in range(max(1, len(w) - 2))]
        else:
            feats.append(w)
    feats += [f"{a} {b}" for a, b in pairwise(words) if not is_unspaced_char(a[0])]
    return feats


def vectorise(text: str) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    for f, n in Counter(features(text)).items():
        v[zlib.crc32(f.encode()) % DIM] += 1.0 + math.log(n)
    norm = np.linalg.norm(v)
    return v / norm if norm else v


def _terms(text: str, evidence: dict | None) -> Counter:
    """Readable label terms: spaced-script words and bigrams, plus the taxonomy terms the post matched
    (which are whole words in Thai, Japanese, Chinese ... where the vector uses character trigrams)."""
    return add_terms(Counter(), text, evidence)


def add_terms(counts: Counter, text: str, evidence: dict | None) -> Counter:
    """Add one post's `_terms` to `counts` (in place, without a Counter per post) and return it."""
    counts.update(f for f in features(text) if len(f) >= 3 and not is_unspaced_char(f[0]))
    for hit in (evidence or {}).values():
        for t in dict.fromkeys(hit.get("terms", [])):  # each matched term counts 2, once per category
            counts[t] += 2
    return counts


class _State:
    """Narrative centroids and metadata loaded from the store, updated in memory, written back."""

    def __init__(self, conn: Connection):
        rows = conn.execute(select(narratives).where(narratives.c.merged_into.is_(None))).all()
        self.ids = [r.id for r in rows]
        self.sums = np.zeros((len(rows), DIM), dtype=np.float32)
        for i, r in enumerate(rows):
            for k, val in (r.centroid or {}).items():
                self.sums[i, int(k)] = val
        self.meta = {
            r.id: {
                "size": r.size,
                "terms": Counter(r.terms or {}),
                "categories": Counter(r.categories or {}),
                "markets": Counter(r.markets or {}),
                "langs": Counter(r.langs or {}),
                "first_seen": r.first_seen,
                "last_seen": r.last_seen,
                "new": False,
            }
            for r in rows
        }
        self.dirty: set[int] = set()

    def centroids(self) -> np.ndarray:
        if not self.ids:
            return np.zeros((0, DIM), dtype=np.float32)
        norms = np.linalg.norm(self.sums, axis=1, keepdims=True)
        return self.sums / np.maximum(norms, 1e-9)


def assign_pending(
    engine: Engine,
    *,
    threshold: float = THRESHOLD,
    limit: int | None = None,
    merge: bool = True,
    encoder: Encoder | None = None,
) -> int:
    """Assign risk posts not in a narrative yet; returns how many were assigned.

    Then, unless `merge` is false, fragments of one event are merged (`monitio.detect.narrative_merge`;
    `encoder`, an embedding backend, adds cross-language links). Runs under the enrichment lock, so two
    `monitio run` at once do not assign the same post twice.
    """
    with engine.begin() as conn:
        lock_enrichment(conn)
        q = (
            select(
                posts.c.id,
                posts.c.text,
                posts.c.categories,
                posts.c.market,
                posts.c.lang,
                posts.c.published_at,
                posts.c.evidence,
            )
            .outerjoin(post_narratives, post_narratives.c.post_id == posts.c.id)
            .where(
                posts.c.categories.is_not(None),
                post_narratives.c.post_id.is_(None),
                posts.c.text_dropped_at.is_(None),  # retention left no text to place it by
            )
            .order_by(posts.c.published_at, posts.c.id)
        )
        rows = conn.execute(q.limit(limit) if limit else q).all()
        if not rows:
            return 0
        state = _State(conn)
        links = []
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            vecs = np.stack([vectorise(r.text) for r in batch])
            cents = state.centroids()
            sims = vecs @ cents.T if len(cents) else np.zeros((len(batch), 0), dtype=np.float32)
            fresh: list[int] = []  # narratives started in this batch (not in `sims`)
            for i, r in enumerate(batch):
                cats = set((r.categories or "").split(","))
                best, best_sim = None, threshold
                if sims.shape[1]:
                    order = np.argsort(-sims[i])[:5]
                    for j in order:
                        if sims[i, j] < threshold:
                            break
                        nid = state.ids[j]
                        if cats & set(state.meta[nid]["categories"]):
                            best, best_sim = nid, float(sims[i, j])
                            break
                for nid in fresh if best is None else ():
                    j = state.ids.index(nid)
                    sim = float(vecs[i] @ state.sums[j] / max(np.linalg.norm(state.sums[j]), 1e-9))
                    if sim >= best_sim and cats & set(state.meta[nid]["categories"]):
                        best, best_sim = nid, sim
                if best is None:
                    best = _new_narrative(conn, state, r)
                    fresh.append(best)
                    best_sim = 1.0
                _add(state, best, r, vecs[i])
                links.append(
                    {
                        "post_id": r.id,
                        "narrative_id": best,
                        "similarity": int(best_sim * 100),
                        "published_at": r.published_at,
                    }
                )
        _save(conn, state)
        conn.execute(insert(post_narratives), links)
        if merge:
            merge_fragments(conn, encoder=encoder)
    return len(links)


def _new_narrative_row(conn: Connection, seen: datetime) -> int:
    """An empty narrative row (first and last seen `seen`); returns its id."""
    return conn.execute(
        insert(narratives)
        .values(
            centroid={},
            size=0,
            terms={},
            categories={},
            markets={},
            langs={},
            first_seen=seen,
            last_seen=seen,
            updated_at=datetime.now(UTC),
        )
        .returning(narratives.c.id)
    ).scalar_one()


def _new_narrative(conn: Connection, state: _State, r) -> int:
    nid = _new_narrative_row(conn, r.published_at)
    state.ids.append(nid)
    state.sums = np.vstack([state.sums, np.zeros((1, DIM), dtype=np.float32)])
    state.meta[nid] = {
        "size": 0,
        "terms": Counter(),
        "categories": Counter(),
        "markets": Counter(),
        "langs": Counter(),
        "first_seen": r.published_at,
        "last_seen": r.published_at,
        "new": True,
    }
    return nid


def _add(state: _State, nid: int, r, vec: np.ndarray) -> None:
    j = state.ids.index(nid)
    state.sums[j] += vec
    m = state.meta[nid]
    m["size"] += 1
    m["terms"].update(_terms(r.text, r.evidence))
    m["categories"].update(c for c in (r.categories or "").split(",") if c)
    if r.market and r.market != UNKNOWN:
        m["markets"][r.market] += 1
    if r.lang:
        m["langs"][canonical_lang(r.lang)] += 1
    m["first_seen"] = min(m["first_seen"], r.published_at)
    m["last_seen"] = max(m["last_seen"], r.published_at)
    state.dirty.add(nid)


def _save(conn: Connection, state: _State) -> None:
    now = datetime.now(UTC)
    for nid in state.dirty:
        j = state.ids.index(nid)
        m = state.meta[nid]
        top = np.argsort(-state.sums[j])[:300]
        centroid = {str(int(k)): round(float(state.sums[j, k]), 4) for k in top if state.sums[j, k] > 0}
        conn.execute(
            update(narratives)
            .where(narratives.c.id == nid)
            .values(
                centroid=centroid,
                size=m["size"],
                terms=dict(m["terms"].most_common(TOP_TERMS * 3)),
                categories=dict(m["categories"]),
                markets=dict(m["markets"]),
                langs=dict(m["langs"]),
                first_seen=m["first_seen"],
                last_seen=m["last_seen"],
                updated_at=now,
            )
        )


def term_document_frequencies(all_terms: dict[int, dict[str, int]]) -> Counter:
    """How many narratives use each term (compute once, pass to `label_terms` for every narrative)."""
    return Counter(t for terms in all_terms.values() for t in terms)


def canonical_lang(code: str) -> str:
    """A language tag in one spelling (BCP 47 casing), so `hi-latn` and `hi-Latn` count as one.

    >>> canonical_lang("hi-latn"), canonical_lang("HI_LATN"), canonical_lang("zh-hant-tw"), canonical_lang("id")
    ('hi-Latn', 'hi-Latn', 'zh-Hant-TW', 'id')
    """
    parts = code.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p.lower())
    return "-".join(out)


def canonical_langs(counts: dict | None) -> dict[str, int]:
    """Language counts with tags in one spelling (counts of spellings of one tag added up).

    >>> canonical_langs({"hi-Latn": 3, "hi-latn": 1, "en": 2})
    {'hi-Latn': 4, 'en': 2}
    """
    out: Counter = Counter()
    for code, n in (counts or {}).items():
        out[canonical_lang(code)] += n
    return dict(out)


def label_terms(all_terms: dict[int, dict[str, int]], nid: int, top: int = 6, df: Counter | None = None) -> list[str]:
    """c-TF-IDF: a term's share in this narrative times log(1 + narratives / narratives using it).

    Filler words (`monitio.detect.label_stopwords`) never make a label. `df` (from
    `term_document_frequencies`) saves recounting every narrative's terms per call.
    """
    own = {t: c for t, c in (all_terms.get(nid) or {}).items() if not is_filler(t)}
    if not own:
        return []
    df = df if df is not None else term_document_frequencies(all_terms)
    n = len(all_terms)
    total = sum(own.values())
    scored = {t: c / total * math.log(1 + n / df[t]) for t, c in own.items()}
    return [t for t, _ in sorted(scored.items(), key=lambda kv: -kv[1])[:top]]
