"""Rendering helpers shared by the dashboard pages: templates, redirects with a flash message, the
error page, and the JSON island the charts read.

>>> trend_json({}, [], {})
'{"title": "", "bucket": "day", "partial_from": null, "series": [], "annotations": []}'
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from monitio import names
from monitio.errors import MonitioError
from monitio.reports.palette import category_color

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters.update(
    market_name=names.market_label,
    lang_name=names.language_label,
    kind_name=names.kind_label,
    status_name=names.status_label,
    stamp=names.stamp,
    category_name=lambda cid, table: names.category_label(cid, table or {}),
)


FLASH_COOKIE = "monitio_flash"


def page(request: Request, name: str, ctx: dict, status: int = 200) -> HTMLResponse:
    """A template rendered with autoescaping, never cached; a pending flash message is shown once."""
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    if FLASH_COOKIE in request.cookies:  # shown once
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def back(url: str, flash: str | None = None) -> RedirectResponse:
    """Redirect (303) with a one-time system message. The message travels in an HttpOnly, SameSite=Strict
    cookie the server sets, never in the URL, so a link cannot make the dashboard show text of its own
    (no `?flash=`/`?error=` content spoofing)."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(FLASH_COOKIE, quote(flash[:300]), max_age=60, httponly=True, samesite="strict", path="/")
    return response


def flash_of(request: Request) -> str | None:
    """The one-time message the server set for this browser (see `back`), if any."""
    raw = request.cookies.get(FLASH_COOKIE)
    return unquote(raw)[:300] if raw else None


def error_page(request: Request, exc: MonitioError, status: int) -> HTMLResponse:
    """A Monitio error as a dashboard page with the error's HTTP status."""
    return page(request, "error.html", {"user": None, "status": status, "message": exc.one_line()}, status)


def trend_json(
    points: dict[str, dict[datetime, int]],
    annotations: list[tuple],
    labels: dict,
    *,
    partial_from: datetime | None = None,
    title: str = "",
    bucket: str = "day",
) -> str:
    """The JSON island read by charts.js (escaped so it cannot close the script element).

    `annotations` are (time, label[, short label[, link]]) markers; `partial_from` starts the bucket
    still filling up, drawn dashed and labelled "partial"."""
    data = {
        "title": title,
        "bucket": bucket,
        "partial_from": partial_from.isoformat() if partial_from else None,
        "series": [
            {
                "name": labels.get(cat, cat),
                "color": category_color(cat),  # the same colour as in briefs (monitio/reports/palette.py)
                "points": [[t.isoformat(), v] for t, v in sorted(days.items())],
            }
            for cat, days in points.items()
        ],
        "annotations": [
            {"t": a[0].isoformat(), "label": a[1], "short": (a[2:3] or [""])[0], "href": (a[3:4] or [""])[0]}
            for a in annotations
        ],
    }
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
