"""Cases: create (from signals, a narrative, a search or by hand), read, change, comment, link, decide,
merge; timeline and metrics. Stakeholders read and comment on their own team's cases only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from monitio.api.jsonbody import json_body
from monitio.api.schemas import (
    MAX_ID,
    CaseIn,
    CasePatch,
    CommentIn,
    DecisionIn,
    IdPath,
    IdQuery,
    LinkIn,
    MergeIn,
    NarrativeCaseIn,
    Page,
)
from monitio.api.security import Caller, require, require_any, workspace
from monitio.services import cases as svc
from monitio.workspace import Workspace

router = APIRouter(prefix="/cases", tags=["cases"])
READ = require_any("cases:read", "cases:read_team")


@router.get("", response_model=Page)
def list_cases(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(READ),
    status: str | None = Query(None, max_length=40),
    team: str | None = Query(None, max_length=80),
    assignee_id: IdQuery = None,
    open_only: bool = False,
    breached: bool = False,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """Cases you may see, most severe and most urgent first."""
    f = svc.CaseFilter(status=status, team=team, assignee_id=assignee_id, open_only=open_only, breached=breached)
    page = svc.list_cases(ws, c.user, f, limit=limit, offset=offset)
    return Page(items=page.items, total=page.total, limit=limit, offset=offset)


"""A case from a query links at most this many posts (the newest), and says so when it is capped."""


@router.post("", status_code=201)
def create_case(body: CaseIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("cases:write"))):
    """Create from `signal_id` (or `signal_ids`: one case), a `narrative_id`, a `query`, or by hand."""
    ids = list(dict.fromkeys(([body.signal_id] if body.signal_id else []) + (body.signal_ids or [])))
    req = svc.CaseRequest(
        signal_ids=ids,
        narrative_id=body.narrative_id,
        query=body.query,
        title=body.title,
        severity=body.severity,
        owner_team=body.owner_team,
        categories=body.categories,
        markets=body.markets,
        assignee_id=body.assignee_id,
        description=body.description,
    )
    return json_body(svc.create_case(ws, c.user, req), status_code=201)


@router.get("/metrics")
def case_metrics(ws: Workspace = Depends(workspace), c: Caller = Depends(require("cases:read"))):
    """Median hours to detect, triage and resolve per owner team and category; open and breached counts."""
    return svc.metrics(ws, c.user)


@router.get("/{case_id}")
def get_case(case_id: IdPath, ws: Workspace = Depends(workspace), c: Caller = Depends(READ)):
    """One case with its links."""
    return json_body(svc.get_case(ws, c.user, case_id))


@router.patch("/{case_id}")
def change_case(
    case_id: IdPath, body: CasePatch, ws: Workspace = Depends(workspace), c: Caller = Depends(require("cases:write"))
):
    """Change status (allowed transitions only), assignee, severity (re-computes the SLA), title, team."""
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k == "assignee_id"}
    return json_body(svc.update_case(ws, c.user, case_id, **changes))


@router.get("/{case_id}/comments")
def list_comments(case_id: IdPath, ws: Workspace = Depends(workspace), c: Caller = Depends(READ)):
    """The case's comments, oldest first."""
    return {"items": svc.list_comments(ws, c.user, case_id)}


@router.post("/{case_id}/comments", status_code=201)
def add_comment(
    case_id: IdPath,
    body: CommentIn,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require_any("cases:comment", "cases:comment_team")),
):
    """Comment on a case."""
    return json_body({"id": svc.add_comment(ws, c.user, case_id, body.body)}, status_code=201)


@router.post("/{case_id}/links", status_code=201)
def add_link(
    case_id: IdPath, body: LinkIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("cases:write"))
):
    """Link evidence (a post, signal, narrative or alert) to a case."""
    return {"added": svc.add_link(ws, c.user, case_id, body.kind, body.ref_id)}


@router.post("/{case_id}/decision")
def decide(
    case_id: IdPath, body: DecisionIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("cases:write"))
):
    """Record the decision: what was decided and why."""
    return svc.decide(ws, c.user, case_id, what=body.what, why=body.why)


@router.post("/{case_id}/merge")
def merge(
    case_id: IdPath, body: MergeIn, ws: Workspace = Depends(workspace), c: Caller = Depends(require("cases:write"))
):
    """Merge the given cases into this one."""
    return svc.merge(ws, c.user, case_id, body.case_ids)


@router.get("/{case_id}/timeline")
def timeline(case_id: IdPath, ws: Workspace = Depends(workspace), c: Caller = Depends(READ)):
    """Everything that happened to the case, oldest first (from the audit log)."""
    return {"items": svc.timeline(ws, c.user, case_id)}


narratives_router = APIRouter(tags=["narratives"])


@narratives_router.post("/narratives/{narrative_id}/case", status_code=201)
def case_from_narrative(
    narrative_id: IdPath,
    body: NarrativeCaseIn | None = None,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("cases:write")),
):
    """Open a case from a narrative: owner team and severity from its categories, example posts linked."""
    case_id = svc.case_from_narrative(ws, narrative_id, actor=c.user, title=body.title if body else None)
    return svc.get_case(ws, c.user, case_id)
