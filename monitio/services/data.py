"""Data in and about the workspace: pushed posts (idempotent, bad rows quarantined), counts,
the quarantine with its raw rows, and the taxonomy in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from monitio.store.repo import stats as store_stats
from monitio.store.schema import quarantine
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
    and costs only itself (a value the database refuses falls back to row-by-row storing)."""
    from monitio.ingest import store_batch
    from monitio.records import Quarantined, RecordError
    from monitio.settings import check_zone
    from monitio.sources.mapping import FIELDS, ColumnMap, map_row

    push_map = ColumnMap({f: f for f in FIELDS})
    zone = ZoneInfo(check_zone(timezone))
    good, bad, errors = [], [], []
    index_of: dict[str, int] = {}
    for i, raw in enumerate(items):
        row = {k: v for k, v in raw.items() if k in FIELDS or v is not None}
        try:
            post = map_row(row, push_map, source=source, default_zone=zone, max_text_chars=ws.settings.max_text_chars)
        except Exception as exc:  # one bad item costs only itself
            reason = str(exc) if isinstance(exc, RecordError) else f"cannot map the item: {type(exc).__name__}"
            errors.append((i, reason))
            bad.append(Quarantined(source, f"api item {i}", reason, repr(row)[:2000]))
            continue
        good.append(post)
        index_of.setdefault(post.source_id, i)
    stored = store_batch(ws.engine, good, bad, locate=lambda p: f"api item {index_of.get(p.source_id)}")
    return PushResult(len(items), stored.new, stored.duplicate, len(bad) + stored.refused, errors)


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
