"""Cases: create from a signal, a narrative or a search; assign, comment, move, decide, merge.

Every change goes through here, in the caller's transaction, and is written to the audit log, which
is also the case's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from monitio import audit
from monitio.auth.users import User
from monitio.cases.workflow import LINK_KINDS, OPEN, STATUSES, can_move, sla_hours
from monitio.errors import Conflict, Invalid, NotFound
from monitio.store.schema import signals
from monitio.store.schema_collab import case_comments, case_links, cases, users

FIELDS = (
    "title",
    "status",
    "severity",
    "owner_team",
    "assignee_id",
    "categories",
    "markets",
    "description",
    "sla_due_at",
    "decision",
    "merged_into",
)


class CaseError(Invalid):
    """A request the case workflow refuses as invalid (empty title, bad severity, unknown status, ...)."""


class CaseNotFound(NotFound, CaseError):
    """No case (or signal, or user) with this id."""


class CaseConflict(Conflict, CaseError):
    """The case's state does not allow this (a transition not allowed, merging into a closed case)."""


@dataclass
class NewCase:
    title: str
    severity: int
    owner_team: str
    categories: list[str]
    markets: list[str]
    origin: str = "manual"
    description: str | None = None
    query: str | None = None
    assignee_id: int | None = None
    detected_at: datetime | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _snapshot(row) -> dict[str, Any]:
    return {k: getattr(row, k) for k in FIELDS}


def _log(conn: Connection, actor: User, action: str, case_id: int, **change) -> None:
    """Audit one change to a case (the case's timeline is read back from these entries)."""
    audit.record(conn, actor=actor.email, action=f"case.{action}", entity="case", entity_id=case_id, **change)


def get_case(conn: Connection, case_id: int):
    row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
    if row is None:
        raise CaseNotFound(f"no case {case_id}")
    return row


def visible_to(user: User, row) -> bool:
    """Stakeholders see the cases of their own team; other reading roles see all."""
    if user.can("cases:read"):
        return True
    return user.can("cases:read_team") and bool(user.team) and row.owner_team == user.team


def create_case(conn: Connection, new: NewCase, *, actor: User, links: list[tuple[str, str]] = ()) -> int:
    if not 1 <= new.severity <= 10:
        raise CaseError("severity must be between 1 and 10")
    if not new.title.strip():
        raise CaseError("a case needs a title")
    if (
        new.assignee_id is not None
        and not conn.execute(select(users.c.id).where(users.c.id == new.assignee_id)).first()
    ):
        raise CaseError(f"no user {new.assignee_id} to assign; list users with `monitio users list`")
    now = _now()
    values = dict(
        title=new.title.strip()[:300],
        status="new",
        severity=new.severity,
        owner_team=new.owner_team,
        assignee_id=new.assignee_id,
        categories=new.categories,
        markets=new.markets,
        origin=new.origin,
        query=new.query,
        description=new.description,
        sla_due_at=now + timedelta(hours=sla_hours(new.severity)),
        detected_at=new.detected_at,
        created_by=actor.id,
        created_at=now,
        updated_at=now,
    )
    case_id = conn.execute(insert(cases).values(**values).returning(cases.c.id)).scalar_one()
    _log(
        conn,
        actor,
        "create",
        case_id,
        after={k: values[k] for k in FIELDS if k in values},
    )
    for kind, ref in links:
        link(conn, case_id, kind, ref, actor=actor)
    return case_id


def case_from_signal(
    conn: Connection,
    signal_id: int,
    *,
    actor: User,
    taxonomy=None,
    owner_team: str | None = None,
    assignee_id: int | None = None,
) -> int:
    sig = conn.execute(select(signals).where(signals.c.id == signal_id)).first()
    if sig is None:
        raise CaseNotFound(f"no signal {signal_id}")
    team = owner_team
    if team is None and taxonomy is not None:
        team = next((taxonomy.categories[c].owner_team for c in sig.categories if c in taxonomy.categories), None)
    title = (sig.why.split(":")[0] if sig.why else sig.kind)[:200]
    new = NewCase(
        title=title,
        severity=sig.severity,
        owner_team=team or "Ads Integrity",
        categories=sig.categories,
        markets=sig.markets,
        origin="signal",
        description=sig.why,
        assignee_id=assignee_id,
        detected_at=sig.created_at,
    )
    links = [("signal", str(sig.id))] + [("post", str(p)) for p in (sig.evidence or [])]
    return create_case(conn, new, actor=actor, links=links)


def link(conn: Connection, case_id: int, kind: str, ref_id: str, *, actor: User) -> bool:
    """Link evidence to a case; returns False if it was linked already."""
    if kind not in LINK_KINDS:
        raise CaseError(f"unknown link kind {kind!r}; use one of {', '.join(LINK_KINDS)}")
    get_case(conn, case_id)
    exists = conn.execute(
        select(case_links.c.id).where(
            case_links.c.case_id == case_id, case_links.c.kind == kind, case_links.c.ref_id == str(ref_id)
        )
    ).first()
    if exists:
        return False
    conn.execute(
        insert(case_links).values(
            case_id=case_id, kind=kind, ref_id=str(ref_id), created_at=_now(), created_by=actor.id
        )
    )
    _log(
        conn,
        actor,
        "link",
        case_id,
        after={"link": f"{kind}:{ref_id}"},
    )
    return True


def update_case(conn: Connection, case_id: int, *, actor: User, **changes) -> None:
    """Change fields; `status` must follow the allowed transitions; severity re-computes the SLA."""
    row = get_case(conn, case_id)
    unknown = set(changes) - {"title", "status", "severity", "owner_team", "assignee_id", "description"}
    if unknown:
        raise CaseError(f"cannot change {', '.join(sorted(unknown))}")
    values: dict[str, Any] = dict(changes)
    now = _now()
    if "status" in changes and changes["status"] != row.status:
        target = changes["status"]
        if target not in STATUSES:
            raise CaseError(f"unknown status {target!r}; statuses are {', '.join(STATUSES)}")
        if not can_move(row.status, target):
            raise CaseConflict(f"a case cannot go from {row.status} to {target}")
        if row.triaged_at is None and target != "closed":
            values["triaged_at"] = now
        if target == "resolved":
            values["resolved_at"] = now
        if target == "closed":
            values["closed_at"] = now
    if "severity" in changes:
        sev = int(changes["severity"])
        if not 1 <= sev <= 10:
            raise CaseError("severity must be between 1 and 10")
        values["sla_due_at"] = row.created_at + timedelta(hours=sla_hours(sev))
    if (
        changes.get("assignee_id") is not None
        and conn.execute(select(users.c.id).where(users.c.id == changes["assignee_id"])).first() is None
    ):
        raise CaseNotFound(f"no user {changes['assignee_id']} to assign")
    conn.execute(update(cases).where(cases.c.id == case_id).values(updated_at=now, **values))
    _log(
        conn,
        actor,
        "update",
        case_id,
        before=_snapshot(row),
        after=_snapshot(get_case(conn, case_id)),
    )


def comment(conn: Connection, case_id: int, body: str, *, actor: User) -> int:
    if not body.strip():
        raise CaseError("a comment cannot be empty")
    get_case(conn, case_id)
    cid = conn.execute(
        insert(case_comments)
        .values(case_id=case_id, author_id=actor.id, body=body.strip()[:10_000], created_at=_now())
        .returning(case_comments.c.id)
    ).scalar_one()
    _log(
        conn,
        actor,
        "comment",
        case_id,
        after={"comment_id": cid},
    )
    return cid


def decide(conn: Connection, case_id: int, *, what: str, why: str, actor: User) -> None:
    """Record the decision: what was decided, by whom, why."""
    if not what.strip() or not why.strip():
        raise CaseError("a decision needs both what was decided and why")
    row = get_case(conn, case_id)
    decision = {"what": what.strip(), "why": why.strip(), "by": actor.email, "at": _now().isoformat()}
    conn.execute(update(cases).where(cases.c.id == case_id).values(decision=decision, updated_at=_now()))
    _log(
        conn,
        actor,
        "decide",
        case_id,
        before={"decision": row.decision},
        after={"decision": decision},
    )


def merge(conn: Connection, target_id: int, source_ids: list[int], *, actor: User) -> None:
    """Merge cases into `target_id`: links move over, sources close with `merged_into` set."""
    target = get_case(conn, target_id)
    if target.status not in OPEN:
        raise CaseConflict(f"case {target_id} is {target.status}; merge into an open case")
    for sid in source_ids:
        if sid == target_id:
            raise CaseError("a case cannot be merged into itself")
        src = get_case(conn, sid)
        for lk in conn.execute(select(case_links).where(case_links.c.case_id == sid)).all():
            link(conn, target_id, lk.kind, lk.ref_id, actor=actor)
        conn.execute(
            update(cases)
            .where(cases.c.id == sid)
            .values(merged_into=target_id, status="closed", closed_at=_now(), updated_at=_now())
        )
        _log(
            conn,
            actor,
            "merge",
            sid,
            before={"status": src.status, "merged_into": None},
            after={"status": "closed", "merged_into": target_id},
        )
        if src.severity > target.severity:
            update_case(conn, target_id, actor=actor, severity=src.severity)


def breached(conn: Connection, now: datetime | None = None) -> list[int]:
    """Open cases past their SLA."""
    now = now or _now()
    return list(conn.execute(select(cases.c.id).where(cases.c.status.in_(OPEN), cases.c.sla_due_at < now)).scalars())


def metrics(conn: Connection) -> list[dict]:
    """Median hours to detect, triage and resolve, per owner team and category."""
    rows = conn.execute(select(cases).where(cases.c.merged_into.is_(None))).all()
    sig_times = {
        r.id: (r.first_seen, r.created_at)
        for r in conn.execute(select(signals.c.id, signals.c.first_seen, signals.c.created_at))
    }
    linked = conn.execute(select(case_links.c.case_id, case_links.c.ref_id).where(case_links.c.kind == "signal")).all()
    detect: dict[int, float] = {}
    for case_id, ref in linked:
        first_seen, created = sig_times.get(int(ref), (None, None))
        if first_seen and created:
            detect[case_id] = (created - first_seen).total_seconds() / 3600
    groups: dict[tuple[str, str], dict[str, list[float]]] = {}
    for r in rows:
        for cat in r.categories or ["_none"]:
            g = groups.setdefault((r.owner_team, cat), {"detect": [], "triage": [], "resolve": [], "n": []})
            g["n"].append(1)
            if r.id in detect:
                g["detect"].append(detect[r.id])
            if r.triaged_at:
                g["triage"].append((r.triaged_at - r.created_at).total_seconds() / 3600)
            if r.resolved_at:
                g["resolve"].append((r.resolved_at - r.created_at).total_seconds() / 3600)
    return [
        {
            "owner_team": team,
            "category": cat,
            "cases": len(g["n"]),
            "median_hours_to_detect": _median(g["detect"]),
            "median_hours_to_triage": _median(g["triage"]),
            "median_hours_to_resolve": _median(g["resolve"]),
        }
        for (team, cat), g in sorted(groups.items())
    ]


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return round(s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2, 2)


def count_open(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(cases).where(cases.c.status.in_(OPEN))).scalar_one()
