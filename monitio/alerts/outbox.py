"""The alert outbox: enqueue once per (rule, channel, signal, severity), deliver with retries.

- **Idempotency:** each delivery has a key derived from rule, channel, signal key and severity; it is
  unique in the outbox and sent as `Idempotency-Key`, so receivers can drop repeats.
- **Dedup and cooldown:** a rule alerts on a series again only when the severity rose, or after its
  cooldown has passed.
- **Retries:** exponential backoff with full jitter, capped; after `MAX_ATTEMPTS` the item is `dead`.
- **Log:** every attempt is recorded in `alert_deliveries`.
- **Isolation:** a channel that fails or whose settings are unusable (checked again before each send)
  marks only its own items, with the reason; other channels and items, and `monitio run`, go on.
  Refused targets and invalid or deleted channels are `dead` at once (retrying cannot help).
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, and_, insert, select, update

from monitio.alerts import formats
from monitio.alerts.config import AlertConfigError, check_channel, load_rules
from monitio.alerts.transport import Result, post_json, send_email
from monitio.store.schema_alerts import channels, deliveries, outbox

log = logging.getLogger(__name__)
FINAL = ("refused", "invalid channel", "channel deleted")  # errors no retry can fix
MAX_ATTEMPTS = 12  # ~0.4**12 < 2e-5: even a receiver failing 40 % of requests gets every alert


@dataclass
class Backoff:
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: uniform in [base, min(cap, base * 2**attempt)]."""
        top = min(self.cap_seconds, self.base_seconds * (2 ** max(0, attempt - 1)))
        return rng.uniform(min(self.base_seconds, top), top)


def idempotency_key(rule_id: int, channel_id: int, series_key: str, severity: int) -> str:
    raw = f"{rule_id}\x1f{channel_id}\x1f{series_key}\x1f{severity}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def _alert(signal: dict, base_url: str | None, names: dict[str, str] | None = None) -> dict:
    """What a channel is told about a signal: readable names, the why, top evidence and a link."""
    from monitio.detect.why import MARKET_NAMES
    from monitio.reports.sections import kind_label

    names = names or {}
    cat_names = [names.get(c, c.replace("_", " ")) for c in signal["categories"]]
    market_names = [MARKET_NAMES.get(m, m) for m in signal["markets"]]
    where = ", ".join(market_names[:4]) or "all markets"
    evidence = [
        {"text": (e.get("text") or "")[:280], "market": e.get("market"), "lang": e.get("lang"),
         "source": e.get("source"), "published_at": e.get("published_at")}
        for e in (signal.get("evidence") or [])[:3]
    ]  # fmt: skip
    return {
        "signal_id": signal["id"],
        "kind": signal["kind"],
        "severity": signal["severity"],
        "title": f"{kind_label(signal['kind'])}: {' / '.join(cat_names) or 'All posts'} ({where})",
        "why": signal["why"],
        "markets": signal["markets"],
        "market_names": market_names,
        "categories": signal["categories"],
        "category_names": cat_names,
        "first_seen": signal["first_seen"],
        "evidence": evidence,
        "url": f"{base_url.rstrip('/')}/signals/{signal['id']}" if base_url else None,
    }


def enqueue(
    conn: Connection,
    signals: list[dict],
    *,
    now: datetime | None = None,
    base_url: str | None = None,
    names: dict[str, str] | None = None,
) -> int:
    """Queue deliveries for the signals that match enabled rules; returns how many were queued."""
    now = now or datetime.now(UTC)
    queued = 0
    rule_list = [r for r in load_rules(conn) if r.enabled]
    enabled = set(conn.execute(select(channels.c.id).where(channels.c.enabled.is_(True))).scalars())
    for signal in signals:
        for rule in rule_list:
            if not rule.matches(signal):
                continue
            for channel_id in rule.channel_ids:
                if channel_id not in enabled:
                    continue
                key = idempotency_key(rule.id, channel_id, signal["key"], signal["severity"])
                if conn.execute(select(outbox.c.id).where(outbox.c.idempotency_key == key)).first():
                    continue  # this exact alert was queued already
                recent = (
                    conn.execute(
                        select(outbox.c.severity).where(
                            and_(
                                outbox.c.rule_id == rule.id,
                                outbox.c.channel_id == channel_id,
                                outbox.c.series_key == signal["key"],
                                outbox.c.created_at > now - timedelta(minutes=rule.cooldown_minutes),
                            )
                        )
                    )
                    .scalars()
                    .all()
                )
                if recent and max(recent) >= signal["severity"]:
                    continue  # cooldown: only an escalation re-fires
                conn.execute(
                    insert(outbox).values(
                        idempotency_key=key,
                        rule_id=rule.id,
                        channel_id=channel_id,
                        signal_id=signal["id"],
                        series_key=signal["key"],
                        severity=signal["severity"],
                        payload=_alert(signal, base_url, names),
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
                queued += 1
    return queued


def _send(channel, item, allow: list[str]) -> Result:
    """One attempt; never raises: every failure becomes a Result with a reason an analyst can read."""
    if channel is None:
        return Result(False, None, "channel deleted")
    try:
        config = check_channel(channel.kind, channel.config)
    except AlertConfigError as exc:
        return Result(False, None, f"invalid channel {channel.name!r}: {exc}; fix it and queue the alert again")
    alert = item.payload
    try:
        if alert.get("type") == "brief":
            return _send_brief(channel, config, item, allow)
        if channel.kind == "email":
            subject, text, html = formats.email(alert)
            return send_email(config, subject, text, key=item.idempotency_key, allow=allow, html=html)
        payload = formats.FORMATTERS[channel.kind](alert)
        return post_json(config["url"], payload, key=item.idempotency_key, allow=allow, secret=config.get("secret"))
    except Exception as exc:  # isolation: one channel's bug never stops the others
        log.exception("delivery of outbox item %s on channel %s failed", item.id, channel.id)
        return Result(False, None, f"internal error sending on channel {channel.name!r} ({type(exc).__name__})")


def _send_brief(channel, config: dict, item, allow: list[str]) -> Result:
    """A scheduled brief: e-mail with the summary inline and the files attached, or a chat summary + link."""
    brief = item.payload
    if channel.kind == "email":
        attachments = []
        for fmt, path in sorted(brief.get("files", {}).items()):
            try:
                attachments.append(
                    (Path(path).name, Path(path).read_bytes(), formats.MEDIA.get(fmt, "application/octet-stream"))
                )
            except OSError:
                return Result(False, None, f"the brief file {Path(path).name} is missing; make the brief again")
        subject, text, html = formats.brief_email(brief)
        target = {**config, "to": [brief["to"]]} if brief.get("to") else config
        return send_email(
            target, subject, text, key=item.idempotency_key, allow=allow, html=html, attachments=attachments
        )
    payload = formats.BRIEF_FORMATTERS[channel.kind](brief)
    return post_json(config["url"], payload, key=item.idempotency_key, allow=allow, secret=config.get("secret"))


def deliver_due(
    engine,
    *,
    now: datetime | None = None,
    limit: int = 100,
    backoff: Backoff | None = None,
    allow: list[str] | None = None,
    rng: random.Random | None = None,
) -> dict[str, int]:
    """Try every due delivery once; returns counts of delivered, retried and dead items."""
    now = now or datetime.now(UTC)
    backoff = backoff or Backoff()
    rng = rng or random.Random()
    counts = {"delivered": 0, "retry": 0, "dead": 0}
    with engine.connect() as conn:
        due = conn.execute(
            select(outbox)
            .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.next_attempt_at)
            .limit(limit)
        ).all()
        chans = {c.id: c for c in conn.execute(select(channels))}
    for item in due:
        channel = chans.get(item.channel_id)
        started = datetime.now(UTC)
        result = _send(channel, item, allow or [])
        took = int((datetime.now(UTC) - started).total_seconds() * 1000)
        attempt = item.attempts + 1
        with engine.begin() as conn:
            conn.execute(
                insert(deliveries).values(
                    outbox_id=item.id,
                    attempt=attempt,
                    at=started,
                    ok=result.ok,
                    status_code=result.status_code,
                    error=result.error,
                    duration_ms=took,
                )
            )
            if result.ok:
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id == item.id)
                    .values(status="delivered", attempts=attempt, delivered_at=datetime.now(UTC), last_error=None)
                )
                counts["delivered"] += 1
            elif attempt >= MAX_ATTEMPTS or (result.error or "").startswith(FINAL):
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id == item.id)
                    .values(status="dead", attempts=attempt, last_error=result.error)
                )
                counts["dead"] += 1
            else:
                wait = max(result.retry_after or 0.0, backoff.delay(attempt, rng))
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id == item.id)
                    .values(
                        attempts=attempt,
                        last_error=result.error,
                        next_attempt_at=now + timedelta(seconds=wait),
                    )
                )
                counts["retry"] += 1
    return counts
