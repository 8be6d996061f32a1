"""Analyst labels: a post is (or is not) an example of a risk category, with who and when."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from monitio import labels as store
from monitio.auth.users import User
from monitio.services.access import require
from monitio.store.schema import posts
from monitio.store.schema_intel import labels
from monitio.workspace import Workspace

LabelError = store.LabelError
UnknownPost = store.UnknownPost


@dataclass
class LabelRow:
    """A label as a CSV file gives it: `post_id` or `uid`, category, value, and who (optional)."""

    category: str
    value: bool
    post_id: int | None = None
    uid: str | None = None
    actor: str | None = None


def _categories(ws: Workspace) -> set[str]:
    from monitio.training import workspace_categories

    return set(workspace_categories(ws.settings))


def add_label(
    ws: Workspace, actor: User | None, post_id: int, category: str, value: bool, *, name: str | None = None
) -> int:
    """Store one label (the same person labelling the same post and category again replaces it)."""
    require(actor, "labels:write")
    who = name or (actor.email if actor else "cli")
    with ws.engine.begin() as conn:
        return store.add_label(
            conn, post_id, category, value, actor=who, user_id=actor.id if actor else None, categories=_categories(ws)
        )


def import_labels(ws: Workspace, rows: list[LabelRow], *, default_actor: str) -> tuple[int, list[tuple[int, str]]]:
    """Add labels from rows (one transaction); returns how many were added and (row index, reason) of the rest."""
    cats = _categories(ws)
    added, errors = 0, []
    with ws.engine.begin() as conn:
        for i, row in enumerate(rows):
            try:
                pid = row.post_id
                if pid is None:
                    pid = conn.execute(select(posts.c.id).where(posts.c.uid == (row.uid or ""))).scalar()
                    if pid is None:
                        raise UnknownPost(f"no post with uid {row.uid!r}")
                store.add_label(conn, pid, row.category, row.value, actor=row.actor or default_actor, categories=cats)
                added += 1
            except LabelError as exc:
                errors.append((i, str(exc)))
    return added, errors


def list_labels(
    ws: Workspace, actor: User | None, *, category: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict]:
    """Labels, newest first (the API's list)."""
    require(actor, "labels:read")
    with ws.engine.connect() as conn:
        return store.list_labels(conn, category=category, limit=limit, offset=offset)


def label_table(ws: Workspace, *, category: str | None = None, limit: int | None = None) -> list[dict]:
    """Labels oldest first with the post's uid (the CLI's list and export)."""
    q = select(labels, posts.c.uid).join(posts, posts.c.id == labels.c.post_id, isouter=True).order_by(labels.c.id)
    if category:
        q = q.where(labels.c.category == category)
    if limit:
        q = q.limit(limit)
    with ws.engine.connect() as conn:
        return [
            {
                "id": r.id,
                "post_id": r.post_id,
                "uid": r.uid,
                "category": r.category,
                "value": "yes" if r.value else "no",
                "actor": r.actor,
                "created_at": r.created_at.isoformat(),
            }
            for r in conn.execute(q)
        ]
