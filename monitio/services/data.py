"""Data in and about the workspace: pushed posts (idempotent, bad rows quarantined), counts,
the quarantine with its raw rows, and the taxonomy in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from monitio.store.repo import stats as store_stats
from monitio.store.schema import posts, quarantine
from monitio.workspace import Workspace


@dataclass
class PushResult:
    read: int
    new: int
    duplicate: int
    quarantined: int
    errors: list[tuple[int, str]] = field(default_factory=list)


def push_posts(ws: Workspace, source: str, items: list[dict[str, Any]], *, timezone: str = "UTC") -> PushResult:
    """Store pushed posts (same source + id = same post); a bad item goes to the quarantine by its index
    and costs only itself; the batch's dates are read together like a file's column."""
    from monitio.ingest import push_items
    from monitio.settings import check_zone
    from monitio.sources.mapping import FIELDS

    zone = ZoneInfo(check_zone(timezone))
    rows = [{k: v for k, v in raw.items() if k in FIELDS or v is not None} for raw in items]
    r = push_items(ws.engine, source, rows, zone=zone, max_text_chars=ws.settings.max_text_chars)
    return PushResult(r.read, r.new, r.duplicate, r.quarantined, list(r.errors))


_COUNT_CACHE: dict[int, tuple[float, int]] = {}


def post_count(ws: Workspace, max_age: float = 5.0) -> int:
    """`SELECT count(*) FROM posts`, reused for `max_age` seconds per engine (the health probe's figure)."""
    import time

    now = time.monotonic()
    cached = _COUNT_CACHE.get(id(ws.engine))
    if cached and now - cached[0] < max_age:
        return cached[1]
    with ws.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(posts)).scalar_one()
    _COUNT_CACHE[id(ws.engine)] = (now, n)
    return n


def stats(ws: Workspace) -> dict[str, int]:
    """Counts of posts, quarantined rows, signals, markets and languages."""
    return store_stats(ws.engine)


def list_quarantine(ws: Workspace, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Quarantined rows, oldest first: where each came from, why it was refused, and the raw row."""
    q = select(quarantine).order_by(quarantine.c.id).limit(limit).offset(offset)
    with ws.engine.connect() as conn:
        return [
            {
                "id": r.id,
                "source": r.source,
                "locator": r.locator,
                "reason": r.reason,
                "raw": r.raw,
                "created_at": r.created_at.isoformat(),
            }
            for r in conn.execute(q)
        ]


def taxonomy(ws: Workspace) -> dict[str, Any]:
    """The risk categories in force: owner team, default severity, playbook."""
    from monitio.taxonomy.loader import load_taxonomy

    tax = load_taxonomy(ws.settings.taxonomy)
    return {
        "version": getattr(tax, "version", None),
        "categories": [
            {
                "id": cid,
                "name": cat.name,
                "description": cat.description,
                "owner_team": cat.owner_team,
                "default_severity": cat.default_severity,
                "playbook": list(cat.playbook),
            }
            for cid, cat in tax.categories.items()
        ],
    }
