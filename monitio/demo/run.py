"""`monitio demo`: a fresh workspace, the built-in corpus, and the whole pipeline end to end."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from monitio.workspace import WorkspaceError

MARKER = ".monitio-demo"
DEMO_FILES = (
    "monitio.db",
    "monitio.db-wal",
    "monitio.db-shm",
    "demo-corpus.csv",
    "brief.md",
    "brief.html",
    "brief.xlsx",
    "monitio.toml",
)


@dataclass
class DemoResult:
    seconds: float
    posts: int
    signals: int
    paths: dict[str, Path]
    top_lines: list[str] = field(default_factory=list)
    manifest: object | None = None


def _prepare(path: Path, force: bool) -> None:
    if path.exists() and not path.is_dir():
        raise WorkspaceError(f"{path} is a file; give a folder for the demo workspace")
    if os.environ.get("MONITIO_DATABASE_URL"):
        raise WorkspaceError("the demo runs on its own SQLite file; unset MONITIO_DATABASE_URL to run it")
    existing = path.exists() and (path / "monitio.db").exists()
    if existing and not (path / MARKER).exists() and not force:
        raise WorkspaceError(
            f"{path} already holds a Monitio workspace that the demo did not make; "
            "choose another --workspace or pass --force to replace it"
        )
    path.mkdir(parents=True, exist_ok=True)
    for name in DEMO_FILES:
        (path / name).unlink(missing_ok=True)
    (path / MARKER).write_text("made by `monitio demo`; the demo may replace this folder's files\n")


def run_demo(
    path: Path,
    *,
    n_posts: int = 50_000,
    days: int = 30,
    seed: int = 7,
    force: bool = False,
    console: Console | None = None,
) -> DemoResult:
    """Generate the corpus, ingest, enrich, detect and write the brief; returns what it made."""
    from monitio.cli.common import progress
    from monitio.demo.corpus import generate_demo
    from monitio.detect.signals import detect_signals
    from monitio.detect.store import list_open_signals
    from monitio.enrich.runner import enrich_pending
    from monitio.ingest import ingest_file
    from monitio.pipeline import default_pipeline
    from monitio.reports.build import build_brief
    from monitio.reports.write import write_brief
    from monitio.store.repo import count_pending
    from monitio.workspace import init_workspace

    console = console or Console(stderr=True)
    started = time.perf_counter()
    path = Path(path)
    _prepare(path, force)
    say = lambda msg: console.print(f"[dim]{time.perf_counter() - started:5.1f}s[/] {msg}", highlight=False)  # noqa: E731
    corpus = path / "demo-corpus.csv"
    manifest = generate_demo(corpus, n_posts=n_posts, days=days, seed=seed)
    say(f"generated {n_posts} demo posts over {days} days -> {corpus}")
    ws = init_workspace(path)
    with progress() as bar:
        task = bar.add_task("Importing", total=corpus.stat().st_size)
        report = ingest_file(
            ws.engine,
            corpus,
            source="demo",
            timezone=ws.settings.timezone,
            on_progress=lambda n: bar.update(task, completed=n),
        )
    say(
        f"ingested: read {report.read}, new {report.new}, duplicate {report.duplicate}, "
        f"quarantined {report.quarantined}"
    )
    pipeline = default_pipeline(ws.settings)
    with progress() as bar:
        task = bar.add_task("Enriching", total=count_pending(ws.engine))
        enriched = enrich_pending(
            ws.engine, pipeline, batch_size=ws.settings.batch_size, on_batch=lambda n: bar.advance(task, n)
        )
    say(f"enriched {enriched} posts (language, market, sentiment, risk categories)")
    from monitio.detect.narratives import assign_pending

    narrated = assign_pending(ws.engine)
    say(f"grouped {narrated} risk posts into narratives")
    det = detect_signals(ws)
    say(f"detected {det.findings} series anomalies and {det.campaigns} campaigns -> {det.open_signals} open signals")
    brief = build_brief(ws, top=10)
    paths = write_brief(brief, path)
    say("wrote the brief")
    top = list_open_signals(ws.engine, limit=5)
    lines = [
        f"[sev {s['severity']}] {s['kind']}: {', '.join(s['categories']) or 'all'} "
        f"({', '.join(s['markets'][:4]) or 'all markets'})"
        for s in top
    ]
    return DemoResult(
        seconds=time.perf_counter() - started,
        posts=report.new,
        signals=det.open_signals,
        paths=paths,
        top_lines=lines,
        manifest=manifest,
    )
