"""Briefs as a use case: make one for a period and scope, keep it, list the kept ones, fetch a file.

Files live in the workspace's `briefs/` folder, named by period and scope (`2026-W49-ID.pdf`); the
`briefs` table records each with its scope, so the CLI, the API and the dashboard list the same
briefs whoever made them. Making the same period and scope again replaces that brief's files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from monitio.errors import Invalid, NotFound
from monitio.reports.build import build_brief
from monitio.reports.period import BriefScope, resolve_scope
from monitio.reports.write import DEFAULT_FORMATS, FORMATS, write_brief
from monitio.store.repo import dialect_insert
from monitio.store.schema_briefs import briefs

MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(slots=True)
class BriefRecord:
    """A kept brief: its id, period, scope and files (format -> path inside the workspace)."""

    id: int
    stem: str
    period: str
    since: datetime
    until: datetime
    scope: dict
    files: dict[str, str]
    created_by: str
    created_at: datetime
    #: The executive summary's lines (set when the brief was just made; not stored).
    summary: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "stem": self.stem,
            "period": self.period,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "scope": self.scope,
            "formats": sorted(self.files),
            "files": self.files,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
        }


def parse_formats(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """`"md,pdf"` -> `("md", "pdf")`; unknown formats are refused.

    >>> parse_formats("pdf, md")
    ('pdf', 'md')
    """
    if not value:
        return DEFAULT_FORMATS
    items = value.split(",") if isinstance(value, str) else list(value)
    out = tuple(dict.fromkeys(f.strip().lower() for f in items if f.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad:
        raise Invalid(f"unknown brief format {bad[0]!r}", hint="use md, html, xlsx or pdf, comma-separated")
    return out


def scope_json(scope: BriefScope) -> dict:
    return {
        "period": scope.period,
        "tz": scope.tz,
        "markets": list(scope.markets),
        "categories": list(scope.categories),
        "team": scope.team,
        "saved_search": scope.saved_search,
        "query": scope.query,
    }


def make_brief(
    ws,
    *,
    period: str | None = None,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    markets: list[str] | tuple[str, ...] = (),
    categories: list[str] | tuple[str, ...] = (),
    team: str | None = None,
    saved_search: str | None = None,
    formats: str | list[str] | tuple[str, ...] | None = None,
    top: int = 10,
    actor: str = "cli",
    out_dir: Path | None = None,
    now: datetime | None = None,
    tz: str | None = None,
) -> BriefRecord:
    """Build the brief for the period and scope, write its files, record it, and return the record."""
    fmts = parse_formats(formats)
    query = None
    if saved_search:
        query = _saved_search_query(ws, saved_search)
    scope = resolve_scope(
        period,
        since=since,
        until=until,
        now=now,
        tz=tz or ws.settings.timezone,
        markets=markets,
        categories=categories,
        team=team,
        saved_search=saved_search,
        query=query,
    )
    brief = build_brief(ws, top=top, scope=scope, now=now)
    folder = Path(out_dir) if out_dir else ws.path / "briefs"
    paths = write_brief(brief, folder, stem=scope.stem, formats=fmts)
    files = {fmt: str(p) for fmt, p in paths.items()}
    created = datetime.now(UTC)
    row = {
        "stem": scope.stem,
        "period": scope.period,
        "since": scope.since,
        "until": scope.until,
        "scope": scope_json(scope),
        "files": files,
        "created_by": actor,
        "created_at": created,
    }
    with ws.engine.begin() as conn:
        old = conn.execute(select(briefs.c.files).where(briefs.c.stem == scope.stem)).scalar()
        if old:
            files = {**old, **files}  # a re-made brief keeps its other formats
            row["files"] = files
        stmt = dialect_insert(conn, briefs).values(**row)
        conn.execute(stmt.on_conflict_do_update(index_elements=["stem"], set_=row))
        brief_id = conn.execute(select(briefs.c.id).where(briefs.c.stem == scope.stem)).scalar_one()
    return BriefRecord(id=brief_id, **row, summary=[line.text for line in brief.summary])


def _saved_search_query(ws, name: str) -> str:
    """The query of a saved search, by name (NotFound names the fix)."""
    from monitio.services.saved_searches import resolve

    return resolve(ws.engine, name)


def _record(r) -> BriefRecord:
    return BriefRecord(
        id=r.id,
        stem=r.stem,
        period=r.period,
        since=r.since,
        until=r.until,
        scope=r.scope or {},
        files=r.files or {},
        created_by=r.created_by,
        created_at=r.created_at,
    )


def list_briefs(ws, limit: int = 100) -> list[BriefRecord]:
    """Kept briefs, newest first."""
    with ws.engine.connect() as conn:
        rows = conn.execute(select(briefs).order_by(briefs.c.created_at.desc(), briefs.c.id.desc()).limit(limit))
        return [_record(r) for r in rows]


def get_brief(ws, brief_id: int) -> BriefRecord:
    with ws.engine.connect() as conn:
        r = conn.execute(select(briefs).where(briefs.c.id == brief_id)).first()
    if r is None:
        raise NotFound(f"no brief {brief_id}", hint="list them with `monitio briefs list`")
    return _record(r)


def brief_file(ws, brief_id: int, fmt: str) -> tuple[Path, str]:
    """The path and media type of one kept brief's file."""
    rec = get_brief(ws, brief_id)
    if fmt not in rec.files:
        raise NotFound(f"brief {brief_id} has no {fmt} file", hint="formats: " + ", ".join(sorted(rec.files)))
    path = Path(rec.files[fmt])
    if not path.exists():
        raise NotFound(f"the {fmt} file of brief {brief_id} is gone from {path.parent}")
    return path, MEDIA[fmt]
