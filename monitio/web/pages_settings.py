"""Settings page: taxonomy (read), users (admins), API tokens."""

from __future__ import annotations

from fastapi import FastAPI, Form, Request

from monitio.auth import users as people
from monitio.web.routes import back, base_ctx, check_csrf, current, page, taxonomy_of


def register(app: FastAPI) -> None:
    @app.get("/settings", include_in_schema=False)
    def settings_page(request: Request, new_token: str | None = None):
        user, csrf = current(request)
        engine = request.app.state.ws.engine
        is_admin = user.can("users:admin")
        with engine.connect() as conn:
            everyone = people.list_users(conn) if is_admin else []
            tokens = people.list_tokens(conn, None if is_admin else user.id)
        tax = taxonomy_of(request)
        return page(
            request,
            "settings.html",
            {
                **base_ctx(request, user, csrf, "Settings"),
                "is_admin": is_admin,
                "people": everyone,
                "tokens": tokens,
                "roles": people.ROLES,
                "new_token": new_token,
                "taxonomy": [
                    {
                        "id": k,
                        "name": c.name,
                        "owner_team": c.owner_team,
                        "default_severity": c.default_severity,
                        "playbook": list(c.playbook),
                    }
                    for k, c in tax.categories.items()
                ],
            },
        )

    @app.post("/settings/users", include_in_schema=False)
    def add_user(
        request: Request,
        csrf_token: str = Form(""),
        email: str = Form(""),
        role: str = Form("analyst"),
        team: str = Form(""),
        password: str = Form(""),
    ):
        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        if not user.can("users:admin"):
            return back("/settings", "Only admins manage users.")
        try:
            with request.app.state.ws.engine.begin() as conn:
                people.add_user(conn, email, role, password or None, team=team or None, actor=user.email)
        except people.AuthError as exc:
            return back("/settings", str(exc))
        return back("/settings", f"Added {email}.")

    @app.post("/settings/users/{user_id}/disable", include_in_schema=False)
    def disable_user(request: Request, user_id: int, csrf_token: str = Form("")):
        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        if not user.can("users:admin") or user_id == user.id:
            return back("/settings", "Only admins disable users, and not themselves.")
        with request.app.state.ws.engine.begin() as conn:
            people.update_user(conn, user_id, actor=user.email, disabled=True)
        return back("/settings", "User disabled.")

    @app.post("/settings/tokens", include_in_schema=False)
    def create_token(request: Request, csrf_token: str = Form(""), name: str = Form("api")):
        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        with request.app.state.ws.engine.begin() as conn:
            token, _ = people.create_token(conn, user, name[:200] or "api", actor=user.email)
        # Shown once, on this response only; it is never stored in clear.
        return settings_page(request, new_token=token)

    @app.post("/settings/tokens/{token_id}/revoke", include_in_schema=False)
    def revoke_token(request: Request, token_id: int, csrf_token: str = Form("")):
        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        with request.app.state.ws.engine.begin() as conn:
            mine = {t["id"] for t in people.list_tokens(conn, user.id)}
            if token_id not in mine and not user.can("users:admin"):
                return back("/settings", "No such token.")
            people.revoke_token(conn, token_id, actor=user.email)
        return back("/settings", f"Token {token_id} revoked.")
