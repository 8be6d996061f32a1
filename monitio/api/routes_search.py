"""Saved searches (CRUD) and the author view; mounted under /api/v1 with the posts routes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from monitio.api.schemas_search import SavedSearchIn, SavedSearchOut
from monitio.api.security import Caller, require, workspace
from monitio.errors import Forbidden
from monitio.services import authors
from monitio.services import saved_searches as saved
from monitio.workspace import Workspace

router = APIRouter()


@router.get("/searches", response_model=list[SavedSearchOut], tags=["searches"])
def list_searches(ws: Workspace = Depends(workspace), c: Caller = Depends(require("posts:read"))):
    """Saved searches, by name."""
    return [s.as_json() for s in saved.list_saved(ws.engine)]


@router.post("/searches", response_model=SavedSearchOut, status_code=201, tags=["searches"])
def add_search(body: SavedSearchIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("posts:write"))):
    """Save a query under a new name (409 when the name is taken, 400 when the query does not parse)."""
    return saved.add(ws.engine, body.name, body.query, owner=c.user.email).as_json()


@router.get("/searches/{name}", response_model=SavedSearchOut, tags=["searches"])
def get_search(name: str, ws: Workspace = Depends(workspace), c: Caller = Depends(require("posts:read"))):
    return saved.get(ws.engine, name).as_json()


@router.delete("/searches/{name}", status_code=204, tags=["searches"])
def remove_search(name: str, ws: Workspace = Depends(workspace), c: Caller = Depends(require("posts:write"))):
    """Remove a saved search (its owner or an admin)."""
    s = saved.get(ws.engine, name)
    if s.owner != c.user.email and c.user.role != "admin":
        raise Forbidden(f"the saved search {name!r} belongs to {s.owner}", hint="ask its owner or an admin")
    saved.remove(ws.engine, name)


@router.get("/authors/{author}", tags=["posts"])
def author_view(
    author: str,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("posts:read")),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
):
    """One author: posts (newest first, paged by `cursor`), first and last seen, markets, languages,
    near-duplicate groups, narratives and the indicators they posted."""
    return authors.author_profile(ws.engine, author, limit=limit, cursor=cursor).as_json()
