"""API schemas for search: a page of matches with the exact total, the next cursor and facets."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class SearchPageOut(BaseModel):
    total: int = Field(description="Exact number of matching posts in the workspace.")
    items: list[dict[str, Any]]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    facets: dict[str, dict[str, int]] = Field(
        description="Counts over all matches by market, lang, category, source, day, and the top authors."
    )
    limit: int
    offset: int


class SavedSearchIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    query: str = Field(min_length=1, max_length=2000)


class SavedSearchOut(BaseModel):
    id: int
    name: str
    query: str
    owner: str
    created_at: str
