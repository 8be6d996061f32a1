"""Login, the current user, users, tokens and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response

from monitio import audit
from monitio.api.errors import ApiError
from monitio.api.schemas import MAX_ID, IdPath, LoginIn, LoginOut, Page, TokenIn, TokenOut, UserIn, UserPatch
from monitio.api.security import SESSION_COOKIE, Caller, caller, require
from monitio.auth import users as people

router = APIRouter()


def _ws(request: Request):
    return request.app.state.ws


@router.post("/auth/login", response_model=LoginOut, tags=["auth"])
def login(body: LoginIn, request: Request, response: Response):
    """Log in with e-mail and password; sets the session cookie and returns the CSRF token for forms."""
    limiter = request.app.state.login_limiter
    ip = request.client.host if request.client else "?"
    keys = (f"ip:{ip}", f"email:{body.email.strip().lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        raise ApiError(429, "too many failed logins; try again later", headers={"Retry-After": str(wait)})
    with _ws(request).engine.begin() as conn:
        user = people.authenticate(conn, body.email, body.password)
        if user is None:
            limiter.failed(*keys)
            raise ApiError(401, "wrong e-mail or password")
        sid, csrf = people.create_session(conn, user)
    limiter.succeeded(*keys)
    response.set_cookie(
        SESSION_COOKIE,
        sid,
        httponly=True,
        secure=request.app.state.cookie_secure,
        samesite="strict",
        max_age=people.SESSION_HOURS * 3600,
        path="/",
    )
    return LoginOut(user=user.public(), csrf_token=csrf)


@router.post("/auth/logout", status_code=204, tags=["auth"])
def logout(request: Request, response: Response, c: Caller = Depends(caller)):
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        with _ws(request).engine.begin() as conn:
            people.end_session(conn, sid)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me", tags=["auth"])
def me(c: Caller = Depends(caller)):
    return {**c.user.public(), "via": c.via, "csrf_token": c.csrf}


@router.get("/users", response_model=Page, tags=["users"])
def list_users(
    request: Request,
    c: Caller = Depends(require("users:admin")),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    with _ws(request).engine.connect() as conn:
        everyone = people.list_users(conn)
    return Page(
        items=[u.public() for u in everyone[offset : offset + limit]],
        total=len(everyone),
        limit=limit,
        offset=offset,
    )


@router.post("/users", status_code=201, tags=["users"])
def add_user(body: UserIn, request: Request, c: Caller = Depends(require("users:admin"))):
    try:
        with _ws(request).engine.begin() as conn:
            user = people.add_user(
                conn, body.email, body.role, body.password, team=body.team, name=body.name, actor=c.user.email
            )
    except people.AuthError as exc:
        raise ApiError(409 if "exists" in str(exc) else 422, str(exc)) from None
    return user.public()


@router.patch("/users/{user_id}", tags=["users"])
def change_user(user_id: IdPath, body: UserPatch, request: Request, c: Caller = Depends(require("users:admin"))):
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k in ("team", "name")}
    if not changes:
        raise ApiError(422, "nothing to change")
    try:
        with _ws(request).engine.begin() as conn:
            return people.update_user(conn, user_id, actor=c.user.email, **changes).public()
    except people.AuthError as exc:
        raise ApiError(404 if "no user" in str(exc) else 422, str(exc)) from None


@router.get("/tokens", tags=["tokens"])
def list_tokens(request: Request, c: Caller = Depends(caller)):
    """Admins see every token; others see their own (never the token itself, only its prefix)."""
    with _ws(request).engine.connect() as conn:
        items = people.list_tokens(conn, None if c.user.can("users:admin") else c.user.id)
    return {"items": items}


@router.post("/tokens", status_code=201, response_model=TokenOut, tags=["tokens"])
def create_token(body: TokenIn, request: Request, c: Caller = Depends(caller)):
    """Create a token for yourself (or, as admin, for `user_id`). It is shown once."""
    if c.user.role == "service":
        raise ApiError(403, "service accounts cannot create tokens")
    target_id = body.user_id or c.user.id
    if target_id != c.user.id and not c.user.can("users:admin"):
        raise ApiError(403, "only admins create tokens for other users")
    with _ws(request).engine.begin() as conn:
        target = people.get_user(conn, user_id=target_id)
        if target is None:
            raise ApiError(404, f"no user {target_id}")
        token, tid = people.create_token(
            conn, target, body.name, days=body.days, actor=c.user.email, limits=_ws(request).settings.token_max_days
        )
    return TokenOut(id=tid, token=token)


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(token_id: IdPath, request: Request, c: Caller = Depends(caller)):
    with _ws(request).engine.begin() as conn:
        owned = [t["id"] for t in people.list_tokens(conn, c.user.id)]
        if token_id not in owned and not c.user.can("users:admin"):
            raise ApiError(404, f"no token {token_id}")
        try:
            people.revoke_token(conn, token_id, actor=c.user.email)
        except people.AuthError as exc:
            raise ApiError(404, str(exc)) from None
    return Response(status_code=204)


@router.get("/audit", tags=["audit"])
def audit_log(
    request: Request,
    c: Caller = Depends(require("audit:read")),
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """The append-only audit log (read-only for every role)."""
    with _ws(request).engine.connect() as conn:
        return {"items": audit.entries(conn, entity=entity, entity_id=entity_id, limit=limit, offset=offset)}
