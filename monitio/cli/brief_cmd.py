"""`monitio brief` (make a brief for a period and scope) and `monitio briefs list` (the kept ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, user_errors

briefs_app = typer.Typer(help="Kept briefs: `monitio briefs list`.", no_args_is_help=True)


def brief(
    workspace: WorkspaceOpt = None,
    period: Annotated[
        str | None,
        typer.Option(help="The last complete day, week (Mon-Sun) or month in the workspace zone: day|week|month."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Start day (YYYY-MM-DD, workspace zone), instead of --period.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last day included (YYYY-MM-DD), instead of --period.")] = None,
    market: Annotated[list[str] | None, typer.Option(help="Only these markets (repeat the option).")] = None,
    category: Annotated[list[str] | None, typer.Option(help="Only these category ids (repeat the option).")] = None,
    team: Annotated[str | None, typer.Option(help="Only the categories this owner team owns, e.g. Policy.")] = None,
    saved_search: Annotated[str | None, typer.Option(help="Only posts matching this saved search.")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: md,html,xlsx,pdf.")] = "md,html,xlsx",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the files (default: WORKSPACE/briefs).")
    ] = None,
    top: Annotated[int, typer.Option(help="How many signals the brief covers.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Write a risk brief for a period and scope, compared with the period before it.

    Without --period or --since/--until the brief covers the 30 days up to now. Files are named by
    period and scope (e.g. briefs/2026-W49-ID.pdf) and kept; `monitio briefs list` shows them.

    Example: monitio brief --period week --market ID --format pdf,xlsx
    """
    from monitio.services.briefs import make_brief
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        rec = make_brief(
            ws,
            period=period,
            since=since,
            until=until,
            markets=market or [],
            categories=category or [],
            team=team,
            saved_search=saved_search,
            formats=formats,
            top=top,
            out_dir=out_dir,
        )
    if as_json:
        print_json({"id": rec.id, "files": rec.files, "since": rec.since.isoformat(), "until": rec.until.isoformat()})
        return
    out.print(f"brief {rec.stem}: {rec.since:%Y-%m-%d %H:%M} to {rec.until:%Y-%m-%d %H:%M} UTC", highlight=False)
    for fmt, path in rec.files.items():
        out.print(f"{fmt:>8}: {path}", highlight=False)


@briefs_app.command("list")
def list_cmd(
    workspace: WorkspaceOpt = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """The kept briefs, newest first, with their period, scope and formats."""
    from monitio.services.briefs import list_briefs
    from monitio.workspace import open_workspace

    with user_errors():
        items = list_briefs(open_workspace(workspace), limit=limit)
    if as_json:
        print_json([r.to_json() for r in items])
        return
    if not items:
        out.print("No briefs yet: make one with `monitio brief --period week`.", highlight=False)
        return
    for r in items:
        scope = r.scope
        where = ", ".join(scope.get("markets") or []) or "all markets"
        cats = ", ".join(scope.get("categories") or []) or (f"team {scope['team']}" if scope.get("team") else "all")
        out.print(
            f"{r.id:>4}  {r.stem:<28} {r.since:%Y-%m-%d} to {r.until:%Y-%m-%d}  {where} · {cats}  "
            f"[{', '.join(sorted(r.files))}]  by {r.created_by}",
            highlight=False,
        )
