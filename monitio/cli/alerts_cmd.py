"""`monitio alerts`: channels, rules and deliveries from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, user_errors

app = typer.Typer(
    rich_markup_mode=None,
    help="Alert channels (Slack, Lark, Teams, webhook, e-mail), rules, and deliveries.",
    no_args_is_help=True,
)


@app.command("channel-add")
def channel_add(
    name: str,
    kind: Annotated[str, typer.Option(help="slack, lark, teams, webhook or email.")],
    url: Annotated[str | None, typer.Option(help="Incoming-webhook URL (not for email).")] = None,
    secret: Annotated[str | None, typer.Option(help="HMAC secret for signed webhooks.")] = None,
    to: Annotated[list[str] | None, typer.Option(help="E-mail recipient (repeat for several).")] = None,
    smtp_host: Annotated[str, typer.Option(help="SMTP server for email channels.")] = "127.0.0.1",
    smtp_port: Annotated[int, typer.Option(help="SMTP port.")] = 25,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a channel.

    Example: monitio alerts channel-add policy-slack --kind slack --url https://hooks.slack.com/...
    """
    from monitio.cli.common import err
    from monitio.services.alerts import add_channel, channel_warning
    from monitio.workspace import open_workspace

    config: dict = {"url": url} if kind != "email" else {"to": to or [], "host": smtp_host, "port": smtp_port}
    if secret:
        config["secret"] = secret
    with user_errors():
        ws = open_workspace(workspace)
        cid = add_channel(ws, None, name, kind, config)
        warning = channel_warning(ws, kind, config)
    out.print(f"channel {cid} ({kind}) added", highlight=False)
    if warning:
        err.print(
            f"warning: {warning} (add it to outbound_allow in monitio.toml or MONITIO_OUTBOUND_ALLOW)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@app.command("rule-add")
def rule_add(
    name: str,
    channel: Annotated[list[str], typer.Option(help="Channel name (repeat for several).")],
    category: Annotated[list[str] | None, typer.Option(help="Only these categories.")] = None,
    market: Annotated[list[str] | None, typer.Option(help="Only these markets.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Only these signal kinds (spike, campaign, ...).")] = None,
    min_severity: Annotated[int, typer.Option(help="Lowest severity that alerts.")] = 6,
    query: Annotated[str | None, typer.Option(help="Query the signal's why or evidence must match.")] = None,
    cooldown_minutes: Annotated[int, typer.Option(help="Quiet time per series unless severity rises.")] = 360,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a rule.

    Example: monitio alerts rule-add scams-id --channel policy-slack --category scam_ads --market ID
    """
    from monitio.services.alerts import RuleSpec, add_rule
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        rid = add_rule(
            ws,
            None,
            RuleSpec(
                name,
                channel_names=list(channel),
                kinds=kind or [],
                categories=category or [],
                markets=market or [],
                min_severity=min_severity,
                query=query,
                cooldown_minutes=cooldown_minutes,
            ),
        )
    out.print(f"rule {rid} added", highlight=False)


@app.command("list")
def list_all(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Channels, rules, the outbox by status, and each failed or dead delivery with its reason."""
    from monitio.services.alerts import failed_deliveries, list_channels, list_rules, outbox_counts
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        chans = list_channels(ws, None)
        rules = list_rules(ws, None)
        box = outbox_counts(ws)
        failed = failed_deliveries(ws)
    if as_json:
        print_json(
            {
                "channels": chans,
                "rules": rules,
                "outbox": box,
                "failed": failed,
            }
        )
        return
    for c in chans:
        out.print(
            f"channel {c['id']}: {c['name']} ({c['kind']}){'' if c['enabled'] else ' disabled'}",
            highlight=False,
        )
    for r in rules:
        out.print(
            f"rule {r['id']}: {r['name']} sev>={r['min_severity']} -> channels {r['channel_ids']}",
            highlight=False,
        )
    out.print(f"outbox: {box or 'empty'}", highlight=False)
    for f in failed:
        out.print(
            f"{f['status']} delivery {f['id']}: signal {f['signal_id']} -> {f['channel'] or 'deleted channel'} "
            f"after {f['attempts']} attempt(s): {f['reason']}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@app.command("deliver")
def deliver(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Queue alerts for open signals and deliver everything due now (also part of `monitio run`)."""
    from monitio.alerts.run import alert_step
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        counts = alert_step(ws)
    if as_json:
        print_json(counts)
    else:
        out.print(", ".join(f"{k} {v}" for k, v in counts.items()), highlight=False)
