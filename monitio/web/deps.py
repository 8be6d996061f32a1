"""Typed request dependencies of the dashboard: the workspace, the logged-in viewer, the CSRF check.

A page declares what it needs (`viewer: Viewer = Depends(viewer)`) instead of reading cookies itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Form, Request

from monitio.api.security import SESSION_COOKIE, CsrfError, workspace
from monitio.auth.secrets import same
from monitio.auth.users import User
from monitio.services import people
from monitio.workspace import Workspace

__all__ = ["LoginRequired", "Viewer", "check_csrf", "checked", "viewer", "workspace"]


class LoginRequired(Exception):
    """No live session: the dashboard redirects to the login page."""


@dataclass(frozen=True)
class Viewer:
    """The logged-in person and their session's CSRF token."""

    user: User
    csrf: str

    def can(self, *permissions: str) -> bool:
        return any(self.user.can(p) for p in permissions)


def viewer(request: Request, ws: Workspace = Depends(workspace)) -> Viewer:
    sid = request.cookies.get(SESSION_COOKIE)
    found = people.session_user(ws, sid) if sid else None
    if not found:
        raise LoginRequired
    return Viewer(*found)


def check_csrf(expected: str, sent: str | None) -> None:
    if not sent or not same(sent, expected):
        raise CsrfError("The form expired or did not come from Monitio. Go back, reload and try again.")


def checked(v: Viewer = Depends(viewer), csrf_token: str = Form("")) -> Viewer:
    """The viewer of a form post whose CSRF token matches the session's."""
    check_csrf(v.csrf, csrf_token)
    return v
