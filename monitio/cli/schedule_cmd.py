"""`monitio schedule`: briefs that go out on their own (add, list, disable, enable, run now, remove)."""

from __future__ import annotations

from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, user_errors

app = typer.Typer(
    help="Scheduled briefs: made and sent by `monitio run` (and --watch) and `monitio serve` when due.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A name for the schedule, e.g. weekly-id.")],
    cron: Annotated[str, typer.Option(help='When, as a cron expression, e.g. "0 9 * * MON".')],
    workspace: WorkspaceOpt = None,
    tz: Annotated[str | None, typer.Option(help="Time zone of the cron and the period (default: workspace).")] = None,
    period: Annotated[str, typer.Option(help="The last complete day, week or month before each run.")] = "week",
    market: Annotated[list[str] | None, typer.Option(help="Only these markets (repeat).")] = None,
    category: Annotated[list[str] | None, typer.Option(help="Only these categories (repeat).")] = None,
    team: Annotated[str | None, typer.Option(help="Only the categories this owner team owns.")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: md,html,xlsx,pdf.")] = "pdf,xlsx",
    email: Annotated[list[str] | None, typer.Option(help="E-mail the brief to this address (repeat).")] = None,
    channel: Annotated[list[str] | None, typer.Option(help="Post the summary to this alert channel (repeat).")] = None,
    replace: Annotated[bool, typer.Option(help="Change the schedule of this name if it exists.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Make a brief on a schedule and send it by e-mail (summary inline, files attached) or to channels.

    Each period is sent once; a run missed while Monitio was down is sent once when it next runs;
    changing a schedule never resends old periods. E-mail goes through the workspace's e-mail channel.

    Example: monitio schedule add weekly-id --cron "0 9 * * MON" --tz Asia/Jakarta --period week
    --market ID --format pdf,xlsx --email policy-id@example.org --channel policy-slack
    """
    from monitio.services.schedules import save_schedule
    from monitio.workspace import open_workspace

    with user_errors():
        s = save_schedule(
            open_workspace(workspace), name, cron=cron, tz=tz, period=period, markets=market or [],
            categories=category or [], team=team, formats=formats, emails=email or [], channel_names=channel or [],
            replace=replace,
        )  # fmt: skip
    if as_json:
        print_json(s.to_json())
        return
    out.print(f"schedule {s.name}: next run {s.to_json()['next_run']}", highlight=False, markup=False)


@app.command("list")
def list_cmd(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Every schedule with its next run, period, scope and targets."""
    from monitio.services.schedules import channel_names, list_schedules
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        items = [s.to_json(channel_names(ws)) for s in list_schedules(ws)]
    if as_json:
        print_json(items)
        return
    if not items:
        out.print('No schedules: add one with `monitio schedule add weekly --cron "0 9 * * MON" --email ...`.')
        return
    for s in items:
        state = f"next {s['next_run'][:16]}" if s["enabled"] else "disabled"
        scope = ", ".join(s["scope"].get("markets") or []) or "all markets"
        to = ", ".join([*s["emails"], *s["channels"]])
        out.print(
            f"{s['name']:<18} {s['cron']:<14} {s['tz']:<16} {s['period']:<6} {scope:<12} "
            f"[{', '.join(s['formats'])}] -> {to}  ({state})",
            highlight=False,
            markup=False,
        )


@app.command("disable")
def disable(name: str, workspace: WorkspaceOpt = None) -> None:
    """Stop a schedule (it keeps its settings)."""
    from monitio.services.schedules import set_enabled
    from monitio.workspace import open_workspace

    with user_errors():
        set_enabled(open_workspace(workspace), name, False)
    out.print(f"schedule {name} disabled", highlight=False, markup=False)


@app.command("enable")
def enable(name: str, workspace: WorkspaceOpt = None) -> None:
    """Start a schedule again (periods missed while it was disabled are not sent)."""
    from monitio.services.schedules import set_enabled
    from monitio.workspace import open_workspace

    with user_errors():
        set_enabled(open_workspace(workspace), name, True)
    out.print(f"schedule {name} enabled", highlight=False, markup=False)


@app.command("remove")
def remove(name: str, workspace: WorkspaceOpt = None) -> None:
    """Delete a schedule (briefs already sent stay in the delivery log)."""
    from monitio.services.schedules import remove_schedule
    from monitio.workspace import open_workspace

    with user_errors():
        remove_schedule(open_workspace(workspace), name)
    out.print(f"schedule {name} removed", highlight=False, markup=False)


@app.command("run")
def run_now(name: str, workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Make the schedule's brief now (the last complete period) and send it, then deliver what is due."""
    from datetime import UTC, datetime

    from monitio.alerts.outbox import deliver_due
    from monitio.services.schedules import get_schedule, run_schedule
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        queued = run_schedule(ws, get_schedule(ws, name), fire_at=datetime.now(UTC), force=True)
        counts = deliver_due(ws.engine, allow=ws.settings.outbound_allow)
    if as_json:
        print_json({"queued": queued, **counts})
        return
    out.print(f"queued {queued}; delivered {counts.get('delivered', 0)}, retrying {counts.get('retry', 0)}, "
              f"failed {counts.get('dead', 0)}", highlight=False)  # fmt: skip
