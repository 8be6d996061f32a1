"""One error body for every failure: `{"error": {"code": ..., "message": ..., "details": ...}}`.

A :class:`monitio.errors.MonitioError` answers with its class's status and `kind` as the code; the
message text never chooses the status.

>>> from monitio.errors import Conflict
>>> status_and_body(Conflict("a user x exists already"))
(409, {'error': {'code': 'conflict', 'message': 'a user x exists already', 'details': None}})
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from monitio.errors import MonitioError, RateLimited, Unauthorized

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal",
}


def body(status: int, message: str, code: str | None = None, details: Any = None) -> dict:
    return {"error": {"code": code or CODES.get(status, "error"), "message": message, "details": details}}


def status_and_body(exc: MonitioError) -> tuple[int, dict]:
    """The HTTP status and error body for a Monitio error."""
    details = exc.details
    if details is None and exc.hint:
        details = {"hint": exc.hint}
    return exc.http_status, body(exc.http_status, str(exc), exc.kind, details)


def headers_for(exc: MonitioError) -> dict[str, str] | None:
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after)}
    return None


def install(app: FastAPI) -> None:
    @app.exception_handler(MonitioError)
    async def _monitio_error(request: Request, exc: MonitioError):
        status, content = status_and_body(exc)
        html = getattr(request.app.state, "html_error", None)
        if html is not None and not request.url.path.startswith("/api/"):
            return html(request, exc, status)  # the dashboard shows the same error as a page
        return JSONResponse(content, status_code=status, headers=headers_for(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException):
        return JSONResponse(
            body(exc.status_code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        details = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse(body(422, "the request is not valid", details=details), status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception):  # pragma: no cover - last resort
        return JSONResponse(body(500, "internal error; see the server log"), status_code=500)
