"""Ingest + run throughput on demo posts: whole processes, old code beside new, and a peer baseline.

Each measured run is a fresh Python process that imports Monitio, imports the demo CSV into a fresh
SQLite workspace and then does what `monitio run` does (enrich with the default pipeline, rollups,
near-duplicate groups, narratives, detection, alerts). With `--baseline-tree DIR` the same runs are
made with the code of another checkout (PYTHONPATH=DIR), alternating old and new, on the same corpus;
the new/old ratio of end-to-end posts/s is the figure to read. Both runs also print a digest of every
stored result (enrichment fields, category rows, rollups, dup groups, narratives, signals), so a
change in results shows up beside the speed. The peer baseline (lingua over all its languages +
VADER, storing nothing) runs once, as a process of its own.

    git worktree add --detach /work/wt-speed-base main
    .venv/bin/python benchmarks/ingest_enrich.py --posts 20000 --baseline-tree /work/wt-speed-base --rounds 2

Machines here are noisy: compare ratios from one run (the load average is printed), not absolute
numbers across runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHASES = ("ingest_parse", "ingest_store", "stages", "enrich_writes", "dup_groups", "narratives", "detect", "alerts")
VOLATILE = {"enriched_at", "ingested_at", "updated_at", "created_at", "detected_at", "bands_pruned_at"}
"""Columns that hold the wall-clock time of the run (not results), left out of the digest."""
DIGEST_TABLES = (
    "posts",
    "post_categories",
    "rollups",
    "rollup_authors",
    "dup_groups",
    "dup_keys",
    "dup_bands",
    "dup_group_authors",
    "narratives",
    "narrative_merges",
    "post_narratives",
    "signals",
    "post_search",
)


def digest(engine) -> dict[str, str]:
    """A hash per table of every stored result (rows in primary-key order, volatile columns left out;
    JSON and timestamps as the text stored, where SQLite compares them as text)."""
    from sqlalchemy import JSON, DateTime, MetaData, Text, cast, select

    meta = MetaData()
    meta.reflect(engine, only=list(DIGEST_TABLES))
    out = {}
    with engine.connect() as conn:
        for name in DIGEST_TABLES:
            table = meta.tables[name]
            cols = [c for c in table.c if c.name not in VOLATILE]
            order = list(table.primary_key.columns) or cols
            shown = [cast(c, Text) if isinstance(c.type, JSON | DateTime) else c for c in cols]  # as stored
            h = hashlib.sha256()
            n = 0
            for row in conn.execute(select(*shown).order_by(*order)):
                h.update(repr(tuple(row)).encode())
                n += 1
            out[name] = f"{n}:{h.hexdigest()[:12]}"
    return out


class _Clock:
    """Seconds spent per phase (wall and this process's CPU), added up by wrapped functions."""

    def __init__(self) -> None:
        self.spent = dict.fromkeys(PHASES, 0.0)
        self.cpu = dict.fromkeys(PHASES, 0.0)

    def wrap(self, phase: str, fn):
        def timed(*args, **kwargs):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[phase] += time.perf_counter() - t0
                self.cpu[phase] += time.process_time() - c0

        return timed

    def mark(self) -> tuple[float, float]:
        return time.perf_counter(), time.process_time()


def child(corpus: Path, work: Path) -> dict:
    """One measured run in this process: ingest then the `monitio run` steps, timed per phase."""
    t_start = time.perf_counter()
    import monitio.enrich.dupgroups as dupgroups
    import monitio.enrich.runner as runner
    import monitio.ingest as ingest_mod
    from monitio.alerts.run import alert_step
    from monitio.detect.narratives import assign_pending
    from monitio.detect.signals import detect_signals
    from monitio.enrich.embeddings import encoder_for
    from monitio.pipeline import default_pipeline
    from monitio.workspace import init_workspace

    clock = _Clock()
    ws = init_workspace(work / "ws")
    pipeline = default_pipeline(ws.settings)
    pipeline.run([])  # lazily-built models load outside the timed part, as in a long-running service
    pipeline.run = clock.wrap("stages", pipeline.run)
    ingest_mod.store_batch = clock.wrap("ingest_store", ingest_mod.store_batch)
    if hasattr(runner, "group_docs"):  # the old runner grouped after saving
        runner.group_docs = clock.wrap("dup_groups", runner.group_docs)
    dupgroups.group_docs = clock.wrap("dup_groups", dupgroups.group_docs)  # the new one, inside the save
    m0 = clock.mark()
    report = ingest_mod.ingest_file(ws.engine, corpus, source="bench")
    m1 = clock.mark()
    enriched = runner.enrich_pending(ws.engine, pipeline, batch_size=ws.settings.batch_size)
    m2 = clock.mark()
    narrated = assign_pending(ws.engine, encoder=encoder_for(ws.settings.embeddings))
    m3 = clock.mark()
    detect_signals(ws)
    m4 = clock.mark()
    alert_step(ws)
    m5 = clock.mark()
    for k, s in enumerate((clock.spent, clock.cpu)):
        s["ingest_parse"] = (m1[k] - m0[k]) - s["ingest_store"]
        s["enrich_writes"] = (m2[k] - m1[k]) - s["stages"] - s["dup_groups"]
        s["narratives"], s["detect"], s["alerts"] = m3[k] - m2[k], m4[k] - m3[k], m5[k] - m4[k]
    t0, t5 = m0[0], m5[0]
    stored = digest(ws.engine)
    return {
        "posts": report.new,
        "enriched": enriched,
        "narrated": narrated,
        "startup_s": t0 - t_start,
        "end_to_end_s": t5 - t0,
        "phases_s": clock.spent,
        "phases_cpu_s": clock.cpu,
        "digest": stored,
        "digest_s": time.perf_counter() - t5,
    }


def peer_child(corpus: Path, sample: int) -> dict:
    """The peer baseline: lingua over all languages + VADER over the texts, storing nothing."""
    import csv

    t_start = time.perf_counter()
    from lingua import LanguageDetectorBuilder
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    with open(corpus, encoding="utf-8") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)][:sample]
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
    return {"posts": len(texts), "startup_s": t0 - t_start, "lang_s": t1 - t0, "sentiment_s": t2 - t1}


def _spawn(args: list[str], tree: Path | None) -> tuple[dict, float]:
    """Run this script as a child process (with `tree` first on PYTHONPATH); its JSON and wall time."""
    env = dict(os.environ, PYTHONHASHSEED="0")  # some signal fields follow set order
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode:
        sys.exit(f"child failed ({' '.join(args)}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=20_000)
    ap.add_argument("--baseline-tree", type=Path, help="a checkout of the old code to run side by side")
    ap.add_argument("--rounds", type=int, default=2, help="runs of each tree (alternating)")
    ap.add_argument("--baseline-sample", type=int, default=20_000, help="texts given to the peer baseline")
    ap.add_argument("--no-peer", action="store_true", help="skip the peer baseline")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("CORPUS", "WORK"), help=argparse.SUPPRESS)
    ap.add_argument("--peer-child", metavar="CORPUS", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]))))
        return
    if args.peer_child:
        print(json.dumps(peer_child(Path(args.peer_child), args.baseline_sample)))
        return

    new_tree = Path(__file__).resolve().parents[1]
    trees = {"new": new_tree}
    if args.baseline_tree:
        trees = {"old": args.baseline_tree.resolve(), "new": new_tree}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "demo.csv"
        sys.path.insert(0, str(new_tree))
        from monitio.demo.corpus import generate_demo

        generate_demo(corpus, n_posts=args.posts, days=30, seed=11)
        for r in range(args.rounds):
            for name, tree in trees.items():
                run_dir = work / f"{name}{r}"
                run_dir.mkdir()
                load = _load()
                result, wall = _spawn(["--child", str(corpus), str(run_dir)], tree)
                result.update(wall_s=wall - result["digest_s"], load=load)
                runs[name].append(result)
                print(
                    f"  {name} round {r + 1}: {result['end_to_end_s']:.1f} s end to end, {wall:.1f} s process "
                    f"(load {load})",
                    file=sys.stderr,
                )
        peer = None
        if not args.no_peer:
            load = _load()
            peer, wall = _spawn(["--peer-child", str(corpus), "--baseline-sample", str(args.baseline_sample)], None)
            peer.update(wall_s=wall, load=load)
    summary = _summarise(runs, peer)
    if args.json:
        print(json.dumps({"runs": runs, "peer_run": peer, **summary}, indent=2))
        return
    _print(args, runs, peer, summary)


def _summarise(runs: dict[str, list[dict]], peer: dict | None) -> dict:
    out: dict = {}
    for name, rs in runs.items():
        posts = rs[0]["posts"]
        e2e = statistics.median(r["end_to_end_s"] for r in rs)
        wall = statistics.median(r["wall_s"] for r in rs)
        out[name] = {
            "posts": posts,
            "end_to_end_per_s": posts / e2e,
            "process_per_s": posts / wall,
            "us_per_post": {p: 1e6 * statistics.median(r["phases_s"][p] for r in rs) / posts for p in PHASES},
            "cpu_us_per_post": {p: 1e6 * statistics.median(r["phases_cpu_s"][p] for r in rs) / posts for p in PHASES},
        }
    if "old" in runs:
        out["ratio_new_old_end_to_end"] = out["new"]["end_to_end_per_s"] / out["old"]["end_to_end_per_s"]
        out["ratio_new_old_process"] = out["new"]["process_per_s"] / out["old"]["process_per_s"]
        out["same_results"] = runs["old"][0]["digest"] == runs["new"][0]["digest"]
    if peer:
        peer_e2e = peer["posts"] / (peer["lang_s"] + peer["sentiment_s"])
        peer_proc = peer["posts"] / peer["wall_s"]
        out["peer"] = {"end_to_end_per_s": peer_e2e, "process_per_s": peer_proc}
        for name in runs:
            out[f"ratio_{name}_peer_process"] = out[name]["process_per_s"] / peer_proc
    return out


def _print(args, runs, peer, s) -> None:
    print(f"{args.posts} demo posts, SQLite, {args.rounds} round(s) per tree, medians:")
    names = list(runs)
    print(f"{'phase (µs/post)':18}" + "".join(f"{n:>10}" for n in names) + "".join(f"{n + ' CPU':>10}" for n in names))
    for p in PHASES:
        print(
            f"{p:18}"
            + "".join(f"{s[n]['us_per_post'][p]:10.0f}" for n in names)
            + "".join(f"{s[n]['cpu_us_per_post'][p]:10.0f}" for n in names)
        )
    print(f"{'end to end posts/s':18}" + "".join(f"{s[n]['end_to_end_per_s']:10.0f}" for n in names))
    print(f"{'process posts/s':18}" + "".join(f"{s[n]['process_per_s']:10.0f}" for n in names))
    if "old" in runs:
        print(
            f"ratio new/old: end to end {s['ratio_new_old_end_to_end']:.2f}x, "
            f"whole process {s['ratio_new_old_process']:.2f}x"
        )
        print(f"stored results identical: {s['same_results']}")
        if not s["same_results"]:
            old, new = runs["old"][0]["digest"], runs["new"][0]["digest"]
            for t in DIGEST_TABLES:
                if old[t] != new[t]:
                    print(f"  differs: {t} old {old[t]} new {new[t]}")
    if peer:
        print(
            f"peer (lingua all languages + VADER, no storage) on {peer['posts']} texts: "
            f"{s['peer']['process_per_s']:.0f} posts/s as a process, {s['peer']['end_to_end_per_s']:.0f} timed part"
        )
        for n in names:
            print(f"ratio {n}/peer (whole processes): {s[f'ratio_{n}_peer_process']:.2f}x")
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    main()
