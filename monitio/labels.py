"""Analyst labels: is this post an example of this risk category? Stored with who and when.

One label per (post, category, analyst); labelling again replaces the analyst's earlier answer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select

from monitio.errors import Invalid, NotFound
from monitio.store.schema import posts
from monitio.store.schema_intel import labels


class LabelError(Invalid):
    """The category does not exist (or another label input is unusable)."""


class UnknownPost(NotFound, LabelError):
    """No post with this id."""


def add_label(
    conn: Connection,
    post_id: int,
    category: str,
    value: bool,
    *,
    actor: str,
    user_id: int | None = None,
    categories: set[str] | None = None,
) -> int:
    if conn.execute(select(posts.c.id).where(posts.c.id == post_id)).first() is None:
        raise UnknownPost(f"no post {post_id}")
    if categories is not None and category not in categories:
        raise LabelError(f"unknown category {category!r}; categories are {', '.join(sorted(categories))}")
    conn.execute(
        delete(labels).where(labels.c.post_id == post_id, labels.c.category == category, labels.c.actor == actor)
    )
    return conn.execute(
        insert(labels)
        .values(
            post_id=post_id,
            category=category,
            value=bool(value),
            user_id=user_id,
            actor=actor,
            created_at=datetime.now(UTC),
        )
        .returning(labels.c.id)
    ).scalar_one()


def list_labels(conn: Connection, *, category: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    q = select(labels).order_by(labels.c.id.desc()).limit(limit).offset(offset)
    if category:
        q = q.where(labels.c.category == category)
    return [
        {
            "id": r.id,
            "post_id": r.post_id,
            "category": r.category,
            "value": r.value,
            "by": r.actor,
            "at": r.created_at.isoformat(),
        }
        for r in conn.execute(q)
    ]
