"""`monitio search QUERY` and `monitio searches add|list|remove`: a thin face over
`monitio.services.search` (indexed, exact totals, keyset cursor, facets) and saved searches."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, err, out, print_json, user_errors
from monitio.errors import MonitioError


def _fail(exc: MonitioError) -> typer.Exit:
    err.print(f"error: {exc.one_line()}", highlight=False, markup=False, soft_wrap=True)
    return typer.Exit(2)


def _print_table(page: Any, query: str) -> None:
    from rich.table import Table

    from monitio.reports.safe import one_line

    shown = len(page.items)
    table = Table(title=f"{shown} of {page.total:,} posts matching {query}", title_justify="left")
    for name in ("id", "published", "source", "market", "lang", "sent.", "text", "matched"):
        table.add_column(name, overflow="fold")
    for h in page.items:
        r = h.row
        table.add_row(
            str(r.id),
            r.published_at.isoformat()[:16].replace("T", " "),
            r.source,
            r.market or r.market_hint or "",
            r.lang or r.lang_hint or "",
            f"{r.sentiment or 0:+.2f}",
            one_line(r.text, 140),
            ", ".join(h.matched),
        )
    out.print(table, highlight=False, markup=False)
    if page.next_cursor:
        out.print(f"more: --cursor {page.next_cursor}", highlight=False, markup=False)


def search(
    query: Annotated[str, typer.Argument(help="Boolean query, e.g. '(scam* OR \"fake refund\") lang:id -giveaway'.")],
    workspace: WorkspaceOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="Posts per page.")] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor", help="Continue after a page (its next_cursor).")] = None,
    as_json: JsonOpt = False,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Also write every match (not just this page) to .csv or .xlsx.", dir_okay=False),
    ] = None,
) -> None:
    """Search stored posts with the Boolean query language (AND OR NOT, "phrases", NEAR/n, fields).

    The total is exact over the whole workspace; `--json` prints {"total", "items", "next_cursor", "facets"}.
    """
    from monitio.query import Budget
    from monitio.services import search as svc
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        try:
            budget = Budget(ws.settings.search_timeout_seconds)
            page = svc.search(ws.engine, query, limit=limit, cursor=cursor, budget=budget)
            written = _export(ws.engine, query, export) if export is not None else None
        except MonitioError as exc:
            raise _fail(exc) from None
    if as_json:
        print_json(svc.page_json(page))
    else:
        _print_table(page, query)
    if written is not None:
        err.print(f"wrote {written:,} rows to {export}", highlight=False, markup=False)


def _export(engine, query: str, path: Path) -> int:
    from monitio.services import search as svc
    from monitio.services.search_export import write_csv, write_xlsx

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        from monitio.errors import Invalid

        raise Invalid(f"cannot export to {path.name!r}", hint="name the file .csv or .xlsx")
    tmp = path.with_name(path.name + ".part")
    hits = svc.iter_matches(engine, query)
    n = write_csv(hits, tmp) if suffix == ".csv" else write_xlsx(hits, tmp, query)
    os.replace(tmp, path)
    return n


# --- saved searches ------------------------------------------------------------------------------

searches_app = typer.Typer(
    help="Saved searches: named queries for the dashboard, alert rules and briefs.", no_args_is_help=True
)


def _owner() -> str:
    return os.environ.get("MONITIO_USER") or os.environ.get("USER") or "cli"


@searches_app.command("add")
def searches_add(
    name: Annotated[str, typer.Argument(help="A short unique name, e.g. id-scams.")],
    query: Annotated[str, typer.Argument(help="The query to save.")],
    workspace: WorkspaceOpt = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Who owns it (default: $MONITIO_USER or $USER).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Save a query under a name."""
    from monitio.services import saved_searches as saved
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        try:
            s = saved.add(ws.engine, name, query, owner or _owner())
        except MonitioError as exc:
            raise _fail(exc) from None
    if as_json:
        print_json(s.as_json())
    else:
        out.print(f"saved {s.name!r}: {s.query}", highlight=False, markup=False)


@searches_app.command("list")
def searches_list(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """List saved searches."""
    from monitio.services import saved_searches as saved
    from monitio.workspace import open_workspace

    with user_errors():
        items = saved.list_saved(open_workspace(workspace).engine)
    if as_json:
        print_json([s.as_json() for s in items])
        return
    for s in items:
        out.print(f"{s.name}\t{s.query}\t{s.owner}\t{s.created_at:%Y-%m-%d}", highlight=False, markup=False)


@searches_app.command("remove")
def searches_remove(name: Annotated[str, typer.Argument()], workspace: WorkspaceOpt = None) -> None:
    """Remove a saved search."""
    from monitio.services import saved_searches as saved
    from monitio.workspace import open_workspace

    with user_errors():
        try:
            saved.remove(open_workspace(workspace).engine, name)
        except MonitioError as exc:
            raise _fail(exc) from None
    out.print(f"removed {name!r}", highlight=False, markup=False)


def search_posts(engine, query, limit: int | None = None):
    """(Doc, matched terms) for every match, newest first (at most `limit`): the service, for callers
    that work on `Doc`s. `query` is text or a `CompiledQuery`."""
    from monitio.services import search as svc
    from monitio.store.repo import doc_from_row

    text = query if isinstance(query, str) else query.text
    for n, hit in enumerate(svc.iter_matches(engine, text), start=1):
        yield doc_from_row(hit.row), hit.matched
        if limit is not None and n >= limit:
            return
