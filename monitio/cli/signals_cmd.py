"""`monitio signals` (the inbox), `monitio signal ID` (one signal, and acting on it) and
`monitio narratives`: readable at 80 columns, `--json` for scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, parse_since, print_json, user_errors, wrap

AsOpt = Annotated[
    str | None,
    typer.Option("--as", envvar="MONITIO_USER", help="Act as this user (e-mail); needed to open cases."),
]


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


def signals(
    workspace: WorkspaceOpt = None,
    status: Annotated[str, typer.Option(help="open, closed, dismissed or all.")] = "open",
    market: Annotated[str | None, typer.Option(help="Only signals in this market, e.g. ID.")] = None,
    category: Annotated[str | None, typer.Option(help="Only signals of this risk category, e.g. scam_ads.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: spike, campaign, emerging_narrative, ...")] = None,
    min_severity: Annotated[int, typer.Option(help="Lowest severity shown (1-10).")] = 1,
    since: Annotated[str | None, typer.Option(help="Seen since: YYYY-MM-DD, or an age like 24h, 7d.")] = None,
    sort: Annotated[str, typer.Option(help="severity, score, first_seen or last_seen.")] = "severity",
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many (paging).")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """List signals (open ones by default), most severe first: ID, severity, kind, markets, categories,
    last seen, and the why on its own line. See one with `monitio signal ID`."""
    from monitio.services.signals import SignalQuery, list_signals
    from monitio.workspace import open_workspace

    with user_errors():
        query = SignalQuery(
            status=None if status == "all" else status,
            kind=kind,
            category=category,
            market=market,
            min_severity=min_severity,
            since=parse_since(since) if since else None,
            sort=sort,
        )
        page = list_signals(open_workspace(workspace), query, limit=limit, offset=offset)
    if as_json:
        print_json(page.items)
        return
    if not page.items:
        out.print("No signals match. Run `monitio run` after ingesting posts, or widen the filters.", highlight=False)
        return
    for s in page.items:
        head = (
            f"#{s['id']:<5} sev {s['severity']:>2}  {s['kind']:<19} {','.join(s['markets']) or '-':<10} "
            f"{','.join(s['categories']) or '-'}  {_when(s['last_seen'])}"
        )
        out.print(head, highlight=False, markup=False, soft_wrap=True)
        out.print(wrap(s["why"], indent=7), highlight=False, markup=False, soft_wrap=True)
    shown = f"{offset + 1}-{offset + len(page.items)} of {page.total}"
    more = f"; next page: --offset {offset + limit}" if offset + len(page.items) < page.total else ""
    out.print(f"\n{shown} signals{more}. Details: monitio signal ID", highlight=False, markup=False)


def signal(
    signal_id: Annotated[int, typer.Argument(help="The signal's ID (first column of `monitio signals`).")],
    workspace: WorkspaceOpt = None,
    do: Annotated[
        str | None,
        typer.Option("--do", help="Act on it: acknowledge, dismiss (needs --reason), close, reopen, escalate."),
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why you dismiss it (kept with the signal).")] = None,
    as_user: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one signal: why, figures, evidence posts, extracted indicators (phones, handles, links,
    wallets) and its cases; with --do, act on it (recorded in the audit log)."""
    from monitio.services.people import user_by_email
    from monitio.services.signals import act, get_signal
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        if do:
            actor = user_by_email(ws, as_user) if as_user else None
            done = act(ws, signal_id, do, actor=actor, reason=reason)
            if as_json:
                print_json(done.__dict__)
                return
            case = f"; case #{done.case_id}" if done.case_id else ""
            out.print(f"signal {signal_id}: {do} done, status {done.status}{case}", highlight=False)
            return
        found = get_signal(ws, signal_id)
    if as_json:
        print_json({**found.signal, "indicators": found.indicators, "cases": found.cases})
        return
    _show(found)


def _show(found) -> None:
    s = found.signal
    say = lambda text="": out.print(text, highlight=False, markup=False, soft_wrap=True)  # noqa: E731
    say(f"Signal #{s['id']}  {s['kind']}  severity {s['severity']}  status {s['status']}")
    say(wrap(s["why"], indent=2))
    say(
        f"  score {s['score']}  confidence {s['confidence']}  observed {s['observed']:g} vs "
        f"{s['expected']:g} expected  persistence {s['persistence_hours']} h"
    )
    say(f"  markets {', '.join(s['markets']) or '-'}  categories {', '.join(s['categories']) or '-'}")
    say(f"  languages {', '.join(s['langs']) or '-'}")
    say(f"  first seen {_when(s['first_seen'])}  last seen {_when(s['last_seen'])} UTC")
    details = s.get("details") or {}
    if details.get("acknowledged"):
        say(f"  acknowledged by {details['acknowledged']['by']}")
    if details.get("dismissed"):
        say(f"  dismissed by {details['dismissed']['by']}: {details['dismissed']['reason']}")
    say("Cases: " + (", ".join(f"#{c}" for c in found.cases) if found.cases else "none (open one: --do escalate)"))
    if found.indicators:
        say("Indicators:")
        for kind, values in found.indicators.items():
            say(wrap(f"{kind}: {', '.join(values)}", indent=2))
    else:
        say("Indicators: none found in the evidence")
    say(f"Evidence ({len(s['evidence'])} posts):")
    for p in s["evidence"]:
        where = " ".join(x for x in (p.get("market"), p.get("lang")) if x)
        say(f"  {_when(p['published_at'])}  {where}  {p['source']}/{p['source_id']}  post {p['post_id']}")
        say(wrap(p["text"], indent=4))
        if p.get("url"):
            say(f"    {p['url']}")


def narratives(
    workspace: WorkspaceOpt = None,
    category: Annotated[str | None, typer.Option(help="Only narratives of this risk category.")] = None,
    market: Annotated[str | None, typer.Option(help="Only narratives seen in this market.")] = None,
    sort: Annotated[str, typer.Option(help="growth, size, last_seen or recent.")] = "growth",
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 30,
    offset: Annotated[int, typer.Option(help="Skip this many (paging).")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """List narratives (groups of related risk posts), fastest-growing first. Open a case from one with
    `monitio cases from-narrative ID --as EMAIL`."""
    from monitio.services.narratives import NarrativeQuery, list_page
    from monitio.workspace import open_workspace

    with user_errors():
        page = list_page(
            open_workspace(workspace),
            NarrativeQuery(category=category, market=market, sort=sort),
            limit=limit,
            offset=offset,
        )
    if as_json:
        print_json({"items": page.items, "total": page.total})
        return
    if not page.items:
        out.print("No narratives match. `monitio run` groups new risk posts into narratives.", highlight=False)
        return
    for n in page.items:
        out.print(
            f"#{n['id']:<6} {n['size']:>6} posts  growth {n['growth']:>5}  {','.join(n['markets'][:4]) or '-'}  "
            f"{','.join(n['categories'][:3]) or '-'}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        out.print(wrap(n["label"], indent=8), highlight=False, markup=False, soft_wrap=True)
    out.print(f"\n{offset + 1}-{offset + len(page.items)} of {page.total} narratives", highlight=False)
