"""Dashboard search (paged, facets, highlighted terms), streamed exports, saved searches, author view.

Every page goes through `monitio.services.search`; Jinja2 escapes every value from a post, and the
highlighted terms are rendered as separate escaped segments inside `<mark>`.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from monitio.errors import MonitioError
from monitio.services import authors, overview, saved_searches
from monitio.services import search as svc
from monitio.services.search_export import iter_csv, write_xlsx
from monitio.web.deps import Viewer, checked, viewer, workspace
from monitio.web.filterbar import ViewFilter
from monitio.web.pages_main import PRESETS, base_ctx, category_names, filter_bar
from monitio.web.render import back, page
from monitio.workspace import Workspace

router = APIRouter(include_in_schema=False)

PAGE = 50


def segments(text: str, spans) -> list[tuple[str, bool]]:
    """The text cut into (piece, highlighted?) pieces.

    >>> segments("a scam here", [(2, 6)])
    [('a ', False), ('scam', True), (' here', False)]
    """
    out, pos = [], 0
    for s, e in spans:
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _item(hit) -> dict:
    d = svc.item_json(hit)
    d["segments"] = segments(hit.row.text, hit.highlights)
    return d


@router.get("/search")
def search_page(
    request: Request,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(viewer),
    q: str = "",
    cursor: str | None = None,
    start: int = 1,
    saved: str = "",
):
    from monitio.query import Budget

    f = ViewFilter.parse(request.query_params, default="all")
    end = overview.data_end(ws)
    ctx = {**base_ctx(request, v, "Search"), "q": q, "error": None, "results": [], "total": 0}
    ctx.update(saved=saved, can_save=v.can("posts:write"), facets={}, next_url=None, start=max(1, start))
    ctx.update(fb=filter_bar(ws, f, end, ranges=("all", *PRESETS)), names=category_names(ws))
    searched = bool(q) or f.active or f.range != "all"
    ctx.update(hidden=[("q", q)] if q else [], view=f.query_string(q=q), searched=searched)
    if not v.can("posts:read"):
        ctx["error"] = "Your role cannot search posts."
        return page(request, "search.html", ctx)
    ctx["saved_searches"] = saved_searches.list_saved(ws.engine)
    if ctx["searched"]:
        try:
            budget = Budget(ws.settings.search_timeout_seconds)
            filters = view_filters(f, end)
            result = svc.search(ws.engine, q or None, filters=filters, limit=PAGE, cursor=cursor, budget=budget)
        except MonitioError as exc:
            ctx["error"] = exc.one_line()
            return page(request, "search.html", ctx)
        ctx.update(results=[_item(h) for h in result.items], total=result.total, facets=result.facets)
        if result.next_cursor:
            nxt = f.query_string(q=q, cursor=result.next_cursor, start=ctx["start"] + len(result.items))
            ctx["next_url"] = "/search?" + nxt
    return page(request, "search.html", ctx)


def view_filters(f: ViewFilter, end) -> svc.Filters:
    """The filter bar as search filters: the window [since, until) and any of the chosen values."""
    since, until = f.window(end)
    return svc.Filters(
        since=since,
        until=until - timedelta(microseconds=1) if until else None,
        markets=f.markets,
        categories=f.categories,
        langs=f.langs,
    )


@router.get("/search/export")
def search_export(
    request: Request, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer), q: str = "", format: str = "xlsx"
):
    if not v.can("posts:read"):
        return back("/search?q=" + quote(q), "Your role cannot search posts.")
    f = ViewFilter.parse(request.query_params, default="all")
    filters = view_filters(f, overview.data_end(ws))
    try:
        svc.parse_query(q)
    except MonitioError as exc:
        return back("/search?q=" + quote(q), exc.one_line())
    if format == "csv":
        return StreamingResponse(
            iter_csv(svc.iter_matches(ws.engine, q or None, filters)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="monitio-search.csv"'},
        )
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    write_xlsx(svc.iter_matches(ws.engine, q or None, filters), path, q or f.describe(None))
    return FileResponse(
        path,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename="monitio-search.xlsx",
        background=BackgroundTask(os.unlink, path),
    )


@router.post("/search/save")
def search_save(
    ws: Workspace = Depends(workspace), v: Viewer = Depends(checked), q: str = Form(""), name: str = Form("")
):
    if not v.can("posts:write"):
        return back("/search?q=" + quote(q), "Your role cannot save searches.")
    try:
        s = saved_searches.add(ws.engine, name, q, owner=v.user.email)
    except MonitioError as exc:
        return back("/search?q=" + quote(q), exc.one_line())
    return back("/search?" + urlencode({"q": s.query, "saved": s.name}), f"Saved as {s.name}.")


@router.get("/authors/{author:path}")
def author_page(
    request: Request,
    author: str,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(viewer),
    cursor: str | None = None,
    start: int = 1,
):
    ctx = {**base_ctx(request, v, "Search"), "author": author, "error": None, "profile": None}
    ctx["names"] = category_names(ws)
    if not v.can("posts:read"):
        ctx["error"] = "Your role cannot read posts."
        return page(request, "author.html", ctx, status=403)
    try:
        profile = authors.author_profile(ws.engine, author, limit=PAGE, cursor=cursor)
    except MonitioError as exc:
        ctx["error"] = exc.one_line()
        return page(request, "author.html", ctx, status=exc.http_status)
    ctx.update(profile=profile, results=[_item(h) for h in profile.page.items], start=max(1, start))
    if profile.page.next_cursor:
        nxt = {"cursor": profile.page.next_cursor, "start": ctx["start"] + len(profile.page.items)}
        ctx["next_url"] = f"/authors/{quote(author, safe='')}?" + urlencode(nxt)
    return page(request, "author.html", ctx)
