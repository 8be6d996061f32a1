"""Briefs: generate one now (Markdown, HTML, XLSX) into the workspace's `briefs/` folder, list them,
and find one file to download.

>>> BRIEF_ID.match("20261201T080000Z") is not None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from monitio.auth.users import User
from monitio.errors import NotFound
from monitio.services.access import require
from monitio.workspace import Workspace

MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BRIEF_ID = re.compile(r"^\d{8}T\d{6}Z$")


class UnknownBrief(NotFound):
    """No brief with this id and format."""


@dataclass
class BriefInfo:
    id: str
    generated_at: datetime | None
    formats: list[str]


@dataclass
class BriefFile:
    path: Path
    media_type: str
    filename: str


def _root(ws: Workspace) -> Path:
    return ws.path / "briefs"


def generate(ws: Workspace, actor: User | None, *, top: int = 10) -> BriefInfo:
    """Write a brief from the open signals now; its id is the UTC time."""
    from monitio.reports.build import build_brief
    from monitio.reports.write import write_brief

    require(actor, "briefs:write")
    now = datetime.now(UTC)
    brief_id = now.strftime("%Y%m%dT%H%M%SZ")
    out = _root(ws) / brief_id
    out.mkdir(parents=True, exist_ok=True)
    paths = write_brief(build_brief(ws, top=top), out)
    return BriefInfo(brief_id, now, list(paths))


def list_briefs(ws: Workspace, actor: User | None) -> list[BriefInfo]:
    """Generated briefs, newest first."""
    require(actor, "briefs:read")
    root = _root(ws)
    ids = sorted((p.name for p in root.iterdir() if BRIEF_ID.match(p.name)), reverse=True) if root.exists() else []
    return [BriefInfo(b, datetime.strptime(b, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC), list(MEDIA)) for b in ids]


def brief_file(ws: Workspace, actor: User | None, brief_id: str, fmt: str) -> BriefFile:
    """The file of one brief in one format (md, html or xlsx)."""
    require(actor, "briefs:read")
    if not BRIEF_ID.match(brief_id) or fmt not in MEDIA:
        raise UnknownBrief("no such brief")
    path = _root(ws) / brief_id / f"brief.{fmt}"
    if not path.exists():
        raise UnknownBrief("no such brief")
    return BriefFile(path, MEDIA[fmt], f"monitio-brief-{brief_id}.{fmt}")
