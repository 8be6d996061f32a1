"""Who is calling: bearer tokens for the API, session cookies (with CSRF) for the web UI.

Also the security headers on every response and a login rate limiter.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders

from monitio.auth.secrets import same
from monitio.auth.users import User
from monitio.errors import Forbidden, Unauthorized
from monitio.services import people
from monitio.workspace import Workspace

SESSION_COOKIE = "monitio_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class CsrfError(Forbidden):
    """A cookie-authenticated write without the session's CSRF token."""

    kind = "csrf"


@dataclass
class Caller:
    user: User
    via: str  # "token" or "session"
    csrf: str | None = None


HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """The security headers on every response (unless a route set its own), and `no-store` on the
    API. A plain ASGI middleware: Starlette's `BaseHTTPMiddleware` costs a task and a stream per request."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                for name, value in HEADERS:
                    h.setdefault(name, value)
                if api:
                    h.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


class LoginLimiter:
    """At most `limit` failed logins per key (IP, e-mail) in `window` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0):
        self.limit, self.window = limit, window
        self._fails: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, *keys: str) -> int:
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in keys:
                q = self._fails[key]
                while q and now - q[0] > self.window:
                    q.popleft()
                if len(q) >= self.limit:
                    wait = max(wait, self.window - (now - q[0]))
        return int(wait) + 1 if wait else 0

    def failed(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._fails[key].append(time.monotonic())

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._fails.pop(key, None)


def server_options(settings) -> dict:
    """uvicorn options for the client address: `X-Forwarded-For` is believed only from the reverse
    proxies in the setting `trusted_proxies` (default none), so the login rate limit keys on the real
    connecting address and a client cannot pick its own.

    >>> server_options(type("S", (), {"trusted_proxies": []})())
    {'proxy_headers': False, 'forwarded_allow_ips': []}
    >>> server_options(type("S", (), {"trusted_proxies": ["10.0.0.5"]})())
    {'proxy_headers': True, 'forwarded_allow_ips': ['10.0.0.5']}
    """
    trusted = list(getattr(settings, "trusted_proxies", None) or [])
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted}


async def workspace(request: Request) -> Workspace:
    """The workspace the app serves (a typed dependency for routes).

    The dependencies that only look at the request are `async`: FastAPI runs a plain `def`
    dependency in a worker thread, a hop that costs more than the work."""
    return request.app.state.ws


async def optional_caller(request: Request) -> Caller | None:
    """The caller of a request (bearer token, else session cookie), or None (the lookups run in a
    worker thread: they read the database)."""
    ws: Workspace = request.app.state.ws
    auth = request.headers.get("authorization", "")
    if auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("use 'Authorization: Bearer <token>'")
        user = await run_in_threadpool(people.token_user, ws, token.strip())
        if user is None:
            raise Unauthorized("the token is unknown, expired or revoked")
        return Caller(user, "token")
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        found = await run_in_threadpool(people.session_user, ws, sid)
        if found:
            user, csrf = found
            if request.method not in SAFE_METHODS:
                sent = request.headers.get(CSRF_HEADER) or request.state.__dict__.get("form_csrf") or ""
                if not sent or not same(sent, csrf):
                    raise CsrfError("missing or wrong CSRF token")
            return Caller(user, "session", csrf)
    return None


async def caller(c: Caller | None = Depends(optional_caller)) -> Caller:
    if c is None:
        raise Unauthorized("log in or send an API token")
    return c


def require(permission: str):
    """A dependency that lets the call through only with `permission`."""

    async def check(c: Caller = Depends(caller)) -> Caller:
        if not c.user.can(permission):
            raise Forbidden(f"your role ({c.user.role}) may not do this ({permission})")
        return c

    return check


def require_any(*permissions: str):
    async def check(c: Caller = Depends(caller)) -> Caller:
        if not any(c.user.can(p) for p in permissions):
            raise Forbidden(f"your role ({c.user.role}) may not do this")
        return c

    return check
