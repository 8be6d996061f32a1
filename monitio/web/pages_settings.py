"""Settings page: taxonomy (admins edit a category's rules: live test, save a version), users (admins),
API tokens, alert channels and rules."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request

from monitio.alerts.formats import KINDS
from monitio.api.schemas import IdPath
from monitio.errors import MonitioError
from monitio.services import alerts, data, people, taxonomy_edit
from monitio.services.case_timeline import when_text
from monitio.web.deps import Viewer, checked, viewer, workspace
from monitio.web.pages_main import base_ctx
from monitio.web.render import back, page
from monitio.workspace import Workspace

router = APIRouter(include_in_schema=False)


def _settings(
    request: Request,
    ws: Workspace,
    v: Viewer,
    new_token: str | None = None,
    *,
    category: str = "",
    rules: str | None = None,
    error: MonitioError | None = None,
    test: taxonomy_edit.LiveTest | None = None,
    status: int = 200,
):
    is_admin = v.can("users:admin")
    can_alerts = v.can("alerts:read")
    cats = taxonomy_edit.categories(ws, v.user) if v.can("taxonomy:read") else []
    chosen = next((c for c in cats if c.id == category), cats[0] if cats else None)
    taxonomy = data.taxonomy(ws)["categories"]
    names = {c["id"]: c["name"] for c in taxonomy}
    channels = alerts.list_channels(ws, v.user) if can_alerts else []
    channel_names = {ch["id"]: ch["name"] for ch in channels}
    alert_rules = [
        {
            **r,
            "category_names": [names.get(c, c) for c in r.get("categories") or []],
            "channel_names": [channel_names.get(i, f"channel {i}") for i in r.get("channel_ids") or []],
        }
        for r in (alerts.list_rules(ws, v.user) if can_alerts else [])
    ]
    return page(
        request,
        "settings.html",
        {
            **base_ctx(request, v, "Settings"),
            "is_admin": is_admin,
            "people": people.list_users(ws, v.user) if is_admin else [],
            "tokens": [{**t, "expires": when_text(t["expires_at"])} for t in people.list_tokens(ws, v.user)],
            "roles": people.ROLES,
            "channels": channels,
            "rules": alert_rules,
            "channel_kinds": KINDS,
            "can_rules": v.can("rules:write"),
            "new_token": new_token,
            "taxonomy": taxonomy,
            "tax_rules": {c.id: c for c in cats},
            "can_edit_taxonomy": v.can("taxonomy:write"),
            "edit": chosen,
            "edit_text": rules if rules is not None else (chosen.text if chosen else ""),
            "edit_error": error,
            "live": test,
            "live_days": taxonomy_edit.LIVE_DAYS,
            "versions": taxonomy_edit.history(ws, v.user, limit=20) if v.can("taxonomy:read") else [],
        },
        status=status,
    )


@router.get("/settings")
def settings_page(
    request: Request, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer), category: str = ""
):
    return _settings(request, ws, v, category=category[:80])


def _done(work, message: str):
    try:
        work()
    except MonitioError as exc:
        return back("/settings", exc.one_line())
    return back("/settings", message)


@router.post("/settings/users")
def add_user(
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
    email: str = Form(""),
    role: str = Form("analyst"),
    team: str = Form(""),
    password: str = Form(""),
):
    if not v.can("users:admin"):
        return back("/settings", "Only admins manage users.")
    return _done(
        lambda: people.add_user(ws, v.user, email, role, password or None, team=team or None), f"Added {email}."
    )


@router.post("/settings/users/{user_id}/disable")
def disable_user(user_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked)):
    if not v.can("users:admin") or user_id == v.user.id:
        return back("/settings", "Only admins disable users, and not themselves.")
    return _done(lambda: people.update_user(ws, v.user, user_id, disabled=True), "User disabled.")


@router.post("/settings/tokens")
def create_token(
    request: Request, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked), name: str = Form("api")
):
    try:
        token, _ = people.create_token(ws, v.user, name)
    except MonitioError as exc:
        return back("/settings", exc.one_line())
    # Shown once, on this response only; it is never stored in clear.
    return _settings(request, ws, v, new_token=token)


@router.post("/settings/tokens/{token_id}/revoke")
def revoke_token(token_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked)):
    return _done(lambda: people.revoke_token(ws, v.user, token_id), f"Token {token_id} revoked.")


@router.post("/settings/channels")
def add_channel(
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
    name: str = Form(""),
    kind: str = Form("slack"),
    url: str = Form(""),
    secret: str = Form(""),
    to: str = Form(""),
):
    if not v.can("channels:admin"):
        return back("/settings", "Only admins add alert channels.")
    config: dict = {"to": [to]} if kind == "email" else {"url": url}
    if secret:
        config["secret"] = secret
    return _done(lambda: alerts.add_channel(ws, v.user, name, kind, config), f"Channel {name} added.")


@router.post("/settings/rules")
def add_rule(
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
    name: str = Form(""),
    channel_id: str = Form(""),
    category: str = Form(""),
    market: str = Form(""),
    min_severity: str = Form("6"),
    query: str = Form(""),
):
    if not v.can("rules:write"):
        return back("/settings", "Your role cannot add alert rules.")
    spec = alerts.RuleSpec(
        name,
        channel_ids=[int(channel_id)] if channel_id.isdigit() else [],
        categories=[category] if category else [],
        markets=[market] if market else [],
        min_severity=int(min_severity) if min_severity.isdigit() else 6,
        query=query or None,
    )
    return _done(lambda: alerts.add_rule(ws, v.user, spec), f"Rule {name} added.")


def _taxonomy_form(request, ws, v, category: str, rules: str, work):
    """Run a taxonomy action; its error (bad rules, not allowed, over budget) is shown above the form,
    with the text as typed."""
    if not v.can("taxonomy:write"):
        return back("/settings", "Only admins edit the taxonomy.")
    try:
        return work()
    except MonitioError as exc:
        return _settings(request, ws, v, category=category, rules=rules, error=exc, status=422)


@router.post("/settings/taxonomy/test")
def taxonomy_test(
    request: Request,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
    category: str = Form(""),
    rules: str = Form(""),
):
    def work():
        result = taxonomy_edit.live_test(ws, v.user, category, rules)
        return _settings(request, ws, v, category=category, rules=rules, test=result)

    return _taxonomy_form(request, ws, v, category, rules, work)


@router.post("/settings/taxonomy/save")
def taxonomy_save(
    request: Request,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
    category: str = Form(""),
    rules: str = Form(""),
):
    def work():
        saved = taxonomy_edit.save(ws, v.user, category, rules)
        return back(
            f"/settings?category={quote(category)}#taxonomy",
            f"Saved the rules of {saved.category_name} as taxonomy version {saved.version}. New posts use them; "
            "run `monitio reenrich` to apply them to stored posts.",
        )

    return _taxonomy_form(request, ws, v, category, rules, work)
