"""Settings page: taxonomy (read), users (admins), API tokens."""

from __future__ import annotations

from fastapi import FastAPI, Form, Request

from monitio.alerts import config as alert_config
from monitio.alerts.formats import KINDS
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
            channels = alert_config.list_channels(conn) if user.can("alerts:read") else []
            rules = alert_config.load_rules(conn) if user.can("alerts:read") else []
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
                "channels": channels,
                "rules": rules,
                "channel_kinds": KINDS,
                "can_rules": user.can("rules:write"),
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
            token, _ = people.create_token(
                conn,
                user,
                name[:200] or "api",
                days=min(90, people.max_token_days(user.role, request.app.state.ws.settings.token_max_days) or 90),
                actor=user.email,
                limits=request.app.state.ws.settings.token_max_days,
            )
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

    @app.post("/settings/channels", include_in_schema=False)
    def add_channel(
        request: Request,
        csrf_token: str = Form(""),
        name: str = Form(""),
        kind: str = Form("slack"),
        url: str = Form(""),
        secret: str = Form(""),
        to: str = Form(""),
    ):
        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        if not user.can("channels:admin"):
            return back("/settings", "Only admins add alert channels.")
        config: dict = {"to": [to]} if kind == "email" else {"url": url}
        if secret:
            config["secret"] = secret
        try:
            with request.app.state.ws.engine.begin() as conn:
                alert_config.add_channel(conn, name, kind, config, actor=user.email)
        except alert_config.AlertConfigError as exc:
            return back("/settings", str(exc))
        return back("/settings", f"Channel {name} added.")

    @app.post("/settings/rules", include_in_schema=False)
    def add_rule(
        request: Request,
        csrf_token: str = Form(""),
        name: str = Form(""),
        channel_id: str = Form(""),
        category: str = Form(""),
        market: str = Form(""),
        min_severity: str = Form("6"),
        query: str = Form(""),
    ):
        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        if not user.can("rules:write"):
            return back("/settings", "Your role cannot add alert rules.")
        try:
            with request.app.state.ws.engine.begin() as conn:
                alert_config.add_rule(
                    conn,
                    name,
                    channel_ids=[int(channel_id)] if channel_id.isdigit() else [],
                    categories=[category] if category else [],
                    markets=[market.upper()] if market else [],
                    min_severity=int(min_severity) if min_severity.isdigit() else 6,
                    query=query or None,
                    actor=user.email,
                )
        except alert_config.AlertConfigError as exc:
            return back("/settings", str(exc))
        return back("/settings", f"Rule {name} added.")
