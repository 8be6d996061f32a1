"""Response packs as a use case: `monitio respond SIGNAL_ID`, the API and the signal page's button.

Reads the signal and its posts from the store, builds the pack (`monitio.reports.respond`), writes its
files under `responses/`, and keeps every version in the `responses` table, attached to the signal's
case when it has one (with an audit entry on the case), with who generated it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from monitio import audit
from monitio.detect.why import MARKET_NAMES
from monitio.errors import Invalid, NotFound
from monitio.reports.respond import HOURLY_KINDS, LANGS, ResponsePack, SignalFigures, build_pack, write_files
from monitio.reports.sections import kind_label
from monitio.settings import workspace_file
from monitio.store.schema import post_categories, posts, signals
from monitio.store.schema_briefs import responses
from monitio.store.schema_collab import case_links

#: At most this many posts of a signal's window are read for the enforcement list.
MAX_POSTS = 5000


@dataclass(slots=True)
class ResponseRecord:
    id: int
    signal_id: int
    case_id: int | None
    version: int
    lang: str
    statement: str
    internal_note: str
    enforcement: list[dict]
    figures: dict
    files: dict[str, str]
    created_by: str
    created_at: datetime

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "signal_id": self.signal_id,
            "case_id": self.case_id,
            "version": self.version,
            "lang": self.lang,
            "statement": self.statement,
            "internal_note": self.internal_note,
            "enforcement": self.enforcement,
            "figures": self.figures,
            "files": self.files,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
        }


def _query(sig) -> str:
    parts = []
    if sig.categories:
        parts.append("(" + " OR ".join(f"category:{c}" for c in sig.categories) + ")")
    if sig.markets:
        parts.append("(" + " OR ".join(f"market:{m}" for m in sig.markets) + ")")
    end = sig.window_end + (timedelta(hours=1) if sig.kind in HOURLY_KINDS else timedelta(0))
    last = (end - timedelta(seconds=1)).date()
    parts.append(f"date:{sig.window_start.date()}..{last}")
    return " ".join(parts)


def signal_posts(conn, sig) -> list[tuple[int, str | None, dict]]:
    """(post id, author, indicators) of the signal's evidence and of its window and scope."""
    ids = list(dict.fromkeys(sig.evidence or []))
    end = sig.window_end + (timedelta(hours=1) if sig.kind in HOURLY_KINDS else timedelta(0))
    if sig.categories:
        q = select(post_categories.c.post_id).where(
            post_categories.c.category.in_(sig.categories),
            post_categories.c.published_at >= sig.window_start,
            post_categories.c.published_at < end,
        )
        if sig.markets:
            q = q.where(post_categories.c.market.in_(sig.markets))
        ids += [i for i in conn.execute(q.order_by(post_categories.c.post_id).limit(MAX_POSTS)).scalars()]
    group = (sig.details or {}).get("group_id")
    if group is not None:
        ids += list(
            conn.execute(
                select(posts.c.id).where(posts.c.dup_group == int(group)).order_by(posts.c.id).limit(MAX_POSTS)
            ).scalars()
        )
    ids = list(dict.fromkeys(ids))
    out = []
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = conn.execute(select(posts.c.id, posts.c.author, posts.c.indicators).where(posts.c.id.in_(chunk)))
        out += [(r.id, r.author, r.indicators or {}) for r in rows]
    out.sort(key=lambda r: r[0])
    return out


def signal_figures(ws, conn, signal_id: int) -> tuple[SignalFigures, list[tuple[int, str | None, dict]]]:
    from monitio.taxonomy.loader import load_taxonomy

    sig = conn.execute(select(signals).where(signals.c.id == signal_id)).first()
    if sig is None:
        raise NotFound(f"no signal {signal_id}", hint="list them with `monitio signals`")
    cats = load_taxonomy(ws.settings.taxonomy).categories
    owner = next((cats[c] for c in sig.categories or [] if c in cats), None)
    post_rows = signal_posts(conn, sig)
    case_id = conn.execute(
        select(func.min(case_links.c.case_id)).where(
            case_links.c.kind == "signal", case_links.c.ref_id == str(signal_id)
        )
    ).scalar()
    names = [cats[c].name if c in cats else c for c in sig.categories or []]
    where = ", ".join(MARKET_NAMES.get(m, m) for m in (sig.markets or [])[:4]) or "all markets"
    fig = SignalFigures(
        signal_id=sig.id,
        kind=sig.kind,
        title=f"{kind_label(sig.kind)}: {' / '.join(names) or 'All posts'} ({where})",
        why=sig.why,
        severity=sig.severity,
        markets=list(sig.markets or []),
        market_names=[MARKET_NAMES.get(m, m) for m in sig.markets or []],
        langs=list(sig.langs or []),
        categories=list(sig.categories or []),
        category_names=names,
        first_seen=sig.first_seen,
        detected_at=sig.created_at,
        window_start=sig.window_start,
        window_end=sig.window_end,
        observed=round(sig.observed),
        expected=round(float(sig.expected), 1),
        posts=len(post_rows),
        authors=len({a for _, a, _ in post_rows if a}),
        negative_share=(sig.details or {}).get("negative_share"),
        query=_query(sig),
        playbook=list(owner.playbook) if owner else ["Review the evidence posts and decide whether this needs a case."],
        owner_team=owner.owner_team if owner else "Ads Integrity",
        case_id=case_id,
    )
    return fig, post_rows


def draft_response(
    ws, signal_id: int, *, lang: str = "en", actor: str = "cli", out_dir: Path | None = None
) -> ResponseRecord:
    """Build, write and keep a new version of the signal's response pack."""
    if lang not in LANGS:
        raise Invalid(f"no response templates for language {lang!r}", hint="languages: " + ", ".join(LANGS))
    path = workspace_file(ws.settings, "responses")
    with ws.engine.begin() as conn:
        fig, post_rows = signal_figures(ws, conn, signal_id)
        pack: ResponsePack = build_pack(fig, post_rows, lang, path)
        version = (
            conn.execute(select(func.max(responses.c.version)).where(responses.c.signal_id == signal_id)).scalar() or 0
        ) + 1
        folder = Path(out_dir) if out_dir else ws.path / "responses"
        files = write_files(pack, folder, f"signal-{signal_id}-v{version}-{lang}")
        enforcement = [
            {"kind": r.kind, "value": r.value, "posts": r.posts, "example_posts": r.example_posts}
            for r in pack.enforcement
        ]
        now = datetime.now(UTC)
        row = dict(
            signal_id=signal_id,
            case_id=fig.case_id,
            version=version,
            lang=lang,
            statement=pack.statement,
            internal_note=pack.internal_note,
            enforcement=enforcement,
            figures={"observed": fig.observed, "expected": fig.expected, "posts": fig.posts, "authors": fig.authors},
            files={k: str(v) for k, v in files.items()},
            created_by=actor,
            created_at=now,
        )
        new_id = conn.execute(responses.insert().values(**row).returning(responses.c.id)).scalar_one()
        if fig.case_id:
            audit.record(
                conn,
                actor=actor,
                action="response.draft",
                entity="case",
                entity_id=fig.case_id,
                after={"signal_id": signal_id, "response_version": version, "lang": lang},
            )
    return ResponseRecord(id=new_id, **row)


def list_responses(ws, signal_id: int) -> list[ResponseRecord]:
    """Every kept version of a signal's response pack, newest first."""
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(responses).where(responses.c.signal_id == signal_id).order_by(responses.c.version.desc())
        ).all()
    return [ResponseRecord(**{k: getattr(r, k) for k in ResponseRecord.__dataclass_fields__}) for r in rows]


RESPONSE_MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def response_file(ws, signal_id: int, version: int, fmt: str) -> tuple[Path, str]:
    """The path and media type of one file of one kept response version."""
    for rec in list_responses(ws, signal_id):
        if rec.version == version:
            if fmt not in rec.files or fmt not in RESPONSE_MEDIA:
                raise NotFound(f"response v{version} of signal {signal_id} has no {fmt} file")
            path = Path(rec.files[fmt])
            if not path.exists():
                raise NotFound(f"the {fmt} file of response v{version} is gone from {path.parent}")
            return path, RESPONSE_MEDIA[fmt]
    raise NotFound(f"signal {signal_id} has no response version {version}")
