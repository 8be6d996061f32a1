"""A watched folder: files other teams' tools drop (CSV, TSV, JSONL, JSON, XLSX) are imported, then moved.

A file is taken only once its size and modification time have stayed the same for `settle` seconds
(so half-written files wait); hidden files, Office lock files (`~$...`) and partial downloads
(`.part`, `.tmp`, `.crdownload`) are ignored. After the import the file moves to `done/`; a file that
cannot be read moves to `failed/` with a `.reason.txt` beside it. Bad rows inside a readable file go
to the quarantine as usual.

Posts from a file dropped directly in DIR get the source `drop:FILENAME`; files in a subfolder
(`DIR/partner-tool/export.csv`) get `drop:partner-tool`, so repeated exports of one tool share ids and
re-exported rows are not stored twice. Each folder gets its own `done/` and `failed/`. A crash between
import and move is harmless: the next scan imports the file again and adds nothing new.

A subfolder uses the `[[imports]]` preset whose `folder` (or name) it is: its columns, date format,
zone and source name; files directly in DIR use the preset given to `scan_folder(preset=...)`. A file
whose dates fit both day-first and month-first (and no preset says which) goes to `failed/` with the
fix in its `.reason.txt`.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from monitio.ingest import ImportOptions, IngestReport, ingest_file
from monitio.sources.presets import load_presets, preset_for_folder

log = logging.getLogger(__name__)
SUFFIXES = {".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json", ".xlsx", ".xls"}
SKIP_DIRS = {"done", "failed"}


def _unique(target: Path) -> Path:
    n = 1
    out = target
    while out.exists():
        out = target.with_name(f"{target.stem}.{n}{target.suffix}")
        n += 1
    return out


def _wanted(path: Path) -> bool:
    return path.is_file() and not path.name.startswith((".", "~$")) and path.suffix.lower() in SUFFIXES


def candidates(folder: Path) -> Iterator[tuple[Path, str]]:
    """Files to import with their source name: DIR/* and DIR/<tool>/*."""
    for path in sorted(folder.iterdir()):
        if _wanted(path):
            yield path, f"drop:{path.name}"
        elif path.is_dir() and path.name not in SKIP_DIRS and not path.name.startswith("."):
            for inner in sorted(path.iterdir()):
                if _wanted(inner):
                    yield inner, f"drop:{path.name}"


def _move(path: Path, kind: str) -> Path:
    target_dir = path.parent / kind
    target_dir.mkdir(exist_ok=True)
    target = _unique(target_dir / path.name)
    shutil.move(str(path), target)
    return target


def scan_folder(
    ws: Any,
    folder: Path,
    *,
    settle: float = 2.0,
    sizes: dict[Path, tuple[Any, float]] | None = None,
    preset: str | None = None,
) -> dict[str, IngestReport | str]:
    """Import every settled file once; returns what happened per file (path relative to `folder`).

    `sizes` carries what was seen between calls (size and mtime, and since when); with `settle=0`
    files are taken at once.
    """
    sizes = sizes if sizes is not None else {}
    results: dict[str, IngestReport | str] = {}
    presets = load_presets(ws.path)
    now = time.monotonic()
    for path, source in candidates(folder):
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        state = (st.st_size, st.st_mtime_ns)
        seen = sizes.get(path)
        if seen is None or seen[0] != state:
            sizes[path] = (state, now)
            if settle > 0:
                continue
        elif now - seen[1] < settle:
            continue
        key = path.relative_to(folder).as_posix()
        try:
            chosen = presets.get(preset) if preset and path.parent == folder else None
            if path.parent != folder:
                chosen = preset_for_folder(presets, path.parent.name)
            options = ImportOptions.build(
                chosen,
                source=None if chosen and chosen.source else source,
                default_timezone=ws.settings.timezone,
                workspace_order=ws.settings.date_order,
            )
            report = ingest_file(
                ws.engine,
                path,
                options=options,
                batch_size=ws.settings.batch_size,
                max_text_chars=ws.settings.max_text_chars,
            )
        except SQLAlchemyError as exc:  # the database, not the file: leave it for the next scan
            results[key] = f"retry later: database error: {str(exc).splitlines()[0][:200]}"
            log.warning("%s not imported: %s", key, exc)
            continue
        except Exception as exc:  # unreadable file: park it with the reason, keep watching
            reason = str(exc) if isinstance(exc, ValueError | OSError) else f"{type(exc).__name__}: {exc}"
            target = _move(path, "failed")
            target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
            results[key] = f"failed: {reason}"
            log.warning("%s failed: %s", key, reason)
        else:
            _move(path, "done")
            results[key] = report
        sizes.pop(path, None)
    return results
