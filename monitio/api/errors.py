"""One error body for every failure: `{"error": {"code": ..., "message": ..., "details": ...}}`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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


class ApiError(Exception):
    """Raise from a route to answer with a consistent error body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.details, self.headers = status, message, details, headers
        self.code = code or CODES.get(status, "error")


def body(status: int, message: str, code: str | None = None, details: Any = None) -> dict:
    return {"error": {"code": code or CODES.get(status, "error"), "message": message, "details": details}}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError):
        return JSONResponse(
            body(exc.status, exc.message, exc.code, exc.details), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException):
        return JSONResponse(
            body(exc.status_code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    from monitio.errors import MonitioError

    @app.exception_handler(MonitioError)
    async def _monitio_error(_: Request, exc: MonitioError):
        return JSONResponse(body(exc.http_status, exc.one_line(), exc.kind, exc.details), status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        details = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse(body(422, "the request is not valid", details=details), status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception):  # pragma: no cover - last resort
        return JSONResponse(body(500, "internal error; see the server log"), status_code=500)
