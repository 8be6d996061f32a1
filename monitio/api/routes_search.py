"""Saved searches (CRUD) and the author view; mounted under /api/v1 with the posts routes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from monitio.api.schemas_search import SavedSearchIn, SavedSearchOut
from monitio.api.security import Caller, require
from monitio.errors import Forbidden, MonitioError

router = APIRouter()


def _engine(request: Request):
    return request.app.state.ws.engine


def _fail(exc: MonitioError):
    from monitio.api.routes_data import api_error

    return api_error(exc)


@router.get("/searches", response_model=list[SavedSearchOut], tags=["searches"])
def list_searches(request: Request, c: Caller = Depends(require("posts:read"))):
    """Saved searches, by name."""
    from monitio.services import saved_searches as saved

    return [s.as_json() for s in saved.list_saved(_engine(request))]


@router.post("/searches", response_model=SavedSearchOut, status_code=201, tags=["searches"])
def add_search(body: SavedSearchIn, request: Request, c: Caller = Depends(require("posts:write"))):
    """Save a query under a new name (409 when the name is taken, 400 when the query does not parse)."""
    from monitio.services import saved_searches as saved

    try:
        return saved.add(_engine(request), body.name, body.query, owner=c.user.email).as_json()
    except MonitioError as exc:
        raise _fail(exc) from None


@router.get("/searches/{name}", response_model=SavedSearchOut, tags=["searches"])
def get_search(name: str, request: Request, c: Caller = Depends(require("posts:read"))):
    from monitio.services import saved_searches as saved

    try:
        return saved.get(_engine(request), name).as_json()
    except MonitioError as exc:
        raise _fail(exc) from None


@router.delete("/searches/{name}", status_code=204, tags=["searches"])
def remove_search(name: str, request: Request, c: Caller = Depends(require("posts:write"))):
    """Remove a saved search (its owner or an admin)."""
    from monitio.services import saved_searches as saved

    try:
        s = saved.get(_engine(request), name)
        if s.owner != c.user.email and c.user.role != "admin":
            raise Forbidden(f"the saved search {name!r} belongs to {s.owner}", hint="ask its owner or an admin")
        saved.remove(_engine(request), name)
    except MonitioError as exc:
        raise _fail(exc) from None


@router.get("/authors/{author}", tags=["posts"])
def author_view(
    author: str,
    request: Request,
    c: Caller = Depends(require("posts:read")),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Query(None, max_length=200),
):
    """One author: posts (newest first, paged by `cursor`), first and last seen, markets, languages,
    near-duplicate groups, narratives and the indicators they posted."""
    from monitio.services.authors import author_profile

    try:
        return author_profile(_engine(request), author, limit=limit, cursor=cursor).as_json()
    except MonitioError as exc:
        raise _fail(exc) from None
