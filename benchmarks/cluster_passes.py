"""The detection pass and a Parquet import in one process against a Dask LocalCluster of 1 and 2 workers.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cluster_passes.py detect --workspace WS [--phases]
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cluster_passes.py ingest --csv WS/demo-corpus.csv [--row-group 5000]

`detect`: copies the workspace's SQLite file three times (the workspace itself is only read), deletes
the copies' signals, and runs `--repeat` detection passes (signals deleted before each) on each: in
this process, then fanned out (spike scan, campaign tests, term bursts) on a LocalCluster of 1 and
of 2 worker processes, after one untimed warm-up pass there. The signals of the three copies must be
identical (the script fails otherwise). `--phases` first times each part of the
one-process pass (what is worth sending to workers). `ingest`: writes the CSV as one Parquet file of
`--row-group` rows per row group, imports it into fresh SQLite workspaces the same three ways, and
checks the reports and stored posts are the same. Cluster start-up and the workers' first imports
of Monitio are not timed (a `monitio run --cluster` has paid them during enrichment).

Prints seconds per variant and the ratio to the one-process run: compare ratios, on a shared
machine the absolute figures move between runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _warm() -> None:
    import monitio.detect.bursts
    import monitio.detect.scan
    import monitio.ingest  # noqa: F401


@contextmanager
def _cluster(workers: int):
    from monitio.scale.cluster import open_cluster

    with open_cluster(f"local:{workers}") as client:
        client.wait_for_workers(workers)
        client.run(_warm)
        yield client


@contextmanager
def _timed_phases(times: dict[str, float]):
    """Wrap the parts of `detect_signals` with timers (module attributes patched, then restored)."""
    from monitio.detect import bursts, emerging, shifts, signals

    targets = [
        (signals.RollupFrame, "load", "read the rollups (RollupFrame)"),
        (signals, "scan_series", "spike scan (per series, then BH)"),
        (signals, "_spike_drafts", "spike drafts (evidence queries)"),
        (signals, "find_campaigns", "copy-paste campaigns"),
        (emerging, "narrative_drafts", "emerging narratives"),
        (bursts, "market_candidates", "term bursts: tokenise + test (per market)"),
        (bursts, "burst_drafts", "term bursts: whole (read, test, BH, drafts)"),
        (shifts, "shift_drafts", "sentiment shifts"),
        (signals, "upsert_signals", "write signals"),
    ]
    saved = []
    for owner, name, label in targets:
        original = owner.__dict__[name]
        func = original.__func__ if isinstance(original, classmethod) else original

        def timed(*a, _f=func, _label=label, **k):
            t = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                times[_label] = times.get(_label, 0.0) + time.perf_counter() - t

        setattr(owner, name, classmethod(timed) if isinstance(original, classmethod) else timed)
        saved.append((owner, name, original))
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _copy(src: Path, work: Path, name: str):
    from sqlalchemy import delete

    from monitio.store.schema import signals
    from monitio.workspace import open_workspace

    dst = work / name
    dst.mkdir()
    shutil.copy(src / "monitio.toml", dst / "monitio.toml")
    for extra in ("taxonomy.yaml", "watchlist.yaml"):
        if (src / extra).exists():
            shutil.copy(src / extra, dst / extra)
    import sqlite3

    with sqlite3.connect(src / "monitio.db") as source, sqlite3.connect(dst / "monitio.db") as target:
        source.backup(target)
    ws = open_workspace(dst)
    with ws.engine.begin() as conn:
        conn.execute(delete(signals))
    return ws


def _signals(ws) -> list[tuple]:
    from sqlalchemy import select

    from monitio.store.schema import signals

    skip = {"id", "created_at", "updated_at", "detected_at"}
    with ws.engine.connect() as conn:
        return sorted((tuple(r) for r in conn.execute(select(*[c for c in signals.c if c.name not in skip]))), key=repr)


def _timed_pass(ws, fanout, repeat: int, results: dict[str, list[float]], name: str):
    """`repeat` passes from no signals, each timed; the last pass's report."""
    from sqlalchemy import delete

    from monitio.detect.signals import detect_signals
    from monitio.store.schema import signals

    for _ in range(repeat):
        with ws.engine.begin() as conn:
            conn.execute(delete(signals))
        t = time.perf_counter()
        report = detect_signals(ws, fanout=fanout)
        results.setdefault(name, []).append(sec := time.perf_counter() - t)
        print(f"{name}: {sec:.2f} s ({_load()})")
    return report


def detect(args) -> None:
    from sqlalchemy import func, select

    from monitio.detect.signals import detect_signals
    from monitio.scale.detect import ClusterFanout
    from monitio.store.schema import posts

    work = Path(tempfile.mkdtemp(prefix="monitio-cdetect-"))
    try:
        copies = [_copy(args.workspace, work, name) for name in ("one", "c1", "c2")]
        with copies[0].engine.connect() as conn:
            n_posts = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        print(f"{n_posts:,} posts in {args.workspace}")
        if args.phases:
            scratch = _copy(args.workspace, work, "phases")
            times: dict[str, float] = {}
            print(_load())
            with _timed_phases(times):
                t = time.perf_counter()
                detect_signals(scratch)
                whole = time.perf_counter() - t
            for label, sec in times.items():
                print(f"  {label:45s} {sec:6.2f} s  {sec / whole:5.1%}")
            print(f"  {'whole pass':45s} {whole:6.2f} s   ({_load()})")
        results: dict[str, list[float]] = {}
        report = _timed_pass(copies[0], None, args.repeat, results, "one process")
        for workers, ws in ((1, copies[1]), (2, copies[2])):
            with _cluster(workers) as client:
                fanout = ClusterFanout(client)
                detect_signals(ws, fanout=fanout)  # warm-up: the workers' first imports and caches
                other = _timed_pass(ws, fanout, args.repeat, results, f"LocalCluster {workers}")
            assert other.as_json() == report.as_json(), (other, report)
        reference = _signals(copies[0])
        assert all(_signals(ws) == reference for ws in copies[1:]), "signals differ between variants"
        base = statistics.median(results["one process"])
        print(f"identical signals in all three ({len(reference)}); median of {args.repeat} passes each:")
        for name, times in results.items():
            sec = statistics.median(times)
            every = ", ".join(f"{t:.2f}" for t in times)
            print(f"  {name:16s} {sec:7.2f} s  {base / sec:5.2f}x one process  (all: {every})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ingest(args) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    from sqlalchemy import select

    from monitio.ingest import ImportOptions, ingest_file
    from monitio.scale.ingest import ingest_parquet_on_cluster
    from monitio.store.schema import posts
    from monitio.workspace import init_workspace

    work = Path(tempfile.mkdtemp(prefix="monitio-cingest-"))
    try:
        table = pcsv.read_csv(args.csv, convert_options=pcsv.ConvertOptions(column_types={"id": "string"}))
        path = work / "posts.parquet"
        pq.write_table(table, path, row_group_size=args.row_group)
        meta = pq.ParquetFile(path).metadata
        print(f"{meta.num_rows:,} rows in {meta.num_row_groups} row groups ({path.stat().st_size / 1e6:.0f} MB)")
        opts = ImportOptions(source="bench")
        results, reports, stored = {}, {}, {}
        for name, workers in (("one process", 0), ("LocalCluster 1", 1), ("LocalCluster 2", 2)):
            ws = init_workspace(work / name.replace(" ", "_"))
            if workers:
                with _cluster(workers) as client:
                    t = time.perf_counter()
                    report = ingest_parquet_on_cluster(client, ws.engine, path, options=opts, batch_size=args.batch)
                    results[name] = time.perf_counter() - t
            else:
                t = time.perf_counter()
                report = ingest_file(ws.engine, path, options=opts, batch_size=args.batch)
                results[name] = time.perf_counter() - t
            reports[name] = report.as_json()
            with ws.engine.connect() as conn:
                stored[name] = conn.execute(select(posts.c.uid, posts.c.published_at).order_by(posts.c.id)).all()
            print(f"{name}: {results[name]:.1f} s, {report.read / results[name]:,.0f} rows/s ({_load()})")
            ws.engine.dispose()
        first = reports["one process"]
        assert all(r == first for r in reports.values()), reports
        assert all(s == stored["one process"] for s in stored.values()), "stored posts differ"
        print(f"same report and posts in all three: {first['read']} read, {first['new']} new")
        base = results["one process"]
        for name, sec in results.items():
            print(f"  {name:16s} {sec:7.1f} s  {base / sec:5.2f}x one process")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    d = sub.add_parser("detect")
    d.add_argument("--workspace", type=Path, required=True, help="an SQLite workspace (only read)")
    d.add_argument("--phases", action="store_true", help="first time each part of the one-process pass")
    d.add_argument("--repeat", type=int, default=3, help="timed passes per variant (the median is compared)")
    i = sub.add_parser("ingest")
    i.add_argument("--csv", type=Path, required=True, help="posts to import (e.g. a demo workspace's corpus)")
    i.add_argument("--row-group", type=int, default=5000)
    i.add_argument("--batch", type=int, default=1000)
    args = ap.parse_args()
    detect(args) if args.what == "detect" else ingest(args)


if __name__ == "__main__":
    main()
