"""Narrative list and narrative page (timeline, terms, example posts, markets), and case creation."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Query, Request

from monitio.api.schemas import IdPath
from monitio.errors import MonitioError
from monitio.services import narratives, overview
from monitio.services.cases import case_from_narrative
from monitio.web.deps import Viewer, checked, viewer, workspace
from monitio.web.filterbar import ViewFilter
from monitio.web.pages_main import PRESETS, base_ctx, category_names, filter_bar
from monitio.web.render import back, page, trend_json
from monitio.workspace import Workspace

router = APIRouter(include_in_schema=False)


NARRATIVE_SORTS = {
    "growth": "Emerging score (fastest-growing first)",
    "size": "Size (most posts first)",
    "recent": "Posts in the last 24 hours",
    "last_seen": "Seen most recently",
}
PAGE = 50


@router.get("/narratives")
def narratives_page(
    request: Request,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(viewer),
    sort: str = "growth",
    page_no: int = Query(1, alias="page", ge=1, le=100_000),
):
    sort = sort if sort in NARRATIVE_SORTS else "growth"
    f = ViewFilter.parse(request.query_params, default="all")
    end = overview.data_end(ws)
    since, until = f.window(end)
    q = narratives.NarrativeQuery(
        sort=sort, categories=f.categories, markets=f.markets, langs=f.langs, since=since, until=until
    )
    found = narratives.list_page(ws, q, limit=PAGE, offset=(page_no - 1) * PAGE)

    def link(n: int) -> str:
        return "/narratives?" + f.query_string(sort=sort, page=n)

    return page(
        request,
        "narratives.html",
        {
            **base_ctx(request, v, "Narratives"),
            "fb": filter_bar(ws, f, end, ranges=(*PRESETS, "all")),
            "items": found.items,
            "total": found.total,
            "first": found.offset + 1,
            "prev": link(page_no - 1) if page_no > 1 else None,
            "next": link(page_no + 1) if found.offset + len(found.items) < found.total else None,
            "sorts": NARRATIVE_SORTS,
            "sort": sort,
            "names": category_names(ws),
        },
    )


@router.get("/narratives/{narrative_id}")
def narrative_page(
    request: Request, narrative_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)
):
    try:
        n = narratives.get_narrative(ws, narrative_id)
    except narratives.UnknownNarrative:
        return back("/narratives", "No such narrative.")
    points = {"posts": {datetime.fromisoformat(d["day"]).replace(tzinfo=UTC): d["posts"] for d in n["timeline"]}}
    merges = [{**m, "why": narratives.merge_reason(m["reasons"])} for m in n.get("merges") or []]
    return page(
        request,
        "narrative.html",
        {
            **base_ctx(request, v, "Narratives"),
            "n": n,
            "names": category_names(ws),
            "merges": merges,
            "can_write": v.can("cases:write"),
            "timeline_json": trend_json(points, [], {"posts": "Posts per day"}, title="Posts per day"),
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
