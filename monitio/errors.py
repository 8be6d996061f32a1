"""One error hierarchy for every face: the CLI, the API and the dashboard map these once.

Services and lower layers raise a subclass of :class:`MonitioError` that says *what kind* of
failure it is; the faces never look at the message text to choose a status code.

>>> err = NotFound("no signal 42", hint="list them with `monitio signals`")
>>> (err.kind, err.http_status, str(err))
('not_found', 404, 'no signal 42')
>>> isinstance(Conflict("exists"), MonitioError)
True
"""

from __future__ import annotations

from typing import Any


class MonitioError(Exception):
    """Base of every error a user can cause or fix; `kind` and `http_status` are fixed per class."""

    kind = "invalid"
    http_status = 422

    def __init__(self, message: str, *, hint: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details

    def one_line(self) -> str:
        """The message plus what to do next, on one line (the CLI's `error: ...`)."""
        text = str(self)
        return f"{text} ({self.hint})" if self.hint else text


class Invalid(MonitioError, ValueError):
    """The input cannot be used as given (a bad query, a malformed file, a wrong setting)."""

    kind, http_status = "invalid", 422


class BadRequest(Invalid):
    """The request as a whole is malformed (400 in the API)."""

    kind, http_status = "bad_request", 400


class NotFound(MonitioError, LookupError):
    """The thing named does not exist (an id, a user, a file)."""

    kind, http_status = "not_found", 404


class Conflict(MonitioError):
    """The request clashes with the current state (exists already, a transition not allowed)."""

    kind, http_status = "conflict", 409


class Unauthorized(MonitioError):
    """No valid identity was given."""

    kind, http_status = "unauthorized", 401


class Forbidden(MonitioError, PermissionError):
    """The caller is known but may not do this."""

    kind, http_status = "forbidden", 403


class TooLarge(Invalid):
    """The input is over a size or cost limit."""

    kind, http_status = "too_large", 413


class TooCostly(Invalid):
    """The work asked for would exceed its budget (time, query size, expansions)."""

    kind, http_status = "too_costly", 422


class RateLimited(MonitioError):
    """Too many attempts in a short time; `retry_after` says how many seconds to wait."""

    kind, http_status = "rate_limited", 429

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None):
        super().__init__(message, hint=hint, details={"retry_after": retry_after})
        self.retry_after = retry_after


class Unavailable(MonitioError):
    """A service Monitio needs did not answer (database, cluster scheduler, SMTP server)."""

    kind, http_status = "unavailable", 503
