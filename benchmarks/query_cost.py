"""Query cost: the old all-pairs NEAR evaluator against the current one, in one process.

    .venv/bin/python benchmarks/query_cost.py [--posts 2000]

Two groups of cases, each timed with both evaluators on the same posts (best of 3 passes, of 5 for
the new evaluator on the adversarial cases and 1 for the old one there; the old evaluator is
`tests/query_oracle.py`, the evaluator as it was before span sets):

* **adversarial**: the audit's queries (chains of NEAR/1000 over the same word, wildcards on both
  sides) over long posts where that word is every other word;
* **normal**: a mix of everyday search queries (terms, phrases, wildcards, NEAR/3 between OR groups,
  fields) over demo-corpus posts.

Prints seconds per pass for each, the ratio old/new, and the new evaluator's work in `Budget` steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitio.query import Budget, compile_query
from monitio.query import text as query_text
from monitio.records import Doc, Post
from tests.query_oracle import OldEvaluator

NORMAL = [
    '(scam* OR penipuan OR "fake refund") -giveaway',
    '"top up" NEAR/3 (bonus OR free OR gratis)',
    "refund NEAR/5 (never OR late OR belum) lang:en|id",
    "(iklan OR ad OR ads) NEAR/3 (palsu OR fake OR scam*)",
    "lừa NEAR/2 đảo",
    "หลอก NEAR/2 ลงทุน",
    "(whatsapp OR telegram OR wa) ONEAR/4 (link OR join OR chat)",
    "category:scam_ads sentiment:<0",
]


def long_posts(n: int, words: int, filler: str = "bx") -> list[Doc]:
    """Posts of `words` words where every other word is `a`."""
    when = datetime(2026, 11, 1, tzinfo=UTC)
    text = " ".join("a" if k % 2 == 0 else f"{filler}{k % 7}" for k in range(words))
    return [
        Doc(post_id=i, post=Post.create(source="b", source_id=str(i), text=text, published_at=when)) for i in range(n)
    ]


ADVERSARIAL = [
    ("a NEAR/1000 a", 5, 200),
    ("a NEAR/1000 a NEAR/1000 a", 2, 200),
    ("a NEAR/1000 a NEAR/1000 a NEAR/1000 a", 1, 100),
    ("(a OR bx*) NEAR/1000 (a OR bx*) NEAR/1000 a", 1, 100),
    ("a NEAR/1 a NEAR/1 a NEAR/1 a NEAR/1 a NEAR/1 a", 5, 200),
]
NEW_ONLY = [
    ("a NEAR/1000 a NEAR/1000 a NEAR/1000 a", 1, 200),
    ("a NEAR/1000 a NEAR/1000 a NEAR/1000 a", 1, 4000),
    ("(a OR bx*) NEAR/1000 (a OR bx*) NEAR/1000 a NEAR/1000 bx3", 1, 4000),
    ("a NEAR/1 a NEAR/1 a NEAR/1 a NEAR/1 a NEAR/1 a", 1, 4000),
]
"""Cases the old evaluator cannot finish: the audit's 3 NEARs over 200 words (> 60 s per post; a
try here passed 1.4 GB of spans in 4 minutes and was stopped) and posts of 4,000 words (about the
20,000-character `max_text_chars`)."""


def best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def uncached(match, doc: Doc, **kw) -> bool:
    """One evaluation from scratch: the one-entry view cache is emptied first, so every evaluation
    (old and new) tokenises its post and no span set is reused from an earlier pass."""
    query_text._last = None
    return match(doc, **kw)


def run_case(query: str, docs: list[Doc], repeat: int, repeat_old: int) -> tuple[float, float, int, int]:
    q = compile_query(query)
    old = OldEvaluator(q)
    old_hits = [uncached(old.matches, d) for d in docs]
    budget = Budget()
    new_hits = [uncached(q.matches, d, budget=budget) for d in docs]
    assert old_hits == new_hits, query  # same answers, or the comparison means nothing
    t_old = best_of(lambda: [uncached(old.matches, d) for d in docs], repeat_old)
    t_new = best_of(lambda: [uncached(q.matches, d) for d in docs], repeat)
    return t_old, t_new, budget.steps, sum(new_hits)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=2000, help="demo posts for the normal mix")
    args = ap.parse_args()
    from monitio.taxonomy.bench import demo_docs

    demo = demo_docs(args.posts)
    print(f"{'case':58} {'posts':>5} {'old s':>9} {'new s':>9} {'old/new':>8} {'steps':>9} {'hits':>5}")
    for query, n, words in ADVERSARIAL:
        docs = long_posts(n, words)
        t_old, t_new, steps, hits = run_case(query, docs, repeat=5, repeat_old=1)
        label = f"{query} ({words} words)"
        print(f"{label:58} {len(docs):5} {t_old:9.4f} {t_new:9.4f} {t_old / t_new:8.0f} {steps:9} {hits:5}")
    for query, n, words in NEW_ONLY:
        docs = long_posts(n, words)
        q, budget = compile_query(query), Budget()
        hits = sum(uncached(q.matches, d, budget=budget) for d in docs)
        t_new = best_of(lambda: [uncached(q.matches, d) for d in docs], 5)  # noqa: B023
        label = f"{query} ({words} words)"
        print(f"{label:58} {len(docs):5} {'not run':>9} {t_new:9.4f} {'-':>8} {budget.steps:9} {hits:5}")
    tot_old = tot_new = 0.0
    for query in NORMAL:
        t_old, t_new, steps, hits = run_case(query, demo, repeat=3, repeat_old=3)
        tot_old, tot_new = tot_old + t_old, tot_new + t_new
        print(f"{query[:58]:58} {len(demo):5} {t_old:9.4f} {t_new:9.4f} {t_old / t_new:8.2f} {steps:9} {hits:5}")
    print(f"{'normal mix, all queries':58} {len(demo):5} {tot_old:9.4f} {tot_new:9.4f} {tot_old / tot_new:8.2f}")


if __name__ == "__main__":
    main()
