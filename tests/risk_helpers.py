"""Synthetic labelled posts for the risk-model and label tests (made up here, no outside data)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

SCAM = ["claim", "prize", "winner", "bonus", "urgent", "verify", "wallet", "deposit", "jackpot", "reward", "cashback"]
CALM = ["lunch", "meeting", "weather", "garden", "recipe", "football", "library", "holiday", "coffee", "concert"]
FILL = ["today", "please", "friends", "this", "week", "again", "maybe", "later", "soon", "really", "the", "our"]


def synthetic(n_each: int = 40, seed: int = 1) -> list[tuple[str, int]]:
    """`n_each` scam-like texts (1) and `n_each` everyday texts (0), each a different word mix."""
    rng = random.Random(seed)
    rows = []
    for i in range(n_each):
        words = rng.sample(SCAM, 3) + rng.sample(FILL, 3)
        rng.shuffle(words)
        rows.append((" ".join(words) + f" call 08{rng.randrange(10**8, 10**9)} now!!", 1))
        words = rng.sample(CALM, 3) + rng.sample(FILL, 3)
        rng.shuffle(words)
        rows.append((" ".join(words) + f" see you at {i % 12 + 1} pm", 0))
    return rows


def write_posts_csv(path: Path, texts: list[str]) -> Path:
    """A posts file `monitio ingest` reads: id, text, published_at."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "published_at"])
        for i, t in enumerate(texts):
            w.writerow([f"p{i}", t, f"2026-11-0{1 + i % 9}T0{i % 10}:00:00Z"])
    return path
