"""Language ID + sentiment throughput on demo posts, on one core, beside a peer baseline in the same run.

Monitio: `LanguageIdentifier.detect_many` then `SentimentScorer.score` (zero-shot lexicons) per post.
Peer: lingua restricted to the 16 market languages it knows (sequential, one thread) + VADER.
Pin to one core for the per-core figure:

    taskset -c 0 .venv/bin/python benchmarks/lang_sentiment.py --posts 20000
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


def _monitio(texts: list[str]) -> dict[str, float]:
    from monitio.enrich.language import LanguageIdentifier
    from monitio.enrich.sentiment import SentimentScorer

    ident, scorer = LanguageIdentifier(), SentimentScorer()
    ident.detect_many(texts[:50])
    scorer.score("warm up", "en")
    t0 = time.perf_counter()
    langs = ident.detect_many(texts)
    t1 = time.perf_counter()
    for t, r in zip(texts, langs, strict=True):
        scorer.score(t, r.lang, r.mixed)
    t2 = time.perf_counter()
    n = len(texts)
    return {"posts": n, "lang_per_s": n / (t1 - t0), "sentiment_per_s": n / (t2 - t1), "total_per_s": n / (t2 - t0)}


def _peer(texts: list[str]) -> dict[str, float]:
    from lingua import Language, LanguageDetectorBuilder
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    detector = LanguageDetectorBuilder.from_languages(*(getattr(Language, x) for x in PEER_LANGS)).build()
    vader = SentimentIntensityAnalyzer()
    detector.detect_language_of("warm up")
    t0 = time.perf_counter()
    for t in texts:
        detector.detect_language_of(t)
    t1 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    t2 = time.perf_counter()
    n = len(texts)
    return {"posts": n, "lang_per_s": n / (t1 - t0), "sentiment_per_s": n / (t2 - t1), "total_per_s": n / (t2 - t0)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=20_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from monitio.demo.corpus import generate_demo

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "demo.csv"
        generate_demo(corpus, n_posts=args.posts, days=30, seed=11)
        with open(corpus, encoding="utf-8") as fh:
            texts = [row["text"] for row in csv.DictReader(fh)][: args.posts]
    ours, peer = _monitio(texts), _peer(texts)
    result = {"monitio": ours, "peer": peer, "ratio_total": ours["total_per_s"] / peer["total_per_s"]}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name, r in (("monitio", ours), ("lingua+VADER", peer)):
        print(
            f"{name:13s} lang {r['lang_per_s']:8.0f}/s  sentiment {r['sentiment_per_s']:8.0f}/s  "
            f"both {r['total_per_s']:8.0f} posts/s  ({r['posts']} posts)"
        )
    print(f"ratio (monitio / peer, both steps): {result['ratio_total']:.2f}x")


if __name__ == "__main__":
    main()
