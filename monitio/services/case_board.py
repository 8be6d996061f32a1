"""The case board: visible cases by status, with assignee, category names and SLA state on each card,
filtered by owner team, assignee, lowest severity and SLA state (in the service, not the page).

>>> BoardFilter(team="Policy", sla="due_24h").sla
'due_24h'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from monitio.auth import users as people
from monitio.auth.users import User
from monitio.cases import service as svc
from monitio.cases.workflow import OPEN, STATUSES, TEAMS
from monitio.errors import Invalid
from monitio.names import category_label
from monitio.services import case_timeline
from monitio.services.access import require
from monitio.services.cases import _taxonomy, case_json
from monitio.store.schema_collab import cases
from monitio.workspace import Workspace

SLA_STATES = ("breached", "due_24h", "ok")
"""SLA state of an open case: past its deadline, due within 24 hours, or later. Resolved and closed
cases have none (an SLA filter leaves them out)."""

COLUMN_CARDS = 100
"""Cards shown per status column; the column says how many more there are (filters narrow it)."""


@dataclass(frozen=True)
class BoardFilter:
    """The case board's filters (all optional): owner team, assignee (a user id, or 0 for nobody),
    lowest severity, SLA state (one of `SLA_STATES`)."""

    team: str | None = None
    assignee_id: int | None = None
    min_severity: int | None = None
    sla: str | None = None

    def __post_init__(self):
        if self.sla is not None and self.sla not in SLA_STATES:
            raise Invalid(f"unknown SLA state {self.sla!r}; use one of {', '.join(SLA_STATES)}")


@dataclass
class Board:
    """Cases by status (each with `assignee`, `category_names`, `sla_state`), counts, filter choices."""

    columns: dict[str, list[dict[str, Any]]]
    """The first `COLUMN_CARDS` cards of each status (most severe, most urgent first)."""
    breached: int
    shown: int
    total: int
    teams: list[str]
    people: list[User]
    counts: dict[str, int] = field(default_factory=dict)
    """How many cases each status holds under the filters (a column shows at most `COLUMN_CARDS`)."""


def sla_state(row, now: datetime) -> str | None:
    """`breached`, `due_24h` or `ok` for an open case; None once resolved or closed.

    >>> from types import SimpleNamespace as R
    >>> now = datetime(2026, 12, 1, tzinfo=UTC)
    >>> [sla_state(R(status="triaging", sla_due_at=now + timedelta(hours=h)), now) for h in (-1, 5, 30)]
    ['breached', 'due_24h', 'ok']
    >>> sla_state(R(status="closed", sla_due_at=now), now) is None
    True
    """
    if row.status not in OPEN:
        return None
    if row.sla_due_at < now:
        return "breached"
    return "due_24h" if row.sla_due_at < now + timedelta(hours=24) else "ok"


def _keep(row, f: BoardFilter, now: datetime) -> bool:
    if f.team and row.owner_team != f.team:
        return False
    if f.assignee_id is not None and (row.assignee_id or 0) != f.assignee_id:
        return False
    if f.min_severity is not None and row.severity < f.min_severity:
        return False
    return f.sla is None or sla_state(row, now) == f.sla


def board(ws: Workspace, actor: User | None, filters: BoardFilter | None = None) -> Board:
    """The case board: visible cases (not merged away) by status, filtered; how many are past their SLA."""
    require(actor, "cases:read", "cases:read_team")
    f = filters or BoardFilter()
    now = datetime.now(UTC)
    stmt = select(cases).where(cases.c.merged_into.is_(None)).order_by(cases.c.severity.desc(), cases.c.sla_due_at)
    with ws.engine.connect() as conn:
        late = frozenset(svc.breached(conn, now))
        rows = [r for r in conn.execute(stmt) if actor is None or svc.visible_to(actor, r)]
        everyone = people.list_users(conn)
    names = {cid: c.name for cid, c in _taxonomy(ws).categories.items()}
    emails = {u.id: u.email for u in everyone}
    kept = [r for r in rows if _keep(r, f, now)]

    def card(r) -> dict[str, Any]:
        return {
            **case_json(r, breached_ids=late),
            "assignee": emails.get(r.assignee_id) if r.assignee_id else None,
            "category_names": [category_label(c, names) for c in r.categories or []],
            "sla_state": sla_state(r, now),
            "sla_due": case_timeline.when_text(r.sla_due_at),
        }

    by_status = {s: [r for r in kept if r.status == s] for s in STATUSES}
    columns = {s: [card(r) for r in found[:COLUMN_CARDS]] for s, found in by_status.items()}
    counts = {s: len(found) for s, found in by_status.items()}
    teams = sorted(set(TEAMS) | {r.owner_team for r in rows})
    assignable = [u for u in everyone if not u.disabled and u.role in ("admin", "analyst")]
    return Board(columns, sum(r.id in late for r in rows), len(kept), len(rows), teams, assignable, counts)
