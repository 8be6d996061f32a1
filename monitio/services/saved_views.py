"""Saved dashboard views: a person's named filters for a page (the signals inbox), kept as the URL
query that reproduces the view, so opening one is just following its link.

>>> clean_query("status=open&market=ID&page=3&csrf_token=x&bogus=1")
'status=open&market=ID'
>>> from monitio.workspace import init_workspace
>>> import tempfile
>>> ws = init_workspace(tempfile.mkdtemp())
>>> save_view(ws, "ana@example.org", "signals", "ID scams", "market=ID&category=scam_ads").query
'market=ID&category=scam_ads'
>>> [v.name for v in list_views(ws, "ana@example.org", "signals")], list_views(ws, "lee@example.org", "signals")
(['ID scams'], [])
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import delete, select

from monitio.errors import Invalid, NotFound
from monitio.store.schema_search import saved_views
from monitio.workspace import Workspace

PAGES = {"signals": ("status", "kind", "min_severity", "sort", "range", "since", "until", "market", "category", "lang")}
MAX_NAME = 200
MAX_VIEWS = 100


@dataclass(frozen=True, slots=True)
class SavedView:
    id: int
    owner: str
    page: str
    name: str
    query: str
    created_at: datetime


def clean_query(query: str, page: str = "signals") -> str:
    """Only the page's filter parameters, in their order (no paging, tokens or unknown keys)."""
    keep = PAGES.get(page, ())
    pairs = [(k, v[:200]) for k, v in parse_qsl(query or "", keep_blank_values=False) if k in keep]
    return urlencode(pairs[:200])


def save_view(ws: Workspace, owner: str, page: str, name: str, query: str) -> SavedView:
    """Save (or replace) the owner's view called `name` on `page`."""
    if page not in PAGES:
        raise Invalid(f"no saved views for the page {page!r}")
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise Invalid(f"give the view a name of 1 to {MAX_NAME} characters")
    query = clean_query(query, page)
    now = datetime.now(UTC)
    with ws.engine.begin() as conn:
        mine = saved_views.c.owner == owner
        same = conn.execute(
            select(saved_views.c.id).where(mine, saved_views.c.page == page, saved_views.c.name == name)
        ).first()
        if same:
            conn.execute(saved_views.update().where(saved_views.c.id == same.id).values(query=query, created_at=now))
            view_id = same.id
        else:
            count = len(conn.execute(select(saved_views.c.id).where(mine, saved_views.c.page == page)).all())
            if count >= MAX_VIEWS:
                raise Invalid(f"you have {MAX_VIEWS} saved views on this page; remove one first")
            view_id = conn.execute(
                saved_views.insert().values(owner=owner, page=page, name=name, query=query, created_at=now)
            ).inserted_primary_key[0]
    return SavedView(view_id, owner, page, name, query, now)


def list_views(ws: Workspace, owner: str, page: str) -> list[SavedView]:
    """The owner's saved views on a page, by name."""
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(saved_views)
            .where(saved_views.c.owner == owner, saved_views.c.page == page)
            .order_by(saved_views.c.name)
        ).all()
    return [SavedView(r.id, r.owner, r.page, r.name, r.query, r.created_at) for r in rows]


def delete_view(ws: Workspace, owner: str, view_id: int) -> None:
    """Remove one of the owner's views (another person's view is not found)."""
    with ws.engine.begin() as conn:
        gone = conn.execute(delete(saved_views).where(saved_views.c.id == view_id, saved_views.c.owner == owner))
    if not gone.rowcount:
        raise NotFound(f"no saved view {view_id}")
