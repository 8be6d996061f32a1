"""Signals: list with filters and paging (in SQL), one signal with its evidence, indicators and cases,
and the analyst's actions on it (acknowledge, dismiss with a reason, close, reopen, escalate to a case).

>>> SignalQuery(market="id").normalised().market
'ID'
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, cast, func, or_, select, update

from monitio import audit
from monitio.auth.users import User
from monitio.detect.narrative_views import narratives_of_posts
from monitio.detect.store import signal_dicts
from monitio.errors import Conflict, Invalid, NotFound
from monitio.services.access import actor_name, require
from monitio.services.search_cache import Frozen, cache_for
from monitio.store.schema import signals
from monitio.store.schema_collab import case_links
from monitio.store.versions import NARRATIVES, POSTS, SIGNALS, data_version
from monitio.workspace import Workspace

STATUSES = ("open", "closed", "dismissed")
SORTS = ("severity", "score", "first_seen", "last_seen", "size")
ACTIONS = ("acknowledge", "dismiss", "close", "reopen", "escalate")


class UnknownSignal(NotFound):
    """No signal with this id."""


@dataclass(frozen=True)
class SignalQuery:
    """Which signals to list. `status=None` means every status; `since` keeps those seen since then."""

    status: str | None = "open"
    kind: str | None = None
    category: str | None = None
    market: str | None = None
    min_severity: int = 1
    since: datetime | None = None
    sort: str = "severity"
    markets: tuple[str, ...] = ()
    """Any of these markets (beside `market`); the same for `categories` and `langs`."""
    categories: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    until: datetime | None = None
    """With `since`: signals whose window overlaps [since, until)."""

    def normalised(self) -> SignalQuery:
        if self.status is not None and self.status not in STATUSES:
            raise Invalid(f"unknown status {self.status!r}; use one of {', '.join(STATUSES)} or all")
        if self.sort not in SORTS:
            raise Invalid(f"unknown sort {self.sort!r}; use one of {', '.join(SORTS)}")
        if not 1 <= self.min_severity <= 10:
            raise Invalid("min severity must be between 1 and 10")
        since, until = self.since, self.until
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        if until is not None and until.tzinfo is None:
            until = until.replace(tzinfo=UTC)
        return replace(
            self,
            kind=self.kind or None,
            category=self.category or None,
            market=self.market.upper() if self.market else None,
            since=since,
            until=until,
            markets=tuple(m.upper() for m in self.markets if m),
            categories=tuple(c for c in self.categories if c),
            langs=tuple(la for la in self.langs if la),
        )


@dataclass
class SignalPage:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


@dataclass
class SignalDetail:
    """One signal (the list's dict), the indicators of its evidence posts by kind, and its cases.

    `indicator_counts[kind]` = [(value, evidence posts carrying it)], most frequent first;
    `narratives` = the narratives its evidence posts belong to ({id, label, posts});
    `authors` = [(author, evidence posts)], most active first."""

    signal: dict[str, Any]
    indicators: dict[str, list[str]] = field(default_factory=dict)
    cases: list[int] = field(default_factory=list)
    indicator_counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    narratives: list[dict[str, Any]] = field(default_factory=list)
    authors: list[tuple[str, int]] = field(default_factory=list)


def _json_has(column, value: str):
    """SQL: the JSON list in `column` holds the string `value` (same text on SQLite and PostgreSQL)."""
    return cast(column, Text).contains(json.dumps(value), autoescape=True)


def _where(q: SignalQuery) -> list:
    cond = [signals.c.severity >= q.min_severity]
    if q.status:
        cond.append(signals.c.status == q.status)
    if q.kind:
        cond.append(signals.c.kind == q.kind)
    if q.category:
        cond.append(_json_has(signals.c.categories, q.category))
    if q.market:
        cond.append(_json_has(signals.c.markets, q.market))
    any_of = ((signals.c.markets, q.markets), (signals.c.categories, q.categories), (signals.c.langs, q.langs))
    for column, values in any_of:
        if values:
            cond.append(or_(*(_json_has(column, v) for v in values)))
    if q.since:
        cond.append(signals.c.last_seen >= q.since)
    if q.until:
        cond.append(signals.c.first_seen < q.until)
    return cond


_ORDER = {
    "severity": (signals.c.severity.desc(), signals.c.score.desc(), signals.c.id),
    "score": (signals.c.score.desc(), signals.c.id),
    "first_seen": (signals.c.first_seen.desc(), signals.c.id.desc()),
    "last_seen": (signals.c.last_seen.desc(), signals.c.id.desc()),
    "size": (signals.c.observed.desc(), signals.c.severity.desc(), signals.c.id),
}


def list_signals(
    ws: Workspace, query: SignalQuery | None = None, *, limit: int = 50, offset: int = 0, evidence: bool = True
) -> SignalPage:
    """A page of signals matching `query` (most severe first by default) and how many match in all.

    Filtering, ordering and paging happen in the database; only the page is read with its evidence
    (`evidence=False` skips the evidence posts, for pages that list signals without them).
    """
    q = (query or SignalQuery()).normalised()
    if limit < 1 or offset < 0:
        raise Invalid("limit must be at least 1 and offset at least 0")
    cond = _where(q)
    with ws.engine.connect() as conn:
        cache, key = _cache_key(conn, ws, ("signals", q, limit, offset, evidence), (SIGNALS, POSTS))
        hit = cache.get(key) if cache else None
        if hit is not None:
            items, total = hit.thaw()
            return SignalPage(items=items, total=total, limit=limit, offset=offset)
        total = conn.execute(select(func.count()).select_from(signals).where(*cond)).scalar_one()
        rows = conn.execute(select(signals).where(*cond).order_by(*_ORDER[q.sort]).limit(limit).offset(offset)).all()
        items = signal_dicts(conn, rows, with_evidence=evidence)
        cases = _cases_of(conn, [r.id for r in rows])
    for item in items:
        item["cases"] = cases.get(item["id"], [])
    if cache is not None:
        cache.put(key, Frozen((items, total)))
    return SignalPage(items=items, total=total, limit=limit, offset=offset)


def _cache_key(conn, ws: Workspace, key: tuple, groups: tuple[str, ...]):
    """The cache of answers and `key` with the current versions of `groups` (read first), or no
    cache when a version is missing. Signal pages depend on the signals and their case links (the
    signals version), on their evidence posts (posts) and, for one signal, on narratives."""
    versions = tuple(data_version(conn, g) for g in groups)
    return (cache_for(ws.engine).other if min(versions) >= 0 else None), (*key, versions)


def _cases_of(conn, signal_ids: list[int]) -> dict[int, list[int]]:
    """The cases each signal is linked to, for a page of signals (one query)."""
    if not signal_ids:
        return {}
    found: dict[int, list[int]] = {}
    rows = conn.execute(
        select(case_links.c.ref_id, case_links.c.case_id)
        .where(case_links.c.kind == "signal", case_links.c.ref_id.in_([str(i) for i in signal_ids]))
        .order_by(case_links.c.case_id)
    )
    for ref, case_id in rows:
        found.setdefault(int(ref), []).append(case_id)
    return found


def _linked_cases(conn, signal_id: int) -> list[int]:
    return list(
        conn.execute(
            select(case_links.c.case_id)
            .where(case_links.c.kind == "signal", case_links.c.ref_id == str(signal_id))
            .order_by(case_links.c.case_id)
        ).scalars()
    )


def get_signal(ws: Workspace, signal_id: int) -> SignalDetail:
    """One signal with its evidence posts, their indicators merged by kind, and the cases it is in
    (reused while neither signals, case links, posts nor narratives change)."""
    with ws.engine.connect() as conn:
        cache, key = _cache_key(conn, ws, ("signal", signal_id), (SIGNALS, POSTS, NARRATIVES))
    hit = cache.get(key) if cache else None
    if hit is not None:
        return SignalDetail(*hit.thaw())
    found = _signal_detail(ws, signal_id)
    if cache is not None:
        cache.put(key, Frozen(_parts(found)))
    return found


def _parts(d: SignalDetail) -> tuple:
    return (d.signal, d.indicators, d.cases, d.indicator_counts, d.narratives, d.authors)


def _signal_detail(ws: Workspace, signal_id: int) -> SignalDetail:
    with ws.engine.connect() as conn:
        row = conn.execute(select(signals).where(signals.c.id == signal_id)).first()
        if row is None:
            raise UnknownSignal(f"no signal {signal_id}", hint="list them with: monitio signals --status all")
        (item,) = signal_dicts(conn, [row])
        cases = _linked_cases(conn, signal_id)
        stories = narratives_of_posts(conn, [p["post_id"] for p in item["evidence"]])
    indicators: dict[str, list[str]] = {}
    counts: dict[str, Counter] = {}
    for post in item["evidence"]:
        for kind, values in (post.get("indicators") or {}).items():
            seen = indicators.setdefault(kind, [])
            texts = {
                v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
                for v in (values if isinstance(values, list) else [values])
            }
            counts.setdefault(kind, Counter()).update(texts)
            seen.extend(sorted(t for t in texts if t not in seen))
    authors = Counter(p["author"] for p in item["evidence"] if p.get("author"))
    return SignalDetail(
        signal=item,
        indicators=indicators,
        cases=cases,
        indicator_counts={k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for k, c in sorted(counts.items())},
        narratives=stories,
        authors=authors.most_common(),
    )


@dataclass
class SignalChange:
    """What an action did: the signal's status afterwards and, for `escalate`, the case."""

    id: int
    action: str
    status: str
    case_id: int | None = None


def act(
    ws: Workspace, signal_id: int, action: str, *, actor: User | None, reason: str | None = None, taxonomy=None
) -> SignalChange:
    """Apply an analyst's action to a signal, with an audit entry.

    - `acknowledge`: someone is looking at it (stays open; who and when are kept in its details)
    - `dismiss`: not a real risk; needs a `reason`
    - `close`: handled; `reopen`: open again
    - `escalate`: open a case from it (or return the case it is in already)
    """
    if action not in ACTIONS:
        raise Invalid(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
    require(actor, "signals:write")
    if action == "dismiss" and not (reason or "").strip():
        raise Invalid("dismissing a signal needs a reason", hint="say why it is not a risk, e.g. --reason 'test data'")
    if action == "escalate":
        require(actor, "cases:write")
        from monitio.services.cases import case_from_signals

        with ws.engine.connect() as conn:
            row = conn.execute(select(signals.c.status).where(signals.c.id == signal_id)).first()
            if row is None:
                raise UnknownSignal(f"no signal {signal_id}")
            existing = _linked_cases(conn, signal_id)
        case_id = existing[0] if existing else case_from_signals(ws, [signal_id], actor=actor, taxonomy=taxonomy)
        return SignalChange(signal_id, action, row.status, case_id)
    now = datetime.now(UTC)
    with ws.engine.begin() as conn:
        row = conn.execute(select(signals.c.status, signals.c.details).where(signals.c.id == signal_id)).first()
        if row is None:
            raise UnknownSignal(f"no signal {signal_id}")
        details = dict(row.details or {})
        stamp = {"by": actor_name(actor), "at": now.isoformat()}
        status = row.status
        if action == "acknowledge":
            if status != "open":
                raise Conflict(f"signal {signal_id} is {status}; only open signals can be acknowledged")
            details["acknowledged"] = stamp
        elif action == "dismiss":
            status = "dismissed"
            details["dismissed"] = {**stamp, "reason": reason.strip()[:2000]}
        elif action == "close":
            status = "closed"
        elif action == "reopen":
            status = "open"
        conn.execute(
            update(signals).where(signals.c.id == signal_id).values(status=status, details=details, updated_at=now)
        )
        audit.record(
            conn,
            actor=actor_name(actor),
            action=f"signal.{action}",
            entity="signal",
            entity_id=signal_id,
            before={"status": row.status},
            after={"status": status, **({"reason": reason.strip()} if action == "dismiss" else {})},
        )
    return SignalChange(signal_id, action, status)


def set_status(
    ws: Workspace, signal_id: int, status: str, *, actor: User | None, reason: str | None = None
) -> SignalChange:
    """Move a signal to `status` (open, closed, dismissed): the API's PATCH in terms of actions."""
    action = {"open": "reopen", "closed": "close", "dismissed": "dismiss"}.get(status)
    if action is None:
        raise Invalid(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    if action == "dismiss" and not reason:
        reason = "dismissed without a reason (API status change)"
    return act(ws, signal_id, action, actor=actor, reason=reason)


def link_to_case(ws: Workspace, signal_id: int, case_id: int, *, actor: User | None) -> bool:
    """Add a signal to an existing case (its evidence stays the signal's); audited on the signal and the
    case. False when it was linked already."""
    from monitio.services.cases import add_link

    require(actor, "cases:write")
    with ws.engine.connect() as conn:
        if conn.execute(select(signals.c.id).where(signals.c.id == signal_id)).first() is None:
            raise UnknownSignal(f"no signal {signal_id}")
    added = add_link(ws, actor, case_id, "signal", str(signal_id))
    if added:
        with ws.engine.begin() as conn:
            audit.record(
                conn,
                actor=actor_name(actor),
                action="signal.link_case",
                entity="signal",
                entity_id=signal_id,
                after={"case_id": case_id},
            )
    return added


def case_choices(ws: Workspace, actor: User | None, limit: int = 200) -> list[dict[str, Any]]:
    """Open cases the caller may see ({id, title, status}), to link a signal to."""
    from monitio.services.cases import CaseFilter, list_cases

    found = list_cases(ws, actor, CaseFilter(open_only=True), limit=limit)
    return [{"id": c["id"], "title": c["title"], "status": c["status"]} for c in found.items]


HISTORY_WORDS = {
    "signal.acknowledge": "acknowledged the signal",
    "signal.dismiss": "dismissed the signal",
    "signal.close": "closed the signal",
    "signal.reopen": "reopened the signal",
    "signal.escalate": "escalated the signal",
    "signal.link_case": "linked the signal to a case",
}


def history_line(entry: dict[str, Any]) -> str:
    """An audit entry on a signal as a sentence.

    >>> history_line({"actor": "ana@example.org", "action": "signal.dismiss", "after": {"reason": "test"}})
    'ana@example.org dismissed the signal: test'
    >>> history_line({"actor": "lee", "action": "signal.link_case", "after": {"case_id": 4}})
    'lee linked the signal to case #4'
    """
    after = entry.get("after") or {}
    action = entry.get("action", "")
    if action == "signal.link_case" and "case_id" in after:
        return f"{entry.get('actor')} linked the signal to case #{after['case_id']}"
    words = HISTORY_WORDS.get(action, action.split(".")[-1].replace("_", " "))
    text = f"{entry.get('actor')} {words}"
    return f"{text}: {after['reason']}" if after.get("reason") else text


def signal_history(ws: Workspace, signal_id: int) -> list[dict[str, Any]]:
    """What people did to a signal, oldest first: {at, actor, text}."""
    with ws.engine.connect() as conn:
        found = audit.entries(conn, entity="signal", entity_id=signal_id, limit=200)
    return [{"at": e["at"], "actor": e["actor"], "text": history_line(e)} for e in found]
