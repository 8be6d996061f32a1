"""`monitio users` and `monitio tokens`: people, roles and API tokens from the command line."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, err, out, print_json, user_errors

users_app = typer.Typer(
    rich_markup_mode=None,
    help="Add, list, change and disable users (roles: admin, analyst, stakeholder, service).",
    no_args_is_help=True,
)
tokens_app = typer.Typer(
    rich_markup_mode=None, help="Create, list and revoke API tokens (shown once, stored hashed).", no_args_is_help=True
)


def _password() -> str:
    if os.environ.get("MONITIO_PASSWORD"):
        return os.environ["MONITIO_PASSWORD"]
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != first:
            raise typer.BadParameter("the passwords differ")
        return first
    return (sys.stdin.readline() if sys.stdin else "").rstrip("\n")


@users_app.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="The user's e-mail address (their login).")],
    role: Annotated[str, typer.Option(help="admin, analyst, stakeholder or service.")] = "analyst",
    team: Annotated[str | None, typer.Option(help="Team, e.g. Policy, Product, Ads Ops, Legal, Comms.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a user. The password comes from MONITIO_PASSWORD or standard input (service users need none).

    Example: MONITIO_PASSWORD='long secret' monitio users add ana@example.org --role analyst --team Policy
    """
    from monitio.services.people import add_user
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        password = _password() if role != "service" else None  # service accounts use tokens only
        user = add_user(ws, None, email, role, password, team=team, name=name)
    out.print(f"added {user.email} ({user.role}{', ' + user.team if user.team else ''})", highlight=False)


@users_app.command("list")
def users_list(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """List users with their role, team and whether they are disabled."""
    from monitio.services.people import list_users
    from monitio.workspace import open_workspace

    with user_errors():
        people = list_users(open_workspace(workspace), None)
    if as_json:
        print_json([u.public() for u in people])
        return
    for u in people:
        state = " (disabled)" if u.disabled else ""
        out.print(f"{u.id:>4}  {u.email:<36} {u.role:<12} {u.team or '-'}{state}", highlight=False)


def _change(email: str, workspace, **changes) -> None:
    from monitio.services.people import update_user, user_by_email
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        update_user(ws, None, user_by_email(ws, email).id, **changes)


@users_app.command("disable")
def users_disable(email: str, workspace: WorkspaceOpt = None) -> None:
    """Disable a user: they can no longer log in, and their sessions and tokens stop working."""
    _change(email, workspace, disabled=True)
    out.print(f"disabled {email}", highlight=False)


@users_app.command("enable")
def users_enable(email: str, workspace: WorkspaceOpt = None) -> None:
    """Enable a disabled user again."""
    _change(email, workspace, disabled=False)
    out.print(f"enabled {email}", highlight=False)


@users_app.command("set-role")
def users_set_role(email: str, role: str, workspace: WorkspaceOpt = None) -> None:
    """Change a user's role."""
    _change(email, workspace, role=role)
    out.print(f"{email} is now {role}", highlight=False)


@tokens_app.command("create")
def tokens_create(
    email: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    days: Annotated[
        int, typer.Option(help="Days until it expires (0: never, only where token_max_days allows it for the role).")
    ] = 90,
    workspace: WorkspaceOpt = None,
) -> None:
    """Create an API token and print it once. Use it as `Authorization: Bearer TOKEN`."""
    from monitio.services.people import create_token_for
    from monitio.workspace import open_workspace

    with user_errors():
        token = create_token_for(open_workspace(workspace), email, name, days=days or None)
    sys.stdout.write(token + "\n")
    err.print("This token is shown once; store it in a secret manager.", highlight=False)


@tokens_app.command("list")
def tokens_list(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """List tokens (never the tokens themselves: only their prefix)."""
    from monitio.services.people import list_tokens
    from monitio.workspace import open_workspace

    with user_errors():
        items = list_tokens(open_workspace(workspace), None)
    if as_json:
        print_json(items)
        return
    for t in items:
        state = "revoked" if t["revoked"] else f"expires {t['expires_at']:%Y-%m-%d}" if t["expires_at"] else "no expiry"
        out.print(f"{t['id']:>4}  {t['prefix']}…  {t['user']:<32} {t['name']:<16} {state}", highlight=False)


@tokens_app.command("revoke")
def tokens_revoke(token_id: int, workspace: WorkspaceOpt = None) -> None:
    """Revoke a token by its id (see `monitio tokens list`)."""
    from monitio.services.people import revoke_token
    from monitio.workspace import open_workspace

    with user_errors():
        revoke_token(open_workspace(workspace), None, token_id)
    out.print(f"revoked token {token_id}", highlight=False)
