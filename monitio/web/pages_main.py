"""Overview, signals (list, page, actions, bulk case), search (with export) and briefs pages."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse
from markupsafe import Markup

from monitio.api.schemas import IdPath
from monitio.errors import MonitioError
from monitio.reports.curve_svg import curve_svg
from monitio.services import briefs, overview, responses
from monitio.services import signals as sig
from monitio.web.deps import Viewer, checked, viewer, workspace
from monitio.web.render import back, flash_of, page, trend_json
from monitio.workspace import Workspace

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100


def base_ctx(request: Request, v: Viewer, nav: str) -> dict:
    return {"user": v.user, "csrf": v.csrf, "nav": nav, "flash": flash_of(request)}


def taxonomy_of(ws: Workspace):
    from monitio.taxonomy.loader import load_taxonomy

    return load_taxonomy(ws.settings.taxonomy)


@router.get("/")
def overview_page(request: Request, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)):
    names = {cid: c.name for cid, c in taxonomy_of(ws).categories.items()}
    o = overview.overview(ws)
    notes = [
        (
            datetime.fromisoformat(s["first_seen"].replace("Z", "+00:00")).replace(hour=0, minute=0, second=0),
            f"sev {s['severity']}: {s['why'][:120]}",
        )
        for s in o.signals
    ]
    return page(
        request,
        "overview.html",
        {
            **base_ctx(request, v, "Overview"),
            "days": o.days,
            "period_end": f"{o.period_end:%Y-%m-%d %H:00} UTC",
            "heat": {"markets": o.markets[:16], "categories": o.categories, "cells": o.cells, "max": o.max_cell},
            "names": names,
            "trend_json": trend_json(o.trends, notes, names),
            "signals": o.signals,
        },
    )


@router.get("/signals")
def signals_page(
    request: Request,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(viewer),
    status: str = "open",
    category: str = "",
    market: str = "",
    kind: str = "",
    min_severity: str = "1",
    sort: str = "severity",
    page_no: int = Query(1, alias="page", ge=1, le=100_000),
):
    if not v.can("signals:read"):
        return page(request, "login.html", {"user": None, "error": "Your role cannot read signals."}, 403)
    min_sev = max(1, min(10, int(min_severity))) if min_severity.isdigit() else 1
    query = sig.SignalQuery(
        status=None if status == "all" else status,
        category=category,
        market=market,
        kind=kind,
        min_severity=min_sev,
        sort=sort if sort in sig.SORTS else "severity",
    )
    result = sig.list_signals(ws, query, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    tax = taxonomy_of(ws)
    f = {"status": status, "category": category, "market": market, "kind": kind, "min_severity": min_sev, "sort": sort}

    def link(n: int) -> str:
        return "/signals?" + urlencode({**f, "page": n})

    return page(
        request,
        "signals.html",
        {
            **base_ctx(request, v, "Signals"),
            "signals": result.items,
            "total": result.total,
            "first": result.offset + 1,
            "prev": link(page_no - 1) if page_no > 1 else None,
            "next": link(page_no + 1) if result.offset + len(result.items) < result.total else None,
            "categories": list(tax.categories),
            "names": {k: c.name for k, c in tax.categories.items()},
            "can_write": v.can("cases:write"),
            "f": f,
        },
    )


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
    cat = next((tax.categories[c] for c in s["categories"] if c in tax.categories), None)
    return page(
        request,
        "signal.html",
        {
            **base_ctx(request, v, "Signals"),
            "s": s,
            "cases": found.cases,
            "indicators": found.indicators,
            "can_write": v.can("cases:write"),
            "can_act": v.can("signals:write"),
            "playbook": list(cat.playbook) if cat else [],
            "owner": cat.owner_team if cat else "",
            "curve_svg": Markup(curve_svg(s.get("curve") or [], window_start=s["window_start"], title=s["kind"])),
            "can_respond": v.can("signals:write"),
            "responses": [r.to_json() for r in responses.list_responses(ws, signal_id)],
        },
    )


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
