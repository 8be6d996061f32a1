"""Taxonomy editing: each category's rules in force, a live test of new rules on the last 7 days of
posts, saving them as a new taxonomy version, and the version history. Reading needs `taxonomy:read`;
testing and saving `taxonomy:write` (admins)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from monitio.api.security import Caller, require, workspace
from monitio.services import taxonomy_edit
from monitio.workspace import Workspace

router = APIRouter(prefix="/taxonomy", tags=["taxonomy"])
CategoryPath = Annotated[str, Path(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_]*$")]


class RulesIn(BaseModel):
    rules: str = Field(min_length=1, max_length=100_000, description="The category's rules as YAML (id, lang, query)")


@router.get("/rules")
def category_rules(ws: Workspace = Depends(workspace), c: Caller = Depends(require("taxonomy:read"))):
    """Every category's rules in force, as editable YAML text, and the version they come from (1: the file)."""
    return {"items": [asdict(x) for x in taxonomy_edit.categories(ws, c.user)]}


@router.get("/versions")
def versions(
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("taxonomy:read")),
    category: str | None = Query(None, max_length=80),
    limit: int = Query(50, ge=1, le=500),
):
    """Saved taxonomy versions, newest first: who changed which category's rules, when, before and after."""
    return {"items": [asdict(v) for v in taxonomy_edit.history(ws, c.user, category, limit)]}


@router.post("/categories/{category}/test")
def live_test(
    category: CategoryPath,
    body: RulesIn,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("taxonomy:write")),
):
    """Validate rules and count what they find in the last 7 days (per rule, in all, up to 10 examples).
    Invalid rules answer 422 with `details` {line, column, problem, excerpt}; nothing is saved."""
    result = taxonomy_edit.live_test(ws, c.user, category, body.rules)
    return {**asdict(result), "since": result.since.isoformat()}


@router.post("/categories/{category}/versions", status_code=201)
def save(
    category: CategoryPath,
    body: RulesIn,
    ws: Workspace = Depends(workspace),
    c: Caller = Depends(require("taxonomy:write")),
):
    """Save the category's rules as the next taxonomy version (validated first; audited). Enrichment uses
    them for new posts from then on."""
    return asdict(taxonomy_edit.save(ws, c.user, category, body.rules))
