"""Request and response bodies of the REST API (kept apart from the storage tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

MAX_ID = 2**62
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Page(BaseModel):
    items: list[Any]
    total: int
    limit: int
    offset: int


class LoginIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1000)


class LoginOut(BaseModel):
    user: dict
    csrf_token: str


class IngestItem(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str | int | None = None
    text: Any = None
    published_at: Any = None
    url: str | None = None
    author: str | None = None
    lang: str | None = None
    market: str | None = None
    likes: Any = None
    shares: Any = None
    comments: Any = None
    views: Any = None


class IngestIn(BaseModel):
    source: str = Field(min_length=1, max_length=200, pattern=r"^[\w.:\-]+$")
    items: list[IngestItem] = Field(min_length=1, max_length=1000)
    timezone: str = "UTC"


class RowError(BaseModel):
    index: int
    reason: str


class IngestOut(BaseModel):
    read: int
    new: int
    duplicate: int
    quarantined: int
    errors: list[RowError]


class CaseIn(BaseModel):
    signal_id: Id | None = None
    signal_ids: list[Id] | None = Field(default=None, max_length=200)
    query: str | None = Field(default=None, max_length=2000)
    narrative_id: Id | None = None
    title: str | None = Field(default=None, max_length=300)
    severity: int | None = Field(default=None, ge=1, le=10)
    owner_team: str | None = Field(default=None, max_length=80)
    categories: list[str] = Field(default_factory=list, max_length=50)
    markets: list[str] = Field(default_factory=list, max_length=50)
    assignee_id: Id | None = None
    description: str | None = Field(default=None, max_length=20_000)


class CasePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=300)
    status: Literal["new", "triaging", "investigating", "escalated", "mitigating", "resolved", "closed"] | None = None
    severity: int | None = Field(default=None, ge=1, le=10)
    owner_team: str | None = Field(default=None, max_length=80)
    assignee_id: Id | None = None
    description: str | None = Field(default=None, max_length=20_000)


class CommentIn(BaseModel):
    body: str = Field(min_length=1, max_length=10_000)


class LinkIn(BaseModel):
    kind: Literal["post", "signal", "narrative", "alert"]
    ref_id: str = Field(min_length=1, max_length=80)


class DecisionIn(BaseModel):
    what: str = Field(min_length=1, max_length=5000)
    why: str = Field(min_length=1, max_length=5000)


class MergeIn(BaseModel):
    case_ids: list[Id] = Field(min_length=1, max_length=100)


class UserIn(BaseModel):
    email: str = Field(max_length=320)
    role: Literal["admin", "analyst", "stakeholder", "service"]
    team: str | None = Field(default=None, max_length=80)
    name: str | None = Field(default=None, max_length=200)
    password: str | None = Field(default=None, max_length=1000)


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["admin", "analyst", "stakeholder", "service"] | None = None
    team: str | None = Field(default=None, max_length=80)
    name: str | None = Field(default=None, max_length=200)
    disabled: bool | None = None


class TokenIn(BaseModel):
    name: str = Field(default="api", min_length=1, max_length=200)
    days: int | None = Field(default=90, ge=1, le=3650)
    user_id: Id | None = None


class TokenOut(BaseModel):
    id: int
    token: str
    note: str = "shown once: store it now"


class SignalPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["open", "closed", "dismissed"]
    reason: str | None = Field(default=None, max_length=2000)


class SignalAction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["acknowledge", "dismiss", "close", "reopen", "escalate"]
    reason: str | None = Field(default=None, max_length=2000)


class NarrativeCaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=300)


class BriefOut(BaseModel):
    id: str
    generated_at: datetime
    formats: dict[str, str]
