"""Merging narrative fragments: one real event, one narrative, across languages and scripts.

Online assignment (`monitio.detect.narratives`) splits an event whose posts are worded many ways (and
told in several languages) into fragments. After each assignment pass, the narratives active in the
last `LOOKBACK_DAYS` that share a risk category are merged in four steps, after one split:

0. **split**: a near-duplicate group (>= `SPLIT_MIN` copies) bursting inside a long-running narrative, and
   only there, becomes a narrative of its own (an event's first copies had joined a broad story by wording);
   again after merging, so a second pass has nothing left to do.
1. **must-links**: posts of both sit in one near-duplicate group (a burst does not join a long-running
   story that way), or name one identifier (phone, messaging handle, wallet, link; a value named in
   more than `HUB` narratives means nothing), or, bursting together, keep naming one brand-like name
   (CamelCase "DealHub" in >= `NAME_SHARE` of each one's posts); a watch-list impersonation name links
   bursts that are also textually close (many unrelated scams borrow one celebrity).
2. **co-bursts**: bursts (>= `BURST_SHARE` of posts within `BURST_HOURS` of their median; medians at
   most `BURST_HOURS` apart) in a shared market with a similar category profile (>= `CATEGORY_PROFILE`)
   are clustered by centroid linkage on half hashed centroid, half TF-IDF of their label terms
   (>= `CO_SIM`). One loose pair cannot chain two events, and a group that keeps naming a name or
   identifier the other never names is not joined, once the other has enough posts that missing it
   by chance is unlikely (`FOREIGN_P`: a story naming a handle in every post cannot absorb a
   4-post fragment that never does).
3. **embeddings** (when a backend is given): the same clustering across markets on each burst's
   representative post, vectors centred on common complaints (`monitio.enrich.embeddings.centred`,
   >= `EMB_SIM`), which joins one story told in Indonesian, Tagalog and English.
4. **reclaim**: posts of a long-running narrative that name a burst's name or identifier during the
   burst move to the burst (they had joined the old story by wording before the burst had its own).

Merged narratives go into the oldest (smallest id, so ids stay stable): its posts, counts, terms and
centroid absorb the others', which keep their row with `merged_into` set; a `narrative_merges` row
records when, by whom ("system") and why (link kinds and up to 10 values).

>>> uf = _UnionFind(); uf.union(3, 5); uf.union(5, 9); uf.find(9)
3
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import combinations

import numpy as np
from sqlalchemy import Connection, func, insert, select, update

from monitio.detect.label_stopwords import is_filler
from monitio.enrich.embeddings import centred, encode_cached
from monitio.store.schema import UNKNOWN, posts
from monitio.store.schema_intel import narrative_merges, narratives, post_narratives

LOOKBACK_DAYS = 14
BURST_HOURS = 72
BURST_SHARE = 0.7
CO_SIM = 0.1
EMB_SIM = 0.35
HUB = 12
TERM_WEIGHT = 0.5
CATEGORY_PROFILE = 0.7
NAME_SHARE = 0.3
FOREIGN_P = 0.05
"""A fragment that never names what another keeps naming is another story when missing it by chance is this rare."""
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
    cat_counts: Counter = field(default_factory=Counter)
    centroid: np.ndarray | None = None
    times: list[datetime] = field(default_factory=list)
    names: Counter = field(default_factory=Counter)

    def main_names(self) -> list[str]:
        """Brand-like names and identifiers in at least `NAME_SHARE` of its posts."""
        return [n for n, k in self.names.items() if k >= NAME_SHARE * self.weight]

    def foreign_to(self, other: _Frag) -> bool:
        """It keeps naming something `other` never names, and were they one story `other` would have named it
        by now: with the share of this one's posts naming it (Laplace-smoothed) as the chance per post, missing it
        in all of `other`'s posts has a probability below `FOREIGN_P`. Two stories, not one.

        >>> handle = _Frag(1, {"scam"}, Counter(), times=[datetime(2026, 1, 1)] * 5, names=Counter({"@job": 5}))
        >>> quiet = _Frag(2, {"scam"}, Counter(), times=[datetime(2026, 1, 1)] * 4)
        >>> handle.foreign_to(quiet), handle.foreign_to(_Frag(3, {"scam"}, Counter(), times=quiet.times[:1]))
        (True, False)
        """
        for n in self.main_names():
            if other.names[n] == 0:
                share = (self.names[n] + 1) / (self.weight + 2)
                if (1 - share) ** other.weight < FOREIGN_P:
                    return True
        return False

    @property
    def weight(self) -> int:
        return max(len(self.times), 1)

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
    _split_copies(conn, since)
    live = conn.execute(
        select(
            narratives.c.id, narratives.c.categories, narratives.c.markets, narratives.c.centroid, narratives.c.terms
        ).where(narratives.c.merged_into.is_(None), narratives.c.last_seen >= since)
    ).all()
    if len(live) < 2:
        return []
    frags = {
        r.id: _Frag(r.id, set(r.categories or {}), Counter(r.markets or {}), Counter(r.categories or {})) for r in live
    }
    dims = max((int(k) for r in live for k in (r.centroid or {})), default=0) + 1
    for r in live:
        c = np.zeros(dims, dtype=np.float32)
        for k, v in (r.centroid or {}).items():
            c[int(k)] = v
        frags[r.id].centroid = c / max(float(np.linalg.norm(c)), 1e-9)
    sizes = {r.id: 0 for r in live}
    rows = conn.execute(
        select(
            post_narratives.c.narrative_id,
            post_narratives.c.post_id,
            post_narratives.c.published_at,
            posts.c.dup_group,
            posts.c.indicators,
            posts.c.text,
        )
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
        frags[r.narrative_id].names.update(set(names_in(r.text)) | set(identifier_values(r.indicators)))
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
            if _together(frags[a], frags[b]) and float(frags[a].centroid @ frags[b].centroid) >= CO_SIM / 2:
                links.append((a, b, f"impersonation {name}"))
    links += _shared_names(frags, sizes)
    uf = _UnionFind()
    for a, b, _ in links:
        if frags[a].categories & frags[b].categories:
            uf.union(a, b)
    links += _agglomerate(frags, uf, sizes, "co_burst", same_market=True, vectors=_text_vectors(frags, live))
    if encoder is not None:
        reps = _representatives(conn, [f.id for f in frags.values() if f.bursty()])
        if reps:
            raw = encode_cached(conn, encoder, list(reps.values()))
            vecs = dict(zip(reps, centred(conn, encoder, raw), strict=True))
        else:
            vecs = {}
        links += _agglomerate(frags, uf, sizes, "embeddings", same_market=False, vectors=vecs, threshold=EMB_SIM)
    kept = [(a, b, why) for a, b, why in links if a != b and frags[a].categories & frags[b].categories]
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
    _reclaim(conn, frags, uf, rows)
    _split_copies(conn, since)  # merging can leave a burst's copies inside one long-running narrative
    return made


SPLIT_MIN = 3
"""Fewest posts of a near-duplicate group that `_split_copies` takes out of a long-running narrative."""


def _split_copies(conn: Connection, since: datetime) -> list[int]:
    """Near-duplicate groups that burst inside a long-running narrative become narratives of their own.

    Online assignment puts a post in the nearest narrative that exists when it arrives, so the first copies of an
    event's wording join a broad long-running story (generic "ad ... scam" complaints) before the event has a
    narrative. A group of at least `SPLIT_MIN` copies, bursting (`BURST_SHARE` within `BURST_HOURS`), wholly
    inside one long-running narrative and less than half of it, moves to a new narrative, which the linking steps
    below can then join to the rest of its event. Returns the new narrative ids."""
    from monitio.detect.narratives import _new_narrative_row

    rows = conn.execute(
        select(
            post_narratives.c.narrative_id, post_narratives.c.post_id, post_narratives.c.published_at, posts.c.dup_group
        )
        .join(posts, posts.c.id == post_narratives.c.post_id)
        .join(narratives, narratives.c.id == post_narratives.c.narrative_id)
        .where(narratives.c.merged_into.is_(None), narratives.c.last_seen >= since)
    ).all()
    homes: dict[int, list[datetime]] = defaultdict(list)
    copies: dict[int, list] = defaultdict(list)
    for r in rows:
        homes[r.narrative_id].append(r.published_at)
        if r.dup_group is not None:
            copies[r.dup_group].append(r)
    made = []
    for group in copies.values():
        where = {r.narrative_id for r in group}
        if len(group) < SPLIT_MIN or len(where) != 1:
            continue
        home = where.pop()
        times = homes[home]
        if _Frag(home, set(), Counter(), times=times).bursty() or 2 * len(group) >= len(times):
            continue
        if not _Frag(home, set(), Counter(), times=[r.published_at for r in group]).bursty():
            continue
        nid = _new_narrative_row(conn, min(r.published_at for r in group))
        conn.execute(
            update(post_narratives)
            .where(post_narratives.c.post_id.in_([r.post_id for r in group]))
            .values(narrative_id=nid)
        )
        _rebuild(conn, nid)
        _rebuild(conn, home)
        made.append(nid)
    return made


def _reclaim(conn: Connection, frags: dict[int, _Frag], uf: _UnionFind, rows) -> int:
    """Posts of a long-running narrative that name a burst's brand-like name or identifier during the
    burst move to the burst (they joined the old story by wording before the burst had a narrative of its own)."""
    bursts: dict[int, _Frag] = {}
    for f in frags.values():
        if f.bursty():
            root = uf.find(f.id)
            bursts[root] = _join(bursts[root], f) if root in bursts else f
    owners: dict[str, list[int]] = defaultdict(list)
    for root, g in bursts.items():
        for name in g.main_names():
            owners[name].append(root)
    moves: dict[int, list[int]] = defaultdict(list)
    slack = timedelta(hours=6)
    for r in rows:
        home = frags[r.narrative_id]
        if home.bursty() or uf.find(r.narrative_id) in bursts:
            continue
        for name in dict.fromkeys([*names_in(r.text), *identifier_values(r.indicators)]):
            targets = sorted(owners.get(name, []), key=lambda t: -bursts[t].weight)
            if not targets:
                continue
            g = bursts[targets[0]]
            if home.categories & g.categories and min(g.times) - slack <= r.published_at <= max(g.times) + slack:
                moves[targets[0]].append(r.post_id)
                break
    touched: set[int] = set()
    for into, pids in moves.items():
        olds = set(
            conn.execute(select(post_narratives.c.narrative_id).where(post_narratives.c.post_id.in_(pids))).scalars()
        )
        conn.execute(update(post_narratives).where(post_narratives.c.post_id.in_(pids)).values(narrative_id=into))
        touched |= olds | {into}
    for nid in touched:
        _rebuild(conn, nid)
    return sum(len(p) for p in moves.values())


def _rebuild(conn: Connection, nid: int) -> None:
    """Recompute a narrative's centroid, counts and terms from the posts it holds now."""
    from monitio.detect.narratives import DIM, add_terms, canonical_lang, vectorise

    q = (
        select(posts.c.text, posts.c.evidence, posts.c.categories, posts.c.market, posts.c.lang, posts.c.published_at)
        .join(post_narratives, post_narratives.c.post_id == posts.c.id)
        .where(post_narratives.c.narrative_id == nid)
    )
    got = conn.execute(q).all()
    if not got:
        conn.execute(update(narratives).where(narratives.c.id == nid).values(size=0, centroid={}, terms={}))
        return
    sums = np.zeros(DIM, dtype=np.float32)
    terms: Counter = Counter()
    cats: Counter = Counter()
    markets: Counter = Counter()
    langs: Counter = Counter()
    for p in got:
        sums += vectorise(p.text)
        add_terms(terms, p.text, p.evidence)
        cats.update(c for c in (p.categories or "").split(",") if c)
        if p.market and p.market != UNKNOWN:
            markets[p.market] += 1
        if p.lang:
            langs[canonical_lang(p.lang)] += 1
    top = np.argsort(-sums)[:300]
    conn.execute(
        update(narratives)
        .where(narratives.c.id == nid)
        .values(
            centroid={str(int(k)): round(float(sums[k]), 4) for k in top if sums[k] > 0},
            size=len(got),
            terms=dict(terms.most_common(120)),
            categories=dict(cats),
            markets=dict(markets),
            langs=dict(langs),
            first_seen=min(p.published_at for p in got),
            last_seen=max(p.published_at for p in got),
            updated_at=datetime.now(UTC),
        )
    )


def _agglomerate(
    frags: dict[int, _Frag],
    uf: _UnionFind,
    sizes: dict[int, int],
    why: str,
    *,
    same_market: bool,
    vectors: dict[int, np.ndarray] | None = None,
    threshold: float | None = None,
) -> list[tuple[int, int, str]]:
    """Centroid-linkage clustering of the bursts (groups already linked start together): the two most
    similar groups that burst together, share a category (and a market when `same_market`) join, and
    their size-weighted mean vector stands for both, until no pair reaches `threshold`. Unlike linking
    every similar pair, one loose pair cannot chain two events together."""
    threshold = CO_SIM if threshold is None else threshold
    groups: dict[int, list[int]] = defaultdict(list)
    for f in frags.values():
        if f.bursty() and (vectors is None or f.id in vectors):
            groups[uf.find(f.id)].append(f.id)
    roots = sorted(groups)
    if len(roots) < 2:
        return []
    src = vectors if vectors is not None else {f.id: f.centroid for f in frags.values()}
    vec = {}
    for r in roots:
        v = sum(src[m] * max(sizes[m], 1) for m in groups[r])
        vec[r] = v / max(float(np.linalg.norm(v)), 1e-9)
    info = [_group_frag(frags, groups[r]) for r in roots]
    mat = np.stack([vec[r] for r in roots])
    n = len(roots)
    ok = np.zeros((n, n), dtype=bool)
    for i in range(n):
        ok[i, i + 1 :] = [_allowed(info[i], info[j], same_market) for j in range(i + 1, n)]
    alive = np.ones(n, dtype=bool)
    out = []
    while True:
        sims = np.where(ok & alive[:, None] & alive[None, :], mat @ mat.T, -1.0)
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < threshold:
            return out
        out.append((roots[i], roots[j], why))
        uf.union(roots[i], roots[j])
        merged = mat[i] * info[i].weight + mat[j] * info[j].weight
        mat[i] = merged / max(float(np.linalg.norm(merged)), 1e-9)
        info[i] = _join(info[i], info[j])
        roots[i] = min(roots[i], roots[j])
        alive[j] = False
        ok[i, :] = False
        ok[:, i] = False
        for k in np.flatnonzero(alive):
            if k != i:
                ok[min(i, k), max(i, k)] = _allowed(info[i], info[k], same_market)


def _allowed(a: _Frag, b: _Frag, same_market: bool) -> bool:
    return (
        (not same_market or bool(set(a.markets) & set(b.markets)))
        and _profile(a.cat_counts, b.cat_counts) >= CATEGORY_PROFILE
        and not (a.foreign_to(b) or b.foreign_to(a))
        and _together(a, b)
    )


def _profile(a: Counter, b: Counter) -> float:
    """Cosine of two category count profiles (a refund complaint vs a refund *phishing* story).

    >>> round(_profile(Counter(payments_refunds=16), Counter(payments_refunds=9, spam_phishing=9)), 2)
    0.71
    """
    dot = sum(n * b[k] for k, n in a.items())
    na, nb = sum(n * n for n in a.values()) ** 0.5, sum(n * n for n in b.values()) ** 0.5
    return dot / max(na * nb, 1e-9)


NAME_RE = re.compile(r"(?<![\w.@/])([A-Z][a-z]+[A-Z]\w*|[A-Z]{2,}[a-z]\w*)")


def names_in(text: str) -> list[str]:
    """Brand-like names in a text (CamelCase: "DealHub", "GlucoFix"), lower-cased; the same in any language.

    >>> names_in("สั่งของจาก DealHub ตอนแฟลชเซล, GlucoFix Plus, Deepfake, iPhone")
    ['dealhub', 'glucofix']
    """
    return [m.lower() for m in NAME_RE.findall(text)]


def _shared_names(frags: dict[int, _Frag], sizes: dict[int, int]):
    """Bursts whose posts keep naming the same brand-like name (in >= `NAME_SHARE` of each one's posts),
    a name few active narratives lean on (<= `HUB`)."""
    users: dict[str, list[int]] = defaultdict(list)
    for nid, f in frags.items():
        for name in f.main_names():
            users[name].append(nid)
    out = []
    for name, nids in users.items():
        if len(nids) <= HUB:
            for a, b in combinations(sorted(nids), 2):
                if _together(frags[a], frags[b]):
                    out.append((a, b, f"name {name}"))
    return out


def _text_vectors(frags: dict[int, _Frag], live) -> dict[int, np.ndarray]:
    """Per burst: its hashed centroid next to a TF-IDF vector of its label terms (idf over all active
    narratives, filler left out), each half L2-normalised, so words every story of a category uses
    ("deepfake", "refund") count little and the event's own words (a name, an app, an amount) count most."""
    bursts = {f.id for f in frags.values() if f.bursty()}
    terms = {r.id: {t: n for t, n in (r.terms or {}).items() if not is_filler(t)} for r in live}
    df = Counter(t for counts in terms.values() for t in counts)
    vocab = {t: i for i, t in enumerate(sorted({t for nid in bursts for t in terms[nid]}))}
    total = len(terms)
    out = {}
    for nid in bursts:
        tf = np.zeros(len(vocab), dtype=np.float32)
        for t, n in terms[nid].items():
            tf[vocab[t]] = (1.0 + np.log(n)) * np.log(total / df[t])
        tf /= max(float(np.linalg.norm(tf)), 1e-9)
        out[nid] = np.concatenate([frags[nid].centroid * (1 - TERM_WEIGHT), tf * TERM_WEIGHT])
    return out


def _group_frag(frags: dict[int, _Frag], members: list[int]) -> _Frag:
    g = _Frag(min(members), set(), Counter())
    for m in members:
        g = _join(g, frags[m])
    return g


def _join(a: _Frag, b: _Frag) -> _Frag:
    return _Frag(
        min(a.id, b.id),
        a.categories | b.categories,
        a.markets + b.markets,
        a.cat_counts + b.cat_counts,
        None,
        a.times + b.times,
        a.names + b.names,
    )


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
