"""A watched folder: files other teams' tools drop (CSV, JSONL, XLSX) are imported, then moved.

A file is taken only once its size has stayed the same for `settle` seconds (so half-written files wait).
After the import it moves to `DIR/done/`; a file that cannot be read moves to `DIR/failed/` with a
`.reason.txt` beside it. Bad rows inside a readable file go to the quarantine as usual.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from monitio.ingest import IngestReport, ingest_file
from monitio.sources.files import SourceFileError
from monitio.sources.mapping import MappingError

SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".xlsx"}


def _unique(target: Path) -> Path:
    n = 1
    out = target
    while out.exists():
        out = target.with_name(f"{target.stem}.{n}{target.suffix}")
        n += 1
    return out


def scan_folder(
    ws, folder: Path, *, settle: float = 2.0, sizes: dict[Path, tuple[int, float]] | None = None
) -> dict[str, IngestReport | str]:
    """Import every settled file once; returns what happened per file name."""
    sizes = sizes if sizes is not None else {}
    done, failed = folder / "done", folder / "failed"
    done.mkdir(exist_ok=True)
    failed.mkdir(exist_ok=True)
    results: dict[str, IngestReport | str] = {}
    now = time.monotonic()
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES):
        size = path.stat().st_size
        seen = sizes.get(path)
        if seen is None or seen[0] != size:
            sizes[path] = (size, now)
            if settle > 0:
                continue
        elif now - seen[1] < settle:
            continue
        try:
            report = ingest_file(ws.engine, path, source=f"drop:{path.name}", timezone=ws.settings.timezone)
        except (SourceFileError, MappingError, OSError) as exc:
            target = _unique(failed / path.name)
            shutil.move(str(path), target)
            target.with_name(target.name + ".reason.txt").write_text(str(exc) + "\n", encoding="utf-8")
            results[path.name] = f"failed: {exc}"
        else:
            shutil.move(str(path), _unique(done / path.name))
            results[path.name] = report
        sizes.pop(path, None)
    return results
