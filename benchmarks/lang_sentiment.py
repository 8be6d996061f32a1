"""Language ID + sentiment throughput on demo posts, on one core, beside a peer baseline in the same run.

Monitio: `LanguageIdentifier.detect_many` then `SentimentScorer.score` (zero-shot lexicons) per post.
Peer: lingua restricted to the 16 market languages it knows (sequential, one thread) + VADER.
Monitio's memos (lingua per text, lexicon word scores) start empty in every round. Pin to one core for the
per-core figure; on a shared machine take the best of a few alternating rounds:

    taskset -c 0 .venv/bin/python benchmarks/lang_sentiment.py --posts 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

PEER_LANGS = (
    "ENGLISH",
    "INDONESIAN",
    "MALAY",
    "THAI",
    "VIETNAMESE",
    "TAGALOG",
    "JAPANESE",
    "KOREAN",
    "CHINESE",
    "HINDI",
    "BENGALI",
    "URDU",
    "TAMIL",
    "TELUGU",
)
"""lingua has no Burmese or Khmer: the 14 of the 16 market languages it knows."""


def _forget(scorer=None) -> None:
    """Empty Monitio's memos (lingua's answers per text, each lexicon's word scores, the scorer's word masks) so a
    round starts cold."""
    from monitio.enrich import language, sentiment

    language._LINGUA_MEMO.clear()
    sentiment._KEY_MEMO.clear()
    for lex in sentiment.load_lexicons()[0].values():
        lex.word_hits.clear()
    if scorer is not None:
        scorer.clear_memos()


def _monitio(texts: list[str]) -> dict[str, float]:
    from monitio.enrich.language import LanguageIdentifier
    from monitio.enrich.sentiment import SentimentScorer

    ident, scorer = LanguageIdentifier(), SentimentScorer()
    ident.detect_many(texts[:50])
    scorer.score("warm up", "en")
    _forget(scorer)  # the warm-up texts are in the timed set: nothing of them is remembered
    t0, c0 = time.perf_counter(), time.process_time()
    langs = ident.detect_many(texts)
    t1 = time.perf_counter()
    for t, r in zip(texts, langs, strict=True):
        scorer.score(t, r.lang, r.mixed)
    return _rates(len(texts), t0, t1, time.perf_counter(), time.process_time() - c0)


def _peer(texts: list[str]) -> dict[str, float]:
    from lingua import Language, LanguageDetectorBuilder
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    detector = LanguageDetectorBuilder.from_languages(*(getattr(Language, x) for x in PEER_LANGS)).build()
    vader = SentimentIntensityAnalyzer()
    detector.detect_language_of("warm up")
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        detector.detect_language_of(t)
    t1 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    return _rates(len(texts), t0, t1, time.perf_counter(), time.process_time() - c0)


def _rates(n: int, t0: float, t1: float, t2: float, cpu: float) -> dict[str, float]:
    """Posts per second of wall time per step and for both, and for both per second of this process's CPU time."""
    return {
        "posts": n,
        "lang_per_s": n / (t1 - t0),
        "sentiment_per_s": n / (t2 - t1),
        "total_per_s": n / (t2 - t0),
        "total_per_cpu_s": n / cpu,
    }


def _best_cpu(rounds: list[dict[str, float]]) -> float:
    return max(r["total_per_cpu_s"] for r in rounds)


def _best(rounds: list[dict[str, float]]) -> dict[str, float]:
    """The fastest round (by posts/s for both steps): on a shared machine the others were slowed by neighbours."""
    return max(rounds, key=lambda r: r["total_per_s"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=1, help="rounds, Monitio and peer alternating; the best of each")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from monitio.demo.corpus import generate_demo

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "demo.csv"
        generate_demo(corpus, n_posts=args.posts, days=30, seed=11)
        with open(corpus, encoding="utf-8") as fh:
            texts = [row["text"] for row in csv.DictReader(fh)][: args.posts]
    ours_rounds, peer_rounds = [], []
    for _ in range(max(1, args.repeat)):
        ours_rounds.append(_monitio(texts))
        peer_rounds.append(_peer(texts))
    ours, peer = _best(ours_rounds), _best(peer_rounds)
    result = {
        "monitio": ours,
        "peer": peer,
        "ratio_total": ours["total_per_s"] / peer["total_per_s"],
        "rounds": len(ours_rounds),
        "ratio_per_round": [o["total_per_s"] / p["total_per_s"] for o, p in zip(ours_rounds, peer_rounds, strict=True)],
        "ratio_total_cpu": _best_cpu(ours_rounds) / _best_cpu(peer_rounds),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name, r in (("monitio", ours), ("lingua+VADER", peer)):
        print(
            f"{name:13s} lang {r['lang_per_s']:8.0f}/s  sentiment {r['sentiment_per_s']:8.0f}/s  "
            f"both {r['total_per_s']:8.0f} posts/s  ({r['posts']} posts; {r['total_per_cpu_s']:.0f} per CPU-second)"
        )
    ratios = f"{result['ratio_total']:.2f}x (CPU time: {result['ratio_total_cpu']:.2f}x)"
    print(f"ratio (monitio / peer, both steps): {ratios}")
    if len(ours_rounds) > 1:
        each = ", ".join(f"{x:.2f}" for x in result["ratio_per_round"])
        print(f"best of {len(ours_rounds)} rounds each; ratio per round: {each}")


if __name__ == "__main__":
    main()
