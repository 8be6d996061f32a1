"""Web pages: login, overview, signals, search, cases, narratives, briefs, settings.

Pages are thin adapters over `monitio.services`, like the API. Every form carries the session's CSRF
token; every value from a post is escaped by Jinja2's autoescaping; the page loads only
`/static/app.css` and `/static/charts.js` (no inline script, no CDN).
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from monitio.api.security import SESSION_COOKIE
from monitio.errors import MonitioError
from monitio.services import people
from monitio.web import pages_cases, pages_main, pages_narratives, pages_search, pages_settings
from monitio.web.deps import LoginRequired, Viewer, check_csrf, checked, workspace
from monitio.web.render import HERE, back, error_page, flash_of, page
from monitio.workspace import Workspace

LOGIN_CSRF_COOKIE = "monitio_login_csrf"
router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_form(request: Request):
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", {"user": None, "login_csrf": token, "error": flash_of(request)})
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=request.app.state.cookie_secure, max_age=3600
    )
    return response


@router.post("/login")
def login(
    request: Request,
    ws: Workspace = Depends(workspace),
    email: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
):
    check_csrf(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token)
    limiter = request.app.state.login_limiter
    ip = request.client.host if request.client else "?"
    keys = (f"ip:{ip}", f"email:{email.strip().lower()}")
    if limiter.retry_after(*keys):
        return back("/login", "Too many failed logins; try again in a few minutes.")
    try:
        session = people.login(ws, email, password)
    except MonitioError:  # wrong password, or a service account (which has no web login)
        limiter.failed(*keys)
        return back("/login", "Wrong e-mail or password.")
    limiter.succeeded(*keys)
    response = back("/")
    response.set_cookie(
        SESSION_COOKIE,
        session.sid,
        httponly=True,
        samesite="strict",
        secure=request.app.state.cookie_secure,
        max_age=people.SESSION_HOURS * 3600,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked)):
    people.logout(ws, request.cookies.get(SESSION_COOKIE, ""))
    response = back("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/favicon.ico")
def favicon():
    return Response(status_code=204)


def mount(app: FastAPI) -> None:
    """Add the dashboard's routes, static files and error pages to the app."""
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.html_error = error_page  # Monitio errors on a page render as a page with their status

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc):
        return RedirectResponse("/login", status_code=303)

    app.include_router(router)
    for module in (pages_main, pages_narratives, pages_cases, pages_settings, pages_search):
        app.include_router(module.router)
