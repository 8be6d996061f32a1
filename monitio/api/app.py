"""The FastAPI application: `/api/v1` (OpenAPI at `/openapi.json`) and the web dashboard at `/`.

>>> import tempfile
>>> from monitio.workspace import init_workspace
>>> app = create_app(init_workspace(tempfile.mkdtemp()))
>>> app.openapi()["info"]["title"]
'Monitio'
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from monitio.api import (
    errors,
    routes_alerts,
    routes_briefs,
    routes_cases,
    routes_data,
    routes_intel,
    routes_people,
    routes_signals,
    routes_taxonomy,
)
from monitio.api.docs_page import mount_docs
from monitio.api.jsonbody import json_body
from monitio.api.security import LoginLimiter, SecurityHeaders
from monitio.services import facet_columns
from monitio.services.data import post_count
from monitio.web.routes import mount
from monitio.workspace import Workspace

API = "/api/v1"


def app_from_env() -> FastAPI:
    """The app for one server process of `monitio serve --workers N` (workspace from `MONITIO_WORKSPACE`)."""
    from monitio.workspace import open_workspace

    return create_app(open_workspace(os.environ.get("MONITIO_WORKSPACE")))


def create_app(ws: Workspace, *, cookie_secure: bool | None = None) -> FastAPI:
    app = FastAPI(
        title="Monitio",
        version="1",
        description="Monetization-risk intelligence: posts, series, signals, cases and briefs. "
        "Authenticate with `Authorization: Bearer <token>` (create one with `monitio tokens create EMAIL`).",
        openapi_url="/openapi.json",
        docs_url=None,  # served by monitio.api.docs_page from installed assets (no CDN, no inline script)
        redoc_url=None,
    )
    app.state.ws = ws
    app.state.login_limiter = LoginLimiter()
    if cookie_secure is None:
        cookie_secure = os.environ.get("MONITIO_COOKIE_SECURE", "true").lower() not in {"0", "false", "no"}
    app.state.cookie_secure = cookie_secure
    app.add_middleware(SecurityHeaders)
    errors.install(app)
    mount_docs(app)
    modules = (
        routes_people,
        routes_data,
        routes_signals,
        routes_briefs,
        routes_cases,
        routes_alerts,
        routes_intel,
        routes_taxonomy,
    )
    for module in modules:
        app.include_router(module.router, prefix=API)
    app.include_router(routes_cases.narratives_router, prefix=API)

    @app.get(f"{API}/health", tags=["health"], response_model=dict)
    def health():
        """Liveness and the post count (counted at most every few seconds: a probe must stay cheap)."""
        return json_body({"status": "ok", "posts": post_count(ws)})

    mount(app)
    if ws.settings.search_columns and post_count(ws) >= facet_columns.MIN_POSTS:
        facet_columns.warm_up(ws.engine)  # in the background: searches use SQL until it is ready
    return app
