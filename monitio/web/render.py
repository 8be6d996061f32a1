"""Rendering helpers shared by the dashboard pages: templates, redirects with a flash message, the
error page, and the JSON island the charts read.

>>> trend_json({}, [], {})
'{"series": [], "annotations": []}'
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from monitio.errors import MonitioError
from monitio.reports.palette import category_color

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


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


def trend_json(points: dict[str, dict[datetime, int]], annotations: list[tuple[datetime, str]], names: dict) -> str:
    """The JSON island read by charts.js (escaped so it cannot close the script element)."""
    data = {
        "series": [
            {
                "name": names.get(cat, cat),
                "color": category_color(cat),  # the same colour as in briefs (monitio/reports/palette.py)
                "points": [[t.isoformat(), v] for t, v in sorted(days.items())],
            }
            for cat, days in points.items()
        ],
        "annotations": [{"t": t.isoformat(), "label": label} for t, label in annotations],
    }
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
