"""Measure taxonomy matching speed on the demo corpus texts (generated locally, no network).

Run: `python -m monitio.taxonomy.bench [N]` (default 50,000 posts). Each post goes through what the
`categories` stage does: a `Doc` matched by the whole default taxonomy (one `RuleSet`), tokenising
included. Prints posts per CPU second, best of three passes (the matcher is single-threaded, and CPU
time is the fairer figure on a busy machine).
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from monitio.records import Doc, Post
from monitio.taxonomy.loader import load_taxonomy
from monitio.taxonomy.matcher import RuleMatcher


def demo_docs(n: int) -> list[Doc]:
    """The texts of an `n`-post demo corpus as `Doc`s (language hint from the corpus when it has one)."""
    from monitio.demo.corpus import generate_demo

    when = datetime(2026, 11, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.csv"
        generate_demo(path, n_posts=n, end=when)
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    return [
        Doc(i, Post.create(source="bench", source_id=str(i), text=r["text"], published_at=when), lang=r["lang"] or None)
        for i, r in enumerate(rows)
    ]


def measure(n: int = 50_000, passes: int = 3) -> tuple[float, float, int, int]:
    """(posts per CPU second, mean characters, posts with a category, rules) on `n` demo posts."""
    tax = load_taxonomy()
    matcher = RuleMatcher(tax)
    docs = demo_docs(n)
    match = matcher.match_doc
    best, hits = float("inf"), 0
    for _ in range(passes):
        cpu = time.process_time()
        hits = sum(1 for d in docs if match(d))
        best = min(best, time.process_time() - cpu)
    return len(docs) / best, sum(len(d.text) for d in docs) / len(docs), hits, len(tax.rules)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rate, mean_chars, matched, rules = measure(count)
    print(
        f"{count} demo posts, {mean_chars:.0f} chars on average, {matched} with a category, {rules} rules: "
        f"{rate:,.0f} posts per CPU second"
    )
