"""Taxonomy editing at scale: the live test of a category's rules over the last 7 days, and a save.

Builds an N-post workspace over 90 days with `search_scale.build` (the demo corpus, cheap enrichment,
the write path's search index), then runs `taxonomy_edit.live_test` for a few categories of the
built-in taxonomy as they are (every rule through the search service, one query Budget), with "now"
at the corpus' end so the 7 days hold about N * 7 / 90 posts, `--repeat` times each; then one save.

    .venv/bin/python benchmarks/taxonomy_live.py --posts 300000 [--repeat 3] [--json]

Machines here are noisy (other jobs share the 2 cores): the load average is printed with the result.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_scale import END, build
from sqlalchemy import func, select

from monitio.demo.corpus import generate_demo
from monitio.services import taxonomy_edit
from monitio.store.schema import posts
from monitio.workspace import init_workspace

CATEGORIES = ("scam_ads", "payments_refunds", "advertiser_trust")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="taxonomy-live-"))
    try:
        generate_demo(tmp / "corpus.csv", n_posts=args.posts, days=90, end=END)
        ws = init_workspace(tmp / "ws")
        t0 = time.perf_counter()
        built = build(ws.engine, tmp / "corpus.csv", args.posts)
        with ws.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        build_s = time.perf_counter() - t0
        rows = []
        texts = {c.id: c.text for c in taxonomy_edit.categories(ws, None)}
        for cat in CATEGORIES:
            runs, result = [], None
            for _ in range(args.repeat):
                s = time.perf_counter()
                result = taxonomy_edit.live_test(ws, None, cat, texts[cat], now=END)
                runs.append(time.perf_counter() - s)
            rows.append(
                {
                    "category": cat,
                    "rules": len(result.per_rule),
                    "matches": result.matches,
                    "examples": len(result.examples),
                    "median_ms": round(statistics.median(runs) * 1000),
                    "max_ms": round(max(runs) * 1000),
                }
            )
        s = time.perf_counter()
        edited = texts["scam_ads"] + texts["scam_ads"].replace("scam_ads.", "scam_ads.copy_")  # 2x the rules
        saved = taxonomy_edit.save(ws, None, "scam_ads", edited)
        save_ms = round((time.perf_counter() - s) * 1000)
        with ws.engine.connect() as conn:
            since = END - timedelta(days=taxonomy_edit.LIVE_DAYS)
            in_window = conn.execute(select(func.count()).where(posts.c.published_at >= since)).scalar_one()
        report = {
            "posts": built["posts"],
            "posts_in_7_days": in_window,
            "build_s": round(build_s, 1),
            "live_test": rows,
            "save_ms": save_ms,
            "saved_version": saved.version,
            "load_average": [round(x, 1) for x in os.getloadavg()],
        }
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            print(f"{report['posts']:,} posts ({in_window:,} in the 7 days), load {report['load_average']}")
            for r in rows:
                print(
                    f"{r['category']:<20} {r['rules']:>3} rules {r['matches']:>6,} matches  "
                    f"median {r['median_ms']:>6,} ms  max {r['max_ms']:>6,} ms"
                )
            print(f"save: {save_ms} ms (version {saved.version})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
