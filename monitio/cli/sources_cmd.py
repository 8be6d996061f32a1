"""`monitio sources`: configure, test and run collectors (`[[sources]]` tables in monitio.toml).

Sources live in the workspace's monitio.toml, so they are reviewed and versioned with the rest of the
settings; `add` appends a table (keeping comments), `disable`/`enable` edit only that table's line.
Cursors and health live in the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, err, out, print_json, user_errors

app = typer.Typer(
    rich_markup_mode=None,
    help="News and social sources, configured as [[sources]] tables in monitio.toml.",
    no_args_is_help=True,
)


def _find(ws, name: str):
    from monitio.sources.config import load_sources

    found = [s for s in load_sources(ws.path) if s.name == name]
    if not found:
        from monitio.errors import NotFound

        raise NotFound(f"no source named {name!r}", hint="see them with: monitio sources list")
    return found[0]


@app.command("add")
def add(
    name: str,
    kind: Annotated[str, typer.Option(help="rss, http_json, reddit, youtube, gdelt, bluesky or mastodon.")],
    url: Annotated[
        str | None,
        typer.Option(
            help="Feed or API URL (http_json: may contain {cursor}, {page}, {offset}, {size}); "
            "for platforms, another API base URL (e.g. a Mastodon instance)."
        ),
    ] = None,
    query: Annotated[str | None, typer.Option(help="reddit, youtube, gdelt, bluesky: what to search for.")] = None,
    subreddit: Annotated[str | None, typer.Option(help="reddit: a subreddit's newest posts instead.")] = None,
    video_id: Annotated[str | None, typer.Option(help="youtube: a video's comment threads.")] = None,
    hashtag: Annotated[str | None, typer.Option(help="mastodon: the hashtag timeline to follow.")] = None,
    schedule: Annotated[str, typer.Option(help="How often to collect, e.g. 15m, 1h.")] = "15m",
    market: Annotated[list[str] | None, typer.Option(help="Market hint for its posts.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language hint for its posts (e.g. id).")] = None,
    fields: Annotated[str | None, typer.Option(help='http_json: JSON map, e.g. {"id":"id","text":"body",...}')] = None,
    items_path: Annotated[str | None, typer.Option(help="http_json: dotted path to the item list.")] = None,
    next_path: Annotated[str | None, typer.Option(help="http_json: dotted path to the next cursor.")] = None,
    paging: Annotated[str, typer.Option(help="http_json: cursor, page, offset or none.")] = "cursor",
    auth_header: Annotated[str | None, typer.Option(help="http_json: header carrying the credential.")] = None,
    auth_env: Annotated[str | None, typer.Option(help="http_json: environment variable holding it.")] = None,
    allow_private: Annotated[
        list[str] | None, typer.Option(help="Allow this private host or network (CIDR); 'any' for all.")
    ] = None,
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
        if lang:
            entry["lang"] = lang
        if allow_private:
            entry["allow_private"] = True if "any" in allow_private else list(allow_private)
        if kind == "http_json":
            try:
                entry["fields"] = json.loads(fields or "null")
            except json.JSONDecodeError as exc:
                err.print(f"[bold red]error:[/] --fields is not JSON: {exc}", highlight=False)
                raise typer.Exit(2) from None
            opts = {"items_path": items_path, "next_path": next_path, "paging": paging}
            opts |= {"auth_header": auth_header, "auth_env": auth_env}
            entry.update({k: v for k, v in opts.items() if v})
        append_source(ws.path, entry)
    out.print(f"source {name} added to {ws.path / 'monitio.toml'}", highlight=False)
    out.print(f"Next: monitio sources test {name}", highlight=False)


@app.command("list")
def list_sources(
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Sources with their health: last success, last error, items last run, failures in a row, lag."""
    from datetime import UTC, datetime

    from monitio.sources.base import source_health_rows
    from monitio.sources.config import load_sources
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        configured = load_sources(ws.path)
        health = source_health_rows(ws.engine)
        threshold = ws.settings.source_failure_threshold
    now = datetime.now(UTC)
    rows = []
    for s in configured:
        h = health.get(s.name)
        failures = h.consecutive_failures if h else 0
        newest = h.newest_item_at if h else None
        rows.append(
            {
                "name": s.name,
                "kind": s.kind,
                "url": s.url or None,
                "enabled": s.enabled,
                "schedule_seconds": s.schedule_seconds,
                "last_run_at": h.last_run_at.isoformat() if h and h.last_run_at else None,
                "last_success_at": h.last_success_at.isoformat() if h and h.last_success_at else None,
                "last_error_at": h.last_error_at.isoformat() if h and h.last_error_at else None,
                "last_error": h.last_error if h else None,
                "failures": failures,
                "failing": failures >= threshold,
                "items_last_run": h.items_last_run if h else 0,
                "newest_item_at": newest.isoformat() if newest else None,
                "lag_hours": round((now - newest).total_seconds() / 3600, 1) if newest else None,
            }
        )
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("no sources yet; add one with: monitio sources add NAME --kind rss --url URL", highlight=False)
    for r in rows:
        state = "FAILING" if r["failing"] else "enabled" if r["enabled"] else "disabled"
        lag = f"{r['lag_hours']} h" if r["lag_hours"] is not None else "-"
        error = f"  last error: {r['last_error']}" if r["failures"] else ""
        out.print(
            f"{r['name']:<20} {r['kind']:<9} {state:<8} last ok {r['last_success_at'] or '-'}  "
            f"items {r['items_last_run']}  failures {r['failures']}  lag {lag}{error}",
            highlight=False,
            markup=False,
        )


@app.command("test")
def test_source(name: str, workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Fetch one page and show the mapped posts (and refused items) without storing anything."""
    from monitio.sources.base import map_items
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        source = _find(ws, name)
        connector = source.connector(ws.settings.outbound_allow, ws.settings.http_proxy)
        try:
            page = connector.fetch({})
        except Exception as exc:
            err.print(f"[bold red]error:[/] fetching {name} failed: {exc}", highlight=False, markup=True)
            raise typer.Exit(1) from None
        good, bad = map_items(connector, page.items)
    result = {
        "items": len(page.items),
        "posts": [
            {
                "source_id": p.source_id,
                "published_at": p.published_at.isoformat(),
                "author": p.author,
                "url": p.url,
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


@app.command("run")
def run_now(
    names: Annotated[list[str] | None, typer.Argument(help="Sources to run (default: every enabled one).")] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Collect now, whatever the schedule (and store what is new); enrichment waits for `monitio run`."""
    from monitio.sources.runner import run_due_sources
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        for n in names or []:
            _find(ws, n)
        reports = run_due_sources(ws, force=True, names=names or None)
    result = {
        r.source: {"pages": r.pages, "fetched": r.fetched, "new": r.new, "quarantined": r.quarantined, "error": r.error}
        for r in reports
    }
    if as_json:
        print_json(result)
    else:
        for name, r in result.items():
            line = f"{name}: {r['new']} new of {r['fetched']}, {r['quarantined']} quarantined"
            out.print(line + (f", error: {r['error']}" if r["error"] else ""), highlight=False, markup=False)
    if any(r.error for r in reports):
        raise typer.Exit(1)


def _set(name: str, enabled: bool, workspace: Path | None) -> None:
    from monitio.sources.config import set_enabled
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        set_enabled(ws.path, name, enabled)
    out.print(f"source {name} {'enabled' if enabled else 'disabled'}", highlight=False)


@app.command("disable")
def disable(name: str, workspace: WorkspaceOpt = None) -> None:
    """Stop collecting a source (its posts, cursor and health stay)."""
    _set(name, False, workspace)


@app.command("enable")
def enable(name: str, workspace: WorkspaceOpt = None) -> None:
    """Collect a disabled source again, from where it stopped."""
    _set(name, True, workspace)


@app.command("timeline")
def timeline(
    name: str,
    mode: Annotated[
        str, typer.Option(help="TimelineVolRaw, TimelineVol, TimelineTone, TimelineLang, TimelineSourceCountry.")
    ] = "TimelineVolRaw",
    timespan: Annotated[str | None, typer.Option(help="How far back, e.g. 7d, 3m (GDELT syntax).")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write timestamp,value[,series] rows here.")] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A GDELT source's volume or tone timeline. The CSV feeds `monitio detect series --input`."""
    import csv

    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        source = _find(ws, name)
        if source.kind != "gdelt":
            err.print(
                f"[bold red]error:[/] {name} is a {source.kind} source; timelines come from gdelt", highlight=False
            )
            raise typer.Exit(2)
        try:
            series = source.connector(ws.settings.outbound_allow, ws.settings.http_proxy).timelines(mode, timespan)
        except ValueError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=False)
            raise typer.Exit(2) from None
        except Exception as exc:
            err.print(f"[bold red]error:[/] fetching the timeline failed: {exc}", highlight=False, markup=False)
            raise typer.Exit(1) from None
    rows = [{"timestamp": t.isoformat(), "value": v, "series": s} for s, points in series.items() for t, v in points]
    if csv_out:
        with csv_out.open("w", newline="", encoding="utf-8") as fh:
            many = len(series) > 1
            writer = csv.DictWriter(fh, ["timestamp", "value", *(["series"] if many else [])], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    if as_json:
        print_json({s: [[t.isoformat(), v] for t, v in points] for s, points in series.items()})
    elif not csv_out:
        for r in rows:
            out.print(f"{r['timestamp']}  {r['value']:>10.4f}  {r['series']}", highlight=False, markup=False)
    else:
        out.print(f"{len(rows)} points written to {csv_out}", highlight=False)
