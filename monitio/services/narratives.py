"""Narratives: the list (filter, sort, paging) and one narrative with its timeline and example posts.

>>> NarrativeQuery(sort="size").sort
'size'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitio.detect.narrative_views import list_narratives, narrative_detail
from monitio.errors import Invalid, NotFound
from monitio.services.search_cache import Frozen, cache_for
from monitio.store.versions import NARRATIVES, POSTS, data_version
from monitio.workspace import Workspace

SORTS = {
    "growth": lambda n: (-n["growth"], -n["size"]),
    "emerging": lambda n: (-n["growth"], -n["size"]),
    "size": lambda n: (-n["size"], -n["growth"]),
    "last_seen": lambda n: (n["last_seen"], n["size"]),
    "recent": lambda n: (-n["posts_last_24h"], -n["size"]),
}
MAX_ID = 2**62


class UnknownNarrative(NotFound):
    """No narrative with this id."""


@dataclass(frozen=True)
class NarrativeQuery:
    """Which narratives to list. `sort`: growth (emerging score), size, last_seen or recent."""

    category: str | None = None
    market: str | None = None
    sort: str = "growth"
    min_size: int = 3
    categories: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class NarrativePage:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def list_page(ws: Workspace, query: NarrativeQuery | None = None, *, limit: int = 50, offset: int = 0) -> NarrativePage:
    """Narratives matching the filters, sorted (fastest-growing first by default), one page of them.

    Reused while neither the narratives nor the posts change (`monitio.store.versions`)."""
    q = query or NarrativeQuery()
    if q.sort not in SORTS:
        raise Invalid(f"unknown sort {q.sort!r}; use one of {', '.join(SORTS)}")
    with ws.engine.connect() as conn:
        versions = (data_version(conn, NARRATIVES), data_version(conn, POSTS))
        key = ("narratives", q, limit, offset, versions)
        cache = cache_for(ws.engine).other if min(versions) >= 0 else None
        hit = cache.get(key) if cache else None
        if hit is not None:
            items, total = hit.thaw()
            return NarrativePage(items, total, limit, offset)
        items, total = list_narratives(
            conn,
            category=q.category or None,
            market=q.market or None,
            min_size=q.min_size,
            categories=q.categories,
            markets=q.markets,
            langs=q.langs,
            since=q.since,
            until=q.until,
            sort=SORTS[q.sort],
            reverse=q.sort == "last_seen",
            limit=limit,
            offset=offset,
        )
    if cache is not None:
        cache.put(key, Frozen((items, total)))
    return NarrativePage(items, total, limit, offset)


def get_narrative(ws: Workspace, narrative_id: int) -> dict[str, Any]:
    """One narrative: label and terms, daily timeline, markets, languages, example posts."""
    found = None
    if 0 < narrative_id < MAX_ID:
        with ws.engine.connect() as conn:
            found = narrative_detail(conn, narrative_id)
    if found is None:
        raise UnknownNarrative(f"no narrative {narrative_id}", hint="list them with: monitio narratives")
    return found


LINK_WORDS = {
    "co_burst": "rose together in the same market with the same words",
    "embeddings": "say the same thing in other words or languages",
    "near_duplicates": "share near-duplicate posts",
    "phone": "share a phone number",
    "messaging": "share a messaging handle",
    "wallet": "share a crypto wallet",
    "lookalike_link": "share a look-alike link",
    "short_link": "share a short link",
    "link": "share a link",
}


def merge_reason(reasons: dict | None) -> str:
    """Why fragments were merged, in words.

    >>> merge_reason({"links": {"co_burst": 2, "phone": 1}, "values": ["+6281234"]})
    'rose together in the same market with the same words (2 links); share a phone number (+6281234)'
    >>> merge_reason({"links": {"impersonation Raffi Ahmad": 1}})
    'impersonate Raffi Ahmad'
    """
    parts = []
    links = (reasons or {}).get("links") or {}
    values = [str(v) for v in (reasons or {}).get("values") or []]
    for kind, n in sorted(links.items(), key=lambda kv: -kv[1]):
        if kind.startswith("impersonation "):
            text = "impersonate " + kind.split(" ", 1)[1]
        else:
            text = LINK_WORDS.get(kind, kind.replace("_", " "))
        if kind in LINK_WORDS and kind not in ("co_burst", "embeddings", "near_duplicates") and values:
            text += f" ({', '.join(values[:3])})"
        elif n > 1:
            text += f" ({n} links)"
        parts.append(text)
    return "; ".join(parts) or "merged"
