"""Web pages: login, overview, signals, search, cases, briefs, settings.

Pages read through the same service functions as the API. Every form carries the session's CSRF
token; every value from a post is escaped by Jinja2's autoescaping; the page loads only
`/static/app.css` and `/static/charts.js` (no inline script, no CDN).
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from monitio.api.security import SESSION_COOKIE
from monitio.auth import users as people
from monitio.auth.secrets import same

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
LOGIN_CSRF_COOKIE = "monitio_login_csrf"


class LoginRequired(Exception):
    pass


class BadCsrf(Exception):
    pass


def _ws(request: Request):
    return request.app.state.ws


def current(request: Request):
    sid = request.cookies.get(SESSION_COOKIE)
    if not sid:
        raise LoginRequired
    with _ws(request).engine.connect() as conn:
        found = people.session_user(conn, sid)
    if not found:
        raise LoginRequired
    return found


def check_csrf(csrf: str, sent: str | None) -> None:
    if not sent or not same(sent, csrf):
        raise BadCsrf


FLASH_COOKIE = "monitio_flash"


def page(request: Request, name: str, ctx: dict, status: int = 200) -> HTMLResponse:
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


def base_ctx(request: Request, user, csrf: str, nav: str) -> dict:
    return {"user": user, "csrf": csrf, "nav": nav, "flash": flash_of(request)}


def taxonomy_of(request: Request):
    from monitio.taxonomy.loader import load_taxonomy

    return load_taxonomy(_ws(request).settings.taxonomy)


def mount(app: FastAPI) -> None:
    """Add the dashboard's routes and static files to the app."""
    from monitio.web import pages_cases, pages_main

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc):
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(BadCsrf)
    async def _csrf(request: Request, _exc):
        return HTMLResponse(
            "The form expired or did not come from Monitio. Go back, reload and try again.", status_code=403
        )

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request):
        token = secrets.token_urlsafe(24)
        response = page(request, "login.html", {"user": None, "login_csrf": token, "error": flash_of(request)})
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.app.state.cookie_secure,
            max_age=3600,
        )
        return response

    @app.post("/login", include_in_schema=False)
    def login(request: Request, email: str = Form(""), password: str = Form(""), csrf_token: str = Form("")):
        check_csrf(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token)
        limiter = request.app.state.login_limiter
        ip = request.client.host if request.client else "?"
        keys = (f"ip:{ip}", f"email:{email.strip().lower()}")
        if limiter.retry_after(*keys):
            return back("/login", "Too many failed logins; try again in a few minutes.")
        with _ws(request).engine.begin() as conn:
            user = people.authenticate(conn, email, password)
            if user is None or user.role == "service":
                limiter.failed(*keys)
                return back("/login", "Wrong e-mail or password.")
            sid, _ = people.create_session(conn, user)
        limiter.succeeded(*keys)
        response = back("/")
        response.set_cookie(
            SESSION_COOKIE,
            sid,
            httponly=True,
            samesite="strict",
            secure=request.app.state.cookie_secure,
            max_age=people.SESSION_HOURS * 3600,
            path="/",
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf_token: str = Form("")):
        _, csrf = current(request)
        check_csrf(csrf, csrf_token)
        with _ws(request).engine.begin() as conn:
            people.end_session(conn, request.cookies.get(SESSION_COOKIE, ""))
        response = back("/login")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    pages_main.register(app)
    pages_cases.register(app)


def trend_json(points: dict[str, dict[datetime, int]], annotations: list[tuple[datetime, str]], names: dict) -> str:
    """The JSON island read by charts.js (escaped so it cannot close the script element)."""
    data = {
        "series": [
            {"name": names.get(cat, cat), "points": [[t.isoformat(), v] for t, v in sorted(days.items())]}
            for cat, days in points.items()
        ],
        "annotations": [{"t": t.isoformat(), "label": label} for t, label in annotations],
    }
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def days_ago(n: int) -> datetime:
    return (datetime.now(UTC) - timedelta(days=n)).replace(minute=0, second=0, microsecond=0)
