"""The `monitio` command line.

Typical session::

    monitio init --workspace ws
    monitio ingest posts.csv --workspace ws
    monitio run --workspace ws          # enrich what is new, detect, store signals
    monitio signals --workspace ws      # ranked open signals
    monitio brief --workspace ws        # Markdown, HTML and XLSX brief
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, err, out, print_json, progress, user_errors

app = typer.Typer(
    name="monitio",
    help="Monitio: multilingual monetization-risk intelligence.\n\n"
    "Files and feeds in, ranked risk briefs out. Start with `monitio demo --workspace demo-workspace`, "
    "or `monitio init` then `monitio ingest FILE`.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _mount_subapps() -> None:
    from monitio.cli.alerts_cmd import app as alerts_app
    from monitio.cli.label_cmd import mount as mount_labels
    from monitio.cli.label_cmd import train_app
    from monitio.cli.reenrich_cmd import reenrich
    from monitio.cli.search_cmd import search
    from monitio.cli.sources_cmd import app as sources_app
    from monitio.cli.taxonomy_cmd import app as taxonomy_app
    from monitio.cli.train_sentiment import mount as mount_train_sentiment
    from monitio.cli.users_cmd import tokens_app, users_app

    app.command(name="search")(search)
    app.command(name="reenrich")(reenrich)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(sources_app, name="sources")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(taxonomy_app, name="taxonomy")
    mount_labels(app)  # `monitio label ...` and the `monitio train` group with `train risk`
    mount_train_sentiment(train_app)  # `monitio train sentiment`
    with contextlib.suppress(ImportError):
        from monitio.cli.detect_cmd import app as detect_app

        app.add_typer(detect_app, name="detect", help="Anomaly detection on series files (`detect series`).")
    with contextlib.suppress(ImportError):
        from monitio.cli.eval_cmd import app as eval_app

        app.add_typer(eval_app, name="eval", help="Measure language ID, sentiment and risk on labelled CSV files.")


@app.command()
def init(
    workspace: WorkspaceOpt = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            help="Use this database instead of the workspace's SQLite file, "
            "e.g. postgresql://user@127.0.0.1:5432/monitio"
        ),
    ] = None,
) -> None:
    """Create a workspace (folder, monitio.toml, database schema). Safe to run again."""
    from monitio.workspace import init_workspace

    with user_errors():
        ws = init_workspace(workspace, database_url)
        out.print(f"Workspace ready at {ws.path} (database: {ws.engine.url.render_as_string()})", highlight=False)


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="CSV, TSV, JSONL or XLSX file of posts.")],
    workspace: WorkspaceOpt = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Column mapping FIELD=COLUMN, e.g. --map text=body --map date=created. "
            "Fields: id, text, published_at, url, author, lang, market, likes, shares, "
            "comments, views, platform, published_time.",
        ),
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source name (default: the file name).")] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, tsv, jsonl or xlsx (default: from extension).")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            help="Zone for timestamps without one (default: a zone in the column name, the preset, "
            "then the workspace setting)."
        ),
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet name (default: the first).")] = None,
    preset: Annotated[str | None, typer.Option(help="A saved mapping: an [[imports]] name in monitio.toml.")] = None,
    date_format: Annotated[
        str | None, typer.Option(help='How the dates are written, e.g. "%d/%m/%Y %H:%M" (strptime codes).')
    ] = None,
    dayfirst: Annotated[bool, typer.Option("--dayfirst", help="Read 04/12/2026 as 4 December.")] = False,
    monthfirst: Annotated[bool, typer.Option("--monthfirst", help="Read 04/12/2026 as April 12.")] = False,
    skip_rows: Annotated[
        int | None, typer.Option(min=0, max=1000, help="Rows above the column row (default: found automatically).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the mapping and the first rows as parsed; write nothing.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import posts from a file. Bad rows go to the quarantine with their row number and reason;
    importing the same file again adds nothing. Prints the mapping used and the columns ignored."""
    from monitio.ingest import ImportOptions, ingest_file
    from monitio.settings import check_zone
    from monitio.sources.mapping import MappingError, parse_map_option
    from monitio.sources.presets import get_preset
    from monitio.workspace import open_workspace

    with user_errors():
        if dayfirst and monthfirst:
            raise MappingError("give --dayfirst or --monthfirst, not both")
        ws = open_workspace(workspace)
        if timezone:
            check_zone(timezone)
        options = ImportOptions.build(
            get_preset(ws.path, preset) if preset else None,
            source=source,
            overrides=parse_map_option(map_ or []),
            fmt=fmt,
            timezone=timezone,
            default_timezone=ws.settings.timezone,
            order="dmy" if dayfirst else "mdy" if monthfirst else None,
            date_format=date_format,
            workspace_order=ws.settings.date_order,
            skip_rows=skip_rows,
            sheet=sheet,
        )
        size = file.stat().st_size if file.exists() else 0
        with progress() as bar:
            task = bar.add_task(f"Importing {file.name}", total=size or None)
            report = ingest_file(
                ws.engine,
                file,
                options=options,
                batch_size=ws.settings.batch_size,
                max_text_chars=ws.settings.max_text_chars,
                on_progress=lambda n: bar.update(task, completed=n),
                dry_run=dry_run,
            )
    if as_json:
        print_json(report.as_json())
        return
    for line in report.summary_lines():
        out.print(line, highlight=False, markup=False)
    if dry_run:
        for row in report.rows:
            out.print(
                f"  {row['published_at']} (local {row['published_local']})  {row['source_id']}  {row['text'][:60]!r}",
                highlight=False,
                markup=False,
            )
        for q in report.quarantine:
            out.print(f"  would quarantine {q['locator']}: {q['reason']}", highlight=False, markup=False)
        out.print(
            f"dry run: read {report.read}, would store {report.new}, duplicate {report.duplicate}, "
            f"would quarantine {report.quarantined}; nothing written",
            highlight=False,
        )
        return
    out.print(
        f"read {report.read}, new {report.new}, duplicate {report.duplicate}, quarantined {report.quarantined}",
        highlight=False,
    )
    if report.quarantined:
        out.print("See the quarantined rows and their reasons with: monitio quarantine", highlight=False)


@app.command()
def run(
    workspace: WorkspaceOpt = None,
    watch: Annotated[
        bool,
        typer.Option(
            help="Keep running: collect sources on their schedules, then enrich, "
            "detect and alert, until stopped (SIGTERM finishes the batch)."
        ),
    ] = False,
    interval: Annotated[float, typer.Option(help="Seconds between cycles with --watch.")] = 60.0,
    as_json: JsonOpt = False,
) -> None:
    """Collect due sources, enrich new posts, group narratives, detect, store signals and send alerts."""
    from monitio.jobs import run_cycle
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        if watch:
            from monitio.sources.runner import watch_loop

            cycles = watch_loop(ws, lambda: _report(run_cycle(ws), as_json), interval=interval)
            err.print(f"stopped after {cycles} cycles", highlight=False)
            return
        with progress() as bar:

            def on_pending(total: int):
                task = bar.add_task("Enriching", total=total)
                return lambda n: bar.advance(task, n)

            result = run_cycle(ws, on_pending=on_pending)
    _report(result, as_json)


def _report(result: dict, as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    for name, r in result["collected"].items():
        out.print(
            f"source {name}: {r['new']} new, {r['quarantined']} quarantined"
            + (f", error: {r['error']}" if r["error"] else ""),
            highlight=False,
            markup=False,
        )
    out.print(
        f"enriched {result['enriched']} posts; {result['open_signals']} open signals ({result['new']} new, "
        f"{result['updated']} updated); alerts queued {result['alerts']['queued']}, delivered "
        f"{result['alerts']['delivered']}",
        highlight=False,
    )
    out.print("Next: monitio signals   or   monitio brief", highlight=False)


@app.command()
def signals(
    workspace: WorkspaceOpt = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List open signals, most severe first, with their why and evidence."""
    from monitio.detect.store import list_open_signals
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        items = list_open_signals(ws.engine, limit=limit)
    if as_json:
        print_json(items)
        return
    if not items:
        out.print("No open signals. Run `monitio run` after ingesting posts.")
        return
    from rich.table import Table

    table = Table(title="Open signals", show_lines=True)
    for col in ("sev", "kind", "categories", "markets", "first seen (UTC)", "why"):
        table.add_column(col, overflow="fold")
    for s in items:
        table.add_row(
            str(s["severity"]),
            s["kind"],
            ", ".join(s["categories"]),
            ", ".join(s["markets"]),
            s["first_seen"][:16].replace("T", " "),
            s["why"],
        )
    out.print(table)


@app.command()
def brief(
    workspace: WorkspaceOpt = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Folder for the files (default: workspace).")] = None,
    top: Annotated[int, typer.Option(help="How many signals the brief covers.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Write the risk brief (Markdown, HTML, XLSX) from the open signals."""
    from monitio.reports.build import build_brief
    from monitio.reports.write import write_brief
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        b = build_brief(ws, top=top)
        paths = write_brief(b, out_dir or ws.path)
    if as_json:
        print_json({k: str(v) for k, v in paths.items()})
        return
    for fmt, path in paths.items():
        out.print(f"{fmt:>8}: {path}", highlight=False)


@app.command()
def stats(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of posts, quarantined rows, signals, markets and languages in the workspace."""
    from monitio.store.repo import stats as store_stats
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        values = store_stats(ws.engine)
    if as_json:
        print_json(values)
        return
    for key, value in values.items():
        out.print(f"{key:>14}: {value}", highlight=False)


@app.command()
def quarantine(
    workspace: WorkspaceOpt = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Show quarantined rows: where they came from and why they were refused."""
    from sqlalchemy import select

    from monitio.store.schema import quarantine as qt
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        with ws.engine.connect() as conn:
            rows = conn.execute(select(qt).order_by(qt.c.id).limit(limit)).all()
    items = [{"source": r.source, "locator": r.locator, "reason": r.reason, "raw": r.raw} for r in rows]
    if as_json:
        print_json(items)
        return
    if not items:
        out.print("The quarantine is empty.")
    for q in items:
        out.print(f"{q['source']} {q['locator']}: {q['reason']}", highlight=False)


@app.command()
def demo(
    workspace: Annotated[
        Path,
        typer.Option("--workspace", "-w", envvar="MONITIO_WORKSPACE", help="Folder for the demo workspace."),
    ] = Path("demo-workspace"),
    posts: Annotated[int, typer.Option(help="Number of demo posts.")] = 50_000,
    days: Annotated[int, typer.Option(help="Days of history.")] = 30,
    seed: Annotated[int, typer.Option(help="Random seed of the corpus.")] = 7,
    force: Annotated[bool, typer.Option(help="Replace an existing workspace that was not made by the demo.")] = False,
) -> None:
    """Run the whole pipeline on a built-in demo corpus in a fresh workspace and write the brief."""
    from monitio.demo.run import run_demo

    with user_errors():
        result = run_demo(workspace, n_posts=posts, days=days, seed=seed, force=force, console=err)
    out.print(
        f"\nDemo finished in {result.seconds:.0f} s: {result.posts} posts, {result.signals} open signals.",
        highlight=False,
    )
    out.print("Top signals:", highlight=False)
    for line in result.top_lines:
        out.print(f"  {line}", highlight=False, markup=False)
    out.print("Outputs:", highlight=False)
    for fmt, path in result.paths.items():
        out.print(f"  {fmt:>8}: {path}", highlight=False)


@app.command()
def serve(
    workspace: WorkspaceOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    insecure_cookies: Annotated[
        bool, typer.Option(help="Send the session cookie over plain http (behind a TLS proxy or locally).")
    ] = False,
) -> None:
    """Run the REST API (/api/v1, OpenAPI at /openapi.json) and the web dashboard (/)."""
    import uvicorn

    from monitio.api.app import create_app
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        application = create_app(ws, cookie_secure=not insecure_cookies)
    err.print(f"Monitio on http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)", highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=True)


@app.command()
def watch(
    folder: Annotated[Path, typer.Argument(help="Folder where other tools drop CSV, TSV, JSONL or XLSX files.")],
    workspace: WorkspaceOpt = None,
    interval: Annotated[float, typer.Option(help="Seconds between scans.")] = 10.0,
    once: Annotated[bool, typer.Option(help="Import what is there now and exit.")] = False,
    preset: Annotated[
        str | None,
        typer.Option(
            help="[[imports]] preset for files dropped directly in FOLDER (subfolders use the preset "
            "whose `folder` or name they are)."
        ),
    ] = None,
) -> None:
    """Import files dropped in a folder, then move them to done/ (or failed/ with the reason).

    Example: monitio watch /srv/drops --workspace ws
    """
    import signal
    import threading

    from monitio.sources.watch import scan_folder
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is not a folder")
        if preset:
            from monitio.sources.presets import get_preset

            get_preset(ws.path, preset)  # fail now, not at the first file
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        sizes: dict = {}
        while True:
            for name, result in scan_folder(
                ws, folder, settle=0 if once else interval, sizes=sizes, preset=preset
            ).items():
                line = (
                    result
                    if isinstance(result, str)
                    else (
                        f"read {result.read}, new {result.new}, duplicate {result.duplicate}, "
                        f"quarantined {result.quarantined}"
                    )
                )
                out.print(f"{name}: {line}", highlight=False, markup=False)
            if once or stop.wait(interval):
                break


_mount_subapps()

if __name__ == "__main__":  # pragma: no cover
    app()
