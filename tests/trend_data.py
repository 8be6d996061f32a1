"""Synthetic, already-enriched risk posts for the trend detectors (narratives, bursts, shifts).

Background: every market x category posts at a steady Poisson rate from a few fixed templates (so
narratives form and stay steady), with random authors and a steady negative share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import select

from monitio.records import CategoryHit, Doc, Post
from monitio.store.repo import insert_posts, save_enrichment
from monitio.store.schema import posts

END = datetime(2026, 11, 24, 12, tzinfo=UTC)  # a Tuesday
DAYS = 16
TEMPLATES = {
    "scam_ads": [
        ("Iklan investasi {w} ini penipuan, uang saya hilang", "id", ["investasi"]),
        ("This {w} investment ad is a scam, lost my savings", "en", ["scam"]),
        ("Hati-hati iklan pinjaman {w} palsu di aplikasi", "id", ["pinjaman"]),
    ],
    "payments_refunds": [
        ("Still waiting for my refund for the {w} order, support ignores me", "en", ["refund"]),
        ("Refund belum masuk untuk pesanan {w}, sudah seminggu", "id", ["refund"]),
        ("Charged twice for {w} and no refund yet", "en", ["refund"]),
    ],
}
SLOTS = ["shoes", "phone", "bag", "watch", "jacket", "laptop", "camera", "tablet", "charger", "lamp"]
LANG_MARKET = {"ID": "id", "MY": "ms", "TH": "th"}


@dataclass
class Planned:
    """One post to write."""

    ts: datetime
    market: str
    category: str
    text: str
    lang: str
    author: str
    negative: bool
    terms: list[str]


def background(seed: int = 1, rate: float = 1.5, neg: float = 0.3, markets=("ID", "MY", "TH")) -> list[Planned]:
    """Steady chatter for `DAYS` days before `END`."""
    rng = np.random.default_rng(seed)
    out = []
    start = END - timedelta(days=DAYS)
    for h in range(DAYS * 24):
        ts0 = start + timedelta(hours=h)
        for market in markets:
            for cat, templates in TEMPLATES.items():
                for _ in range(rng.poisson(rate)):
                    text, lang, terms = templates[rng.integers(len(templates))]
                    out.append(
                        Planned(
                            ts0 + timedelta(minutes=int(rng.integers(60))),
                            market,
                            cat,
                            text.format(w=SLOTS[rng.integers(len(SLOTS))]),
                            lang,
                            f"u{rng.integers(2000)}",
                            bool(rng.random() < neg),
                            terms,
                        )
                    )
    return out


def refund_burst_my(rng: np.random.Generator, n: int = 20) -> list[Planned]:
    """`n` Malaysian refund complaints from `n` buyers in the last 5.5 hours (a term burst to find)."""
    return [
        Planned(
            END - timedelta(minutes=int(rng.integers(1, 330))),
            "MY",
            "payments_refunds",
            f"Refund ditolak DealHub official store, {SLOTS[i % 10]} rosak",
            "ms",
            f"buyer{i}",
            True,
            ["refund"],
        )
        for i in range(n)
    ]


def write(ws, planned: list[Planned], first_id: int = 0) -> None:
    """Insert and enrich the planned posts (rollups and post categories included)."""
    made = [
        Post.create(
            source="t",
            source_id=str(first_id + i),
            text=p.text,
            author=p.author,
            published_at=p.ts,
            market_hint=p.market,
            likes=3,
        )
        for i, p in enumerate(planned)
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, made)
        ids = dict(conn.execute(select(posts.c.uid, posts.c.id).where(posts.c.source == "t")).all())
        docs = [
            Doc(
                post_id=ids[post.uid],
                post=post,
                lang=p.lang,
                market=p.market,
                sentiment=-0.6 if p.negative else 0.1,
                sentiment_label="negative" if p.negative else "neutral",
                categories={p.category: CategoryHit(p.category, "test", p.terms)},
                risk_score=0.8,
            )
            for post, p in zip(made, planned, strict=True)
        ]
        for i in range(0, len(docs), 2000):
            save_enrichment(conn, docs[i : i + 2000])
