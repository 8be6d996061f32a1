"""`monitio reenrich`: enrich stored posts again with the current taxonomy, lexicons, watch list and models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, progress, user_errors
from monitio.errors import Invalid


class DateError(Invalid):
    """A --since/--until value that is not a date."""


def parse_when(text: str | None, zone: str) -> datetime | None:
    """An ISO date or date-time; one without a zone is read in the workspace's time zone.

    >>> parse_when("2026-03-01", "Asia/Jakarta").isoformat()
    '2026-03-01T00:00:00+07:00'
    """
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DateError(f"{text!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM (e.g. 2026-03-01)") from None
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(zone))


def reenrich(
    workspace: WorkspaceOpt = None,
    since: Annotated[
        str | None, typer.Option(help="First day or time to redo (posts published from then on), e.g. 2026-03-01.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last day or time to redo (its whole hour is included).")] = None,
    all_posts: Annotated[bool, typer.Option("--all", help="Redo every stored post.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Enrich stored posts again after you changed the taxonomy, watch list or settings, or trained a model.

    Language, market, sentiment, indicators, categories, risk scores and model
    probabilities are recomputed and the hourly rollups rebuilt, so signals and
    briefs use the new results. Whole hours are redone: --until 2026-03-01
    covers 00:00-00:59 of that day. Near-duplicate groups and narratives stay.

    Examples: `monitio reenrich --since 2026-03-01` (posts published since
    1 March), `monitio reenrich --all` (every stored post).
    """
    from monitio.services.jobs import reenrich as run_reenrich
    from monitio.workspace import open_workspace

    with user_errors():
        if not (since or until or all_posts):
            raise Invalid("say which posts to redo: --since DATE (and/or --until DATE), or --all")
        ws = open_workspace(workspace)
        start = parse_when(since, ws.settings.timezone)
        end = parse_when(until, ws.settings.timezone)
        with progress() as bar:

            def on_pending(total: int):
                task = bar.add_task("Re-enriching", total=total)
                return lambda n: bar.advance(task, n)

            result = run_reenrich(ws, start, end, everything=all_posts, on_pending=on_pending)
    if as_json:
        print_json(result)
        return
    span = f"from {result['from'] or 'the first post'} to {result['to'] or 'the last post'}"
    out.print(f"reset {result['reset']} posts ({span}); enriched {result['enriched']} posts", highlight=False)
    out.print("Next: monitio run   (detects signals with the new results)", highlight=False)
