"""Ingest + enrich throughput on demo posts, beside a peer baseline run in the same process.

Monitio: import the demo CSV into a fresh SQLite workspace, then run the default pipeline
(language, market, sentiment, risk categories, risk score) and write rollups.
Peer baseline: lingua over all its languages + VADER on the same texts (no storage), the
combination a team would reach for first.

    .venv/bin/python benchmarks/ingest_enrich.py --posts 100000 --baseline-sample 20000

Prints posts/s for each phase and the ratio Monitio / baseline. Machines here are noisy: compare
ratios from one run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path


def _monitio(corpus: Path, work: Path) -> dict[str, float]:
    from monitio.enrich.runner import enrich_pending
    from monitio.ingest import ingest_file
    from monitio.pipeline import default_pipeline
    from monitio.workspace import init_workspace

    ws = init_workspace(work / "ws")
    t0 = time.perf_counter()
    report = ingest_file(ws.engine, corpus, source="bench")
    t1 = time.perf_counter()
    pipeline = default_pipeline(ws.settings)
    pipeline.run([])  # build lazily-loaded models outside the timed part, as a long-running service would
    t2 = time.perf_counter()
    n = enrich_pending(ws.engine, pipeline, batch_size=ws.settings.batch_size)
    t3 = time.perf_counter()
    return {
        "posts": report.new,
        "ingest_s": t1 - t0,
        "enrich_s": t3 - t2,
        "enriched": n,
        "ingest_per_s": report.new / (t1 - t0),
        "enrich_per_s": n / (t3 - t2),
        "total_per_s": n / ((t1 - t0) + (t3 - t2)),
    }


def _stage_rates(texts: list[str]) -> dict[str, float]:
    """Posts/s of each enrichment stage alone, on the same texts, without storage."""
    from datetime import UTC, datetime

    from monitio.pipeline import default_pipeline
    from monitio.records import Doc, Post
    from monitio.settings import Settings

    now = datetime.now(UTC)
    docs = [Doc(i, Post.create(source="b", source_id=str(i), text=t, published_at=now)) for i, t in enumerate(texts)]
    rates = {}
    for stage in default_pipeline(Settings()).stages:
        stage.process(docs[:10])
        t0 = time.perf_counter()
        for i in range(0, len(docs), 1000):
            stage.process(docs[i : i + 1000])
        rates[stage.name] = len(docs) / (time.perf_counter() - t0)
    return rates


def _baseline(texts: list[str]) -> dict[str, float]:
    from lingua import LanguageDetectorBuilder
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    detector = LanguageDetectorBuilder.from_all_languages().build()
    vader = SentimentIntensityAnalyzer()
    detector.detect_language_of("warm up")
    t0 = time.perf_counter()
    langs = detector.detect_languages_in_parallel_of(texts)
    t1 = time.perf_counter()
    for t in texts:
        vader.polarity_scores(t)
    t2 = time.perf_counter()
    assert len(langs) == len(texts)
    return {
        "posts": len(texts),
        "lang_per_s": len(texts) / (t1 - t0),
        "sentiment_per_s": len(texts) / (t2 - t1),
        "total_per_s": len(texts) / (t2 - t0),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument(
        "--baseline-sample",
        type=int,
        default=20_000,
        help="texts given to the peer baseline (it is slow over all languages)",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from monitio.demo.corpus import generate_demo

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "demo.csv"
        generate_demo(corpus, n_posts=args.posts, days=30, seed=11)
        with open(corpus, encoding="utf-8") as fh:
            texts = [row["text"] for row in csv.DictReader(fh)]
        ours = _monitio(corpus, work)
        stages = _stage_rates(texts[: args.baseline_sample])
        peer = _baseline(texts[: args.baseline_sample])
    result = {
        "monitio": ours,
        "stages_per_s": stages,
        "baseline": peer,
        "ratio_enrich_vs_baseline": ours["enrich_per_s"] / peer["total_per_s"],
        "ratio_total_vs_baseline": ours["total_per_s"] / peer["total_per_s"],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"Monitio on {ours['posts']} demo posts (SQLite):")
    print(f"  ingest          {ours['ingest_per_s']:9.0f} posts/s  ({ours['ingest_s']:.1f} s)")
    print(f"  enrich+rollups  {ours['enrich_per_s']:9.0f} posts/s  ({ours['enrich_s']:.1f} s)")
    print(f"  ingest+enrich   {ours['total_per_s']:9.0f} posts/s")
    print(f"Stages alone on {args.baseline_sample} texts (no storage):")
    for name, rate in stages.items():
        print(f"  {name:15} {rate:9.0f} posts/s")
    print(f"Peer baseline on {peer['posts']} of the same texts (lingua, all languages + VADER; no storage):")
    print(f"  language        {peer['lang_per_s']:9.0f} posts/s")
    print(f"  sentiment       {peer['sentiment_per_s']:9.0f} posts/s")
    print(f"  both            {peer['total_per_s']:9.0f} posts/s")
    print(f"Ratio Monitio enrich+rollups / baseline:  {result['ratio_enrich_vs_baseline']:.2f}x")
    print(f"Ratio Monitio ingest+enrich / baseline:   {result['ratio_total_vs_baseline']:.2f}x")


if __name__ == "__main__":
    main()
