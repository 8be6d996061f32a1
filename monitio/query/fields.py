"""Field filters (`lang:id`, `sentiment:<0`, `date:2026-11-01..2026-11-07`, ...): parsing and testing.

>>> spec = parse_field("date", "2026-11-01..2026-11-07")
>>> spec.low.isoformat(), spec.high.isoformat()
('2026-11-01T00:00:00+00:00', '2026-11-08T00:00:00+00:00')
>>> parse_field("sentiment", "<=-0.2")
FieldSpec(name='sentiment', values=(), low=None, high=-0.2, low_incl=True, high_incl=True)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from monitio.records import Doc

FIELDS = ("lang", "market", "source", "author", "category", "sentiment", "engagement", "date", "has")
SENTIMENT_LABELS = ("negative", "neutral", "positive")

_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_CMP_RE = re.compile(rf"(<=|>=|<|>|=)?({_NUM})")
_RANGE_RE = re.compile(rf"({_NUM})?\.\.({_NUM})?")
_DAY = r"\d{4}-\d{2}-\d{2}"
_DATE_CMP_RE = re.compile(rf"(<=|>=|<|>|=)?({_DAY})")
_DATE_RANGE_RE = re.compile(rf"({_DAY})?\.\.({_DAY})?")
_KIND_RE = re.compile(r"[a-z_]+")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A parsed filter: `values` for names, or bounds `low`/`high` for numbers and dates.

    Date bounds are UTC datetimes, `low` inclusive and `high` exclusive (whole days).
    """

    name: str
    values: tuple[str, ...] = ()
    low: Any = None
    high: Any = None
    low_incl: bool = True
    high_incl: bool = True


def _number(name: str, value: str, integer: bool) -> FieldSpec:
    conv = int if integer else float
    try:
        m = _RANGE_RE.fullmatch(value)
        if m and (m.group(1) or m.group(2)):
            lo, hi = (conv(g) if g else None for g in m.groups())
            return FieldSpec(name, low=lo, high=hi)
        m = _CMP_RE.fullmatch(value)
        if m:
            op, x = m.group(1) or "=", conv(m.group(2))
            return {
                "=": FieldSpec(name, low=x, high=x),
                "<": FieldSpec(name, high=x, high_incl=False),
                "<=": FieldSpec(name, high=x),
                ">": FieldSpec(name, low=x, low_incl=False),
                ">=": FieldSpec(name, low=x),
            }[op]
    except ValueError:
        pass
    kind = "a whole number" if integer else "a number"
    raise ValueError(f"{name}: expects {kind} with <, <=, >, >=, = or a range a..b, got {value!r}")


def _day(text: str) -> datetime:
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"date: {text!r} is not a valid day (YYYY-MM-DD)") from None
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _after(d: datetime) -> datetime | None:
    """The start of the next day, or None (no upper bound) after the last representable day."""
    return None if d.date() == date.max else d + timedelta(days=1)


def _dates(value: str) -> FieldSpec:
    m = _DATE_RANGE_RE.fullmatch(value)
    if m and (m.group(1) or m.group(2)):
        lo = _day(m.group(1)) if m.group(1) else None
        hi = _after(_day(m.group(2))) if m.group(2) else None
        if lo and hi and hi <= lo:
            raise ValueError(f"date: the range {value!r} ends before it starts")
        return FieldSpec("date", low=lo, high=hi, high_incl=False)
    m = _DATE_CMP_RE.fullmatch(value)
    if not m:
        raise ValueError(f"date: expects YYYY-MM-DD, a range like 2026-11-01..2026-11-07 or >2026-11-01, got {value!r}")
    op, d = m.group(1) or "=", _day(m.group(2))
    if op == ">" and d.date() == date.max:
        raise ValueError(f"date: nothing is after {value[1:]}; use an earlier day")
    lo, hi = {"=": (d, _after(d)), "<": (None, d), "<=": (None, _after(d)), ">": (_after(d), None), ">=": (d, None)}[op]
    return FieldSpec("date", low=lo, high=hi, high_incl=False)


def parse_field(name: str, value: str) -> FieldSpec:
    """Check and parse a filter's value; raises `ValueError` with a readable reason."""
    if name == "sentiment" and not re.match(r"[<>=.\d+-]", value):
        labels = tuple(v.lower() for v in value.split("|"))
        if any(v not in SENTIMENT_LABELS for v in labels):
            raise ValueError(f"sentiment: expects a number comparison or {'|'.join(SENTIMENT_LABELS)}, got {value!r}")
        return FieldSpec(name, values=labels)
    if name in ("sentiment", "engagement"):
        return _number(name, value, integer=name == "engagement")
    if name == "date":
        return _dates(value)
    values = tuple(value.split("|"))
    if any(not v for v in values):
        raise ValueError(f"{name}: empty value in {value!r}")
    if name == "market":
        return FieldSpec(name, values=tuple(v.upper() for v in values))
    if name in ("lang", "category", "has"):
        values = tuple(v.lower() for v in values)
        if name == "has" and not all(_KIND_RE.fullmatch(v) for v in values):
            raise ValueError(f"has: expects indicator kinds such as phone|link|wallet, got {value!r}")
        return FieldSpec(name, values=values)
    if name in ("source", "author"):
        values = tuple(v.casefold().removeprefix("@") if name == "author" else v.casefold() for v in values)
        if any(not v or v == "*" for v in values):
            raise ValueError(f"{name}: empty value in {value!r}")
        return FieldSpec(name, values=values)
    raise ValueError(f"unknown field {name!r} (fields: {', '.join(FIELDS)})")


def _in_bounds(spec: FieldSpec, x: Any) -> bool:
    if spec.low is not None and (x < spec.low if spec.low_incl else x <= spec.low):
        return False
    return not (spec.high is not None and (x > spec.high if spec.high_incl else x >= spec.high))


def _names_test(values: tuple[str, ...]) -> Callable[[str | None], bool]:
    exact = frozenset(v for v in values if not v.endswith("*"))
    prefixes = tuple(v[:-1] for v in values if v.endswith("*"))

    def test(x: str | None) -> bool:
        return x is not None and (x in exact or (bool(prefixes) and x.startswith(prefixes)))

    return test


def field_test(spec: FieldSpec) -> Callable[[Doc | None], bool]:
    """A predicate on a `Doc` (None, for bare text, matches no filter)."""
    name = spec.name
    if name in ("lang", "market"):
        wanted = frozenset(spec.values)
        hint = "lang_hint" if name == "lang" else "market_hint"
        norm = str.lower if name == "lang" else str.upper

        def test_code(doc: Doc | None) -> bool:
            if doc is None:
                return False
            value = getattr(doc, name) or getattr(doc.post, hint)
            return value is not None and norm(value) in wanted

        return test_code
    if name in ("source", "author"):
        names = _names_test(spec.values)
        if name == "source":
            return lambda doc: doc is not None and names(doc.post.source.casefold())
        return lambda doc: (
            doc is not None and doc.post.author is not None and names(doc.post.author.casefold().removeprefix("@"))
        )
    if name == "category":
        cats = frozenset(spec.values)
        return lambda doc: doc is not None and any(c.lower() in cats for c in doc.categories)
    if name == "has":
        kinds = spec.values
        return lambda doc: doc is not None and any(doc.indicators.get(k) for k in kinds)
    if name == "sentiment" and spec.values:
        labels = frozenset(spec.values)
        return lambda doc: doc is not None and (doc.sentiment_label or "neutral").lower() in labels
    if name == "sentiment":
        return lambda doc: doc is not None and _in_bounds(spec, doc.sentiment)
    if name == "engagement":
        return lambda doc: doc is not None and _in_bounds(spec, doc.post.engagement)
    if name == "date":
        return lambda doc: doc is not None and _in_bounds(spec, doc.post.published_at)
    raise ValueError(f"unknown field {name!r}")
