"""`monitio cases`: list and show cases, open one from signals or a narrative."""

from __future__ import annotations

from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, user_errors, wrap
from monitio.cli.signals_cmd import AsOpt

app = typer.Typer(
    rich_markup_mode=None, help="Cases: list, show, and open one from signals or a narrative.", no_args_is_help=True
)


def _actor(ws, as_user: str | None):
    from monitio.errors import Invalid
    from monitio.services.people import user_by_email

    if not as_user:
        raise Invalid("opening a case needs a user", hint="pass --as EMAIL or set MONITIO_USER")
    return user_by_email(ws, as_user)


@app.command("list")
def list_(
    workspace: WorkspaceOpt = None,
    status: Annotated[str | None, typer.Option(help="Only this status (new, triaging, ...).")] = None,
    team: Annotated[str | None, typer.Option(help="Only this owner team.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only open cases.")] = False,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Cases, most severe and most urgent first."""
    from monitio.services.cases import CaseFilter, list_cases
    from monitio.workspace import open_workspace

    with user_errors():
        page = list_cases(
            open_workspace(workspace), None, CaseFilter(status=status, team=team, open_only=open_only), limit=limit
        )
    if as_json:
        print_json({"items": page.items, "total": page.total})
        return
    if not page.items:
        out.print("No cases. Open one with: monitio cases from-signal ID --as EMAIL", highlight=False)
    for c in page.items:
        late = "  SLA BREACHED" if c["sla_breached"] else ""
        out.print(
            f"#{c['id']:<5} sev {c['severity']:>2}  {c['status']:<13} {c['owner_team']}{late}",
            highlight=False,
            markup=False,
        )
        out.print(wrap(c["title"], indent=7), highlight=False, markup=False, soft_wrap=True)


@app.command("show")
def show(
    case_id: Annotated[int, typer.Argument(help="The case's ID.")],
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One case with its links and comments."""
    from monitio.services.cases import get_case, list_comments
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        c = get_case(ws, None, case_id)
        comments = list_comments(ws, None, case_id)
    if as_json:
        print_json({**c, "comments": comments})
        return
    say = lambda text="": out.print(text, highlight=False, markup=False, soft_wrap=True)  # noqa: E731
    say(f"Case #{c['id']}  {c['status']}  severity {c['severity']}  owner {c['owner_team']}")
    say(wrap(c["title"], indent=2))
    say(f"  SLA due {c['sla_due_at'][:16].replace('T', ' ')} UTC{'  (breached)' if c['sla_breached'] else ''}")
    if c["description"]:
        say(wrap(c["description"], indent=2))
    say("Links: " + (", ".join(f"{lk['kind']} {lk['ref_id']}" for lk in c["links"]) or "none"))
    for m in comments:
        say(f"  {m['created_at'][:16].replace('T', ' ')} {m['author']}:")
        say(wrap(m["body"], indent=4))


@app.command("from-signal")
def from_signal(
    signal_ids: Annotated[list[int], typer.Argument(help="One or more signal IDs (one case; the rest merged in).")],
    workspace: WorkspaceOpt = None,
    as_user: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open one case from one or more signals; owner team from the category, evidence linked."""
    from monitio.services.cases import case_from_signals
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        case_id = case_from_signals(ws, signal_ids, actor=_actor(ws, as_user))
    print_json({"case_id": case_id}) if as_json else out.print(f"case {case_id} opened", highlight=False)


@app.command("from-narrative")
def from_narrative(
    narrative_id: Annotated[int, typer.Argument(help="The narrative's ID (see `monitio narratives`).")],
    workspace: WorkspaceOpt = None,
    title: Annotated[str | None, typer.Option(help="Case title (default: 'Narrative: <label>').")] = None,
    as_user: AsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open a case from a narrative: owner team and severity from its categories, example posts linked."""
    from monitio.services.cases import case_from_narrative
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        case_id = case_from_narrative(ws, narrative_id, actor=_actor(ws, as_user), title=title)
    print_json({"case_id": case_id}) if as_json else out.print(f"case {case_id} opened", highlight=False)
