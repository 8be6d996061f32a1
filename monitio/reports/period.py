"""The period and scope a brief covers, and the file stem it is kept under.

A brief is about a closed window `[since, until)` of one audience's slice of the data (markets,
categories, an owner team, a saved search). Named periods are the last *complete* day, ISO week or
month in the workspace's zone before `now`; the default is the 30 days up to the current hour.

>>> from datetime import datetime, UTC
>>> now = datetime(2026, 12, 9, 10, 30, tzinfo=UTC)     # a Wednesday
>>> s = resolve_scope("week", now=now, tz="UTC", markets=["ID"])
>>> (s.since.isoformat(), s.until.isoformat(), s.stem)
('2026-11-30T00:00:00+00:00', '2026-12-07T00:00:00+00:00', '2026-W49-ID')
>>> resolve_scope("month", now=now, tz="Asia/Jakarta").stem
'2026-11'
>>> resolve_scope("day", now=now, tz="UTC", categories=["scam_ads"]).stem
'2026-12-08-scam_ads'
>>> s.previous().stem
'2026-W48-ID'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitio.errors import Invalid

PERIODS = ("day", "week", "month")
DEFAULT_DAYS = 30
MAX_DAYS = 1096
"""The longest window a brief covers (three years): its figures are hourly series, and it is compared
with the window of the same length before it."""
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
"""No brief starts before this (and so no previous window overflows the calendar)."""
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class BriefScope:
    """What a brief covers: a half-open UTC window and the slice of the data it is about."""

    since: datetime
    until: datetime
    period: str = "custom"  # day | week | month | custom
    tz: str = "UTC"
    markets: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    team: str | None = None
    saved_search: str | None = None
    query: str | None = None  # the saved search's query, resolved by the caller
    label: str = field(default="")

    @property
    def stem(self) -> str:
        """File name stem: the period's name, then the scope (markets, categories, team, saved search)."""
        parts = [self.label or _label(self.period, self.since, self.until, self.tz)]
        parts += list(self.markets) + list(self.categories)
        if self.team:
            parts.append(self.team)
        if self.saved_search:
            parts.append(self.saved_search)
        return "-".join(_slug(p) for p in parts if p)

    @property
    def hours(self) -> float:
        return (self.until - self.since).total_seconds() / 3600

    def previous(self) -> BriefScope:
        """The period of the same length and kind just before this one (same scope)."""
        if self.period == "month":
            local_start = self.since.astimezone(_zone(self.tz))
            prev = (local_start - timedelta(days=1)).replace(day=1)
            return replace(self, since=prev.astimezone(UTC), until=self.since, label="")
        length = self.until - self.since
        return replace(self, since=self.since - length, until=self.since, label="")

    def describe(self) -> str:
        """A reader's line, e.g. 'Week 2026-W49 (2026-11-30 to 2026-12-06, UTC) · markets ID'."""
        zone = _zone(self.tz)
        first = self.since.astimezone(zone)
        last = (self.until - timedelta(seconds=1)).astimezone(zone)
        name = {"day": "Day", "week": "Week", "month": "Month"}.get(self.period, "Period")
        label = self.label or _label(self.period, self.since, self.until, self.tz)
        head = f"{name} {label}" if self.period != "custom" else "Period"
        bits = [f"{head} ({first:%Y-%m-%d} to {last:%Y-%m-%d}, {self.tz})"]
        if self.markets:
            bits.append("markets " + ", ".join(self.markets))
        if self.categories:
            bits.append("categories " + ", ".join(self.categories))
        if self.team:
            bits.append(f"team {self.team}")
        if self.saved_search:
            bits.append(f"saved search {self.saved_search}")
        return " · ".join(bits)


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {tz!r}", hint="use an IANA name such as Asia/Jakarta or UTC") from None


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", value).strip("_")[:40] or "x"


def _label(period: str, since: datetime, until: datetime, tz: str) -> str:
    local = since.astimezone(_zone(tz))
    if period == "day":
        return f"{local:%Y-%m-%d}"
    if period == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{local:%Y-%m}"
    end = (until - timedelta(seconds=1)).astimezone(_zone(tz))
    return f"{local:%Y-%m-%d}_{end:%Y-%m-%d}"


def _parse_day(value: str | datetime, zone: ZoneInfo, what: str) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{what} {value!r} is not a date", hint="write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=zone)


def resolve_scope(
    period: str | None = None,
    *,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    now: datetime | None = None,
    tz: str = "UTC",
    markets: list[str] | tuple[str, ...] = (),
    categories: list[str] | tuple[str, ...] = (),
    team: str | None = None,
    saved_search: str | None = None,
    query: str | None = None,
) -> BriefScope:
    """Turn the user's choice (a named period, or since/until) into a `BriefScope` (UTC window)."""
    zone = _zone(tz)
    now = (now or datetime.now(UTC)).astimezone(zone)
    if period and (since or until):
        raise Invalid("give either --period or --since/--until, not both")
    if period and period not in PERIODS:
        raise Invalid(f"unknown period {period!r}", hint="use day, week or month")
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "day":
        start, end = midnight - timedelta(days=1), midnight
    elif period == "week":
        end = midnight - timedelta(days=now.weekday())
        start = end - timedelta(days=7)
    elif period == "month":
        end = midnight.replace(day=1)
        start = (end - timedelta(days=1)).replace(day=1)
    else:
        period = "custom"
        try:
            end = _parse_day(until, zone, "--until") if until else now.replace(minute=0, second=0, microsecond=0) + HOUR
            if until and isinstance(until, str) and len(until.strip()) == 10:
                end += timedelta(days=1)  # a bare --until day includes that whole day
            start = _parse_day(since, zone, "--since") if since else end - timedelta(days=DEFAULT_DAYS)
        except OverflowError:
            raise Invalid("the brief's period runs off the calendar", hint="use dates after 1970-01-01") from None
    if start >= end:
        raise Invalid("the brief's period is empty: --since must be before --until")
    if start < EARLIEST:
        raise Invalid(f"the brief's period starts before {EARLIEST:%Y-%m-%d}", hint="give a later --since")
    if end - start > timedelta(days=MAX_DAYS):
        raise Invalid(
            f"the brief's period is longer than {MAX_DAYS} days (three years)",
            hint="give a later --since or an earlier --until, or a named --period",
        )
    return BriefScope(
        since=start.astimezone(UTC),
        until=end.astimezone(UTC),
        period=period,
        tz=tz,
        markets=tuple(m.upper() for m in markets),
        categories=tuple(categories),
        team=team,
        saved_search=saved_search,
        query=query,
    )
