"""Alert channels and rules: create, change, list. Every change is audited.

A rule matches a signal when its kind, category, market and severity filters allow it and, if it has
a query, the query matches the signal's why or one of its evidence posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update

from monitio import audit
from monitio.alerts.formats import KINDS
from monitio.errors import Conflict, Invalid, NotFound
from monitio.store.schema_alerts import channels, rules


class AlertConfigError(Invalid):
    """A channel or rule definition Monitio cannot use."""


class UnknownAlertItem(NotFound, AlertConfigError):
    """No channel or rule with this id."""


class ChannelExists(Conflict, AlertConfigError):
    """A channel with this name exists already."""


@dataclass
class Rule:
    id: int
    name: str
    enabled: bool
    kinds: list[str]
    categories: list[str]
    markets: list[str]
    min_severity: int
    query: str | None
    channel_ids: list[int]
    cooldown_minutes: int
    _compiled: object = field(default=None, repr=False)

    def matches(self, signal: dict) -> bool:
        if not self.enabled or signal["severity"] < self.min_severity:
            return False
        if self.kinds and signal["kind"] not in self.kinds:
            return False
        if self.categories and not set(self.categories) & set(signal["categories"]):
            return False
        if self.markets and not set(self.markets) & set(signal["markets"]):
            return False
        if self.query:
            q = self._query()
            return q.match_text(signal["why"]) or any(q.matches(_evidence_doc(e)) for e in signal.get("evidence", []))
        return True

    def _query(self):
        """The compiled query: text terms see the why and each evidence post; field filters (`has:`,
        `lang:`, `market:`, `category:` ...) see the evidence posts' stored enrichment."""
        if self._compiled is None:
            from monitio.query import compile_query

            self._compiled = compile_query(self.query)
        return self._compiled


def _evidence_doc(e: dict):
    """An evidence post of a signal (as `list_signals` gives it) as a `Doc` for the query engine."""
    from monitio.records import CategoryHit, Doc, Post

    published = datetime.fromisoformat(e["published_at"]) if e.get("published_at") else _now()
    post = Post(
        source=e.get("source") or "signal",
        source_id=str(e.get("source_id") or e.get("post_id")),
        uid="",
        text=e.get("text") or "",
        published_at=published,
        author=e.get("author"),
        url=e.get("url"),
    )
    return Doc(
        post_id=e.get("post_id"),
        post=post,
        lang=e.get("lang"),
        market=e.get("market"),
        sentiment=e.get("sentiment") or 0.0,
        categories={c: CategoryHit(c, "", []) for c in e.get("categories") or []},
        indicators={k: list(v) for k, v in (e.get("indicators") or {}).items()},
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _check_channel(kind: str, config: dict) -> None:
    if kind not in KINDS:
        raise AlertConfigError(f"unknown channel kind {kind!r}; use one of {', '.join(KINDS)}")
    if kind == "email":
        if not config.get("to"):
            raise AlertConfigError("an e-mail channel needs 'to' (one address or a list)")
    elif not str(config.get("url", "")).startswith(("http://", "https://")):
        raise AlertConfigError(f"a {kind} channel needs an http(s) 'url'")
    if kind == "webhook" and not config.get("secret"):
        raise AlertConfigError("a webhook channel needs a 'secret' to sign its requests (HMAC-SHA256)")


def add_channel(conn: Connection, name: str, kind: str, config: dict, *, actor: str) -> int:
    _check_channel(kind, config)
    if conn.execute(select(channels.c.id).where(channels.c.name == name)).first():
        raise ChannelExists(f"a channel named {name!r} exists already")
    now = _now()
    cid = conn.execute(
        insert(channels)
        .values(name=name, kind=kind, config=config, enabled=True, created_at=now, updated_at=now)
        .returning(channels.c.id)
    ).scalar_one()
    audit.record(
        conn,
        actor=actor,
        action="channel.create",
        entity="channel",
        entity_id=cid,
        after={"name": name, "kind": kind, "config": _redact(config)},
    )
    return cid


def _redact(config: dict) -> dict:
    return {k: ("***" if k in ("secret", "password") else v) for k, v in config.items()}


def add_rule(
    conn: Connection,
    name: str,
    *,
    channel_ids: list[int],
    kinds=(),
    categories=(),
    markets=(),
    min_severity: int = 1,
    query: str | None = None,
    cooldown_minutes: int = 360,
    actor: str,
) -> int:
    if not channel_ids:
        raise AlertConfigError("a rule needs at least one channel")
    known = set(conn.execute(select(channels.c.id).where(channels.c.id.in_(channel_ids))).scalars())
    if missing := set(channel_ids) - known:
        raise AlertConfigError(f"no channel with id {', '.join(map(str, sorted(missing)))}")
    if not 1 <= min_severity <= 10:
        raise AlertConfigError("min_severity must be between 1 and 10")
    if query:
        from monitio.query import QueryError, compile_query

        try:
            compile_query(query)
        except QueryError as exc:
            raise AlertConfigError(f"query: {exc}") from None
    now = _now()
    values = dict(
        name=name,
        enabled=True,
        kinds=list(kinds),
        categories=list(categories),
        markets=list(markets),
        min_severity=min_severity,
        query=query,
        channel_ids=list(channel_ids),
        cooldown_minutes=cooldown_minutes,
        created_at=now,
        updated_at=now,
    )
    rid = conn.execute(insert(rules).values(**values).returning(rules.c.id)).scalar_one()
    audit.record(
        conn,
        actor=actor,
        action="rule.create",
        entity="rule",
        entity_id=rid,
        after={k: v for k, v in values.items() if k not in ("created_at", "updated_at")},
    )
    return rid


def set_enabled(conn: Connection, table: str, item_id: int, enabled: bool, *, actor: str) -> None:
    t = {"rule": rules, "channel": channels}[table]
    before = conn.execute(select(t.c.enabled).where(t.c.id == item_id)).scalar()
    if before is None:
        raise UnknownAlertItem(f"no {table} with id {item_id}")
    conn.execute(update(t).where(t.c.id == item_id).values(enabled=enabled, updated_at=_now()))
    audit.record(
        conn,
        actor=actor,
        action=f"{table}.update",
        entity=table,
        entity_id=item_id,
        before={"enabled": before},
        after={"enabled": enabled},
    )


def load_rules(conn: Connection) -> list[Rule]:
    return [
        Rule(
            r.id,
            r.name,
            r.enabled,
            r.kinds or [],
            r.categories or [],
            r.markets or [],
            r.min_severity,
            r.query,
            r.channel_ids or [],
            r.cooldown_minutes,
        )
        for r in conn.execute(select(rules))
    ]


def list_channels(conn: Connection) -> list[dict]:
    return [
        {"id": r.id, "name": r.name, "kind": r.kind, "enabled": r.enabled, "config": _redact(r.config)}
        for r in conn.execute(select(channels).order_by(channels.c.id))
    ]
