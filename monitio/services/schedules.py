"""Scheduled briefs: a cron expression in a time zone, a period and scope, and where to send the brief.

`fire_due(ws, now)` (called by `monitio run`, `monitio run --watch` and `monitio serve`) makes the brief
of every schedule whose latest fire time has come and queues it in the alert outbox, once per schedule
and period: the outbox's idempotency key is derived from the schedule, the brief's period and the
target, and is unique, so a second process, a re-run or a restart finds the item queued already.

- A missed run (the process was down at 09:00) is made on the next start, once: only the *latest* due
  fire time counts, so a long outage sends the newest period, not every one it slept through.
- Making or changing a schedule sets `starts_after`: fire times before it are never sent, so editing a
  schedule does not resend old periods.
- Delivery (retries with backoff, the delivery log, isolation between channels) is the outbox's.

>>> from datetime import datetime, UTC
>>> latest_fire("0 9 * * MON", "Asia/Jakarta", datetime(2026, 12, 7, 3, 30, tzinfo=UTC)).isoformat()
'2026-12-07T02:00:00+00:00'
>>> next_fire("0 9 * * MON", "Asia/Jakarta", datetime(2026, 12, 7, 3, 30, tzinfo=UTC)).isoformat()
'2026-12-14T02:00:00+00:00'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select, update

from monitio.errors import Conflict, Invalid, NotFound
from monitio.reports.period import PERIODS
from monitio.services.briefs import make_brief, parse_formats
from monitio.store.schema_alerts import channels, outbox
from monitio.store.schema_briefs import schedules

EMAIL = "email"


@dataclass(slots=True)
class Schedule:
    id: int
    name: str
    cron: str
    tz: str
    period: str
    scope: dict
    formats: list[str]
    emails: list[str]
    channel_ids: list[int]
    enabled: bool
    starts_after: datetime
    origin: str
    created_by: str

    def to_json(self, channel_names: dict[int, str] | None = None, now: datetime | None = None) -> dict:
        names = channel_names or {}
        return {
            "id": self.id,
            "name": self.name,
            "cron": self.cron,
            "tz": self.tz,
            "period": self.period,
            "scope": self.scope,
            "formats": self.formats,
            "emails": self.emails,
            "channels": [names.get(c, str(c)) for c in self.channel_ids],
            "enabled": self.enabled,
            "next_run": next_fire(self.cron, self.tz, now or datetime.now(UTC)).isoformat() if self.enabled else None,
            "origin": self.origin,
            "created_by": self.created_by,
        }


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {tz!r}", hint="use an IANA name such as Asia/Jakarta") from None


def _iter(cron: str, tz: str, at: datetime):
    from croniter import croniter

    try:
        return croniter(cron, at.astimezone(_zone(tz)))
    except (ValueError, KeyError) as exc:
        raise Invalid(
            f"{cron!r} is not a cron expression ({exc})", hint='e.g. "0 9 * * MON" for Mondays 09:00'
        ) from None


def latest_fire(cron: str, tz: str, now: datetime) -> datetime:
    """The latest fire time at or before `now` (UTC)."""
    it = _iter(cron, tz, now)
    nxt = it.get_next(datetime)
    if nxt <= now:  # `now` is exactly a fire time
        return nxt.astimezone(UTC)
    it = _iter(cron, tz, now)
    return it.get_prev(datetime).astimezone(UTC)


def next_fire(cron: str, tz: str, now: datetime) -> datetime:
    return _iter(cron, tz, now).get_next(datetime).astimezone(UTC)


def _key(schedule_id: int, stem: str, target: str) -> str:
    return hashlib.sha256(f"brief\x1f{schedule_id}\x1f{stem}\x1f{target}".encode()).hexdigest()[:40]


def _row(r) -> Schedule:
    return Schedule(
        id=r.id,
        name=r.name,
        cron=r.cron,
        tz=r.tz,
        period=r.period,
        scope=r.scope or {},
        formats=list(r.formats or []),
        emails=list(r.emails or []),
        channel_ids=[int(c) for c in r.channel_ids or []],
        enabled=bool(r.enabled),
        starts_after=r.starts_after,
        origin=r.origin,
        created_by=r.created_by,
    )


def _email_channel(conn) -> int:
    row = conn.execute(
        select(channels.c.id).where(channels.c.kind == EMAIL, channels.c.enabled.is_(True)).order_by(channels.c.id)
    ).first()
    if row is None:
        raise Invalid(
            "scheduled e-mail needs an e-mail channel for its SMTP server",
            hint="add one with `monitio alerts channel-add NAME --kind email --host ... --to ...`",
        )
    return row.id


def _channel_ids(conn, names: list[str]) -> list[int]:
    found = dict(conn.execute(select(channels.c.name, channels.c.id).where(channels.c.name.in_(names))).all())
    missing = [n for n in names if n not in found]
    if missing:
        raise NotFound(f"no alert channel {missing[0]!r}", hint="list them with `monitio alerts list`")
    return [found[n] for n in names]


def _validate_emails(emails: list[str]) -> list[str]:
    out = []
    for e in emails:
        e = e.strip()
        if not e or "@" not in e or any(c in e for c in "\r\n,;<> \t"):
            raise Invalid(f"{e!r} is not an e-mail address")
        out.append(e)
    return out


def save_schedule(
    ws,
    name: str,
    *,
    cron: str,
    tz: str | None = None,
    period: str = "week",
    markets: list[str] | tuple[str, ...] = (),
    categories: list[str] | tuple[str, ...] = (),
    team: str | None = None,
    saved_search: str | None = None,
    formats: str | list[str] | None = None,
    emails: list[str] | tuple[str, ...] = (),
    channel_names: list[str] | tuple[str, ...] = (),
    actor: str = "cli",
    origin: str = "cli",
    replace: bool = False,
    now: datetime | None = None,
) -> Schedule:
    """Create a schedule (or change it with `replace`); its fire times from now on are the ones sent."""
    name = name.strip()
    if not name or len(name) > 120:
        raise Invalid("a schedule needs a name of 1-120 characters")
    if period not in PERIODS:
        raise Invalid(f"unknown period {period!r}", hint="use day, week or month")
    tz = tz or ws.settings.timezone
    now = now or datetime.now(UTC)
    next_fire(cron, tz, now)  # validates the expression and the zone
    emails = _validate_emails(list(emails))
    if not emails and not channel_names:
        raise Invalid("a schedule needs somewhere to send the brief", hint="add --email ADDRESS or --channel NAME")
    fmts = list(parse_formats(formats or "pdf,xlsx"))
    scope = {"markets": [m.upper() for m in markets], "categories": list(categories), "team": team,
             "saved_search": saved_search}  # fmt: skip
    with ws.engine.begin() as conn:
        ids = _channel_ids(conn, list(channel_names))
        if emails:
            _email_channel(conn)
        values = dict(
            cron=cron, tz=tz, period=period, scope=scope, formats=fmts, emails=emails, channel_ids=ids,
            enabled=True, starts_after=now, origin=origin, created_by=actor, updated_at=now,
        )  # fmt: skip
        existing = conn.execute(select(schedules.c.id).where(schedules.c.name == name)).scalar()
        if existing is not None and not replace:
            raise Conflict(f"a schedule named {name!r} exists", hint="remove it first, or choose another name")
        if existing is None:
            conn.execute(insert(schedules).values(name=name, created_at=now, **values))
        else:
            conn.execute(update(schedules).where(schedules.c.id == existing).values(**values))
        return _row(conn.execute(select(schedules).where(schedules.c.name == name)).one())


def list_schedules(ws) -> list[Schedule]:
    with ws.engine.connect() as conn:
        return [_row(r) for r in conn.execute(select(schedules).order_by(schedules.c.name))]


def get_schedule(ws, name: str) -> Schedule:
    with ws.engine.connect() as conn:
        r = conn.execute(select(schedules).where(schedules.c.name == name)).first()
    if r is None:
        raise NotFound(f"no schedule {name!r}", hint="list them with `monitio schedule list`")
    return _row(r)


def set_enabled(ws, name: str, enabled: bool, now: datetime | None = None) -> Schedule:
    """Disable or enable; enabling starts afresh (periods missed while disabled are not sent)."""
    get_schedule(ws, name)
    values: dict = {"enabled": enabled, "updated_at": now or datetime.now(UTC)}
    if enabled:
        values["starts_after"] = values["updated_at"]
    with ws.engine.begin() as conn:
        conn.execute(update(schedules).where(schedules.c.name == name).values(**values))
    return get_schedule(ws, name)


def remove_schedule(ws, name: str) -> None:
    get_schedule(ws, name)
    with ws.engine.begin() as conn:
        conn.execute(schedules.delete().where(schedules.c.name == name))


def _payload(ws, s: Schedule, rec, brief_summary: list[str]) -> dict:
    base = (ws.settings.public_url or "").rstrip("/")
    return {
        "type": "brief",
        "schedule": s.name,
        "brief_id": rec.id,
        "stem": rec.stem,
        "title": f"Risk brief {rec.stem}",
        "period": s.period,
        "since": rec.since.isoformat(),
        "until": rec.until.isoformat(),
        "summary": brief_summary,
        "files": rec.files,
        "url": f"{base}/briefs" if base else None,
        "links": {fmt: f"{base}/briefs/{rec.id}.{fmt}" for fmt in rec.files} if base else {},
    }


def run_schedule(ws, s: Schedule, *, fire_at: datetime, force: bool = False) -> int:
    """Make the brief for the period before `fire_at` and queue it to every target; returns items queued."""
    from monitio.reports.period import resolve_scope

    scope = resolve_scope(s.period, now=fire_at, tz=s.tz, markets=s.scope.get("markets") or [],
                          categories=s.scope.get("categories") or [], team=s.scope.get("team"))  # fmt: skip
    suffix = f"-now-{fire_at:%Y%m%dT%H%M%S}" if force else ""
    with ws.engine.begin() as conn:
        email_channel = _email_channel(conn) if s.emails else None
        targets = [(f"email:{e}", email_channel, e) for e in s.emails]
        targets += [(f"channel:{c}", c, None) for c in s.channel_ids]
        keys = {t[0]: _key(s.id, scope.stem + suffix, t[0]) for t in targets}
        done = set(
            conn.execute(select(outbox.c.idempotency_key).where(outbox.c.idempotency_key.in_(keys.values()))).scalars()
        )
    todo = [t for t in targets if keys[t[0]] not in done]
    if not todo:
        return 0
    rec = make_brief(
        ws,
        period=s.period,
        markets=s.scope.get("markets") or [],
        categories=s.scope.get("categories") or [],
        team=s.scope.get("team"),
        saved_search=s.scope.get("saved_search"),
        formats=s.formats,
        actor=f"schedule:{s.name}",
        now=fire_at,
        tz=s.tz,
    )
    payload = _payload(ws, s, rec, rec.summary)
    now = datetime.now(UTC)
    queued = 0
    with ws.engine.begin() as conn:
        for target, channel_id, to in todo:
            exists = conn.execute(select(outbox.c.id).where(outbox.c.idempotency_key == keys[target])).first()
            if exists:
                continue
            conn.execute(
                insert(outbox).values(
                    idempotency_key=keys[target], rule_id=None, channel_id=channel_id, signal_id=None,
                    schedule_id=s.id, series_key=f"brief:{s.name}:{scope.stem}", severity=0,
                    payload={**payload, "to": to} if to else payload, status="pending", attempts=0,
                    next_attempt_at=now, created_at=now,
                )
            )  # fmt: skip
            queued += 1
    return queued


def fire_due(ws, now: datetime | None = None) -> dict[str, int]:
    """Queue the brief of every enabled schedule whose latest fire time has come (once per period)."""
    now = now or datetime.now(UTC)
    sync_from_settings(ws)
    fired = {}
    for s in list_schedules(ws):
        if not s.enabled:
            continue
        at = latest_fire(s.cron, s.tz, now)
        if at < s.starts_after:
            continue
        n = run_schedule(ws, s, fire_at=at)
        if n:
            fired[s.name] = n
    return fired


def channel_names(ws) -> dict[int, str]:
    with ws.engine.connect() as conn:
        return dict(conn.execute(select(channels.c.id, channels.c.name)).all())


def sync_from_settings(ws) -> int:
    """Create or change the schedules that `[[schedules]]` in monitio.toml describes; returns how many changed."""
    changed = 0
    for spec in getattr(ws.settings, "schedules", None) or []:
        want = {
            "cron": spec["cron"], "tz": spec.get("tz") or ws.settings.timezone, "period": spec.get("period", "week"),
            "markets": [m.upper() for m in spec.get("markets", [])], "categories": list(spec.get("categories", [])),
            "team": spec.get("team"), "formats": list(parse_formats(spec.get("formats") or "pdf,xlsx")),
            "emails": list(spec.get("emails", [])), "channels": list(spec.get("channels", [])),
        }  # fmt: skip
        try:
            have = get_schedule(ws, spec["name"])
        except NotFound:
            have = None
        if have is not None:
            names = channel_names(ws)
            same = (
                have.cron == want["cron"] and have.tz == want["tz"] and have.period == want["period"]
                and have.scope.get("markets") == want["markets"] and have.scope.get("categories") == want["categories"]
                and have.scope.get("team") == want["team"] and have.formats == want["formats"]
                and have.emails == want["emails"] and [names.get(c) for c in have.channel_ids] == want["channels"]
            )  # fmt: skip
            if same:
                continue
        save_schedule(
            ws, spec["name"], cron=want["cron"], tz=want["tz"], period=want["period"], markets=want["markets"],
            categories=want["categories"], team=want["team"], formats=want["formats"], emails=want["emails"],
            channel_names=want["channels"], origin="toml", actor="monitio.toml", replace=True,
        )  # fmt: skip
        changed += 1
    return changed
