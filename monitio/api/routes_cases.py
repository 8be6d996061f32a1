"""Cases: create (from signals, a narrative, a search or by hand), read, change, comment, link, decide,
merge; timeline and metrics. Stakeholders read and comment on their own team's cases only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from monitio import audit
from monitio.api.errors import ApiError
from monitio.api.schemas import MAX_ID, CaseIn, CasePatch, CommentIn, DecisionIn, IdPath, IdQuery, LinkIn, MergeIn, Page
from monitio.api.security import Caller, require, require_any
from monitio.cases import service as svc
from monitio.cases.workflow import OPEN, TRANSITIONS
from monitio.store.schema_collab import case_comments, case_links, cases, users

router = APIRouter(prefix="/cases", tags=["cases"])
READ = require_any("cases:read", "cases:read_team")


def _ws(request: Request):
    return request.app.state.ws


def _case_json(row, *, breached_ids=frozenset()) -> dict:
    return {
        "id": row.id,
        "title": row.title,
        "status": row.status,
        "severity": row.severity,
        "owner_team": row.owner_team,
        "assignee_id": row.assignee_id,
        "categories": row.categories,
        "markets": row.markets,
        "origin": row.origin,
        "query": row.query,
        "description": row.description,
        "sla_due_at": row.sla_due_at.isoformat(),
        "sla_breached": row.id in breached_ids,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
        "merged_into": row.merged_into,
        "decision": row.decision,
        "allowed_status": sorted(TRANSITIONS.get(row.status, ())),
    }


def _load(conn, case_id: IdPath, c: Caller):
    try:
        row = svc.get_case(conn, case_id)
    except svc.NotFound:
        raise ApiError(404, f"no case {case_id}") from None
    if not svc.visible_to(c.user, row):
        raise ApiError(404, f"no case {case_id}")  # do not reveal other teams' cases
    return row


def _guard(fn):
    try:
        return fn()
    except svc.NotFound as exc:
        raise ApiError(404, str(exc)) from None
    except svc.CaseError as exc:
        raise ApiError(409 if "cannot go from" in str(exc) else 422, str(exc)) from None


@router.get("", response_model=Page)
def list_cases(
    request: Request,
    c: Caller = Depends(READ),
    status: str | None = None,
    team: str | None = None,
    assignee_id: IdQuery = None,
    open_only: bool = False,
    breached: bool = False,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    stmt = select(cases).order_by(cases.c.severity.desc(), cases.c.sla_due_at)
    if status:
        stmt = stmt.where(cases.c.status == status)
    if open_only:
        stmt = stmt.where(cases.c.status.in_(OPEN))
    if team:
        stmt = stmt.where(cases.c.owner_team == team)
    if assignee_id is not None:
        stmt = stmt.where(cases.c.assignee_id == assignee_id)
    with _ws(request).engine.connect() as conn:
        late = frozenset(svc.breached(conn))
        rows = [r for r in conn.execute(stmt) if svc.visible_to(c.user, r) and (not breached or r.id in late)]
    return Page(
        items=[_case_json(r, breached_ids=late) for r in rows[offset : offset + limit]],
        total=len(rows),
        limit=limit,
        offset=offset,
    )


CASE_LINK_CAP = 10_000
"""A case from a query links at most this many posts (the newest), and says so when it is capped."""


@router.post("", status_code=201)
def create_case(body: CaseIn, request: Request, c: Caller = Depends(require("cases:write"))):
    """Create from `signal_id` (or `signal_ids`: one case), a `narrative_id`, a `query`, or by hand."""
    from monitio.taxonomy.loader import load_taxonomy

    taxonomy = load_taxonomy(_ws(request).settings.taxonomy)
    ids = list(dict.fromkeys((body.signal_ids or []) + ([body.signal_id] if body.signal_id else [])))

    query_hits: list[int] = []
    if body.query and not ids:
        # every match is linked, up to CASE_LINK_CAP (the newest); the description says when capped
        from monitio.api.routes_data import api_error
        from monitio.errors import MonitioError
        from monitio.services.search import match_ids

        try:
            query_hits, total = match_ids(_ws(request).engine, body.query, CASE_LINK_CAP)
        except MonitioError as exc:
            raise api_error(exc) from None
        if total > len(query_hits):
            note = f"Linked the newest {len(query_hits):,} of {total:,} posts matching the query."
            body = body.model_copy(update={"description": "\n\n".join(x for x in (body.description, note) if x)})

    def work():
        with _ws(request).engine.begin() as conn:
            if ids:
                case_id = svc.case_from_signal(
                    conn,
                    ids[0],
                    actor=c.user,
                    taxonomy=taxonomy,
                    owner_team=body.owner_team,
                    assignee_id=body.assignee_id,
                )
                for extra in ids[1:]:
                    other = svc.case_from_signal(conn, extra, actor=c.user, taxonomy=taxonomy)
                    svc.merge(conn, case_id, [other], actor=c.user)
                return case_id
            if not body.title:
                raise svc.CaseError("give signal_id(s), or a title for a case from a narrative, search or by hand")
            origin = "narrative" if body.narrative_id else "search" if body.query else "manual"
            new = svc.NewCase(
                title=body.title,
                severity=body.severity or 5,
                owner_team=body.owner_team or "Ads Integrity",
                categories=body.categories,
                markets=body.markets,
                origin=origin,
                description=body.description,
                query=body.query,
                assignee_id=body.assignee_id,
            )
            links = [("narrative", body.narrative_id)] if body.narrative_id else []
            links += [("post", str(p)) for p in query_hits]
            return svc.create_case(conn, new, actor=c.user, links=links)

    case_id = _guard(work)
    return get_case(case_id, request, c)


@router.get("/metrics")
def case_metrics(request: Request, c: Caller = Depends(require("cases:read"))):
    """Median hours to detect, triage and resolve per owner team and category; open and breached counts."""
    with _ws(request).engine.connect() as conn:
        return {
            "groups": svc.metrics(conn),
            "open": svc.count_open(conn),
            "sla_breached": len(svc.breached(conn)),
        }


@router.get("/{case_id}")
def get_case(case_id: IdPath, request: Request, c: Caller = Depends(READ)):
    with _ws(request).engine.connect() as conn:
        row = _load(conn, case_id, c)
        links = [
            {"kind": r.kind, "ref_id": r.ref_id, "created_at": r.created_at.isoformat()}
            for r in conn.execute(select(case_links).where(case_links.c.case_id == case_id).order_by(case_links.c.id))
        ]
        late = frozenset(svc.breached(conn))
    return {**_case_json(row, breached_ids=late), "links": links}


@router.patch("/{case_id}")
def change_case(case_id: IdPath, body: CasePatch, request: Request, c: Caller = Depends(require("cases:write"))):
    """Change status (allowed transitions only), assignee, severity (re-computes the SLA), title, team."""
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k == "assignee_id"}
    if not changes:
        raise ApiError(422, "nothing to change")
    with _ws(request).engine.begin() as conn:
        _load(conn, case_id, c)
        _guard(lambda: svc.update_case(conn, case_id, actor=c.user, **changes))
    return get_case(case_id, request, c)


@router.get("/{case_id}/comments")
def list_comments(case_id: IdPath, request: Request, c: Caller = Depends(READ)):
    with _ws(request).engine.connect() as conn:
        _load(conn, case_id, c)
        rows = conn.execute(
            select(case_comments, users.c.email)
            .join(users, users.c.id == case_comments.c.author_id)
            .where(case_comments.c.case_id == case_id)
            .order_by(case_comments.c.id)
        ).all()
    return {
        "items": [{"id": r.id, "author": r.email, "body": r.body, "created_at": r.created_at.isoformat()} for r in rows]
    }


@router.post("/{case_id}/comments", status_code=201)
def add_comment(
    case_id: IdPath,
    body: CommentIn,
    request: Request,
    c: Caller = Depends(require_any("cases:comment", "cases:comment_team")),
):
    with _ws(request).engine.begin() as conn:
        _load(conn, case_id, c)
        cid = _guard(lambda: svc.comment(conn, case_id, body.body, actor=c.user))
    return {"id": cid}


@router.post("/{case_id}/links", status_code=201)
def add_link(case_id: IdPath, body: LinkIn, request: Request, c: Caller = Depends(require("cases:write"))):
    with _ws(request).engine.begin() as conn:
        _load(conn, case_id, c)
        added = _guard(lambda: svc.link(conn, case_id, body.kind, body.ref_id, actor=c.user))
    return {"added": added}


@router.post("/{case_id}/decision")
def decide(case_id: IdPath, body: DecisionIn, request: Request, c: Caller = Depends(require("cases:write"))):
    with _ws(request).engine.begin() as conn:
        _load(conn, case_id, c)
        _guard(lambda: svc.decide(conn, case_id, what=body.what, why=body.why, actor=c.user))
    return get_case(case_id, request, c)


@router.post("/{case_id}/merge")
def merge(case_id: IdPath, body: MergeIn, request: Request, c: Caller = Depends(require("cases:write"))):
    """Merge the given cases into this one."""
    with _ws(request).engine.begin() as conn:
        _load(conn, case_id, c)
        _guard(lambda: svc.merge(conn, case_id, body.case_ids, actor=c.user))
    return get_case(case_id, request, c)


@router.get("/{case_id}/timeline")
def timeline(case_id: IdPath, request: Request, c: Caller = Depends(READ)):
    """Everything that happened to the case, oldest first (from the audit log)."""
    with _ws(request).engine.connect() as conn:
        _load(conn, case_id, c)
        return {"items": audit.entries(conn, entity="case", entity_id=case_id, limit=1000)}
