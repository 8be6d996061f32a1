"""Briefs: make one for a period and scope, list the kept ones, download a file."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from monitio.api.schemas import MAX_ID, IdPath
from monitio.api.security import Caller, require, workspace
from monitio.services import briefs as brief_service
from monitio.workspace import Workspace

router = APIRouter(tags=["briefs"])


class BriefIn(BaseModel):
    """What to brief on: a named period or since/until days, and an optional scope."""

    period: Literal["day", "week", "month"] | None = None
    since: date | None = None
    until: date | None = Field(None, description="Last day included.")
    markets: list[str] = Field(default_factory=list, max_length=50)
    categories: list[str] = Field(default_factory=list, max_length=50)
    team: str | None = Field(None, max_length=80)
    saved_search: str | None = Field(None, max_length=200)
    formats: list[Literal["md", "html", "xlsx", "pdf"]] = Field(default_factory=lambda: ["md", "html", "xlsx"])
    top: int = Field(10, ge=1, le=50)


def _out(rec: brief_service.BriefRecord) -> dict:
    body = rec.to_json()
    body.pop("files")
    body["formats"] = {fmt: f"/api/v1/briefs/{rec.id}.{fmt}" for fmt in sorted(rec.files)}
    return body


@router.post("/briefs", status_code=201)
def generate_brief(
    ws: Workspace = Depends(workspace), body: BriefIn | None = None, c: Caller = Depends(require("briefs:write"))
):
    """Make a brief now (default: the 30 days up to now, all markets) and keep it.

    Example body: `{"period": "week", "markets": ["ID"], "formats": ["pdf", "xlsx"]}`.
    """
    body = body or BriefIn()
    rec = brief_service.make_brief(
        ws,
        period=body.period,
        since=body.since.isoformat() if body.since else None,
        until=body.until.isoformat() if body.until else None,
        markets=body.markets,
        categories=body.categories,
        team=body.team,
        saved_search=body.saved_search,
        formats=body.formats,
        top=body.top,
        actor=c.user.email,
    )
    return _out(rec)


@router.get("/briefs")
def list_briefs(ws: Workspace = Depends(workspace), c: Caller = Depends(require("briefs:read"))):
    """Kept briefs, newest first, each with its period, scope, author and download links."""
    return {"items": [_out(r) for r in brief_service.list_briefs(ws)]}


@router.get("/briefs/{brief_id}.{fmt}")
def download_brief(
    brief_id: IdPath, fmt: str, ws: Workspace = Depends(workspace), c: Caller = Depends(require("briefs:read"))
):
    """Download one kept brief's file: md, html, xlsx or pdf."""
    if not 0 < brief_id <= MAX_ID:
        from monitio.errors import NotFound

        raise NotFound(f"no brief {brief_id}")
    path, media = brief_service.brief_file(ws, brief_id, fmt)
    return FileResponse(path, media_type=media, filename=f"monitio-{path.name}")


class ResponseIn(BaseModel):
    lang: Literal["en", "id", "ms", "th", "vi", "tl", "zh", "ko", "ja", "hi"] = "en"


@router.post("/signals/{signal_id}/responses", status_code=201, tags=["signals"])
def draft_response(
    signal_id: IdPath,
    ws: Workspace = Depends(workspace),
    body: ResponseIn | None = None,
    c: Caller = Depends(require("signals:write")),
):
    """Draft a response pack for a signal (statement, internal note, enforcement list); a new version each time."""
    from monitio.errors import NotFound
    from monitio.services.responses import draft_response as draft

    if not 0 < signal_id <= MAX_ID:
        raise NotFound(f"no signal {signal_id}")
    rec = draft(ws, signal_id, lang=(body or ResponseIn()).lang, actor=c.user.email)
    return _response_out(rec)


@router.get("/signals/{signal_id}/responses", tags=["signals"])
def list_responses(signal_id: IdPath, ws: Workspace = Depends(workspace), c: Caller = Depends(require("signals:read"))):
    """Every kept version of a signal's response pack, newest first."""
    from monitio.services.responses import list_responses as listed
    from monitio.services.signals import get_signal

    items = listed(ws, signal_id)
    if not items:
        get_signal(ws, signal_id)  # an unknown signal is a 404, not an empty list
    return {"items": [_response_out(r) for r in items]}


@router.get("/signals/{signal_id}/responses/{version}.{fmt}", tags=["signals"])
def download_response(
    signal_id: IdPath,
    version: IdPath,
    fmt: str,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("signals:read")),
):
    """Download a response pack file: md (statement and note), csv or xlsx (enforcement list)."""
    from monitio.services.responses import response_file

    path, media = response_file(ws, signal_id, version, fmt)
    return FileResponse(path, media_type=media, filename=path.name)


def _response_out(rec) -> dict:
    body = rec.to_json()
    body["files"] = {fmt: f"/api/v1/signals/{rec.signal_id}/responses/{rec.version}.{fmt}" for fmt in sorted(rec.files)}
    return body
