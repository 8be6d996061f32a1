"""Ingest-only throughput: 20,000 demo posts into a fresh SQLite workspace (no enrichment).

Run it once per code version, alternating, to compare two versions on a noisy machine:

    PYTHONPATH=OLD_CHECKOUT .venv/bin/python benchmarks/ingest_only.py before
    .venv/bin/python benchmarks/ingest_only.py after
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    from monitio.demo.corpus import generate_demo
    from monitio.ingest import ingest_file
    from monitio.workspace import init_workspace

    label = sys.argv[1] if len(sys.argv) > 1 else "this version"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.csv"
        generate_demo(path, n_posts=n, days=30, seed=11)
        ws = init_workspace(Path(tmp) / "ws")
        t0 = time.perf_counter()
        report = ingest_file(ws.engine, path, source="bench")
        seconds = time.perf_counter() - t0
    print(f"{label}: {report.new} posts in {seconds:.2f} s = {report.new / seconds:.0f} posts/s")


if __name__ == "__main__":
    main()
