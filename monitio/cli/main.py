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
import sys
from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.cluster_opt import ClusterOpt, cluster_client
from monitio.cli.common import JsonOpt, WorkspaceOpt, err, out, print_json, progress, user_errors, wrap
from monitio.cli.lazy import Lazy, LazyGroup

app = typer.Typer(
    name="monitio",
    help="Monitio: multilingual monetization-risk intelligence.\n\n"
    "Files and feeds in, ranked risk briefs out. Start with `monitio demo --workspace demo-workspace`, "
    "or `monitio init` then `monitio ingest FILE`. `monitio --version` prints the version.",
    no_args_is_help=True,
    cls=LazyGroup,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)


LazyGroup.lazy = {
    "signals": Lazy("monitio.cli.signals_cmd", "signals", "List signals with filters: ID, severity, kind, why."),
    "signal": Lazy("monitio.cli.signals_cmd", "signal", "Show one signal (evidence, indicators, cases); act on it."),
    "narratives": Lazy("monitio.cli.signals_cmd", "narratives", "List narratives, fastest-growing first."),
    "brief": Lazy("monitio.cli.brief_cmd", "brief", "Write a brief for a period and scope (md, html, xlsx, pdf)."),
    "briefs": Lazy("monitio.cli.brief_cmd", "briefs_app", "Kept briefs: list them with their scope.", True),
    "schedule": Lazy("monitio.cli.schedule_cmd", "app", "Scheduled briefs: add, list, run now, disable.", True),
    "respond": Lazy("monitio.cli.respond_cmd", "respond", "Draft a response pack for a signal."),
    "search": Lazy("monitio.cli.search_cmd", "search", "Search posts with the Boolean query language."),
    "searches": Lazy("monitio.cli.search_cmd", "searches_app", "Saved searches: add, list, show, remove.", True),
    "reenrich": Lazy("monitio.cli.reenrich_cmd", "reenrich", "Enrich stored posts again with the current settings."),
    "retention": Lazy("monitio.cli.retention_cmd", "app", "Drop the text of old posts; keep counts, evidence.", True),
    "cases": Lazy("monitio.cli.cases_cmd", "app", "Cases: list, show, open from signals or a narrative.", True),
    "users": Lazy("monitio.cli.users_cmd", "users_app", "Add, list, change and disable users.", True),
    "tokens": Lazy("monitio.cli.users_cmd", "tokens_app", "Create, list and revoke API tokens.", True),
    "sources": Lazy("monitio.cli.sources_cmd", "app", "News and social sources: add, list, test.", True),
    "alerts": Lazy("monitio.cli.alerts_cmd", "app", "Alert channels, rules and deliveries.", True),
    "taxonomy": Lazy("monitio.cli.taxonomy_cmd", "app", "Test taxonomy rules on a CSV; validate a file.", True),
    "detect": Lazy("monitio.cli.detect_cmd", "app", "Anomaly detection on series files (`detect series`).", True),
    "eval": Lazy("monitio.cli.eval_cmd", "app", "Measure language ID, sentiment and risk on labelled CSVs.", True),
}


def _mount_subapps() -> None:
    from monitio.cli.label_cmd import mount as mount_labels
    from monitio.cli.label_cmd import train_app
    from monitio.cli.train_sentiment import mount as mount_train_sentiment

    mount_labels(app)  # `monitio label ...` and the `monitio train` group with `train risk`
    mount_train_sentiment(train_app)  # `monitio train sentiment`


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
    file: Annotated[
        Path, typer.Argument(help="CSV, TSV, JSONL, XLSX or Parquet file of posts, or a folder of .parquet files.")
    ],
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
        str | None, typer.Option("--format", help="csv, tsv, jsonl, xlsx or parquet (default: from extension).")
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
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Then enrich the pending posts on Dask: local:N or tcp://HOST:8786 (a backfill; "
            "without it, `monitio run` enriches). Parquet row groups are also read on the workers.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import posts from a file. Bad rows go to the quarantine with their row number and reason;
    importing the same file again adds nothing. Prints the mapping used and the columns ignored."""
    from monitio.ingest import ImportOptions, ingest_file
    from monitio.settings import check_zone
    from monitio.sources.files import detect_format, source_size
    from monitio.sources.mapping import MappingError, parse_map_option
    from monitio.sources.presets import get_preset
    from monitio.workspace import open_workspace

    enriched = None
    with user_errors(), contextlib.ExitStack() as stack:
        if dayfirst and monthfirst:
            raise MappingError("give --dayfirst or --monthfirst, not both")
        ws = open_workspace(workspace)
        client = stack.enter_context(cluster_client(None if dry_run else cluster))  # connect before writing
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
        size = source_size(file)
        with progress() as bar:
            task = bar.add_task(f"Importing {file.name}", total=size or None)
            common = {
                "options": options,
                "batch_size": ws.settings.batch_size,
                "max_text_chars": ws.settings.max_text_chars,
                "on_progress": lambda n: bar.update(task, completed=n),
            }
            if client is not None and detect_format(file, options.fmt) == "parquet":
                from monitio.scale.ingest import ingest_parquet_on_cluster

                # row groups read and mapped on the workers
                report = ingest_parquet_on_cluster(client, ws.engine, file, **common)
            else:
                report = ingest_file(ws.engine, file, dry_run=dry_run, **common)
        if client is not None:
            from monitio.scale.enrich import enrich_on_cluster

            enriched = enrich_on_cluster(client, ws.engine, ws.settings, batch_size=ws.settings.batch_size)
    if as_json:
        print_json(report.as_json() | ({"enriched": enriched} if enriched is not None else {}))
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
    if enriched is not None:
        out.print(f"enriched {enriched} posts on the cluster", highlight=False)
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
    cluster: ClusterOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Collect due sources, enrich new posts, group narratives, detect, store signals and send alerts."""
    from monitio.services.jobs import run as run_cycle
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        with cluster_client(cluster or ws.settings.cluster) as client:
            if watch:
                from monitio.sources.runner import watch_loop

                cycles = watch_loop(ws, lambda: _report(run_cycle(ws, client=client), as_json), interval=interval)
                err.print(f"stopped after {cycles} cycles", highlight=False)
                return
            with progress() as bar:

                def on_pending(total: int):
                    task = bar.add_task("Enriching", total=total)
                    return lambda n: bar.advance(task, n)

                result = run_cycle(ws, on_pending=on_pending, client=client)
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
    kept = result.get("retention")
    if kept:
        out.print(
            f"retention: dropped the text of {kept['dropped']} posts published before {kept['cutoff']}",
            highlight=False,
            markup=False,
        )
    out.print("Next: monitio signals   or   monitio brief", highlight=False)


@app.command()
def stats(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of posts, quarantined rows, signals, markets and languages in the workspace."""
    from monitio.services.data import stats as workspace_stats
    from monitio.workspace import open_workspace

    with user_errors():
        values = workspace_stats(open_workspace(workspace))
    if as_json:
        print_json(values)
        return
    for key, value in values.items():
        out.print(f"{key:>14}: {value}", highlight=False)


@app.command()
def quarantine(
    workspace: WorkspaceOpt = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many (paging).")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Show quarantined rows: where each came from (file and row), why it was refused, and the raw row."""
    from monitio.services.data import list_quarantine
    from monitio.workspace import open_workspace

    with user_errors():
        items = list_quarantine(open_workspace(workspace), limit=limit, offset=offset)
    if as_json:
        print_json([{k: q[k] for k in ("source", "locator", "reason", "raw")} for q in items])
        return
    if not items:
        out.print("The quarantine is empty.")
    for q in items:
        out.print(f"#{q['id']} {q['source']} {q['locator']}: {q['reason']}", highlight=False, markup=False)
        raw = q["raw"] or ""
        shown = raw if len(raw) <= 600 else raw[:600] + f" ... ({len(raw)} characters)"
        out.print(wrap("raw: " + shown, indent=4), highlight=False, markup=False, soft_wrap=True)


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
    scheduler: Annotated[
        bool, typer.Option(help="Send scheduled briefs and due alert deliveries every minute while serving.")
    ] = True,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (more use more cores; see docs/benchmarks.md).")
    ] = 1,
) -> None:
    """Run the REST API (/api/v1, OpenAPI at /openapi.json) and the web dashboard (/)."""
    import os

    import uvicorn

    from monitio.api.app import create_app
    from monitio.api.security import server_options
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)  # checks and migrates once, before any worker starts
        application = create_app(ws, cookie_secure=not insecure_cookies)
    err.print(f"Monitio on http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)", highlight=False)
    if scheduler:  # one ticker in this process, also with --workers (outbox keys keep sends single)
        from monitio.services.ticker import start_ticker

        start_ticker(ws, interval=60.0)
    options = {"host": host, "port": port, "log_level": "warning", **server_options(ws.settings)}
    if workers > 1:  # each process builds its own app (and engine) from the environment
        os.environ["MONITIO_WORKSPACE"] = str(ws.path)
        os.environ["MONITIO_COOKIE_SECURE"] = "false" if insecure_cookies else "true"
        ws.engine.dispose()
        uvicorn.run("monitio.api.app:app_from_env", factory=True, workers=workers, **options)
    else:
        uvicorn.run(application, **options)


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


def main() -> None:
    """The `monitio` executable: like `app()`, but a usage mistake is one line and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        err.print("aborted", highlight=False)
        sys.exit(1)
    except typer.TyperException as exc:  # click's usage errors (unknown option, missing argument, ...)
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "monitio"
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        err.print(f"error: {message} (see: {where} --help)", highlight=False, markup=False, soft_wrap=True)
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
