"""Cases as use cases: board, list, detail, comments, changes, and creation from signals, a narrative,
a search query or by hand. Each function opens and commits its own transaction; stakeholders see
their own team's cases only (another team's case is "not found", so ids reveal nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from monitio import audit
from monitio.auth import users as people
from monitio.auth.users import User
from monitio.cases import service as svc
from monitio.cases.workflow import OPEN, TRANSITIONS
from monitio.errors import Invalid
from monitio.names import category_label, market_label
from monitio.services import case_timeline
from monitio.services.access import require
from monitio.store.repo import fetch_posts
from monitio.store.schema_collab import audit_log, case_comments, case_links, cases, users
from monitio.workspace import Workspace

CaseNotFound = svc.CaseNotFound
QUERY_LINKS = 10_000
"""A case made from a search query links every match up to this many (the newest); the case's description
says when the cap was reached."""


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    team: str | None = None
    assignee_id: int | None = None
    open_only: bool = False
    breached: bool = False


@dataclass
class CasePage:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


@dataclass
class CaseRequest:
    """A new case: from `signal_ids` (one case, the others merged in), a `narrative_id`, a `query`,
    or by hand (`title` needed)."""

    signal_ids: list[int] = field(default_factory=list)
    narrative_id: int | None = None
    query: str | None = None
    title: str | None = None
    severity: int | None = None
    owner_team: str | None = None
    categories: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    assignee_id: int | None = None
    description: str | None = None


@dataclass
class CaseDetail:
    """Everything the case page shows."""

    case: dict[str, Any]
    evidence: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    assignee: str | None
    people: list[User]
    category_names: list[str] = field(default_factory=list)
    market_names: list[str] = field(default_factory=list)
    related: list[dict[str, str]] = field(default_factory=list)
    """The signals, narratives and alerts linked to the case: `text` and `href` (alerts have no page)."""


def case_json(row, *, breached_ids=frozenset()) -> dict:
    """A case row as the API's JSON object."""
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


def _needs_user(actor: User | None) -> User:
    if actor is None:
        raise Invalid("changing cases needs a user", hint="pass --as EMAIL (a user made with `monitio users add`)")
    return actor


def _visible(conn, case_id: int, actor: User | None):
    row = svc.get_case(conn, case_id)
    if actor is not None and not svc.visible_to(actor, row):
        raise CaseNotFound(f"no case {case_id}")  # do not reveal other teams' cases
    return row


def _taxonomy(ws: Workspace):
    from monitio.taxonomy.loader import load_taxonomy

    return load_taxonomy(ws.settings.taxonomy)


def list_cases(
    ws: Workspace, actor: User | None, filters: CaseFilter | None = None, *, limit: int = 50, offset: int = 0
) -> CasePage:
    """Cases the caller may see, most severe and most urgent first (counted and paged in SQL)."""
    require(actor, "cases:read", "cases:read_team")
    f = filters or CaseFilter()
    limit, offset = max(0, limit), max(0, offset)
    cond = []
    if f.status:
        cond.append(cases.c.status == f.status)
    if f.open_only:
        cond.append(cases.c.status.in_(OPEN))
    if f.team:
        cond.append(cases.c.owner_team == f.team)
    if f.assignee_id is not None:
        cond.append(cases.c.assignee_id == f.assignee_id)
    if actor is not None and not actor.can("cases:read"):
        cond.append(cases.c.owner_team == (actor.team or ""))
    with ws.engine.connect() as conn:
        late = frozenset(svc.breached(conn))
        if f.breached:
            cond.append(cases.c.id.in_(late or {-1}))
        total = conn.execute(select(func.count()).select_from(cases).where(*cond)).scalar_one()
        stmt = select(cases).where(*cond).order_by(cases.c.severity.desc(), cases.c.sla_due_at, cases.c.id)
        rows = conn.execute(stmt.limit(limit).offset(offset)).all() if offset < total else []
    return CasePage([case_json(r, breached_ids=late) for r in rows], total, limit, offset)


def get_case(ws: Workspace, actor: User | None, case_id: int) -> dict:
    """One case with its links."""
    require(actor, "cases:read", "cases:read_team")
    with ws.engine.connect() as conn:
        row = _visible(conn, case_id, actor)
        links = [
            {"kind": r.kind, "ref_id": r.ref_id, "created_at": r.created_at.isoformat()}
            for r in conn.execute(select(case_links).where(case_links.c.case_id == case_id).order_by(case_links.c.id))
        ]
        late = frozenset(svc.breached(conn))
    return {**case_json(row, breached_ids=late), "links": links}


def _comments(conn, case_id: int) -> list[dict]:
    rows = conn.execute(
        select(case_comments, users.c.email)
        .join(users, users.c.id == case_comments.c.author_id)
        .where(case_comments.c.case_id == case_id)
        .order_by(case_comments.c.id)
    ).all()
    return [
        {
            "id": r.id,
            "author": r.email,
            "body": r.body,
            "created_at": r.created_at.isoformat(),
            "when": case_timeline.when_text(r.created_at),
        }
        for r in rows
    ]


def list_comments(ws: Workspace, actor: User | None, case_id: int) -> list[dict]:
    require(actor, "cases:read", "cases:read_team")
    with ws.engine.connect() as conn:
        _visible(conn, case_id, actor)
        return _comments(conn, case_id)


def case_detail(ws: Workspace, actor: User | None, case_id: int) -> CaseDetail:
    """The case page: the case, its evidence posts, comments, timeline, assignee and who can be assigned."""
    c = get_case(ws, actor, case_id)
    names = {cid: cat.name for cid, cat in _taxonomy(ws).categories.items()}
    c["sla_due"] = case_timeline.when_text(c["sla_due_at"])
    if c["decision"]:
        c["decision"] = {**c["decision"], "when": case_timeline.when_text(c["decision"].get("at"))}
    post_ids = [int(lk["ref_id"]) for lk in c["links"] if lk["kind"] == "post" and lk["ref_id"].isdigit()]
    with ws.engine.connect() as conn:
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
        comments = _comments(conn, case_id)
        everyone = people.list_users(conn)
        timeline = _timeline(conn, c, limit=500)
    return CaseDetail(
        case=c,
        evidence=evidence,
        comments=comments,
        timeline=timeline,
        assignee=next((u.email for u in everyone if u.id == c["assignee_id"]), None),
        people=[u for u in everyone if not u.disabled and u.role in ("admin", "analyst")],
        category_names=[category_label(cat, names) for cat in c["categories"] or []],
        market_names=[market_label(m) for m in c["markets"] or []],
        related=[_related(lk) for lk in c["links"] if lk["kind"] != "post"],
    )


PAGES = {"signal": "/signals/{}", "narrative": "/narratives/{}"}


def _related(link: dict) -> dict[str, str]:
    """A non-post link as text and, when it has a page, its address.

    >>> _related({"kind": "signal", "ref_id": "12"})
    {'text': 'signal 12', 'href': '/signals/12'}
    """
    kind, ref = link["kind"], str(link["ref_id"])
    href = PAGES[kind].format(ref) if kind in PAGES and ref.isdigit() else ""
    return {"text": f"{kind} {ref}", "href": href}


def timeline(ws: Workspace, actor: User | None, case_id: int) -> list[dict]:
    """Everything that happened to the case, oldest first (from the audit log), each entry with a
    `summary` sentence for people and `when` (`2026-12-06 08:30 UTC`)."""
    require(actor, "cases:read", "cases:read_team")
    with ws.engine.connect() as conn:
        row = _visible(conn, case_id, actor)
        links = [f"{r.kind}:{r.ref_id}" for r in conn.execute(_links_of(case_id))]
        case = {"id": row.id, "origin": row.origin, "query": row.query, "links": links}
        return _timeline(conn, case, limit=1000, group=False)


def _links_of(case_id: int):
    return (
        select(case_links.c.kind, case_links.c.ref_id).where(case_links.c.case_id == case_id).order_by(case_links.c.id)
    )


def _timeline(conn, case: dict, *, limit: int, group: bool = True) -> list[dict]:
    """The case's audit entries (plus cases merged into it), each with a `summary` sentence and `when`."""
    case_id = case["id"]
    entries = audit.entries(conn, entity="case", entity_id=case_id, limit=limit)
    sources = [str(i) for i in conn.execute(select(cases.c.id).where(cases.c.merged_into == case_id)).scalars()]
    merges = (
        conn.execute(
            select(audit_log)
            .where(audit_log.c.entity == "case", audit_log.c.entity_id.in_(sources), audit_log.c.action == "case.merge")
            .order_by(audit_log.c.id)
        ).all()
        if sources
        else []
    )
    merged_in = [
        {
            "id": r.id,
            "at": r.at.isoformat(),
            "actor": r.actor,
            "action": "case.merged_in",
            "entity": "case",
            "entity_id": r.entity_id,
            "before": None,
            "after": {"case_id": int(r.entity_id)},
        }
        for r in merges
        if (r.after or {}).get("merged_into") == case_id
    ]
    entries = sorted(entries + merged_in, key=lambda e: e["id"])
    comment_ids = [e["after"]["comment_id"] for e in entries if e["action"] == "case.comment" and e.get("after")]
    comments = (
        {
            r.id: r.body
            for r in conn.execute(
                select(case_comments.c.id, case_comments.c.body).where(case_comments.c.id.in_(comment_ids))
            )
        }
        if comment_ids
        else {}
    )
    links = [lk if isinstance(lk, str) else f"{lk['kind']}:{lk['ref_id']}" for lk in case.get("links", [])]
    ctx = case_timeline.Context(
        emails={u.id: u.email for u in people.list_users(conn)},
        comments=comments,
        origin=case.get("origin"),
        query=case.get("query"),
        source_link=next((lk for lk in links if lk.startswith(f"{case.get('origin')}:")), None),
    )
    return case_timeline.summarize(entries, ctx, group=group)


def metrics(ws: Workspace, actor: User | None) -> dict:
    """Median hours to detect, triage and resolve per owner team and category; open and breached counts."""
    require(actor, "cases:read")
    with ws.engine.connect() as conn:
        return {"groups": svc.metrics(conn), "open": svc.count_open(conn), "sla_breached": len(svc.breached(conn))}


def update_case(ws: Workspace, actor: User | None, case_id: int, **changes) -> dict:
    """Change status (allowed transitions only), assignee, severity (re-computes the SLA), title, team."""
    require(actor, "cases:write")
    if not changes:
        raise Invalid("nothing to change")
    user = _needs_user(actor)
    with ws.engine.begin() as conn:
        _visible(conn, case_id, actor)
        svc.update_case(conn, case_id, actor=user, **changes)
    return get_case(ws, actor, case_id)


def add_comment(ws: Workspace, actor: User | None, case_id: int, body: str) -> int:
    require(actor, "cases:comment", "cases:comment_team")
    user = _needs_user(actor)
    with ws.engine.begin() as conn:
        _visible(conn, case_id, actor)
        return svc.comment(conn, case_id, body, actor=user)


def add_link(ws: Workspace, actor: User | None, case_id: int, kind: str, ref_id: str) -> bool:
    require(actor, "cases:write")
    user = _needs_user(actor)
    with ws.engine.begin() as conn:
        _visible(conn, case_id, actor)
        return svc.link(conn, case_id, kind, ref_id, actor=user)


def decide(ws: Workspace, actor: User | None, case_id: int, *, what: str, why: str) -> dict:
    require(actor, "cases:write")
    user = _needs_user(actor)
    with ws.engine.begin() as conn:
        _visible(conn, case_id, actor)
        svc.decide(conn, case_id, what=what, why=why, actor=user)
    return get_case(ws, actor, case_id)


def merge(ws: Workspace, actor: User | None, case_id: int, source_ids: list[int]) -> dict:
    """Merge the given cases into `case_id`."""
    require(actor, "cases:write")
    user = _needs_user(actor)
    with ws.engine.begin() as conn:
        _visible(conn, case_id, actor)
        svc.merge(conn, case_id, source_ids, actor=user)
    return get_case(ws, actor, case_id)


def case_from_signals(
    ws: Workspace,
    signal_ids: list[int],
    *,
    actor: User | None,
    taxonomy=None,
    owner_team: str | None = None,
    assignee_id: int | None = None,
) -> int:
    """One case from one or more signals (the first makes the case; the others are merged into it)."""
    require(actor, "cases:write")
    user = _needs_user(actor)
    ids = list(dict.fromkeys(signal_ids))
    if not ids:
        raise Invalid("select at least one signal")
    tax = taxonomy if taxonomy is not None else _taxonomy(ws)
    with ws.engine.begin() as conn:
        case_id = svc.case_from_signal(
            conn, ids[0], actor=user, taxonomy=tax, owner_team=owner_team, assignee_id=assignee_id
        )
        for extra in ids[1:]:
            svc.merge(conn, case_id, [svc.case_from_signal(conn, extra, actor=user, taxonomy=tax)], actor=user)
    return case_id


def case_from_narrative(ws: Workspace, narrative_id: int, *, actor: User | None, title: str | None = None) -> int:
    """A case from a narrative: owner team and severity from its main categories, its example posts linked."""
    from monitio.services.narratives import get_narrative

    require(actor, "cases:write")
    user = _needs_user(actor)
    n = get_narrative(ws, narrative_id)
    tax = _taxonomy(ws)
    cats = sorted(n["categories"], key=lambda c: -n["categories"][c])
    owner = next((tax.categories[c].owner_team for c in cats if c in tax.categories), "Ads Integrity")
    severity = max((tax.categories[c].default_severity for c in cats if c in tax.categories), default=5)
    new = svc.NewCase(
        title=(title or f"Narrative: {n['label']}")[:300],
        severity=severity,
        owner_team=owner,
        categories=cats,
        markets=sorted(n["markets"], key=lambda m: -n["markets"][m]),
        origin="narrative",
        description=f"{n['size']} posts; top terms: {', '.join(n['terms'][:10])}",
    )
    links = [("narrative", str(narrative_id))] + [("post", str(p["post_id"])) for p in n["examples"]]
    with ws.engine.begin() as conn:
        return svc.create_case(conn, new, actor=user, links=links)


def matching_post_ids(ws: Workspace, query: str, limit: int | None = None) -> tuple[list[int], int]:
    """The newest posts matching a search query (at most `limit`) and how many match in all: the one
    place a case-from-query finds its posts, through the indexed search."""
    from monitio.services.search import match_ids

    return match_ids(ws.engine, query, limit or QUERY_LINKS)


def create_case(ws: Workspace, actor: User | None, req: CaseRequest) -> dict:
    """Create a case from signals, a narrative, a query, or by hand; returns the new case."""
    require(actor, "cases:write")
    user = _needs_user(actor)
    if req.signal_ids:
        case_id = case_from_signals(
            ws, req.signal_ids, actor=actor, owner_team=req.owner_team, assignee_id=req.assignee_id
        )
        return get_case(ws, actor, case_id)
    if req.narrative_id is not None and not req.title:
        return get_case(ws, actor, case_from_narrative(ws, req.narrative_id, actor=actor))
    if not req.title:
        raise Invalid("give signal_id(s), a narrative_id, or a title for a case from a search or by hand")
    origin = "narrative" if req.narrative_id is not None else "search" if req.query else "manual"
    links: list[tuple[str, str]] = [("narrative", str(req.narrative_id))] if req.narrative_id is not None else []
    description = req.description
    if req.query:
        hits, total = matching_post_ids(ws, req.query)
        links += [("post", str(p)) for p in hits]
        if total > len(hits):
            note = f"Linked the newest {len(hits):,} of {total:,} posts matching the query."
            description = "\n\n".join(x for x in (description, note) if x)
    new = svc.NewCase(
        title=req.title,
        severity=req.severity or 5,
        owner_team=req.owner_team or "Ads Integrity",
        categories=req.categories,
        markets=req.markets,
        origin=origin,
        description=description,
        query=req.query,
        assignee_id=req.assignee_id,
    )
    with ws.engine.begin() as conn:
        case_id = svc.create_case(conn, new, actor=user, links=links)
    return get_case(ws, actor, case_id)
