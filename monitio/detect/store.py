"""Persisting signals: one open signal per key, updated while it lasts, closed when it fades.

A signal that is found again updates its window, figures and evidence; its severity only rises
(the `escalations` counter says how often), so a lasting risk stays one signal instead of many.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, insert, select, update

from monitio.store.repo import fetch_posts, utcnow
from monitio.store.schema import signals


@dataclass
class SignalDraft:
    """A signal as a detector proposes it, before it is stored."""

    key: str
    kind: str
    severity: int
    score: float
    confidence: float
    window_start: datetime
    window_end: datetime
    observed: float
    expected: float
    markets: list[str]
    categories: list[str]
    langs: list[str]
    why: str
    evidence: list[int]
    first_seen: datetime
    last_seen: datetime
    persistence_hours: int = 1
    details: dict = field(default_factory=dict)


def upsert_signals(
    conn: Connection,
    drafts: list[SignalDraft],
    *,
    close_after: timedelta,
    now: datetime,
    detected_at: datetime | None = None,
) -> tuple[int, int, int]:
    """Store drafts; returns (new, updated, closed). Open signals not seen for `close_after` close.

    A new signal records `detected_at` (default `now`: the end of the data the pass saw) in its details.
    """
    new = updated = 0
    ts = utcnow()
    seen_keys = set()
    for d in drafts:
        seen_keys.add(d.key)
        row = conn.execute(
            select(signals.c.id, signals.c.severity, signals.c.first_seen, signals.c.details).where(
                signals.c.key == d.key, signals.c.status == "open"
            )
        ).first()
        values = {
            "kind": d.kind,
            "score": d.score,
            "confidence": d.confidence,
            "window_start": d.window_start,
            "window_end": d.window_end,
            "observed": d.observed,
            "expected": d.expected,
            "markets": d.markets,
            "categories": d.categories,
            "langs": d.langs,
            "why": d.why,
            "evidence": d.evidence,
            "last_seen": d.last_seen,
            "persistence_hours": d.persistence_hours,
            "updated_at": ts,
        }
        if row is None:
            conn.execute(
                insert(signals).values(
                    key=d.key,
                    status="open",
                    severity=d.severity,
                    first_seen=d.first_seen,
                    created_at=ts,
                    details={**d.details, "escalations": 0, "detected_at": _iso(detected_at or now)},
                    **values,
                )
            )
            new += 1
            continue
        details = {**(row.details or {}), **d.details}
        details.setdefault("escalations", 0)
        if d.severity > row.severity:
            details["escalations"] = int(details["escalations"]) + 1
        conn.execute(
            update(signals)
            .where(signals.c.id == row.id)
            .values(
                severity=max(d.severity, row.severity),
                first_seen=min(row.first_seen, d.first_seen),
                details=details,
                **values,
            )
        )
        updated += 1
    stale = conn.execute(
        select(signals.c.id, signals.c.key).where(signals.c.status == "open", signals.c.last_seen < now - close_after)
    ).all()
    stale_ids = [r.id for r in stale if r.key not in seen_keys]
    if stale_ids:
        conn.execute(update(signals).where(signals.c.id.in_(stale_ids)).values(status="closed", updated_at=ts))
    return new, updated, len(stale_ids)


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def list_open_signals(engine: Engine, limit: int = 50) -> list[dict]:
    """Open signals as plain dicts (the `monitio signals --json` contract), most severe first."""
    return list_signals(engine, status="open", limit=limit)


def list_signals(
    engine: Engine, *, status: str | None = "open", limit: int = 50, ids: list[int] | None = None
) -> list[dict]:
    """Signals with their evidence posts, most severe first; `status=None` means any status.
    (Filters and paging for the faces: `monitio.services.signals.list_signals`.)"""
    q = select(signals).order_by(signals.c.severity.desc(), signals.c.score.desc(), signals.c.id).limit(limit)
    if status:
        q = q.where(signals.c.status == status)
    if ids is not None:
        q = q.where(signals.c.id.in_(ids))
    with engine.connect() as conn:
        return signal_dicts(conn, conn.execute(q).all())


def signal_dicts(conn: Connection, rows, *, with_evidence: bool = True) -> list[dict]:
    """Signal rows as plain dicts (the `monitio signals --json` contract) with their evidence posts
    (`with_evidence=False`: an empty list, for lists that show no post)."""
    result = []
    wanted = list(dict.fromkeys(pid for r in rows for pid in (r.evidence or []))) if with_evidence else []
    by_id = {p.id: p for p in fetch_posts(conn, wanted, raw=False)}  # one query for the page, not one per signal
    for r in rows:
        evidence = [
            {
                "post_id": p.id,
                "source": p.source,
                "source_id": p.source_id,
                "text": p.text,
                "url": p.url,
                "author": p.author,
                "published_at": _iso(p.published_at),
                "market": p.market,
                "lang": p.lang,
                "sentiment": p.sentiment,
                "engagement": p.likes + p.shares + p.comments,
                "categories": [c for c in (p.categories or "").split(",") if c],
                "indicators": p.indicators or {},
                "evidence": {k: v for k, v in (p.evidence or {}).items() if k != "model"},
                "model_scores": (p.evidence or {}).get("model", {}),
            }
            for p in (by_id[pid] for pid in dict.fromkeys(r.evidence or []) if pid in by_id)
        ]
        details = dict(r.details or {})
        curve = details.pop("curve", None)
        detected = details.get("detected_at") or _iso(r.created_at)
        delay = _parse(detected) - r.first_seen
        result.append(
            {
                "id": r.id,
                "key": r.key,
                "kind": r.kind,
                "status": r.status,
                "severity": r.severity,
                "score": round(r.score, 4),
                "confidence": round(r.confidence, 4),
                "why": r.why,
                "markets": r.markets,
                "categories": r.categories,
                "langs": r.langs,
                "first_seen": _iso(r.first_seen),
                "last_seen": _iso(r.last_seen),
                "window_start": _iso(r.window_start),
                "window_end": _iso(r.window_end),
                "observed": r.observed,
                "expected": round(r.expected, 2),
                "persistence_hours": r.persistence_hours,
                "detected_at": detected,
                "delay_hours": round(max(0.0, delay.total_seconds() / 3600), 1),
                **({"curve": curve} if curve is not None else {}),
                "details": details,
                "evidence": evidence,
            }
        )
    return result
