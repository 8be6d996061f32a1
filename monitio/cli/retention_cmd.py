"""`monitio retention apply`: drop the text of old posts, keep rollups and evidence."""

from __future__ import annotations

from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, progress, user_errors

app = typer.Typer(
    help="Retention: drop the raw text of old posts (setting retention_days); counts and evidence stay.",
    no_args_is_help=True,
)


@app.command("apply")
def apply(
    workspace: WorkspaceOpt = None,
    days: Annotated[
        int | None, typer.Option(help="Posts published more than this many days ago (default: retention_days).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be dropped; write nothing.")] = False,
    batch_size: Annotated[int, typer.Option(help="Posts per transaction.", min=1)] = 5000,
    as_json: JsonOpt = False,
) -> None:
    """Empty the text, raw payload and search-index row of posts older than the retention period.

    Rollups, categories, market, language, sentiment, engagement and author stay, so counts and
    series do not change; posts that are evidence of a signal, linked to a case or labelled are kept
    whole. Works in batches; safe to stop and run again. `monitio run` applies it when retention_days
    is set.

    Example: monitio retention apply --days 180 --dry-run --json
    """
    from monitio.services.retention import apply_retention
    from monitio.workspace import open_workspace

    with user_errors(), progress() as bar:
        ws = open_workspace(workspace)
        task = bar.add_task("Dropping old text", total=None)
        report = apply_retention(
            ws,
            days=days,
            dry_run=dry_run,
            batch_size=batch_size,
            on_progress=lambda done, due: bar.update(task, completed=done, total=due),
        )
    if as_json:
        print_json(report.as_json())
        return
    verb = "would drop" if report.dry_run else "dropped"
    out.print(
        f"{verb} the text of {report.dropped} posts published before {report.cutoff} ({report.kept} kept as evidence)",
        highlight=False,
        markup=False,
    )
