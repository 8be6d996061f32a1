"""Narrative list and narrative page (timeline, terms, example posts, markets), and case creation."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI, Form, Request

from monitio.api.schemas import IdPath
from monitio.cases import service as svc
from monitio.detect.narrative_views import list_narratives, narrative_detail
from monitio.web.routes import back, base_ctx, check_csrf, current, page, taxonomy_of, trend_json


def register(app: FastAPI) -> None:
    @app.get("/narratives", include_in_schema=False)
    def narratives_page(request: Request, category: str = "", market: str = ""):
        user, csrf = current(request)
        with request.app.state.ws.engine.connect() as conn:
            items, _ = list_narratives(conn, limit=200, category=category or None, market=market or None)
        return page(request, "narratives.html", {**base_ctx(request, user, csrf, "Narratives"), "items": items})

    @app.get("/narratives/{narrative_id}", include_in_schema=False)
    def narrative_page(request: Request, narrative_id: IdPath):
        user, csrf = current(request)
        with request.app.state.ws.engine.connect() as conn:
            n = narrative_detail(conn, narrative_id) if 0 < narrative_id < 2**62 else None
        if n is None:
            return back("/narratives", "No such narrative.")
        points = {"posts": {datetime.fromisoformat(d["day"]): d["posts"] for d in n["timeline"]}}
        return page(
            request,
            "narrative.html",
            {
                **base_ctx(request, user, csrf, "Narratives"),
                "n": n,
                "can_write": user.can("cases:write"),
                "timeline_json": trend_json(points, [], {"posts": "posts per day"}),
            },
        )

    @app.post("/narratives/{narrative_id}/case", include_in_schema=False)
    def narrative_case(request: Request, narrative_id: IdPath, csrf_token: str = Form("")):
        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        if not user.can("cases:write"):
            return back(f"/narratives/{narrative_id}", "Your role cannot create cases.")
        with request.app.state.ws.engine.begin() as conn:
            n = narrative_detail(conn, narrative_id)
            if n is None:
                return back("/narratives", "No such narrative.")
            tax = taxonomy_of(request)
            cats = sorted(n["categories"], key=lambda c: -n["categories"][c])
            owner = next((tax.categories[c].owner_team for c in cats if c in tax.categories), "Ads Integrity")
            severity = max((tax.categories[c].default_severity for c in cats if c in tax.categories), default=5)
            case_id = svc.create_case(
                conn,
                svc.NewCase(
                    title=f"Narrative: {n['label']}"[:300],
                    severity=severity,
                    owner_team=owner,
                    categories=cats,
                    markets=sorted(n["markets"], key=lambda m: -n["markets"][m]),
                    origin="narrative",
                    description=f"{n['size']} posts; top terms: {', '.join(n['terms'][:10])}",
                ),
                actor=user,
                links=[("narrative", str(narrative_id))] + [("post", str(p["post_id"])) for p in n["examples"]],
            )
        return back(f"/cases/{case_id}", f"Case #{case_id} created from narrative #{narrative_id}.")
