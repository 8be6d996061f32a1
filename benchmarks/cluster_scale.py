"""The whole pipeline (ingest + enrich + narratives + detect) in one process against a Dask LocalCluster
of 1 and 2 worker processes, same run, with seconds per stage.

Each variant gets a fresh workspace (SQLite file, or a schema of its own with `--database-url`) and
runs what `monitio ingest --cluster` and `monitio run --cluster` run, on the same demo posts written
as one Parquet file of `--row-group` rows per row group:

- ingest: `ingest_file` in one process; `scale.ingest.ingest_parquet_on_cluster` on a cluster (row
  groups read and mapped on the workers, the driver writes);
- enrich: `enrich_pending` / `scale.enrich.enrich_on_cluster` (pipeline build included, as a run
  would: once in the process, once per worker; the driver writes every batch);
- narratives: `assign_pending` (in the driver in all variants, as `monitio run` does);
- detect: `detect_signals`, on a cluster with `scale.detect.ClusterFanout`.

The cluster start-up is not timed. `--enrich-only` times the enrichment alone (ingest done before,
untimed), as earlier versions of this script did. `--check` also compares a digest of every stored
result between the variants (they must be identical). `--cpu` also prints the CPU the enrichment
cost per post in the driver process (with the in-process scheduler), in the PostgreSQL backends
serving it (read from /proc: the server must run on the same machine) and in the workers: on a
loaded machine these are steadier than the wall-clock ratios. With w the workers' CPU per post and
d the driver's plus the database's, two cores give 2 workers over 1 at most 2w/(w+d).

    .venv/bin/python benchmarks/cluster_scale.py --posts 3000 --batch 250
    .venv/bin/python benchmarks/cluster_scale.py --posts 12000 --batch 500 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Prints seconds per stage and posts/s end to end per variant, with the ratio to the one-process run
and of 2 workers to 1. The ratios are what to compare: on a shared, loaded machine absolute numbers
move between runs, and two workers only help when two cores are actually free.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

STAGES = ("ingest", "enrich", "narratives", "detect")


class _CpuMeter:
    """CPU seconds spent during the enrichment by this process (the driver, with the in-process
    scheduler), by the PostgreSQL backends serving it (read from /proc: the server must run on this
    machine) and by the workers. The engine's pool is emptied first, so every backend it uses is new."""

    def __init__(self, engine, client=None):
        from sqlalchemy import event

        self.engine, self.client, self.pids = engine, client, set()
        engine.dispose()
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", lambda dbapi_conn, _: self.pids.add(dbapi_conn.info.backend_pid))
        self.t0 = time.process_time()
        self.w0 = self._workers()

    def _workers(self) -> float:
        return sum(self.client.run(time.process_time).values()) if self.client is not None else 0.0

    @staticmethod
    def _proc(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> dict[str, float]:
        driver = time.process_time() - self.t0
        return {
            "driver": driver,
            "database": sum(self._proc(p) for p in self.pids) if self.pids else 0.0,
            "workers": self._workers() - self.w0,
        }


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


def _empty_workspace(work: Path, name: str, batch: int, database_url: str | None = None):
    from monitio.workspace import init_workspace

    url = _schema_url(database_url, f"bench_{name}") if database_url else None
    ws = init_workspace(work / name, database_url=url)
    ws.settings.batch_size = batch
    return ws


def _workspace(work: Path, name: str, corpus: Path, batch: int, database_url: str | None = None):
    """A workspace with `corpus` imported (one process), ready to enrich."""
    from monitio.ingest import ingest_file

    ws = _empty_workspace(work, name, batch, database_url)
    ingest_file(ws.engine, corpus, source="bench")
    return ws


CPU: dict[str, dict[str, float]] = {}
"""Per variant name, the enrichment's `_CpuMeter` figures (filled in with `--cpu`)."""


def _one_process(ws, cpu: str | None = None) -> tuple[int, float]:
    """Enrich every pending post in this process: (posts, seconds)."""
    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import default_pipeline

    meter = _CpuMeter(ws.engine) if cpu else None
    t0 = time.perf_counter()
    n = enrich_pending(ws.engine, default_pipeline(ws.settings), batch_size=ws.settings.batch_size)
    seconds = time.perf_counter() - t0
    if meter:
        CPU[cpu] = meter.stop()
    return n, seconds


def _cluster(ws, workers: int, cpu: str | None = None) -> tuple[int, float]:
    """Enrich every pending post on a fresh LocalCluster of `workers` processes: (posts, seconds)."""
    from monitio.scale.cluster import open_cluster
    from monitio.scale.enrich import enrich_on_cluster

    with open_cluster(f"local:{workers}") as client:
        client.wait_for_workers(workers)
        meter = _CpuMeter(ws.engine, client) if cpu else None
        t0 = time.perf_counter()
        n = enrich_on_cluster(client, ws.engine, ws.settings, batch_size=ws.settings.batch_size)
        seconds = time.perf_counter() - t0
        if meter:
            CPU[cpu] = meter.stop()
        return n, seconds


def _pipeline(ws, parquet: Path, client, cpu: str | None = None) -> tuple[int, dict[str, float]]:
    """Ingest, enrich, narratives and detect, on `client`'s workers when given: (posts enriched, seconds per stage)."""
    from monitio.detect.narratives import assign_pending
    from monitio.detect.signals import detect_signals
    from monitio.enrich.embeddings import encoder_for
    from monitio.ingest import ImportOptions, ingest_file

    opts = ImportOptions(source="bench")
    batch = ws.settings.batch_size
    spent: dict[str, float] = {}
    t = time.perf_counter()
    if client is None:
        ingest_file(ws.engine, parquet, options=opts, batch_size=batch)
    else:
        from monitio.scale.ingest import ingest_parquet_on_cluster

        ingest_parquet_on_cluster(client, ws.engine, parquet, options=opts, batch_size=batch)
    spent["ingest"] = time.perf_counter() - t
    meter = _CpuMeter(ws.engine, client) if cpu else None
    t = time.perf_counter()
    if client is None:
        from monitio.enrich.runner import enrich_pending
        from monitio.pipeline import default_pipeline

        n = enrich_pending(ws.engine, default_pipeline(ws.settings), batch_size=batch)
        fanout = None
    else:
        from monitio.scale.detect import ClusterFanout
        from monitio.scale.enrich import enrich_on_cluster

        n = enrich_on_cluster(client, ws.engine, ws.settings, batch_size=batch)
        fanout = ClusterFanout(client)
    spent["enrich"] = time.perf_counter() - t
    if meter:
        CPU[cpu] = meter.stop()
    t = time.perf_counter()
    assign_pending(ws.engine, encoder=encoder_for(ws.settings.embeddings))
    spent["narratives"] = time.perf_counter() - t
    t = time.perf_counter()
    detect_signals(ws, fanout=fanout)
    spent["detect"] = time.perf_counter() - t
    return n, spent


def _whole(ws, parquet: Path, workers: int, cpu: str | None = None) -> tuple[int, dict[str, float]]:
    if not workers:
        return _pipeline(ws, parquet, None, cpu)
    from monitio.scale.cluster import open_cluster

    with open_cluster(f"local:{workers}") as client:
        client.wait_for_workers(workers)
        return _pipeline(ws, parquet, client, cpu)


def _write_parquet(csv: Path, path: Path, row_group: int) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    table = pcsv.read_csv(csv, convert_options=pcsv.ConvertOptions(column_types={"id": "string"}))
    pq.write_table(table, path, row_group_size=row_group)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--row-group", type=int, default=2000, help="Parquet rows per row group (ingest tasks)")
    parser.add_argument("--database-url", help="PostgreSQL server to use instead of SQLite files")
    parser.add_argument("--enrich-only", action="store_true", help="time the enrichment alone (ingest untimed)")
    parser.add_argument("--check", action="store_true", help="also check every variant stored the same results")
    parser.add_argument("--variants", default="0,1,2", help="worker counts to run (0 = one process)")
    parser.add_argument(
        "--cpu", action="store_true", help="also print the enrichment's CPU per post: driver, database, workers"
    )
    args = parser.parse_args()
    from monitio.demo.corpus import generate_demo

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ingest_enrich import digest

    loads = [os.getloadavg()[0]]
    variants = [int(v) for v in args.variants.split(",")]
    names = {0: "one process", 1: "LocalCluster, 1 worker", 2: "LocalCluster, 2 workers"}
    results: dict[str, tuple[int, dict[str, float]]] = {}
    digests: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "demo.csv"
        generate_demo(corpus, n_posts=args.posts, days=30, seed=11)
        parquet = work / "demo.parquet"
        _write_parquet(corpus, parquet, args.row_group)
        for i, workers in enumerate(variants):
            name = names.get(workers, f"LocalCluster, {workers} workers")
            if args.enrich_only:
                ws = _workspace(work, f"ws{i}", corpus, args.batch, args.database_url)
                cpu = name if args.cpu else None
                n, seconds = _cluster(ws, workers, cpu) if workers else _one_process(ws, cpu)
                results[name] = (n, {"enrich": seconds})
            else:
                ws = _empty_workspace(work, f"ws{i}", args.batch, args.database_url)
                results[name] = _whole(ws, parquet, workers, name if args.cpu else None)
            if args.check:
                digests[name] = digest(ws.engine)
            ws.engine.dispose()
            if args.database_url:
                _drop_schema(args.database_url, f"bench_ws{i}")
            loads.append(os.getloadavg()[0])
            n, spent = results[name]
            stages_s = ", ".join(f"{k} {v:.1f} s" for k, v in spent.items())
            rate = n / max(sum(spent.values()), 1e-9)
            print(f"  {name}: {stages_s}; {rate:.0f} posts/s (load {loads[-1]:.1f})", file=sys.stderr, flush=True)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    what = "enrichment only" if args.enrich_only else "ingest + enrich + narratives + detect"
    print(
        f"{args.posts} demo posts, batch {args.batch}, {backend}, {what}; {os.cpu_count()} cores, "
        f"load average {min(loads):.1f}-{max(loads):.1f}"
    )
    stages = ["enrich"] if args.enrich_only else list(STAGES)
    print(f"  {'variant':<24}" + "".join(f"{s + ' s':>13}" for s in stages) + f"{'total s':>10}{'posts/s':>9}")
    rates = {}
    for name, (n, spent) in results.items():
        total = sum(spent.values())
        rates[name] = n / total
        cells = "".join(f"{spent[s]:13.1f}" for s in stages)
        print(f"  {name:<24}{cells}{total:10.1f}{rates[name]:9.0f}")
    base = next(iter(rates.values()))
    print("  ratios: " + ", ".join(f"{name} {rate / base:.2f}x" for name, rate in rates.items()))
    one, two = rates.get(names[1]), rates.get(names[2])
    if one and two:
        print(f"  2 workers / 1 worker: {two / one:.2f}x")
    for name, cpu in CPU.items():
        n = results[name][0]
        w, d = cpu["workers"] / n, (cpu["driver"] + cpu["database"]) / n
        line = f"  {name}: enrichment CPU per post: driver {1e6 * cpu['driver'] / n:.0f} us, database "
        line += f"{1e6 * cpu['database'] / n:.0f} us (d = {1e6 * d:.0f} us)"
        if w:
            line += f", workers {1e6 * w:.0f} us (w, pipeline builds included); 2w/(w+d) = {2 * w / (w + d):.2f}"
        print(line)
    if args.check:
        first = next(iter(digests.values()))
        same = all(d == first for d in digests.values())
        print(f"  stored results identical in every variant: {same}")
        if not same:
            for name, d in digests.items():
                print(f"    {name}: " + ", ".join(f"{t} {v}" for t, v in d.items() if v != first[t]))
            sys.exit(1)


if __name__ == "__main__":
    main()
