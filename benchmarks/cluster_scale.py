"""Enrichment posts/s in one process against a Dask LocalCluster of 1 and 2 worker processes, same run.

Each variant gets a fresh SQLite workspace holding the same demo posts and enriches all of them
(pipeline build included, as a `monitio run` would: once in the process, once per worker). The
cluster start-up is not timed. Everything writes through the driver, so the database is the same
serial bottleneck in all three.

    .venv/bin/python benchmarks/cluster_scale.py --posts 3000 --batch 250
    .venv/bin/python benchmarks/cluster_scale.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

With `--database-url` (PostgreSQL) each variant gets a schema of its own, dropped afterwards.

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


def _schema_url(url: str, schema: str) -> str:
    from urllib.parse import quote

    from sqlalchemy import create_engine, text

    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema}')}"


def _drop_schema(url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _workspace(work: Path, name: str, corpus: Path, batch: int, database_url: str | None = None):
    from monitio.ingest import ingest_file
    from monitio.workspace import init_workspace

    url = _schema_url(database_url, f"bench_{name}") if database_url else None
    ws = init_workspace(work / name, database_url=url)
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
    parser.add_argument("--database-url", help="PostgreSQL server to use instead of SQLite files")
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
            ws = _workspace(work, f"ws{i}", corpus, args.batch, args.database_url)
            n, seconds = fn(ws)
            ws.engine.dispose()
            if args.database_url:
                _drop_schema(args.database_url, f"bench_ws{i}")
            results[name] = (n, seconds, n / seconds)
    load = os.getloadavg()[0]
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.posts} demo posts, batch {args.batch}, {backend}; {os.cpu_count()} cores, load average {load:.1f}")
    base = results["one process"][2]
    for name, (n, seconds, rate) in results.items():
        print(f"  {name:<24} {n:>6} posts in {seconds:7.1f} s = {rate:7.0f} posts/s  ({rate / base:.2f}x)")


if __name__ == "__main__":
    main()
