"""`monitio sources`: configure, test and run collectors."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, err, out, print_json, user_errors

app = typer.Typer(help="News and social sources, configured as sources tables in monitio.toml.", no_args_is_help=True)


def _errors():
    from monitio.sources.config import SourceConfigError

    return SourceConfigError


@app.command("add")
def add(
    name: str,
    kind: Annotated[str, typer.Option(help="rss, http_json, reddit, youtube, gdelt, bluesky or mastodon.")],
    url: Annotated[
        str | None,
        typer.Option(
            help="Feed or API URL (http_json: may contain {cursor}, {page}, {offset}); "
            "for platforms, another API base URL (e.g. a Mastodon instance)."
        ),
    ] = None,
    query: Annotated[str | None, typer.Option(help="reddit, youtube, gdelt, bluesky: what to search for.")] = None,
    subreddit: Annotated[str | None, typer.Option(help="reddit: a subreddit's newest posts instead.")] = None,
    video_id: Annotated[str | None, typer.Option(help="youtube: a video's comment threads.")] = None,
    hashtag: Annotated[str | None, typer.Option(help="mastodon: the hashtag timeline to follow.")] = None,
    schedule: Annotated[str, typer.Option(help="How often to collect, e.g. 15m, 1h.")] = "15m",
    market: Annotated[list[str] | None, typer.Option(help="Market hint for its posts.")] = None,
    fields: Annotated[str | None, typer.Option(help='http_json: JSON map, e.g. {"id":"id","text":"body",...}')] = None,
    items_path: Annotated[str | None, typer.Option(help="http_json: dotted path to the item list.")] = None,
    next_path: Annotated[str | None, typer.Option(help="http_json: dotted path to the next cursor.")] = None,
    paging: Annotated[str, typer.Option(help="http_json: cursor, page, offset or none.")] = "cursor",
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a source. Example: monitio sources add scam-news --kind rss --url https://news.example.org/feed.xml"""
    from monitio.sources.config import append_source
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        entry: dict = {"name": name, "kind": kind, "schedule": schedule}
        extras = {"url": url, "query": query, "subreddit": subreddit, "video_id": video_id, "hashtag": hashtag}
        entry.update({k: v for k, v in extras.items() if v})
        if market:
            entry["markets"] = [m.upper() for m in market]
        if kind == "http_json":
            try:
                entry["fields"] = json.loads(fields or "null")
            except json.JSONDecodeError as exc:
                err.print(f"[bold red]error:[/] --fields is not JSON: {exc}", highlight=False)
                raise typer.Exit(2) from None
            entry.update(
                {k: v for k, v in (("items_path", items_path), ("next_path", next_path), ("paging", paging)) if v}
            )
        try:
            append_source(ws.path, entry)
        except _errors() as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
    out.print(f"source {name} added to {ws.path / 'monitio.toml'}", highlight=False)


@app.command("list")
def list_sources(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Sources with their health: last success, last error, items last run, failures in a row, lag."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from monitio.sources.config import load_sources
    from monitio.store.schema_intel import source_health
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        configured = load_sources(ws.path)
        with ws.engine.connect() as conn:
            health = {r.source: r for r in conn.execute(select(source_health))}
        now = datetime.now(UTC)
    rows = []
    for s in configured:
        h = health.get(s.name)
        rows.append(
            {
                "name": s.name,
                "kind": s.kind,
                "url": s.url,
                "enabled": s.enabled,
                "schedule_seconds": s.schedule_seconds,
                "last_success_at": h.last_success_at.isoformat() if h and h.last_success_at else None,
                "last_error": h.last_error if h else None,
                "failures": h.consecutive_failures if h else 0,
                "items_last_run": h.items_last_run if h else 0,
                "newest_item_at": h.newest_item_at.isoformat() if h and h.newest_item_at else None,
                "lag_hours": round((now - h.newest_item_at).total_seconds() / 3600, 1)
                if h and h.newest_item_at
                else None,
            }
        )
    if as_json:
        print_json(rows)
        return
    for r in rows:
        state = "enabled" if r["enabled"] else "disabled"
        out.print(
            f"{r['name']:<20} {r['kind']:<9} {state:<8} last ok {r['last_success_at'] or '-'}  "
            f"failures {r['failures']}  lag {r['lag_hours'] if r['lag_hours'] is not None else '-'} h  "
            f"{r['last_error'] or ''}",
            highlight=False,
        )


@app.command("test")
def test_source(name: str, workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Fetch one page and show the mapped posts (and refused items) without storing anything."""
    from monitio.sources.base import map_items
    from monitio.sources.config import load_sources
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        found = [s for s in load_sources(ws.path) if s.name == name]
        if not found:
            err.print(f"[bold red]error:[/] no source named {name!r}; see: monitio sources list", highlight=False)
            raise typer.Exit(2)
        connector = found[0].connector(ws.settings.outbound_allow, ws.settings.http_proxy)
        try:
            page = connector.fetch({})
        except Exception as exc:
            err.print(f"[bold red]error:[/] fetching {name} failed: {exc}", highlight=False)
            raise typer.Exit(1) from None
        good, bad = map_items(connector, page.items)
    result = {
        "items": len(page.items),
        "posts": [
            {
                "source_id": p.source_id,
                "published_at": p.published_at.isoformat(),
                "author": p.author,
                "text": p.text[:300],
            }
            for p in good
        ],
        "refused": [{"locator": q.locator, "reason": q.reason} for q in bad],
    }
    if as_json:
        print_json(result)
        return
    out.print(f"{len(page.items)} items: {len(good)} posts, {len(bad)} refused (nothing stored)", highlight=False)
    for p in result["posts"][:20]:
        out.print(
            f"  {p['published_at'][:16]}  {p['source_id'][:24]:<24}  {p['text'][:100]}", highlight=False, markup=False
        )
    for q in result["refused"][:20]:
        out.print(f"  refused {q['locator']}: {q['reason']}", highlight=False, markup=False)


@app.command("disable")
def disable(name: str, workspace: WorkspaceOpt = None) -> None:
    """Stop collecting a source (its posts stay)."""
    from monitio.sources.config import set_enabled
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        try:
            set_enabled(ws.path, name, False)
        except _errors() as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
    out.print(f"source {name} disabled", highlight=False)
