"""JSON responses without FastAPI's `jsonable_encoder` walk.

A route that returns a plain dict has it walked by `jsonable_encoder` (one Python call per value:
3-5 ms for a page of signals) and then dumped by `json.dumps`, on the event loop. `json_body`
dumps it once, in the route's worker thread, with the same options as Starlette's `JSONResponse`;
the few non-JSON values Monitio returns (datetimes, dates, sets, dataclasses, pydantic models,
enums, paths, decimals) become what `jsonable_encoder` makes of them, so the bytes are the same.

>>> from datetime import UTC, datetime
>>> json_body({"t": datetime(2026, 1, 2, tzinfo=UTC), "n": 1.5, "s": "é"}).body.decode()
'{"t":"2026-01-02T00:00:00+00:00","n":1.5,"s":"é"}'
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response


def _plain(value: Any) -> Any:
    """A JSON value for what `json` cannot write (as `fastapi.encoders.jsonable_encoder` would)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return list(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return int(value) if value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(content: Any) -> bytes:
    """`content` as compact UTF-8 JSON (Starlette's `JSONResponse` options, NaN refused)."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_plain).encode()


def json_body(content: Any, status_code: int = 200) -> Response:
    """A JSON response of `content`, for routes without a `response_model`."""
    return Response(dumps(content), status_code=status_code, media_type="application/json")
