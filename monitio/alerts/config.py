"""Alert channels and rules: create, change, list. Every change is audited.

A rule matches a signal when its kind, category, market and severity filters allow it and, if it has
a query, the query matches the signal's why or one of its evidence posts.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Connection, insert, select, update

from monitio import audit
from monitio.alerts.formats import KINDS
from monitio.errors import Conflict, Invalid, NotFound
from monitio.store.schema_alerts import channels, rules

log = logging.getLogger(__name__)


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
            if q is None:
                return False
            return q.match_text(signal["why"]) or any(q.matches(_evidence_doc(e)) for e in signal.get("evidence", []))
        return True

    def _query(self):
        """The compiled query: text terms see the why and each evidence post; field filters (`has:`,
        `lang:`, `market:`, `category:` ...) see the evidence posts' stored enrichment."""
        if self._compiled is None:
            from monitio.query import QueryError, compile_query

            try:
                self._compiled = compile_query(self.query)
            except QueryError as exc:  # saved before the query limits existed: skip it, do not fail the run
                log.warning("alert rule %s (%s) is skipped: query: %s", self.id, self.name, exc)
                self._compiled = False
        return self._compiled or None


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


EMAIL_ADDRESS = re.compile(r"^[^@\s,;:<>\"'()\[\]\\]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]{2,}$")
HOST_NAME = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$|^\[?[0-9A-Fa-f:.]+\]?$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_channel(kind: str, config: dict) -> dict:
    """The channel's settings checked and normalised (port as int, `to` as a list); raises
    AlertConfigError naming the field otherwise. Run when a channel is saved and again before sending.

    >>> check_channel("email", {"to": "a@example.org", "port": "587"})["port"]
    587
    >>> check_channel("email", {"to": "a@example.org\\r\\nBcc: x@evil.test"})
    Traceback (most recent call last):
    ...
    monitio.alerts.config.AlertConfigError: 'to': 'a@example.org\\r\\nBcc: x@evil.test' is not one e-mail address
    """
    if kind not in KINDS:
        raise AlertConfigError(f"unknown channel kind {kind!r}; use one of {', '.join(KINDS)}")
    if not isinstance(config, dict):
        raise AlertConfigError("a channel's config must be an object")
    for key in ("secret", "password", "username"):
        value = config.get(key)
        if value is not None and (not isinstance(value, str) or CONTROL.search(value)):
            raise AlertConfigError(f"{key!r} must be text on one line")
    if kind == "email":
        return _check_email(config)
    url = config.get("url")
    if not isinstance(url, str) or CONTROL.search(url) or " " in url:
        raise AlertConfigError(f"a {kind} channel needs an http(s) 'url' (one line, no spaces)")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise AlertConfigError(f"'url' has an invalid port: {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AlertConfigError(f"a {kind} channel needs an http(s) 'url' with a host, not {url!r}")
    if kind == "webhook" and not config.get("secret"):
        raise AlertConfigError("a webhook channel needs a 'secret' to sign its requests (HMAC-SHA256)")
    return dict(config)


def _check_email(config: dict) -> dict:
    to = config.get("to")
    to = [to] if isinstance(to, str) else to
    if not to or not isinstance(to, list) or len(to) > 50:
        raise AlertConfigError("an e-mail channel needs 'to' (one address or a list of up to 50)")
    for address in to + ([config["from"]] if config.get("from") is not None else []):
        if not isinstance(address, str) or not EMAIL_ADDRESS.match(address):
            field_name = "from" if address is config.get("from") else "to"
            raise AlertConfigError(f"{field_name!r}: {address!r} is not one e-mail address")
    host = config.get("host", "127.0.0.1")
    if not isinstance(host, str) or len(host) > 253 or not HOST_NAME.match(host):
        raise AlertConfigError(f"'host': {host!r} is not a host name or address")
    port = config.get("port", 25)
    if isinstance(port, str) and port.strip().isdigit():
        port = int(port)
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise AlertConfigError(f"'port': {port!r} is not a port number (1-65535)")
    if "starttls" in config and not isinstance(config["starttls"], bool):
        raise AlertConfigError("'starttls' must be true or false")
    return {**config, "to": to, "host": host, "port": port}


def add_channel(conn: Connection, name: str, kind: str, config: dict, *, actor: str) -> int:
    config = check_channel(kind, config)
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


def target_warning(kind: str, config: dict, allow: list[str]) -> str | None:
    """A warning when the channel's target is an address the outbound guard will refuse (private,
    loopback, ... and not in `outbound_allow`), else None.

    >>> target_warning("slack", {"url": "http://127.0.0.1:9/hook"}, allow=[]) is not None
    True
    >>> target_warning("slack", {"url": "http://127.0.0.1:9/hook"}, allow=["127.0.0.1/32"]) is None
    True
    """
    from monitio.net import FetchError, check_host

    if kind == "email":
        host, port = str(config.get("host", "127.0.0.1")).strip("[]"), int(config.get("port", 25))
    else:
        parts = urlsplit(str(config.get("url", "")))
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    try:
        check_host(host, port, allow)
    except FetchError as exc:
        reason = str(exc).removeprefix("refused: ")
        return f"deliveries to this channel will be refused: {reason}"
    return None


def failed_deliveries(conn: Connection, limit: int = 50) -> list[dict]:
    """Outbox items that failed (pending a retry) or are dead, newest first, each with its reason."""
    from monitio.store.schema_alerts import outbox

    rows = conn.execute(
        select(outbox, channels.c.name.label("channel"))
        .join(channels, channels.c.id == outbox.c.channel_id, isouter=True)
        .where((outbox.c.status == "dead") | ((outbox.c.status == "pending") & (outbox.c.attempts > 0)))
        .order_by(outbox.c.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "id": r.id,
            "status": "dead" if r.status == "dead" else "retrying",
            "channel": r.channel,
            "signal_id": r.signal_id,
            "attempts": r.attempts,
            "reason": r.last_error,
            "next_attempt_at": r.next_attempt_at.isoformat() if r.status == "pending" else None,
        }
        for r in rows
    ]


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
