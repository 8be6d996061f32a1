"""Merging narrative fragments: one real event, one narrative, across languages and scripts.

Online assignment (`monitio.detect.narratives`) splits an event whose posts are worded many ways (and
told in several languages) into fragments. After each assignment pass, recently active narratives that
share a risk category are linked when

* **near-duplicates**: posts of both are in one near-duplicate group (copy-paste across fragments);
* **indicators**: posts of both name the same phone number, messaging handle, wallet or link (a value
  found in more than `HUB` narratives is too common to mean one event); an impersonated name links
  only fragments that also burst together (many unrelated scams use the same celebrity);
* **co-burst**: both are bursts (most posts within `BURST_HOURS` of their median time), their medians
  are at most `BURST_HOURS` apart, they share a market, and their centroids are similar (>= `CO_SIM`);
* **embeddings** (when a backend is set): both burst together and their representatives (the post
  nearest each centroid) are close in the multilingual embedding space (>= `EMB_SIM`), which joins
  the same story told in Indonesian, Thai and English.

Linked narratives merge into the oldest (smallest id, so ids stay stable): its posts, counts, terms and
centroid absorb the others', which keep their row with `merged_into` set; a `narrative_merges` row
records when, by whom ("system") and why.

>>> uf = _UnionFind(); uf.union(3, 5); uf.union(5, 9); uf.find(9)
3
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import combinations

import numpy as np
from sqlalchemy import Connection, func, insert, select, update

from monitio.detect.label_stopwords import is_filler
from monitio.store.schema import posts
from monitio.store.schema_intel import narrative_merges, narratives, post_narratives

LOOKBACK_DAYS = 14
BURST_HOURS = 72
BURST_SHARE = 0.7
CO_SIM = 0.08
EMB_SIM = 0.9
HUB = 12
TERM_SHARE = 0.3
TERM_HUB = 8
ID_KINDS = ("phone", "messaging", "wallet", "lookalike_link", "short_link", "link")
LINK_HOSTS_IGNORED = ("youtube.com", "youtu.be", "facebook.com", "tiktok.com", "instagram.com", "x.com", "t.co")


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:  # the smaller (older) id is the root
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _Frag:
    """What the linking rules need to know about one active narrative."""

    id: int
    categories: set[str]
    markets: Counter
    centroid: np.ndarray | None = None
    times: list[datetime] = field(default_factory=list)

    @property
    def median(self) -> datetime:
        return sorted(self.times)[len(self.times) // 2]

    def bursty(self) -> bool:
        if not self.times:
            return False
        mid, win = self.median, timedelta(hours=BURST_HOURS)
        return sum(abs(t - mid) <= win for t in self.times) >= BURST_SHARE * len(self.times)


def _together(a: _Frag, b: _Frag) -> bool:
    """Both are bursts of a shared category at about the same time."""
    return (
        bool(a.categories & b.categories)
        and a.bursty()
        and b.bursty()
        and abs(a.median - b.median) <= timedelta(hours=BURST_HOURS)
    )


def identifier_values(indicators: dict | None) -> Iterable[str]:
    """The indicator values that identify one actor: phones, handles, wallets, links (not cue words).

    >>> sorted(identifier_values({"phone": ["+6281"], "returns": ["30%/day"], "link": ["youtube.com/x"]}))
    ['phone:+6281']
    """
    for kind in ID_KINDS:
        for v in (indicators or {}).get(kind, []):
            host = str(v).split("/", 1)[0].lower().removeprefix("www.")
            if kind == "link" and host in LINK_HOSTS_IGNORED:
                continue
            yield f"{'link' if kind.endswith('link') else kind}:{str(v).lower()}"


def merge_fragments(conn: Connection, *, encoder=None, actor: str = "system") -> list[dict]:
    """Link and merge fragments among recently active narratives; returns the merges made."""
    newest = conn.execute(select(func.max(post_narratives.c.published_at))).scalar()
    if newest is None:
        return []
    since = newest - timedelta(days=LOOKBACK_DAYS)
    live = conn.execute(
        select(
            narratives.c.id, narratives.c.categories, narratives.c.markets, narratives.c.centroid, narratives.c.terms
        ).where(narratives.c.merged_into.is_(None), narratives.c.last_seen >= since)
    ).all()
    if len(live) < 2:
        return []
    frags = {r.id: _Frag(r.id, set(r.categories or {}), Counter(r.markets or {})) for r in live}
    dims = max((int(k) for r in live for k in (r.centroid or {})), default=0) + 1
    for r in live:
        c = np.zeros(dims, dtype=np.float32)
        for k, v in (r.centroid or {}).items():
            c[int(k)] = v
        frags[r.id].centroid = c / max(float(np.linalg.norm(c)), 1e-9)
    sizes = {r.id: 0 for r in live}
    rows = conn.execute(
        select(post_narratives.c.narrative_id, post_narratives.c.published_at, posts.c.dup_group, posts.c.indicators)
        .join(posts, posts.c.id == post_narratives.c.post_id)
        .where(post_narratives.c.narrative_id.in_(list(frags)))
    ).all()
    by_dup: dict[int, set[int]] = defaultdict(set)
    by_value: dict[str, set[int]] = defaultdict(set)
    names: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        frags[r.narrative_id].times.append(r.published_at)
        sizes[r.narrative_id] += 1
        if r.dup_group is not None:
            by_dup[r.dup_group].add(r.narrative_id)
        for v in identifier_values(r.indicators):
            by_value[v].add(r.narrative_id)
        for name in (r.indicators or {}).get("impersonation", []):
            names[str(name).lower()].add(r.narrative_id)
    links: list[tuple[int, int, str]] = []
    for nids in by_dup.values():
        for a, b in combinations(sorted(nids), 2):  # a burst does not join a long-running story by one copy
            if _together(frags[a], frags[b]) or not (frags[a].bursty() or frags[b].bursty()):
                links.append((a, b, "near_duplicates"))
    for value, nids in by_value.items():
        if len(nids) <= HUB:
            links += [(a, b, f"indicator {value}") for a, b in combinations(sorted(nids), 2)]
    for name, nids in names.items():
        for a, b in combinations(sorted(nids), 2):
            if _together(frags[a], frags[b]):
                links.append((a, b, f"impersonation {name}"))
    links += _co_bursts(frags)
    links += _shared_terms(frags, {r.id: r.terms or {} for r in live}, sizes)
    if encoder is not None:
        links += _embedding_links(conn, frags, encoder)
    uf = _UnionFind()
    kept = [(a, b, why) for a, b, why in links if a != b and frags[a].categories & frags[b].categories]
    for a, b, _ in kept:
        uf.union(a, b)
    reasons: dict[int, dict] = defaultdict(lambda: {"links": Counter(), "values": []})
    for a, _, why in kept:
        kind, _, value = why.partition(" ")
        entry = reasons[uf.find(a)]
        entry["links"][kind] += 1
        if value and value not in entry["values"] and len(entry["values"]) < 10:
            entry["values"].append(value)
    groups: dict[int, list[int]] = defaultdict(list)
    for nid in list(uf.parent):
        groups[uf.find(nid)].append(nid)
    made = []
    for root, members in sorted(groups.items()):
        losers = sorted(m for m in members if m != root)
        if losers:
            why = {"links": dict(reasons[root]["links"]), "values": reasons[root]["values"]}
            made.append(_merge(conn, root, losers, why, actor))
    return made


def _co_bursts(frags: dict[int, _Frag]) -> list[tuple[int, int, str]]:
    bursts = [f for f in frags.values() if f.bursty()]
    out = []
    for a, b in combinations(bursts, 2):
        if not (set(a.markets) & set(b.markets)) or not _together(a, b):
            continue
        if float(a.centroid @ b.centroid) >= CO_SIM:
            out.append((a.id, b.id, "co_burst"))
    return out


def _shared_terms(frags: dict[int, _Frag], terms: dict[int, dict], sizes: dict[int, int]):
    """Bursts that lean on one rare term (a shop, app or person's name: "dealhub") in any language."""
    users: dict[str, list[int]] = defaultdict(list)
    for nid, counts in terms.items():
        if not frags[nid].bursty() or sizes[nid] < 2:
            continue
        for t, n in counts.items():
            if n >= TERM_SHARE * sizes[nid] and len(t) >= 4 and " " not in t and not is_filler(t):
                users[t].append(nid)
    df = Counter(t for counts in terms.values() for t in counts)
    out = []
    for t, nids in users.items():
        if df[t] <= TERM_HUB:
            out += [(a, b, f"term {t}") for a, b in combinations(sorted(nids), 2) if _together(frags[a], frags[b])]
    return out


def _embedding_links(conn: Connection, frags: dict[int, _Frag], encoder) -> list[tuple[int, int, str]]:
    """Cross-language links: representatives close in the embedding space, bursting together."""
    from monitio.enrich.embeddings import encode_cached

    bursts = [f for f in frags.values() if f.bursty()]
    if len(bursts) < 2:
        return []
    reps = _representatives(conn, [f.id for f in bursts])
    have = [f for f in bursts if f.id in reps]
    vecs = encode_cached(conn, encoder, [reps[f.id] for f in have])
    sims = vecs @ vecs.T
    out = []
    for i, j in combinations(range(len(have)), 2):
        if sims[i, j] >= EMB_SIM and _together(have[i], have[j]):
            out.append((have[i].id, have[j].id, "embeddings"))
    return out


def _representatives(conn: Connection, nids: list[int]) -> dict[int, str]:
    """Each narrative's most central post (highest similarity to its centroid when it joined)."""
    best: dict[int, tuple[int, int]] = {}
    q = select(post_narratives.c.narrative_id, post_narratives.c.post_id, post_narratives.c.similarity).where(
        post_narratives.c.narrative_id.in_(nids)
    )
    for nid, pid, sim in conn.execute(q):
        if nid not in best or (sim, -pid) > (best[nid][1], -best[nid][0]):
            best[nid] = (pid, sim)
    ids = [p for p, _ in best.values()]
    text = dict(conn.execute(select(posts.c.id, posts.c.text).where(posts.c.id.in_(ids))).all()) if ids else {}
    return {nid: text[pid] for nid, (pid, _) in best.items() if pid in text}


def _merge(conn: Connection, into: int, losers: list[int], reasons: dict, actor: str) -> dict:
    """Move the losers' posts and counts into `into`; mark them merged; record the merge."""
    now = datetime.now(UTC)
    rows = {r.id: r for r in conn.execute(select(narratives).where(narratives.c.id.in_([into, *losers])))}
    keep = rows[into]
    centroid: Counter = Counter(keep.centroid or {})
    counts = {k: Counter(getattr(keep, k) or {}) for k in ("terms", "categories", "markets", "langs")}
    size, first, last = keep.size, keep.first_seen, keep.last_seen
    for nid in losers:
        r = rows[nid]
        centroid.update(r.centroid or {})
        for k, c in counts.items():
            c.update(getattr(r, k) or {})
        size += r.size
        first, last = min(first, r.first_seen), max(last, r.last_seen)
    conn.execute(update(post_narratives).where(post_narratives.c.narrative_id.in_(losers)).values(narrative_id=into))
    conn.execute(
        update(narratives)
        .where(narratives.c.id == into)
        .values(
            centroid={k: round(v, 4) for k, v in centroid.most_common(300)},
            size=size,
            terms=dict(counts["terms"].most_common(120)),
            categories=dict(counts["categories"]),
            markets=dict(counts["markets"]),
            langs=dict(counts["langs"]),
            first_seen=first,
            last_seen=last,
            updated_at=now,
        )
    )
    conn.execute(update(narratives).where(narratives.c.id.in_(losers)).values(merged_into=into, updated_at=now))
    conn.execute(update(narratives).where(narratives.c.merged_into.in_(losers)).values(merged_into=into))
    record = {"into_id": into, "from_ids": losers, "reasons": reasons, "actor": actor, "created_at": now}
    conn.execute(insert(narrative_merges).values(**record))
    return record
