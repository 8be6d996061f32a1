"""Hostile input costs no more than ordinary input (issue 18): each case beside a normal import.

Baseline: import a normal CSV of `--rows` posts into a fresh SQLite workspace (same process).
Cases, each a fresh workspace: a CSV whose date cell is 10 MB; API-style rows whose `published_at`
is 256k characters; a JSONL row with a 30 MB extra field; an XLSX of 200 KB that expands past the
200 MB cap. Prints seconds per case, the rows stored and quarantined, and the ratio to the baseline.

    .venv/bin/python benchmarks/ingest_hostile.py --rows 2000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    from openpyxl import Workbook

    from monitio.ingest import ingest_file
    from monitio.records import RecordError
    from monitio.sources.files import WorkbookTooLarge
    from monitio.sources.mapping import FIELDS, ColumnMap, map_row
    from monitio.workspace import init_workspace

    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2000)
    args = ap.parse_args()
    when = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0).isoformat()
    results: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        normal = work / "normal.csv"
        normal.write_text(
            "id,text,date\n" + "".join(f"{i},refund never came {i},{when}\n" for i in range(args.rows)), "utf-8"
        )
        ws = init_workspace(work / "w0")
        base, rep = _timed(lambda: ingest_file(ws.engine, normal))
        results.append((f"normal CSV, {args.rows} rows (baseline)", base, f"new {rep.new}"))

        big_date = work / "big-date.csv"
        big_date.write_text(f"id,text,date\n1,ok,{when}\n2,slow,{'2026-01-01 ' * 1_000_000}\n3,ok,{when}\n", "utf-8")
        ws = init_workspace(work / "w1")
        sec, rep = _timed(lambda: ingest_file(ws.engine, big_date))
        results.append(("CSV with a 10 MB date cell", sec, f"new {rep.new}, quarantined {rep.quarantined}"))

        cmap = ColumnMap({f: f for f in FIELDS})

        def api_items():
            refused = 0
            for i in range(20):
                try:
                    map_row(
                        {"id": str(i), "text": "x", "published_at": "2" * 256_000}, cmap, source="s", default_zone=UTC
                    )
                except RecordError:
                    refused += 1
            return refused

        sec, refused = _timed(api_items)
        results.append(("20 API items with a 256k-char published_at", sec, f"refused {refused}"))

        big_extra = work / "big-extra.jsonl"
        big_extra.write_text(json.dumps({"id": 1, "text": "ok", "date": when, "notes": "n" * 30_000_000}) + "\n")
        ws = init_workspace(work / "w2")
        sec, rep = _timed(lambda: ingest_file(ws.engine, big_extra))
        results.append(("JSONL row with a 30 MB extra field", sec, f"new {rep.new} (raw bounded)"))

        bomb = work / "bomb.xlsx"
        wb = Workbook()
        wb.active.append(["text", "date"])
        wb.save(bomb)
        with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("xl/padding.bin", b"\0" * (210 * 2**20))
        ws = init_workspace(work / "w3")

        def refuse():
            try:
                ingest_file(ws.engine, bomb)
            except WorkbookTooLarge as exc:
                return str(exc)[:60]
            return "read"

        sec, msg = _timed(refuse)
        results.append((f"XLSX of {bomb.stat().st_size // 1024} KB expanding to 210 MB", sec, msg))

    print(f"{'case':52} {'seconds':>8} {'x baseline':>10}  outcome")
    for name, sec, outcome in results:
        print(f"{name:52} {sec:8.3f} {sec / base:10.2f}  {outcome}")


if __name__ == "__main__":
    main()
