"""`monitio alerts`: channels, rules and deliveries from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, user_errors

app = typer.Typer(
    help="Alert channels (Slack, Lark, Teams, webhook, e-mail), rules, and deliveries.", no_args_is_help=True
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
    from monitio.alerts.config import add_channel, target_warning
    from monitio.cli.common import err
    from monitio.workspace import open_workspace

    config: dict = {"url": url} if kind != "email" else {"to": to or [], "host": smtp_host, "port": smtp_port}
    if secret:
        config["secret"] = secret
    with user_errors():
        ws = open_workspace(workspace)
        with ws.engine.begin() as conn:
            cid = add_channel(conn, name, kind, config, actor="cli")
        warning = target_warning(kind, config, ws.settings.outbound_allow)
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
    from sqlalchemy import select

    from monitio.alerts.config import AlertConfigError, add_rule
    from monitio.store.schema_alerts import channels
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        with ws.engine.begin() as conn:
            ids = dict(conn.execute(select(channels.c.name, channels.c.id)).all())
            missing = [c for c in channel if c not in ids]
            if missing:
                raise AlertConfigError(f"no channel named {', '.join(missing)}; see: monitio alerts list")
            rid = add_rule(
                conn,
                name,
                channel_ids=[ids[c] for c in channel],
                kinds=kind or [],
                categories=category or [],
                markets=[m.upper() for m in market or []],
                min_severity=min_severity,
                query=query,
                cooldown_minutes=cooldown_minutes,
                actor="cli",
            )
    out.print(f"rule {rid} added", highlight=False)


@app.command("list")
def list_all(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Channels, rules, the outbox by status, and each failed or dead delivery with its reason."""
    from sqlalchemy import func, select

    from monitio.alerts.config import failed_deliveries, list_channels, load_rules
    from monitio.store.schema_alerts import outbox
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        with ws.engine.connect() as conn:
            chans = list_channels(conn)
            rules = [r.__dict__ | {"_compiled": None} for r in load_rules(conn)]
            box = dict(conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status)).all())
            failed = failed_deliveries(conn)
    if as_json:
        print_json(
            {
                "channels": chans,
                "rules": [{k: v for k, v in r.items() if k != "_compiled"} for r in rules],
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
