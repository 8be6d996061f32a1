"""Narratives: the list (filter, sort, paging) and one narrative with its timeline and example posts.

>>> NarrativeQuery(sort="size").sort
'size'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitio.detect.narrative_views import list_narratives, narrative_detail
from monitio.errors import Invalid, NotFound
from monitio.workspace import Workspace

SORTS = {
    "growth": lambda n: (-n["growth"], -n["size"]),
    "size": lambda n: (-n["size"], -n["growth"]),
    "last_seen": lambda n: (n["last_seen"], n["size"]),
    "recent": lambda n: (-n["posts_last_24h"], -n["size"]),
}
MAX_ID = 2**62


class UnknownNarrative(NotFound):
    """No narrative with this id."""


@dataclass(frozen=True)
class NarrativeQuery:
    category: str | None = None
    market: str | None = None
    sort: str = "growth"
    min_size: int = 3


@dataclass
class NarrativePage:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def list_page(ws: Workspace, query: NarrativeQuery | None = None, *, limit: int = 50, offset: int = 0) -> NarrativePage:
    """Narratives matching the filters, sorted (fastest-growing first by default), one page of them."""
    q = query or NarrativeQuery()
    if q.sort not in SORTS:
        raise Invalid(f"unknown sort {q.sort!r}; use one of {', '.join(SORTS)}")
    with ws.engine.connect() as conn:
        items, total = list_narratives(
            conn, limit=MAX_ID, category=q.category or None, market=q.market or None, min_size=q.min_size
        )
    reverse = q.sort == "last_seen"
    items.sort(key=SORTS[q.sort], reverse=reverse)
    return NarrativePage(items[offset : offset + limit], total, limit, offset)


def get_narrative(ws: Workspace, narrative_id: int) -> dict[str, Any]:
    """One narrative: label and terms, daily timeline, markets, languages, example posts."""
    found = None
    if 0 < narrative_id < MAX_ID:
        with ws.engine.connect() as conn:
            found = narrative_detail(conn, narrative_id)
    if found is None:
        raise UnknownNarrative(f"no narrative {narrative_id}", hint="list them with: monitio narratives")
    return found
