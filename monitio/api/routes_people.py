"""Login, the current user, users, tokens and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response

from monitio.api.schemas import MAX_ID, IdPath, LoginIn, LoginOut, Page, TokenIn, TokenOut, UserIn, UserPatch
from monitio.api.security import SESSION_COOKIE, Caller, caller, require, workspace
from monitio.errors import RateLimited
from monitio.services import people
from monitio.workspace import Workspace

router = APIRouter()


@router.post("/auth/login", response_model=LoginOut, tags=["auth"])
def login(body: LoginIn, request: Request, response: Response, ws: Workspace = Depends(workspace)):
    """Log in with e-mail and password; sets the session cookie and returns the CSRF token for forms."""
    limiter = request.app.state.login_limiter
    ip = request.client.host if request.client else "?"
    keys = (f"ip:{ip}", f"email:{body.email.strip().lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        raise RateLimited("too many failed logins; try again later", retry_after=wait)
    try:
        session = people.login(ws, body.email, body.password)
    except people.WrongLogin:
        limiter.failed(*keys)
        raise
    limiter.succeeded(*keys)
    response.set_cookie(
        SESSION_COOKIE,
        session.sid,
        httponly=True,
        secure=request.app.state.cookie_secure,
        samesite="strict",
        max_age=people.SESSION_HOURS * 3600,
        path="/",
    )
    return LoginOut(user=session.user.public(), csrf_token=session.csrf)


@router.post("/auth/logout", status_code=204, tags=["auth"])
def logout(request: Request, response: Response, ws: Workspace = Depends(workspace), c: Caller = Depends(caller)):
    """End the session and clear its cookie."""
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        people.logout(ws, sid)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me", tags=["auth"])
def me(c: Caller = Depends(caller)):
    """Who you are, how you authenticated, and (for a session) the CSRF token."""
    return {**c.user.public(), "via": c.via, "csrf_token": c.csrf}


@router.get("/users", response_model=Page, tags=["users"])
def list_users(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("users:admin")),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Users with their role and team (admins only)."""
    everyone = people.list_users(ws, c.user)
    return Page(
        items=[u.public() for u in everyone[offset : offset + limit]], total=len(everyone), limit=limit, offset=offset
    )


@router.post("/users", status_code=201, tags=["users"])
def add_user(body: UserIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("users:admin"))):
    """Add a user (admins only)."""
    user = people.add_user(ws, c.user, body.email, body.role, body.password, team=body.team, name=body.name)
    return user.public()


@router.patch("/users/{user_id}", tags=["users"])
def change_user(
    user_id: IdPath, body: UserPatch, ws: Workspace = Depends(workspace), c: Caller = Depends(require("users:admin"))
):
    """Change a user's role, team or name, or disable them (admins only)."""
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k in ("team", "name")}
    return people.update_user(ws, c.user, user_id, **changes).public()


@router.get("/tokens", tags=["tokens"])
def list_tokens(ws: Workspace = Depends(workspace), c: Caller = Depends(caller)):
    """Admins see every token; others see their own (never the token itself, only its prefix)."""
    return {"items": people.list_tokens(ws, c.user)}


@router.post("/tokens", status_code=201, response_model=TokenOut, tags=["tokens"])
def create_token(body: TokenIn, ws: Workspace = Depends(workspace), c: Caller = Depends(caller)):
    """Create a token for yourself (or, as admin, for `user_id`). It is shown once."""
    token, tid = people.create_token(ws, c.user, body.name, user_id=body.user_id, days=body.days)
    return TokenOut(id=tid, token=token)


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(token_id: IdPath, ws: Workspace = Depends(workspace), c: Caller = Depends(caller)):
    """Revoke a token (your own; admins any)."""
    people.revoke_token(ws, c.user, token_id)
    return Response(status_code=204)


@router.get("/audit", tags=["audit"])
def audit_log(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("audit:read")),
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """The append-only audit log (read-only for every role)."""
    return {"items": people.audit_log(ws, c.user, entity=entity, entity_id=entity_id, limit=limit, offset=offset)}
