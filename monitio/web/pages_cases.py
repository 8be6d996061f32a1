"""Case board and case page: assign, move, comment, decide."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Form, Request

from monitio.api.schemas import IdPath
from monitio.cases.workflow import STATUSES
from monitio.errors import MonitioError
from monitio.services import case_board
from monitio.services import cases as svc
from monitio.services.case_timeline import STATUS_WORDS
from monitio.web.deps import Viewer, checked, viewer, workspace
from monitio.web.pages_main import base_ctx
from monitio.web.render import back, page
from monitio.workspace import Workspace

router = APIRouter(include_in_schema=False)


def _board_filter(team: str, assignee: str, min_severity: str, sla: str) -> case_board.BoardFilter:
    """The board's query string as a filter; values it cannot read are ignored (the form shows "any")."""
    return case_board.BoardFilter(
        team=team.strip()[:80] or None,
        assignee_id=0 if assignee == "none" else int(assignee) if assignee.isdigit() and len(assignee) < 12 else None,
        min_severity=int(min_severity) if min_severity.isdigit() and 1 <= int(min_severity) <= 10 else None,
        sla=sla if sla in case_board.SLA_STATES else None,
    )


@router.get("/cases")
def board(
    request: Request,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(viewer),
    team: str = "",
    assignee: str = "",
    min_severity: str = "",
    sla: str = "",
):
    f = _board_filter(team, assignee, min_severity, sla)
    b = case_board.board(ws, v.user, f)
    return page(
        request,
        "cases.html",
        {
            **base_ctx(request, v, "Cases"),
            "statuses": STATUSES,
            "status_words": STATUS_WORDS,
            "board": b.columns,
            "counts": b.counts,
            "open_count": sum(b.counts.get(s, 0) for s in STATUSES[:5]),
            "breached_count": b.breached,
            "shown": b.shown,
            "total": b.total,
            "teams": b.teams,
            "people": b.people,
            "f": f,
            "filtered": f != case_board.BoardFilter(),
        },
    )


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(viewer)):
    try:
        d = svc.case_detail(ws, v.user, case_id) if 0 < case_id < 2**62 else None
    except svc.CaseNotFound:
        d = None
    if d is None:
        return back("/cases", f"No case {case_id}.")
    return page(
        request,
        "case.html",
        {
            **base_ctx(request, v, "Cases"),
            "c": d.case,
            "evidence": d.evidence,
            "comments": d.comments,
            "timeline": d.timeline,
            "assignee": d.assignee,
            "can_write": v.can("cases:write"),
            "can_comment": v.can("cases:comment", "cases:comment_team"),
            "people": d.people,
            "category_names": d.category_names,
            "market_names": d.market_names,
            "related": d.related,
            "status_words": STATUS_WORDS,
        },
    )


def _act(case_id: int, work: Callable[[], object], done: str):
    """Run a change; its error (not allowed, bad transition, ...) comes back as the page's flash."""
    try:
        work()
    except MonitioError as exc:
        return back(f"/cases/{case_id}", exc.one_line())
    return back(f"/cases/{case_id}", done)


@router.post("/cases/{case_id}/update")
def update(
    case_id: IdPath,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
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
    return _act(case_id, lambda: svc.update_case(ws, v.user, case_id, **changes), "Case updated.")


@router.post("/cases/{case_id}/comment")
def comment(case_id: IdPath, ws: Workspace = Depends(workspace), v: Viewer = Depends(checked), body: str = Form("")):
    return _act(case_id, lambda: svc.add_comment(ws, v.user, case_id, body), "Comment added.")


@router.post("/cases/{case_id}/decision")
def decision(
    case_id: IdPath,
    ws: Workspace = Depends(workspace),
    v: Viewer = Depends(checked),
    what: str = Form(""),
    why: str = Form(""),
):
    return _act(case_id, lambda: svc.decide(ws, v.user, case_id, what=what, why=why), "Decision recorded.")
