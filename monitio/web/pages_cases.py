"""Case board and case page: assign, move, comment, decide."""

from __future__ import annotations

from fastapi import FastAPI, Form, Request
from sqlalchemy import select

from monitio import audit
from monitio.api.schemas import IdPath
from monitio.auth import users as people
from monitio.cases import service as svc
from monitio.cases.workflow import STATUSES
from monitio.store.repo import fetch_posts
from monitio.store.schema_collab import case_comments, case_links, cases, users
from monitio.web.routes import back, base_ctx, check_csrf, current, page


def register(app: FastAPI) -> None:
    from monitio.api.routes_cases import _case_json

    @app.get("/cases", include_in_schema=False)
    def board(request: Request):
        user, csrf = current(request)
        with request.app.state.ws.engine.connect() as conn:
            late = frozenset(svc.breached(conn))
            rows = [
                r
                for r in conn.execute(
                    select(cases)
                    .where(cases.c.merged_into.is_(None))
                    .order_by(cases.c.severity.desc(), cases.c.sla_due_at)
                )
                if svc.visible_to(user, r)
            ]
        grouped = {s: [_case_json(r, breached_ids=late) for r in rows if r.status == s] for s in STATUSES}
        return page(
            request,
            "cases.html",
            {
                **base_ctx(request, user, csrf, "Cases"),
                "statuses": STATUSES,
                "board": grouped,
                "open_count": sum(len(grouped[s]) for s in STATUSES[:5]),
                "breached_count": len(late),
            },
        )

    @app.get("/cases/{case_id}", include_in_schema=False)
    def case_page(request: Request, case_id: IdPath):
        user, csrf = current(request)
        engine = request.app.state.ws.engine
        with engine.connect() as conn:
            try:
                row = svc.get_case(conn, case_id)
            except svc.NotFound:
                return back("/cases", f"No case {case_id}.")
            if not svc.visible_to(user, row):
                return back("/cases", f"No case {case_id}.")
            late = frozenset(svc.breached(conn))
            links = conn.execute(select(case_links).where(case_links.c.case_id == case_id)).all()
            post_ids = [int(lk.ref_id) for lk in links if lk.kind == "post" and lk.ref_id.isdigit()]
            evidence = [
                {
                    "published_at": p.published_at.isoformat(),
                    "market": p.market,
                    "lang": p.lang,
                    "text": p.text,
                    "source": p.source,
                    "source_id": p.source_id,
                    "url": p.url,
                }
                for p in fetch_posts(conn, post_ids[:50])
            ]
            comments = [
                {"author": r.email, "body": r.body, "created_at": r.created_at.isoformat()}
                for r in conn.execute(
                    select(case_comments, users.c.email)
                    .join(users, users.c.id == case_comments.c.author_id)
                    .where(case_comments.c.case_id == case_id)
                    .order_by(case_comments.c.id)
                )
            ]
            everyone = people.list_users(conn)
            timeline = audit.entries(conn, entity="case", entity_id=case_id, limit=500)
        c = {
            **_case_json(row, breached_ids=late),
            "links": [{"kind": lk.kind, "ref_id": lk.ref_id} for lk in links],
        }
        assignee = next((u.email for u in everyone if u.id == row.assignee_id), None)
        return page(
            request,
            "case.html",
            {
                **base_ctx(request, user, csrf, "Cases"),
                "c": c,
                "evidence": evidence,
                "comments": comments,
                "timeline": timeline,
                "assignee": assignee,
                "can_write": user.can("cases:write"),
                "can_comment": user.can("cases:comment") or user.can("cases:comment_team"),
                "people": [u for u in everyone if not u.disabled and u.role in ("admin", "analyst")],
            },
        )

    def _act(request: Request, case_id: IdPath, csrf_token: str, permission: str, fn, done: str):
        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        with request.app.state.ws.engine.begin() as conn:
            try:
                row = svc.get_case(conn, case_id)
                if not svc.visible_to(user, row) or not any(user.can(p) for p in permission.split("|")):
                    return back(f"/cases/{case_id}", "Your role cannot do that on this case.")
                fn(conn, user)
            except svc.CaseError as exc:
                return back(f"/cases/{case_id}", str(exc))
        return back(f"/cases/{case_id}", done)

    @app.post("/cases/{case_id}/update", include_in_schema=False)
    def update(
        request: Request,
        case_id: IdPath,
        csrf_token: str = Form(""),
        status: str = Form(""),
        assignee_id: str = Form(""),
    ):
        changes: dict = {}
        if status:
            changes["status"] = status
        if assignee_id.isdigit():
            changes["assignee_id"] = int(assignee_id)
        if not changes:
            return back(f"/cases/{case_id}", "Nothing to change.")
        return _act(
            request,
            case_id,
            csrf_token,
            "cases:write",
            lambda conn, user: svc.update_case(conn, case_id, actor=user, **changes),
            "Case updated.",
        )

    @app.post("/cases/{case_id}/comment", include_in_schema=False)
    def comment(request: Request, case_id: IdPath, csrf_token: str = Form(""), body: str = Form("")):
        return _act(
            request,
            case_id,
            csrf_token,
            "cases:comment|cases:comment_team",
            lambda conn, user: svc.comment(conn, case_id, body, actor=user),
            "Comment added.",
        )

    @app.post("/cases/{case_id}/decision", include_in_schema=False)
    def decision(
        request: Request, case_id: IdPath, csrf_token: str = Form(""), what: str = Form(""), why: str = Form("")
    ):
        return _act(
            request,
            case_id,
            csrf_token,
            "cases:write",
            lambda conn, user: svc.decide(conn, case_id, what=what, why=why, actor=user),
            "Decision recorded.",
        )
