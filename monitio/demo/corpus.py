"""The built-in demo corpus: a month of multilingual posts with planted, emerging monetization risks.

`generate_demo` writes a CSV (id, text, created_at, author, lang, market, likes, shares, comments,
views, url) and returns a `DemoManifest` naming the planted events and the ids of their posts.

>>> import tempfile, csv
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as d:
...     m = generate_demo(Path(d) / "c.csv", n_posts=3000, days=10, seed=1)
...     rows = list(csv.DictReader(open(Path(d) / "c.csv", encoding="utf-8")))
>>> len(rows) == m.n_posts == 3000, [e.shape for e in m.events]
(True, ['spike', 'ramp', 'spread', 'campaign'])
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from monitio.demo.markets import BY_CODE, MARKETS, Market, author_name
from monitio.demo.phrases import CATEGORIES, Bank, compose
from monitio.demo.phrases_en import EN
from monitio.demo.phrases_events import BURSTS, MARKET_OF_BURST
from monitio.demo.planted import Draft, plant, specs
from monitio.demo.rhythm import local_weights

COLUMNS = ("id", "text", "created_at", "author", "lang", "market", "likes", "shares", "comments", "views", "url")
RISK_SHARE = 0.24
CATEGORY_WEIGHTS = np.array([16, 5, 9, 8, 12, 6, 7, 4, 16, 7, 4, 6], dtype=float)
# (name, days before end, UTC hour of start, duration in hours, posts at 50k)
BURST_PLAN = (("meme_id", 20, 5, 10, 150), ("concert_ph", 12, 11, 5, 140), ("football_vn", 5, 12, 4, 160))


@dataclass(frozen=True)
class PlantedEvent:
    """One planted emerging risk and the ids of its posts."""

    name: str
    shape: str
    category: str
    markets: tuple[str, ...]
    langs: tuple[str, ...]
    start: datetime
    peak: datetime
    end: datetime
    n_posts: int
    post_ids: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class ChatterBurst:
    """A harmless burst of chatter (match, concert, meme) that carries no risk vocabulary."""

    name: str
    market: str
    start: datetime
    end: datetime
    n_posts: int
    post_ids: tuple[str, ...]


@dataclass
class DemoManifest:
    """What `generate_demo` wrote: period, size, markets, languages, planted events and bursts."""

    path: Path
    seed: int
    start: datetime
    end: datetime
    n_posts: int
    markets: list[str]
    languages: list[str]
    events: list[PlantedEvent]
    bursts: list[ChatterBurst]
    background: dict[str, dict[str, int]] = field(default_factory=dict)
    """Background (non-event) risk posts over the whole period: category -> market -> count."""

    def event(self, name: str) -> PlantedEvent:
        """The planted event called `name`."""
        return next(e for e in self.events if e.name == name)


def make_text(bank: Bank, kind: str, rng: random.Random, m: Market, p_two: float | None = None) -> str:
    """Compose a post of `kind` ('chatter' or a category) in `bank`'s language for market `m`.

    With probability `p_two` (default 0.08) two sentences are joined; kept low because joined
    sentences chain unrelated posts into near-duplicate groups that look like copy-paste campaigns.
    """
    pool = bank.chatter if kind == "chatter" else bank.risk[kind]
    core = rng.choice(pool)
    if p_two is None:
        p_two = 0.08
    if len(pool) > 2 and rng.random() < p_two:
        core = f"{core} {rng.choice([t for t in pool if t != core])}"
    places = m.places if bank.latin else m.native.get(bank.lang, m.places)

    def extra(name: str) -> str | None:
        if name == "amount":
            return m.amount(rng)
        if name == "place":
            return rng.choice(places)
        return None

    return compose(bank, rng, core=core, negative=kind != "chatter", extra=extra)


def _author_pools(n_posts: int, rng: random.Random, nrng: np.random.Generator) -> dict[str, list[str]]:
    pools = {}
    for m in MARKETS:
        size = max(60, int(n_posts * m.share / 5))
        pools[m.code] = [author_name(m, rng, i) for i in range(size)]
    return pools


def _background(
    start: datetime, hours: int, n: int, pools: dict[str, list[str]], rng: random.Random, nrng: np.random.Generator
) -> list[Draft]:
    w = np.stack([m.share * local_weights(start, hours, m.offset) for m in MARKETS])
    w *= nrng.gamma(25.0, 1 / 25.0, size=w.shape)  # hour-level noise
    w *= np.repeat(nrng.gamma(60.0, 1 / 60.0, size=(len(MARKETS), hours // 24 + 1)), 24, axis=1)[:, :hours]
    counts = nrng.multinomial(n, (w / w.sum()).ravel()).reshape(w.shape)
    cat_p = CATEGORY_WEIGHTS / CATEGORY_WEIGHTS.sum()
    out: list[Draft] = []
    for mi, m in enumerate(MARKETS):
        hrs = np.repeat(np.arange(hours), counts[mi])
        k = len(hrs)
        pool = pools[m.code]
        activity = nrng.lognormal(0.0, 1.3, size=len(pool))
        authors = nrng.choice(len(pool), size=k, p=activity / activity.sum())
        risky = nrng.random(k) < RISK_SHARE
        cats = nrng.choice(len(CATEGORIES), size=k, p=cat_p)
        banks, bw = [b for b, _ in m.banks], [x for _, x in m.banks]
        for i in range(k):
            kind = CATEGORIES[cats[i]] if risky[i] else "chatter"
            bank = rng.choices(banks, weights=bw)[0]
            if kind != "chatter" and kind not in bank.risk:
                bank = EN
            ts = start + timedelta(hours=int(hrs[i]), seconds=rng.randrange(3600))
            out.append(Draft(ts, m, bank, make_text(bank, kind, rng, m), pool[authors[i]], "", kind))
    return out


def _bursts(
    start: datetime, end: datetime, scale: float, pools: dict[str, list[str]], rng: random.Random
) -> list[Draft]:
    out: list[Draft] = []
    for name, days_before, hour, duration, n in BURST_PLAN:
        t0 = (end - timedelta(days=days_before)).replace(hour=hour, minute=0, second=0, microsecond=0)
        if t0 < start or t0 + timedelta(hours=duration) > end:
            continue
        m = BY_CODE[MARKET_OF_BURST[name]]
        for _ in range(max(10, round(n * scale))):
            offset = min(rng.expovariate(2.0 / duration), duration - 0.01)
            bank = rng.choice(BURSTS[name])
            text = make_text(bank, "chatter", rng, m)
            out.append(
                Draft(t0 + timedelta(seconds=int(offset * 3600)), m, bank, text, rng.choice(pools[m.code]), name)
            )
    return out


def _format_ts(ts: datetime, m: Market, local: bool) -> str:
    if local:
        return ts.astimezone(timezone(timedelta(hours=m.offset))).isoformat(timespec="seconds")
    return ts.isoformat(timespec="seconds")


def _write(path: Path, drafts: list[Draft], rng: random.Random, nrng: np.random.Generator) -> list[str]:
    n = len(drafts)
    views = np.round(nrng.lognormal(5.6, 1.7, n)).astype(np.int64)
    likes = np.round(views * nrng.beta(1.3, 22.0, n)).astype(np.int64)
    comments = np.round(likes * nrng.beta(1.0, 7.0, n)).astype(np.int64)
    shares = np.round(likes * nrng.beta(1.0, 9.0, n)).astype(np.int64)
    ids = [f"demo-{i + 1:06d}" for i in range(n)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for i, d in enumerate(drafts):
            small = d.kind == "scam_ads" and d.event.endswith("campaign")
            v = int(views[i]) // 40 if small else int(views[i])
            out.writerow(
                (
                    ids[i],
                    d.text,
                    _format_ts(d.ts, d.market, rng.random() < 0.3),
                    d.author,
                    d.bank.lang if rng.random() < 0.1 else "",
                    d.market.code if rng.random() < 0.7 else "",
                    int(likes[i]) // (40 if small else 1),
                    int(shares[i]) // (40 if small else 1),
                    int(comments[i]) // (40 if small else 1),
                    v,
                    f"https://social.example.com/@{d.author}/posts/{ids[i][5:]}",
                )
            )
    return ids


def generate_demo(
    path: Path, *, n_posts: int = 50_000, days: int = 30, end: datetime | None = None, seed: int = 7
) -> DemoManifest:
    """Write the demo corpus CSV to `path`; return the manifest of what was planted."""
    if end is None:
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    end = end.astimezone(UTC) if end.tzinfo else end.replace(tzinfo=UTC)
    start = end - timedelta(days=days)
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    scale = n_posts / 50_000
    pools = _author_pools(n_posts, rng, nrng)
    planted: list[Draft] = []
    event_specs = [s for s in specs(scale) if max(b for _, b, _ in s.legs) <= days * 24]
    for spec in event_specs:
        planted += plant(end, spec, rng, nrng, pools, make_text)
    bursts = _bursts(start, end, scale, pools, rng)
    n_bg = n_posts - len(planted) - len(bursts)
    if n_bg < n_posts // 2:
        raise ValueError(f"n_posts={n_posts} is too small for the planted events; use at least 2000")
    drafts = _background(start, days * 24, n_bg, pools, rng, nrng) + planted + bursts
    drafts.sort(key=lambda d: (d.ts, d.market.code, d.text))
    ids = _write(Path(path), drafts, rng, nrng)
    by_event: dict[str, list[int]] = {}
    background: dict[str, dict[str, int]] = {c: {} for c in CATEGORIES}
    for i, d in enumerate(drafts):
        if d.event:
            by_event.setdefault(d.event, []).append(i)
        elif d.kind != "chatter":
            background[d.kind][d.market.code] = background[d.kind].get(d.market.code, 0) + 1
    events = []
    for spec in event_specs:
        idx = by_event.get(spec.name, [])
        hours = [drafts[i].ts.replace(minute=0, second=0, microsecond=0) for i in idx]
        peak = max(set(hours), key=lambda h: (hours.count(h), h))
        events.append(
            PlantedEvent(
                name=spec.name,
                shape=spec.shape,
                category=spec.category,
                markets=tuple(code for code, _, _ in spec.legs),
                langs=tuple(sorted({drafts[i].bank.lang for i in idx})),
                start=min(drafts[i].ts for i in idx).replace(microsecond=0),
                peak=peak,
                end=max(drafts[i].ts for i in idx).replace(microsecond=0),
                n_posts=len(idx),
                post_ids=tuple(ids[i] for i in idx),
                description=spec.description,
            )
        )
    burst_list = []
    for name, *_ in BURST_PLAN:
        idx = by_event.get(name, [])
        if idx:
            ts = [drafts[i].ts for i in idx]
            code = MARKET_OF_BURST[name]
            burst_list.append(ChatterBurst(name, code, min(ts), max(ts), len(idx), tuple(ids[i] for i in idx)))
    return DemoManifest(
        path=Path(path),
        seed=seed,
        start=start,
        end=end,
        n_posts=len(drafts),
        markets=sorted({d.market.code for d in drafts}),
        languages=sorted({d.bank.lang for d in drafts}),
        events=events,
        bursts=burst_list,
        background=background,
    )
