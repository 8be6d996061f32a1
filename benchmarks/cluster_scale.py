"""Enrichment posts/s in one process against a Dask LocalCluster of 1 and 2 worker processes, same run.

Each variant gets a fresh SQLite workspace holding the same demo posts and enriches all of them
(pipeline build included, as a `monitio run` would: once in the process, once per worker). The
cluster start-up is not timed. Everything writes through the driver, so the database is the same
serial bottleneck in all three.

    .venv/bin/python benchmarks/cluster_scale.py --posts 3000 --batch 250

Prints posts/s per variant and the ratio to the one-process baseline. The ratio is what to compare:
on a shared, loaded machine absolute numbers move between runs, and two workers only help when two
cores are actually free.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def _workspace(work: Path, name: str, corpus: Path, batch: int):
    from monitio.ingest import ingest_file
    from monitio.workspace import init_workspace

    ws = init_workspace(work / name)
    ws.settings.batch_size = batch
    ingest_file(ws.engine, corpus, source="bench")
    return ws


def _one_process(ws) -> tuple[int, float]:
    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import default_pipeline

    t0 = time.perf_counter()
    n = enrich_pending(ws.engine, default_pipeline(ws.settings), batch_size=ws.settings.batch_size)
    return n, time.perf_counter() - t0


def _cluster(ws, workers: int) -> tuple[int, float]:
    from monitio.scale.cluster import open_cluster
    from monitio.scale.enrich import enrich_on_cluster

    with open_cluster(f"local:{workers}") as client:
        client.wait_for_workers(workers)
        t0 = time.perf_counter()
        n = enrich_on_cluster(client, ws.engine, ws.settings, batch_size=ws.settings.batch_size)
        return n, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=250)
    args = parser.parse_args()
    from monitio.demo.corpus import generate_demo

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "demo.csv"
        generate_demo(corpus, n_posts=args.posts, days=30, seed=11)
        runs = {
            "one process": lambda ws: _one_process(ws),
            "LocalCluster, 1 worker": lambda ws: _cluster(ws, 1),
            "LocalCluster, 2 workers": lambda ws: _cluster(ws, 2),
        }
        results = {}
        for i, (name, fn) in enumerate(runs.items()):
            ws = _workspace(work, f"ws{i}", corpus, args.batch)
            n, seconds = fn(ws)
            ws.engine.dispose()
            results[name] = (n, seconds, n / seconds)
    load = os.getloadavg()[0]
    print(f"{args.posts} demo posts, batch {args.batch}, SQLite; {os.cpu_count()} cores, load average {load:.1f}")
    base = results["one process"][2]
    for name, (n, seconds, rate) in results.items():
        print(f"  {name:<24} {n:>6} posts in {seconds:7.1f} s = {rate:7.0f} posts/s  ({rate / base:.2f}x)")


if __name__ == "__main__":
    main()
