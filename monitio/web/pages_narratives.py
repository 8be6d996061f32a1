"""Narrative list and narrative page (timeline, terms, example posts, markets), and case creation."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request

from monitio.api.schemas import IdPath
from monitio.errors import MonitioError
from monitio.services import narratives
from monitio.services.cases import case_from_narrative
from monitio.web.deps import Viewer, checked, viewer, workspace
from monitio.web.pages_main import base_ctx
from monitio.web.render import back, page, trend_json
from monitio.workspace import Workspace

router = APIRouter(include_in_schema=False)


@router.get("/narratives")
def narratives_page(
    request: Request,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(viewer),
    category: str = "",
    market: str = "",
    sort: str = Query("growth", pattern="^(growth|size|last_seen|recent)$"),
):
    q = narratives.NarrativeQuery(category=category or None, market=market or None, sort=sort)
    items = narratives.list_page(ws, q, limit=200).items
    return page(request, "narratives.html", {**base_ctx(request, v, "Narratives"), "items": items})


@router.get("/narratives/{narrative_id}")
def narrative_page(
    request: Request, narrative_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)
):
    try:
        n = narratives.get_narrative(ws, narrative_id)
    except narratives.UnknownNarrative:
        return back("/narratives", "No such narrative.")
    points = {"posts": {datetime.fromisoformat(d["day"]): d["posts"] for d in n["timeline"]}}
    return page(
        request,
        "narrative.html",
        {
            **base_ctx(request, v, "Narratives"),
            "n": n,
            "can_write": v.can("cases:write"),
            "timeline_json": trend_json(points, [], {"posts": "posts per day"}),
        },
    )


@router.post("/narratives/{narrative_id}/case")
def narrative_case(narrative_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked)):
    if not v.can("cases:write"):
        return back(f"/narratives/{narrative_id}", "Your role cannot create cases.")
    try:
        case_id = case_from_narrative(ws, narrative_id, actor=v.user)
    except narratives.UnknownNarrative:
        return back("/narratives", "No such narrative.")
    except MonitioError as exc:
        return back(f"/narratives/{narrative_id}", exc.one_line())
    return back(f"/cases/{case_id}", f"Case #{case_id} created from narrative #{narrative_id}.")
