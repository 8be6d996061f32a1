"""Overview, signals (list, page, actions, bulk case), search (with export) and briefs pages."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse
from markupsafe import Markup

from monitio.api.schemas import IdPath
from monitio.errors import MonitioError
from monitio.names import KINDS, kind_label, language_label, market_label
from monitio.reports.curve_svg import curve_svg
from monitio.services import briefs, overview, responses, saved_views
from monitio.services import signals as sig
from monitio.web.deps import Viewer, checked, viewer, workspace
from monitio.web.filterbar import RANGE_LABELS, ViewFilter
from monitio.web.render import back, flash_of, page, trend_json
from monitio.workspace import Workspace

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
PRESETS = ("24h", "7d", "30d", "custom")


def base_ctx(request: Request, v: Viewer, nav: str) -> dict:
    return {"user": v.user, "csrf": v.csrf, "nav": nav, "flash": flash_of(request)}


def taxonomy_of(ws: Workspace):
    from monitio.taxonomy.loader import load_taxonomy

    return load_taxonomy(ws.settings.taxonomy)


def category_names(ws: Workspace) -> dict[str, str]:
    return {cid: c.name for cid, c in taxonomy_of(ws).categories.items()}


_DIMENSIONS: dict[tuple[str, datetime], tuple[list[str], list[str]]] = {}


def _dimensions(path: str, end: datetime, ws: Workspace) -> tuple[list[str], list[str]]:
    """Markets and languages with posts, cached until newer data arrives (the end hour moves)."""
    key = (path, end)
    if key not in _DIMENSIONS:
        if len(_DIMENSIONS) > 32:
            _DIMENSIONS.clear()
        _DIMENSIONS[key] = overview.dimensions(ws)
    return _DIMENSIONS[key]


def filter_bar(ws: Workspace, f: ViewFilter, end: datetime, ranges: tuple[str, ...] = PRESETS) -> dict:
    """What the filter bar shows: the ranges, every market and language with posts, every category."""
    markets, langs = _dimensions(str(ws.path), end, ws)
    cats = category_names(ws)
    return {
        "f": f,
        "ranges": [(r, RANGE_LABELS[r]) for r in ranges],
        "groups": [
            ("market", "Markets", [(m, market_label(m)) for m in markets], f.markets),
            ("category", "Categories", sorted(cats.items(), key=lambda kv: kv[1]), f.categories),
            ("lang", "Languages", [(la, language_label(la)) for la in langs], f.langs),
        ],
        "window_text": f.describe(end),
    }


@router.get("/")
def overview_page(request: Request, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)):
    names = category_names(ws)
    f = ViewFilter.parse(request.query_params)
    end = overview.data_end(ws)
    since, until = f.window(end)
    markets, _ = _dimensions(str(ws.path), end, ws)
    o = overview.overview(
        ws,
        since=since,
        until=until,
        markets=f.markets,
        categories=f.categories,
        langs=f.langs,
        all_markets=markets,
    )
    step = timedelta(hours=1) if o.bucket == "hour" else timedelta(days=1)
    notes = []
    for s in o.signals:
        began = datetime.fromisoformat(s["first_seen"].replace("Z", "+00:00"))
        began = began.replace(minute=0, second=0, microsecond=0)
        if o.bucket == "day":
            began = began.replace(hour=0)
        cats = ", ".join(names.get(c, c) for c in s["categories"]) or "all posts"
        title = f"#{s['id']} severity {s['severity']}: {kind_label(s['kind'])}, {cats}"
        notes.append((max(began, o.since.replace(minute=0)), title, f"#{s['id']}", f"/signals/{s['id']}"))

    def link(market: str, category: str | None) -> str:
        view = ViewFilter(f.range, f.since, f.until, (market,), (category,) if category else f.categories, f.langs)
        return view.query_string()

    buckets = sorted({t for days in o.trends.values() for t in days})
    fmt = "%Y-%m-%d %H:00" if o.bucket == "hour" else "%Y-%m-%d"
    return page(
        request,
        "overview.html",
        {
            **base_ctx(request, v, "Overview"),
            "fb": filter_bar(ws, f, end),
            "heat": {
                "markets": o.markets,
                "categories": o.categories,
                "cells": o.cells,
                "max": o.max_cell,
                "market_posts": o.market_posts,
                "link": link,
            },
            "names": names,
            "bucket": o.bucket,
            "partial": o.partial_from,
            "trend_json": trend_json(
                o.trends,
                notes,
                names,
                partial_from=o.partial_from,
                title=f"Risk posts per {o.bucket} by category",
                bucket=o.bucket,
            ),
            "trend_table": {
                "names": [names.get(c, c) for c in o.trends],
                "rows": [
                    {
                        "label": f"{t:{fmt}}" + (" (partial)" if o.partial_from and t >= o.partial_from else ""),
                        "values": [o.trends[c].get(t, 0) for c in o.trends],
                    }
                    for t in buckets
                ],
            },
            "signals": o.signals,
            "step": step,
        },
    )


SIGNAL_SORTS = {"severity": "Severity", "size": "Size (posts)", "first_seen": "Newest first", "score": "Score"}
STATUS_CHOICES = ("open", "closed", "dismissed", "all")


@router.get("/signals")
def signals_page(
    request: Request,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(viewer),
    status: str = "open",
    kind: str = "",
    min_severity: str = "1",
    sort: str = "severity",
    page_no: int = Query(1, alias="page", ge=1, le=100_000),
):
    if not v.can("signals:read"):
        return page(request, "login.html", {"user": None, "error": "Your role cannot read signals."}, 403)
    f = ViewFilter.parse(request.query_params, default="30d")
    end = overview.data_end(ws)
    since, until = f.window(end)
    min_sev = max(1, min(10, int(min_severity))) if min_severity.isdigit() else 1
    status = status if status in STATUS_CHOICES else "open"
    sort = sort if sort in sig.SORTS else "severity"
    kind = kind if kind in KINDS else ""
    query = sig.SignalQuery(
        status=None if status == "all" else status,
        kind=kind,
        markets=f.markets,
        categories=f.categories,
        langs=f.langs,
        min_severity=min_sev,
        since=since,
        until=until,
        sort=sort,
    )
    result = sig.list_signals(ws, query, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, evidence=False)
    tax = taxonomy_of(ws)
    names = {k: c.name for k, c in tax.categories.items()}
    owners = {k: c.owner_team for k, c in tax.categories.items()}
    extra = {"status": status, "kind": kind, "min_severity": min_sev if min_sev > 1 else "", "sort": sort}

    def link(n: int) -> str:
        return "/signals?" + f.query_string(**extra, page=n)

    own = [("status", status), ("kind", kind), ("min_severity", str(min_sev)), ("sort", sort)]
    views = saved_views.list_views(ws, v.user.email, "signals")
    return page(
        request,
        "signals.html",
        {
            **base_ctx(request, v, "Signals"),
            "fb": filter_bar(ws, f, end, ranges=(*PRESETS, "all")),
            "hidden": [(k, val) for k, val in own if val],
            "signals": result.items,
            "total": result.total,
            "first": result.offset + 1,
            "prev": link(page_no - 1) if page_no > 1 else None,
            "next": link(page_no + 1) if result.offset + len(result.items) < result.total else None,
            "names": names,
            "owners": {s["id"]: sorted({owners[c] for c in s["categories"] if owners.get(c)}) for s in result.items},
            "can_write": v.can("cases:write"),
            "sorts": SIGNAL_SORTS,
            "statuses": STATUS_CHOICES,
            "kinds": KINDS,
            "extra": extra,
            "views": views,
            "view_query": f.query_string(**extra),
        },
    )


@router.post("/signals/views")
def save_signal_view(
    ws: Workspace = Depends(workspace), v: Viewer = Depends(checked), name: str = Form(""), query: str = Form("")
):
    try:
        view = saved_views.save_view(ws, v.user.email, "signals", name, query)
    except MonitioError as exc:
        return back("/signals?" + saved_views.clean_query(query), exc.one_line())
    return back("/signals?" + view.query, f"Saved the view {view.name!r}.")


@router.post("/signals/views/{view_id}/delete")
def delete_signal_view(view_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked)):
    try:
        saved_views.delete_view(ws, v.user.email, view_id)
    except MonitioError as exc:
        return back("/signals", exc.one_line())
    return back("/signals", "Saved view removed.")


@router.get("/signals/{signal_id}")
def signal_page(request: Request, signal_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)):
    if not v.can("signals:read") or not 0 < signal_id < 2**62:
        return back("/signals", "No such signal.")
    try:
        found = sig.get_signal(ws, signal_id)
    except sig.UnknownSignal:
        return back("/signals", "No such signal.")
    s = found.signal
    tax = taxonomy_of(ws)
    names = {k: c.name for k, c in tax.categories.items()}
    cat = next((tax.categories[c] for c in s["categories"] if c in tax.categories), None)
    can_write = v.can("cases:write")
    return page(
        request,
        "signal.html",
        {
            **base_ctx(request, v, "Signals"),
            "s": s,
            "names": names,
            "cases": found.cases,
            "open_cases": sig.case_choices(ws, v.user) if can_write else [],
            "indicators": found.indicator_counts,
            "narratives": found.narratives,
            "authors": found.authors[:20],
            "can_write": can_write,
            "can_act": v.can("signals:write"),
            "playbook": list(cat.playbook) if cat else [],
            "owner": cat.owner_team if cat else "",
            "curve_svg": Markup(
                curve_svg(s.get("curve") or [], window_start=s["window_start"], title=kind_label(s["kind"]))
            ),
            "can_respond": v.can("signals:write"),
            "responses": [r.to_json() for r in responses.list_responses(ws, signal_id)],
            "audit": sig.signal_history(ws, signal_id),
        },
    )


@router.post("/signals/{signal_id}/link-case")
def signal_link_case(
    signal_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked), case_id: str = Form("")
):
    if not case_id.isdigit() or not 0 < int(case_id) < 2**62:
        return back(f"/signals/{signal_id}", "Choose the case to link this signal to.")
    try:
        sig.link_to_case(ws, signal_id, int(case_id), actor=v.user)
    except MonitioError as exc:
        return back(f"/signals/{signal_id}", exc.one_line())
    return back(f"/signals/{signal_id}", f"Signal {signal_id} linked to case #{case_id}.")


@router.post("/signals/{signal_id}/respond")
def signal_respond(
    signal_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked), lang: str = Form("en")
):
    if not v.can("signals:write"):
        return back(f"/signals/{signal_id}", "Your role cannot draft responses.")
    try:
        rec = responses.draft_response(ws, signal_id, lang=lang, actor=v.user.email)
    except MonitioError as exc:
        return back(f"/signals/{signal_id}", f"Could not draft the response: {exc.one_line()}")
    return back(f"/signals/{signal_id}", f"Response draft version {rec.version} saved.")


@router.get("/signals/{signal_id}/responses/{version}.{fmt}")
def signal_response_file(
    signal_id: IdPath, version: int, fmt: str, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)
):
    if not v.can("signals:read"):
        return back("/signals", "No such signal.")
    path, media = responses.response_file(ws, signal_id, version, fmt)
    return FileResponse(path, media_type=media, filename=path.name)


@router.post("/signals/{signal_id}/act")
def signal_action(
    signal_id: IdPath,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
    action: str = Form(""),
    reason: str = Form(""),
):
    try:
        done = sig.act(ws, signal_id, action, actor=v.user, reason=reason or None)
    except MonitioError as exc:
        return back(f"/signals/{signal_id}", exc.one_line())
    if done.case_id is not None:
        return back(f"/cases/{done.case_id}", f"Signal {signal_id} escalated to case #{done.case_id}.")
    return back(f"/signals/{signal_id}", f"Signal {signal_id}: {action} done (now {done.status}).")


@router.post("/signals/bulk-case")
async def bulk_case(request: Request, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked)):
    from monitio.services.cases import case_from_signals

    form = await request.form()
    ids = [int(x) for x in form.getlist("signal_id") if str(x).isdigit() and 0 < int(x) < 2**62]
    if not v.can("cases:write") or not ids:
        return back("/signals", "Select at least one signal (and you need a role that can create cases).")
    try:
        case_id = case_from_signals(ws, ids, actor=v.user)
    except MonitioError as exc:
        return back("/signals", exc.one_line())
    return back(f"/cases/{case_id}", f"Case #{case_id} created from {len(ids)} signal(s).")


@router.get("/briefs")
def briefs_page(request: Request, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)):
    items = briefs.list_briefs(ws) if v.can("briefs:read") else []
    return page(
        request,
        "briefs.html",
        {
            **base_ctx(request, v, "Briefs"),
            "names": category_names(ws),
            "can_write": v.can("briefs:write"),
            "briefs": [{**r.to_json(), "links": {f: f"/briefs/{r.id}.{f}" for f in sorted(r.files)}} for r in items],
        },
    )


@router.post("/briefs/generate")
def briefs_generate(
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
    period: str = Form(""),
    market: str = Form(""),
    formats: list[str] = Form(["md", "html", "xlsx"]),
):
    if not v.can("briefs:write"):
        return back("/briefs", "Your role cannot generate briefs.")
    try:
        made = briefs.make_brief(
            ws,
            period=period or None,
            markets=[m for m in market.replace(",", " ").split() if m],
            formats=formats,
            actor=v.user.email,
        )
    except MonitioError as exc:
        return back("/briefs", f"Could not make the brief: {exc.one_line()}")
    return back("/briefs", f"Brief {made.stem} made.")


@router.get("/briefs/{brief_id}.{fmt}")
def briefs_download(brief_id: IdPath, fmt: str, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)):
    if not v.can("briefs:read"):
        return back("/", "Your role cannot read briefs.")
    path, media = briefs.brief_file(ws, brief_id, fmt)
    return FileResponse(path, media_type=media, filename=f"monitio-{path.name}")
