"""The audit log: who changed what, when, with the values before and after.

Rows are only ever inserted. No code path updates or deletes them, and the database refuses it
too (triggers installed by migration 0002), so no role can edit history.

>>> diff({"status": "new", "title": "a"}, {"status": "triaging", "title": "a"})
({'status': 'new'}, {'status': 'triaging'})
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from monitio.store.schema_collab import audit_log


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict | None, dict | None]:
    """Only the fields that changed, on each side."""
    if before is None or after is None:
        return before, after
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    conn: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one entry, in the caller's transaction (so the change and its record commit together)."""
    b, a = diff(_plain(before), _plain(after))
    conn.execute(
        insert(audit_log).values(
            at=datetime.now(UTC),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=b,
            after=a,
        )
    )


def entries(
    conn: Connection, *, entity: str | None = None, entity_id: Any = None, limit: int = 200, offset: int = 0
) -> list[dict]:
    q = select(audit_log).order_by(audit_log.c.id)
    if entity:
        q = q.where(audit_log.c.entity == entity)
    if entity_id is not None:
        q = q.where(audit_log.c.entity_id == str(entity_id))
    rows = conn.execute(q.limit(limit).offset(offset)).all()
    return [
        {
            "id": r.id,
            "at": r.at.isoformat(),
            "actor": r.actor,
            "action": r.action,
            "entity": r.entity,
            "entity_id": r.entity_id,
            "before": r.before,
            "after": r.after,
        }
        for r in rows
    ]
