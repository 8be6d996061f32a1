"""PostgreSQL layout at volume: the hot queries exactly as the code sends them, with EXPLAIN (ANALYZE, BUFFERS).

Runs on an existing workspace (its `database_url`), in steps that each call the real code while every
statement is captured with its parameters and time:

- `enrich`: import `--fresh` new posts published in the last day and enrich them (pending read,
  claim, save, rollup and rollup-author upserts, near-duplicate groups);
- `detect`: one detection pass (rollup range read, category evidence, campaigns, ...);
- `signals`: the open signals page with evidence posts;
- `search`: field-only searches (market, category, language, a date range) and one term search;
- `overview`: the dashboard overview of the last 7 days;
- `retention`: a dry run, then one real retention batch of 5,000 posts (with `--retention-days`).

The slowest distinct statements (`--top`) are then explained with EXPLAIN (ANALYZE, BUFFERS) on
their slowest parameters, in a transaction that is rolled back. Table and index sizes give the bytes
per post. The machine is noisy: run twice and compare plans, not single milliseconds.

    .venv/bin/python benchmarks/pg_layout.py --workspace WS [--fresh 2000] [--top 15] [--steps enrich,detect,...]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text

from monitio.workspace import open_workspace

STEPS = ("enrich", "detect", "signals", "search", "overview", "retention")


class Capture:
    """Every statement the engine runs while `step` is set: calls, total and slowest time, slowest params."""

    def __init__(self, engine):
        self.step = None
        self.stats: dict[tuple[str, str], dict] = defaultdict(lambda: {"calls": 0, "ms": 0.0, "max": 0.0})
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, params, context, executemany):
        conn.info["t0"] = time.perf_counter()

    def _after(self, conn, cursor, statement, params, context, executemany):
        if self.step is None or statement.lstrip().upper().startswith(("EXPLAIN", "SAVEPOINT", "RELEASE")):
            return
        ms = (time.perf_counter() - conn.info.pop("t0", time.perf_counter())) * 1000
        s = self.stats[(self.step, shape(statement))]
        s["calls"] += 1
        s["ms"] += ms
        if ms >= s["max"]:
            many = isinstance(params, list | tuple) and bool(params) and isinstance(params[0], dict | list | tuple)
            s["max"] = ms
            s["statement"] = statement
            s["params"] = params[0] if many else params


def shape(statement: str) -> str:
    """The statement with multi-row VALUES lists (SQLAlchemy's insertmanyvalues) folded to one row."""
    folded = re.sub(r"__\d+\)s", ")s", statement)
    return re.sub(r"(\([^()]*\))(?:, \1)+", r"\1", folded)


def fresh_posts(path: Path, n: int) -> Path:
    now = datetime.now(UTC)
    texts = [
        "iklan palsu ini penipuan, uang saya hilang, hubungi WA 0812",
        "This ad is a scam, they took my money and blocked me",
        "โฆษณาหลอกลวง โอนเงินแล้วติดต่อไม่ได้",
        "quảng cáo lừa đảo, mất tiền rồi",
        "refund never arrived, support ignores me",
    ]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "published_at", "author", "likes", "market"])
        for i in range(n):
            when = now - timedelta(minutes=(i * 37) % (24 * 60))
            mkt = ["ID", "TH", "VN", "PH", "MY"][i % 5]
            w.writerow(
                [f"f{now.timestamp():.0f}-{i}", f"{texts[i % 5]} {i}", when.isoformat(), f"u{i % 300}", i % 9, mkt]
            )
    return path


def run_steps(ws, cap: Capture, steps: list[str], fresh: int, retention_days: int | None) -> dict[str, float]:
    took: dict[str, float] = {}

    def step(name, fn):
        if name not in steps:
            return
        cap.step = name
        t0 = time.perf_counter()
        fn()
        took[name] = time.perf_counter() - t0
        cap.step = None
        print(f"step {name}: {took[name]:.2f} s", flush=True)

    def enrich():
        import tempfile

        from monitio.enrich.runner import enrich_pending
        from monitio.ingest import ingest_file
        from monitio.pipeline import default_pipeline

        with tempfile.TemporaryDirectory() as tmp:
            ingest_file(ws.engine, fresh_posts(Path(tmp) / "fresh.csv", fresh), source="fresh")
        enrich_pending(ws.engine, default_pipeline(ws.settings), batch_size=ws.settings.batch_size)

    def detect():
        from monitio.detect.signals import detect_signals

        detect_signals(ws)

    def signals():
        from monitio.services.signals import list_signals

        list_signals(ws, limit=50)

    def search():
        from monitio.services import search as svc

        newest = datetime.now(UTC)
        for q in (
            "market:TH",
            "category:scam_ads market:ID",
            "lang:vi",
            f"date:{(newest - timedelta(days=3)).date()}.. market:PH",
            "refund",
        ):
            svc.search(ws.engine, q, limit=50)

    def overview():
        from monitio.services.overview import overview as ov

        ov(ws)

    def retention():
        from monitio.services.retention import apply_retention

        if retention_days:
            apply_retention(ws, days=retention_days, dry_run=True)
            from monitio.store import retention as store

            cutoff = store.cutoff_for(retention_days)
            with ws.engine.begin() as conn:
                kept = store.kept_post_ids(conn)
                store.drop_batch(conn, cutoff, None, 5000, kept)

    for name, fn in (
        ("enrich", enrich),
        ("detect", detect),
        ("signals", signals),
        ("search", search),
        ("overview", overview),
        ("retention", retention),
    ):
        step(name, fn)
    return took


def explain(ws, statement: str, params) -> list[str]:
    with ws.engine.connect() as conn:
        trans = conn.begin()
        try:
            if isinstance(params, list):
                params = tuple(params)
            rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params or {}).all()
        except Exception as exc:  # a statement that cannot be explained alone (temp tables, ...)
            rows = [(f"(not explained: {str(exc).splitlines()[0][:100]})",)]
        finally:
            trans.rollback()
    return [r[0] for r in rows]


def sizes(ws) -> list[tuple[str, int, int]]:
    """(table, table+toast bytes, index bytes) of the biggest tables."""
    q = text(
        "SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c"
        " WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace"
        " ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 14"
    )
    with ws.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(q)]


def index_sizes(ws, table: str) -> list[tuple[str, int]]:
    q = text(
        "SELECT i.relname, pg_relation_size(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " JOIN pg_class t ON t.oid = x.indrelid"
        " WHERE t.relname = :t AND t.relnamespace = current_schema()::regnamespace"
        " ORDER BY 2 DESC"
    )
    with ws.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(q, {"t": table})]


def short(statement: str, width: int = 110) -> str:
    return re.sub(r"\s+", " ", statement)[:width]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path, required=True)
    ap.add_argument("--steps", default=",".join(STEPS[:-1]))
    ap.add_argument("--fresh", type=int, default=2000)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--retention-days", type=int)
    ap.add_argument("--sizes", action="store_true", help="Print table and index sizes (bytes per post).")
    args = ap.parse_args()
    ws = open_workspace(args.workspace)
    if ws.engine.dialect.name != "postgresql":
        raise SystemExit("this benchmark is for a workspace on PostgreSQL")
    with open("/proc/loadavg") as fh:
        print("load average before:", fh.read().split()[:3])
    cap = Capture(ws.engine)
    run_steps(ws, cap, args.steps.split(","), args.fresh, args.retention_days)
    ranked = sorted(cap.stats.items(), key=lambda kv: -kv[1]["ms"])
    print(f"\n{'step':<9} {'calls':>6} {'total ms':>9} {'max ms':>8}  statement")
    for (step, stmt), s in ranked[: args.top * 2]:
        print(f"{step:<9} {s['calls']:>6} {s['ms']:>9.1f} {s['max']:>8.1f}  {short(stmt)}")
    for (step, stmt), s in ranked[: args.top]:
        print(f"\n=== [{step}] {s['calls']} calls, {s['ms']:.1f} ms in all, slowest {s['max']:.1f} ms")
        print(short(stmt, 400))
        for line in explain(ws, s["statement"], s.get("params")):
            print("   ", line)
    if args.sizes:
        with ws.engine.connect() as conn:
            n = conn.execute(text("SELECT count(*) FROM posts")).scalar_one()
        print(f"\n{n} posts")
        total = 0
        for name, tbytes, ibytes in sizes(ws):
            total += tbytes + ibytes
            print(f"{name:<22} table {tbytes / 2**20:8.1f} MB  indexes {ibytes / 2**20:8.1f} MB")
        print(f"top tables: {total / 2**20:.0f} MB, {total / max(n, 1):.0f} bytes per post")
        for name, b in index_sizes(ws, "posts"):
            print(f"   posts index {name:<32} {b / 2**20:8.1f} MB")
    with open("/proc/loadavg") as fh:
        print("load average after:", fh.read().split()[:3])


if __name__ == "__main__":
    main()
